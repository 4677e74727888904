// Invariants a testnet must keep through any single-node fault (after cometbft's e2e runner,
// research/cosmos-compat.md §6.2): every node has the same block and app hash at every height they
// share, every committed tx is retrievable on every node, and the chain keeps making blocks.
import type { Testnet } from './launcher.js';
import type { BlockMeta } from './rpc.js';
import { waitFor } from './rpc.js';

/** Compares block hash and header app hash across all nodes at heights 1..(lowest node height). Returns that height. */
export async function checkAgreement(net: Testnet): Promise<number> {
  const heights = await Promise.all(net.nodes.map((n) => n.rpc.height()));
  const common = Math.min(...heights);
  if (common < 1) throw new Error(`no common height yet (${heights.join(',')})`);
  const metas: BlockMeta[][] = await Promise.all(net.nodes.map((n) => n.rpc.blockMetas(1, common)));
  const ref = metas[0] as BlockMeta[];
  if (ref.length !== common) throw new Error(`node 0 returned ${ref.length} blocks for 1..${common}`);
  for (let i = 1; i < metas.length; i++) {
    const m = metas[i] as BlockMeta[];
    for (let k = 0; k < common; k++) {
      const a = ref[k] as BlockMeta;
      const b = m[k];
      if (!b || b.height !== a.height || b.blockHash !== a.blockHash || b.appHash !== a.appHash) {
        throw new Error(
          `divergence at height ${a.height}: node 0 ${a.blockHash}/${a.appHash}, node ${i} ${b?.blockHash}/${b?.appHash}`,
        );
      }
    }
  }
  return common;
}

export interface SubmittedTx {
  hash: string;
  /** A (path, query bytes, expected value JSON) check that the tx's effect is visible. */
  effect?: { path: string; data: Uint8Array; expect: unknown };
}

/**
 * Returns the submitted txs that are committed (found on node 0) and checks every one of them is
 * on every node, at the same height, with its effect visible through a query.
 */
export async function checkCommittedTxs(
  net: Testnet,
  txs: SubmittedTx[],
  timeoutMs = 30_000,
): Promise<SubmittedTx[]> {
  const first = net.nodes[0];
  if (!first) throw new Error('empty testnet');
  const committed: SubmittedTx[] = [];
  for (const t of txs) {
    const at = await first.rpc.tx(t.hash);
    if (!at) continue;
    committed.push(t);
    for (const n of net.nodes.slice(1)) {
      // Indexing trails the commit a little on a node that was just catching up: poll.
      const there = await waitFor(`tx ${t.hash} on ${n.entry.name}`, () => n.rpc.tx(t.hash), timeoutMs);
      if (there.height !== at.height || there.code !== at.code) {
        throw new Error(
          `tx ${t.hash}: node 0 height ${at.height} code ${at.code}, ${n.entry.name} height ${there.height} code ${there.code}`,
        );
      }
    }
    if (t.effect) {
      const effect = t.effect;
      for (const n of net.nodes) {
        const r = await n.rpc.abciQuery(effect.path, effect.data);
        const got = r.value ? JSON.parse(Buffer.from(r.value, 'base64').toString()) : undefined;
        if (JSON.stringify(got) !== JSON.stringify(effect.expect)) {
          throw new Error(
            `tx ${t.hash} effect on ${n.entry.name}: got ${JSON.stringify(got)}, want ${JSON.stringify(effect.expect)}`,
          );
        }
      }
    }
  }
  return committed;
}

/** Liveness: every node gets `blocks` past the current highest height within the bound. */
export async function checkLiveness(net: Testnet, blocks = 3, timeoutMs = 60_000): Promise<number> {
  const hs = (await net.heights()).filter((h): h is number => h !== undefined);
  const target = Math.max(0, ...hs) + blocks;
  await net.waitForHeight(target, timeoutMs);
  return target;
}

/**
 * Every module invariant (supply = Σ balances, collateral accounting, governance escrow, …) holds
 * on every node's latest committed state, as its own app evaluates it (ABCI query /app/invariants).
 */
export async function checkModuleInvariants(net: Testnet): Promise<void> {
  for (const [i, n] of net.nodes.entries()) {
    const r = await n.rpc.abciQuery('/app/invariants', new Uint8Array(0));
    if (r.code) throw new Error(`node ${i}: invariants query failed (code ${r.code})`);
    const broken = JSON.parse(Buffer.from(r.value ?? '', 'base64').toString('utf8') || '[]') as string[];
    if (broken.length > 0)
      throw new Error(`node ${i} at height ${r.height}: invariants broken: ${broken.join('; ')}`);
  }
}
