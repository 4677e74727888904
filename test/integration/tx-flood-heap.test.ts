// Issue 10, acceptance 1 (in process): a flood of txs anyone can send for free — oversized,
// fee-less, undecodable, each with distinct bytes — through CheckTx and through Simulate must not
// grow the app's memory. Before the fix the decode cache kept every tx that decoded (up to 10,000,
// rejected or simulated alike) and the size limit was checked only after decoding: this flood left
// 5.6 GiB retained on that code (1,000 of the txs are 0.6–1 MiB and decode). Now the size is
// checked before decoding and the caches keep only txs that passed CheckTx's ante, bounded in bytes.
//
// Bound: heapUsed + external + arrayBuffers after a forced GC grows by < 64 MiB over the flood
// (the two caches are capped at 32 MiB + 16 MiB; this flood should leave them empty).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { SimulateRequest } from 'cosmjs-types/cosmos/tx/v1beta1/service';
import { DecodeCache } from '../../app/runtime/ante/decodeCache.js';
import { SignatureCache } from '../../app/runtime/ante/sigCache.js';
import { accountOf, sendMsg, signTx, TestChain, type TestKey } from './tx-harness.js';

const TXS = 2_000;
const MAX_TX_BYTES = 1_048_576; // x/auth default max_tx_bytes
const BODY = 600 * 1024;
const BOUND = 64 * 1024 * 1024;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function retained(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external + m.arrayBuffers;
}

describe('tx flood: oversized, fee-less and undecodable txs leave no memory behind', () => {
  let chain: TestChain;
  before(async () => {
    chain = await TestChain.create({ accounts: 2 });
  });
  after(async () => chain?.close());

  it(`CheckTx and Simulate of ${TXS} distinct large txs grow memory by < 64 MiB`, (t) => {
    const [a, b] = chain.keys as [(typeof chain.keys)[0], (typeof chain.keys)[0]];
    const acc = accountOf(chain, a.address);
    const msgs = [sendMsg(a.address, b.address, 1n)];
    // Each tx is a copy of one of four prebuilt bases with its index written into it, so the
    // txs are distinct without re-encoding a megabyte per tx.
    const memoOf = (length: number) =>
      signTx(a, { msgs, sequence: 0n, accountNumber: 0n, memo: 'm'.repeat(length), unsigned: true });
    const oversized = memoOf(MAX_TX_BYTES); // over max_tx_bytes: refused before decoding (sdk 21)
    const bigMemo = memoOf(MAX_TX_BYTES - 400); // under max_tx_bytes, memo far over its limit (12)
    // fee-less with a 0.6 MB signature: CheckTx refuses the fee (13); Simulate skips the fee and
    // signature checks, so it succeeds — and must still keep nothing.
    const feeless = signTx(a, {
      msgs,
      sequence: acc.sequence,
      accountNumber: acc.accountNumber,
      gas: 10_000_000n,
      fee: 0n,
      signature: new Uint8Array(BODY).fill(7),
    });
    const junk = new Uint8Array(BODY).fill(0xff); // undecodable (sdk 2)
    const memoAt = (tx: Uint8Array) => Buffer.from(tx).indexOf('m'.repeat(64));
    const bases = [
      { base: oversized, at: memoAt(oversized), check: 21, simulate: 21 },
      { base: bigMemo, at: memoAt(bigMemo), check: 12, simulate: 12 },
      { base: feeless, at: feeless.length - 16, check: 13, simulate: 0 },
      { base: junk, at: 0, check: 2, simulate: 2 },
    ];
    /** The i-th tx of the flood and the codes CheckTx and Simulate must answer with. */
    const flood = (i: number) => {
      const { base, at, check, simulate } = bases[i % 4]!;
      const tx = base.slice();
      tx.set(new TextEncoder().encode(String(i).padStart(8, '0')), at);
      return { tx, check, simulate };
    };
    // Warm-up: the code paths and their lazily built structures exist before the baseline.
    for (let i = 0; i < 8; i++) {
      const { tx } = flood(TXS + i);
      chain.checkTx(tx);
      chain.app.simulate(tx);
    }
    const baseline = retained();
    for (let i = 0; i < TXS; i++) {
      const { tx, check, simulate } = flood(i);
      const c = chain.checkTx(tx);
      assert.equal(c.code, check, `CheckTx of tx ${i}: ${c.log.slice(0, 200)}`);
      // Half through the Simulate query route (what gRPC serves), half through app.simulate.
      const code =
        i % 8 < 4
          ? chain.rawQuery(
              '/cosmos.tx.v1beta1.Service/Simulate',
              SimulateRequest.encode({ txBytes: tx }).finish(),
            ).code
          : chain.app.simulate(tx).code;
      assert.equal(code, simulate, `Simulate of tx ${i}`);
    }
    const growth = retained() - baseline;
    t.diagnostic(`memory growth ${(growth / 2 ** 20).toFixed(1)} MiB`);
    assert.ok(
      growth < BOUND,
      `memory grew by ${(growth / 2 ** 20).toFixed(1)} MiB over the flood (bound ${BOUND / 2 ** 20} MiB)`,
    );
  });
});

