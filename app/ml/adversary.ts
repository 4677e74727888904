// TEST ONLY adversary modes of the ML node (issue 13, poc-attack-contract.md), armed with
// `gonkad ml start --test-adversary fabricate=<fraction>` and `--test-controls`. A real node never
// sets them: they exist so e2e tests can make one participant lie about its work at the ML node's
// edge (after the kernel computed the honest outputs, before they leave in a frame) and slow a
// node down at run time, and check that the chain catches it.
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

export interface MlAdversary {
  /** Fraction in [0, 1] of nonces whose outputs are replaced by garbage of the same length. */
  readonly fabricate?: number;
}

/** Parses the `--test-adversary` values (each `fabricate=<fraction>`); throws on anything else. */
export function parseMlAdversary(specs: readonly string[]): MlAdversary {
  let fabricate: number | undefined;
  for (const spec of specs) {
    const m = /^fabricate=([0-9]*\.?[0-9]+)$/.exec(spec);
    const f = m ? Number(m[1]) : Number.NaN;
    if (!(f >= 0 && f <= 1)) throw new Error(`unknown ML test adversary '${spec}' (fabricate=<0…1>)`);
    fabricate = f;
  }
  return fabricate === undefined ? {} : { fabricate };
}

function u64be(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}

/** u32 BE of SHA-256("fab" ‖ u64 BE n) ÷ 2^32 < fraction: whether nonce n is fabricated. */
export function isFabricated(nonce: number, fraction: number): boolean {
  if (fraction <= 0) return false;
  const h = createHash('sha256').update('fab').update(u64be(nonce)).digest();
  return h.readUInt32BE(0) / 2 ** 32 < fraction;
}

/** `length` bytes of SHA-256("fab-output" ‖ u64 BE n ‖ u32 BE block) garbage for nonce n. */
export function fabricatedOutput(nonce: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let block = 0, at = 0; at < length; block++, at += 32) {
    const ctr = Buffer.alloc(4);
    ctr.writeUInt32BE(block);
    const h = createHash('sha256').update('fab-output').update(u64be(nonce)).update(ctr).digest();
    out.set(h.subarray(0, Math.min(32, length - at)), at);
  }
  return out;
}

/**
 * The outputs of nonces [first, first + count) (count equal-length outputs back to back) with the
 * fabricated ones replaced; the input is returned as is when none is, else a copy.
 */
export function fabricateOutputs(
  first: number,
  count: number,
  outputs: Uint8Array,
  fraction: number,
): Uint8Array {
  if (count === 0 || fraction <= 0) return outputs;
  const size = outputs.length / count;
  let copy: Uint8Array | undefined;
  for (let i = 0; i < count; i++) {
    if (!isFabricated(first + i, fraction)) continue;
    copy ??= outputs.slice();
    copy.set(fabricatedOutput(first + i, size), i * size);
  }
  return copy ?? outputs;
}

/** What `--test-controls` needs of the node. */
export interface ThrottleControl {
  /** Nonces per second the node hands out from now on; undefined lifts the throttle. */
  setThrottle(noncesPerSecond: number | undefined): void;
}

/** Most nonces/s the throttle route accepts (far above any real node; a bound, not a policy). */
export const MAX_TEST_THROTTLE = 1e9;

/** `POST /v1/test/throttle {"nonces_per_s": number | null}`: the runtime throttle (--test-controls). */
export function registerTestControls(app: FastifyInstance, node: ThrottleControl): void {
  app.post<{ Body: { nonces_per_s: number | null } }>(
    '/v1/test/throttle',
    {
      schema: {
        body: {
          type: 'object',
          required: ['nonces_per_s'],
          additionalProperties: false,
          properties: {
            nonces_per_s: {
              anyOf: [{ type: 'number', exclusiveMinimum: 0, maximum: MAX_TEST_THROTTLE }, { type: 'null' }],
            },
          },
        },
      },
    },
    async (req) => {
      const rate = req.body.nonces_per_s;
      node.setThrottle(rate ?? undefined);
      return { nonces_per_s: rate };
    },
  );
}
