// The fault e2e tests' audit (test/e2e/helpers/bankAudit.ts) must fail when a node diverges or a
// tx is lost, and must sort each accepted-but-uncommitted send into the right kind of loss. Its
// e2e runs rarely hit every case (a gap eviction needs a kill at the right moment), so each
// case is pinned here on made-up records and fake nodes.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  accountLoad,
  applyModel,
  auditCommitted,
  type BankTx,
  bankTxs,
  type CommittedTx,
} from '../e2e/helpers/bankAudit.js';
import { LOAD_FUNDS, type LoadTarget, type SendRecord } from '../e2e/helpers/bankLoad.js';
import type { CometRpc } from '../e2e/helpers/rpc.js';
import { encodeTestTx } from '../fixtures/testkv.js';
import { sendMsg, signTx, TestKey } from '../integration/tx-harness.js';

const [A, B, C, D] = ['a', 'b', 'c', 'd'].map((s) => TestKey.fromSeed(`audit-${s}`).address) as [
  string,
  string,
  string,
  string,
];

function send(
  hash: string,
  sender: string,
  sequence: bigint,
  target: number,
  epoch: number,
  outcome: SendRecord['outcome'] = 'accepted',
): SendRecord {
  return { hash, sender, sequence, target, epoch, outcome };
}

function committedTx(hash: string, sender: string, sequence: bigint, code = 0, fee = 10n): BankTx {
  return { hash, height: 1, sender, to: D, amount: 5n, sequence, code, fee };
}

const targets = [0, 1].map((i) => ({ name: `node${i}` }) as LoadTarget);

describe('fault e2e audit: accounting of accepted sends', () => {
  it('tells killed-node losses, gap evictions, superseded and unexplained losses apart', () => {
    const sends = [
      send('A0', A, 0n, 1, 0),
      send('A1', A, 1n, 0, 0), // node0 killed after it took A1: lost with its mempool
      send('A2', A, 2n, 1, 0), // on a live node, behind the lost A1: fails recheck
      send('B0', B, 0n, 1, 0), // on a live node, but B0' took sequence 0
      send('C0', C, 0n, 1, 0), // on a live node, nothing explains it: a lost tx
      send('D0', D, 0n, 1, 0, 'unknown'), // a timeout: maybe in a mempool, never committed
      send('D1', D, 1n, 1, 0), // behind it
    ];
    const txs = [committedTx('A0', A, 0n), committedTx('B0x', B, 0n)];
    const load = {
      sends: [...sends, send('B0x', B, 0n, 1, 0)],
      epochs: [1, 0],
      targets,
      sent: sends.length + 1,
    };
    const model = applyModel({ keys: [A, B, C, D].map((a) => ({ address: a }) as TestKey), sinks: [] }, txs);
    const r = accountLoad(load, txs, model);
    const hashes = (xs: SendRecord[]) => xs.map((x) => x.hash);
    assert.deepEqual(hashes(r.lostWithKilledNode), ['A1']);
    assert.deepEqual(r.byNode, { node0: 1 });
    assert.equal(r.maxLostInOneRun, 1);
    assert.deepEqual(hashes(r.gapEvicted), ['A2', 'D1']);
    assert.deepEqual(hashes(r.superseded), ['B0']);
    assert.deepEqual(hashes(r.unexplained), ['C0']);
    assert.equal(r.accepted, 7);
    assert.equal(r.acceptedCommitted, 2);
  });

  it('refuses a committed tx the load never sent', () => {
    const model = applyModel({ keys: [{ address: A } as TestKey], sinks: [] }, []);
    const load = { sends: [], epochs: [0, 0], targets, sent: 0 };
    assert.throws(() => accountLoad(load, [committedTx('X', A, 0n)], model), /never sent/);
  });
});

