// TEST ONLY adversary modes of the API node (issue 13, poc-attack-contract.md), armed with
// `gonkad api start --test-adversary <mode>` (repeatable). A real node never sets them: they let an
// e2e test make one participant misbehave the ways the chain must catch, at the API node's edge.
//   refuse-proofs        POST /v1/poc/proofs answers 503 forever        → UNAVAILABLE, weight 0, no slash
//   overcount=<factor>   commits claim floor(count × factor) leaves,
//                        with the root of the real tree                 → no proof of those leaves, weight 0
//   copy-from=<pubkey>   mines with another participant's 33-byte key   → outputs fail recomputation: fraud proof
//   sprint-only          never mines or commits in confirmation rounds  → the confirmation round's driver reads it

import { secp256k1 } from '@noble/curves/secp256k1.js';
import type { FastifyInstance } from 'fastify';

export interface ApiAdversary {
  readonly refuseProofs?: boolean;
  /** Commits claim floor(count × overcount) leaves (≥ 1). */
  readonly overcount?: number;
  /** The 33-byte compressed key this node mines with instead of its own. */
  readonly copyFrom?: Uint8Array;
  /** Confirmation rounds: never mine or commit (read by the round driver). */
  readonly sprintOnly?: boolean;
}

/** Parses the `--test-adversary` values; throws naming the bad one. */
export function parseApiAdversary(specs: readonly string[]): ApiAdversary {
  const out: {
    refuseProofs?: boolean;
    overcount?: number;
    copyFrom?: Uint8Array;
    sprintOnly?: boolean;
  } = {};
  for (const spec of specs) {
    const [mode, value] = spec.split('=', 2) as [string, string | undefined];
    if (mode === 'refuse-proofs' && value === undefined) out.refuseProofs = true;
    else if (mode === 'sprint-only' && value === undefined) out.sprintOnly = true;
    else if (mode === 'overcount' && value !== undefined && /^[0-9]*\.?[0-9]+$/.test(value)) {
      const f = Number(value);
      if (!(f >= 1 && f <= 1e6)) throw new Error(`overcount factor must be in [1, 1e6], got '${value}'`);
      out.overcount = f;
    } else if (mode === 'copy-from' && value !== undefined && /^0[23][0-9a-fA-F]{64}$/.test(value)) {
      const key = Uint8Array.from(Buffer.from(value, 'hex'));
      try {
        secp256k1.Point.fromBytes(key);
      } catch {
        throw new Error(`copy-from: ${value} is not a compressed secp256k1 key`);
      }
      out.copyFrom = key;
    } else {
      throw new Error(
        `unknown API test adversary '${spec}' (refuse-proofs, overcount=<factor>, copy-from=<hex 33-byte pubkey>, sprint-only)`,
      );
    }
  }
  return out;
}

/** Whether any mode is armed (for the start-up warning). */
export function armed(a: ApiAdversary | undefined): boolean {
  return a !== undefined && Object.keys(a).length > 0;
}

/** The count a commit claims for a store of `count` leaves. */
export function claimedCount(count: number, a: ApiAdversary | undefined): number {
  if (a?.overcount === undefined) return count;
  return Math.min(Number.MAX_SAFE_INTEGER, Math.floor(count * a.overcount));
}

/** The key this node mines with: another participant's under copy-from, else its own. */
export function miningPubkey(own: Uint8Array, a: ApiAdversary | undefined): Uint8Array {
  return a?.copyFrom ?? own;
}

/** refuse-proofs: every POST /v1/poc/proofs answers 503 (call before the server listens). */
export function armProofsRefusal(app: FastifyInstance, a: ApiAdversary | undefined): void {
  if (!a?.refuseProofs) return;
  app.addHook('onRequest', async (req, reply) => {
    if (req.method === 'POST' && req.url.split('?')[0] === '/v1/poc/proofs') {
      await reply.code(503).send({ error: { code: 503, message: 'test adversary: proofs refused' } });
    }
  });
}