describe('the decode and signature caches keep only txs that passed CheckTx', () => {
  it('never a rejected or simulated tx; a tx failing recheck or delivered leaves nothing', async () => {
    const chain = await TestChain.create({ accounts: 3 });
    try {
      // The app's Cosmos format, reached through BaseApp's private list (test-only inspection).
      const format = (chain.app as unknown as { txFormats: { name: string }[] }).txFormats.find(
        (f) => f.name === 'cosmos',
      ) as unknown as { decodeCache: DecodeCache<unknown>; sigCache: SignatureCache };
      const sizes = () => [format.decodeCache.size, format.sigCache.size];
      const [a, b, c] = chain.keys as [TestKey, TestKey, TestKey];
      const send = (k: TestKey, sequence: bigint, o: { fee?: bigint; unsigned?: boolean } = {}) =>
        signTx(k, {
          msgs: [sendMsg(k.address, c.address, 1n)],
          sequence,
          accountNumber: accountOf(chain, k.address).accountNumber,
          ...o,
        });

      assert.equal(chain.checkTx(send(a, 0n, { fee: 0n })).code, 13, 'fee-less: rejected');
      assert.equal(chain.app.simulate(send(a, 0n, { unsigned: true })).code, 0, 'simulated: passes');
      assert.deepEqual(sizes(), [0, 0], 'neither a rejected nor a simulated tx is kept');

      const good = send(a, 0n);
      assert.equal(chain.checkTx(good).code, 0);
      assert.deepEqual(sizes(), [1, 1], 'a tx that passed ante is kept');
      await chain.block([]); // a block without it: CometBFT rechecks it after the commit
      assert.equal(chain.checkTx(good, true).code, 0, 'recheck passes');
      assert.deepEqual(sizes(), [1, 1]);
      await chain.block([good]);
      assert.deepEqual(sizes(), [0, 0], 'delivered: nothing kept');

      const pending = send(b, 0n);
      assert.equal(chain.checkTx(pending).code, 0);
      await chain.block([send(b, 0n, { fee: 30_000n })]); // another tx takes b's sequence 0
      assert.equal(chain.checkTx(pending, true).code, 32, 'recheck fails on the sequence');
      assert.deepEqual(sizes(), [0, 0], 'a tx failing recheck leaves nothing');
    } finally {
      await chain.close();
    }
  });

  it('are bounded in bytes as well as entries', () => {
    const d = new DecodeCache<number>(100, 10_000);
    for (let i = 0; i < 50; i++) d.add(`k${i}`, i, 2_000);
    assert.ok(d.bytes <= 10_000 && d.size === 3, `${d.size} entries, ${d.bytes} bytes`);
    assert.equal(d.get('k49'), 49, 'the newest stay');
    const s = new SignatureCache(1_000, 2_000);
    for (let i = 0; i < 100; i++) s.add(`${'ab'.repeat(64)}/${i}`);
    assert.ok(s.bytes <= 2_000, `${s.bytes} bytes`);
  });
});