describe('fault e2e audit: bank model', () => {
  const keys = [A, B].map((a) => ({ address: a }) as TestKey);

  it('takes the fee where ante passed and the amount only where the tx succeeded', () => {
    const m = applyModel({ keys, sinks: [D] }, [
      committedTx('1', A, 0n), // success: fee 10 + amount 5 to D
      committedTx('2', A, 1n, 5), // failed in the message: fee only
      committedTx('3', A, 2n, 32, 0n), // failed in ante: nothing, sequence not taken
      committedTx('4', A, 2n),
    ]);
    assert.equal(m.balances.get(A), LOAD_FUNDS - 3n * 10n - 2n * 5n);
    assert.equal(m.balances.get(D), 10n);
    assert.equal(m.sequences.get(A), 3n);
    assert.equal(m.balances.get(B), LOAD_FUNDS);
  });

  it('fails on a tx that passed ante with a sequence out of order', () => {
    assert.throws(() => applyModel({ keys, sinks: [] }, [committedTx('1', A, 1n)]), /sequence 1, want 0/);
  });

  it('reads sender, sequence, amount and the charged fee from committed bytes and results', () => {
    const key = TestKey.fromSeed('audit-a');
    const bytes = signTx(key, {
      msgs: [sendMsg(key.address, D, 77n)],
      sequence: 4n,
      accountNumber: 0n,
      fee: 10_000n,
    });
    const feeEvent = { type: 'tx', attributes: [{ key: 'fee', value: '10000ngonka' }] };
    const txs = bankTxs(
      [
        { hash: 'H', height: 3, index: 0, bytes, result: { code: 5, events: [feeEvent] } },
        { hash: 'K', height: 3, index: 1, bytes: encodeTestTx({ writes: [['k', 'v']] }), result: {} },
      ],
      new Set([key.address]),
    );
    assert.deepEqual(txs, [
      { hash: 'H', height: 3, sender: key.address, to: D, amount: 77n, sequence: 4n, code: 5, fee: 10_000n },
    ]);
  });
});

/** A node answering block metas, blocks, block_results and tx_search from a fixed chain. */
function fakeNode(name: string, blocks: CommittedTx[][], opts: { indexSkips?: string } = {}): LoadTarget {
  const all = blocks.flat();
  const rpc = {
    url: name,
    blockMetas: async (min: number, max: number) =>
      blocks
        .slice(min - 1, max)
        .map((txs, i) => ({ height: min + i, blockHash: '', appHash: '', numTxs: txs.length })),
    block: async (h: number) => ({ txs: blocks[h - 1]!.map((t) => t.bytes) }),
    call: async (method: string, params: Record<string, unknown>) => {
      if (method === 'block_results')
        return { txs_results: blocks[Number(params.height) - 1]!.map((t) => t.result) };
      if (method === 'tx_search') {
        const txs = all
          .filter((t) => t.hash !== opts.indexSkips)
          .map((t) => ({ hash: t.hash, height: String(t.height), index: t.index, tx_result: t.result }));
        return { txs: Number(params.page) === 1 ? txs : [], total_count: String(txs.length) };
      }
      throw new Error(`unexpected ${method}`);
    },
  } as unknown as CometRpc;
  return { name, rpc, live: () => true, runId: () => 1 };
}

function chain(gasUsed = '100'): CommittedTx[][] {
  const tx = (s: string, height: number, index: number): CommittedTx => {
    const bytes = new TextEncoder().encode(s);
    const hash = createHash('sha256').update(bytes).digest('hex').toUpperCase();
    return { hash, height, index, bytes, result: { code: 0, gas_used: gasUsed, events: [] } };
  };
  return [[tx('a', 1, 0), tx('b', 1, 1)], [], [tx('c', 3, 0)]];
}

describe('fault e2e audit: every node holds every committed tx', () => {
  it('passes when every node has the same txs, results and index', async () => {
    const got = await auditCommitted([fakeNode('n0', chain()), fakeNode('n1', chain())], 3);
    assert.equal(got.length, 3);
  });

  it('fails when one node has a different result', async () => {
    await assert.rejects(
      auditCommitted([fakeNode('n0', chain()), fakeNode('n1', chain('101'))], 3),
      /n1 differs/,
    );
  });

  it('fails when one node misses a tx in its index', async () => {
    const c = chain();
    await assert.rejects(
      auditCommitted([fakeNode('n0', c), fakeNode('n1', c, { indexSkips: c[2]![0]!.hash })], 3),
      /n1: tx index has 2 txs/,
    );
  });
});
