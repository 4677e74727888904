// The API node's broadcaster against the production app in process (CheckTx, Simulate, blocks):
// submissions made together leave packed in one tx (bounded), a sequence used behind its back is
// resynced and the tx re-signed, retries are bounded, and one bad submission does not sink the
// others packed with it.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { AuthInfo, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { Broadcaster, expectedSequence } from '../../app/api/broadcaster.js';
import { type BroadcastResult, ChainError, type TxChain } from '../../app/api/chain.js';
import { accountOf, balanceOf, CHAIN_ID, sendMsg, signTx, TestChain } from './tx-harness.js';

/** TxChain over the in-process app: CheckTx is the mempool, commit() makes a block of it. */
class InProcessChain implements TxChain {
  mempool: Uint8Array[] = [];
  broadcasts = 0;
  constructor(readonly chain: TestChain) {}
  async chainId() {
    return CHAIN_ID;
  }
  async account(address: string) {
    try {
      const a = accountOf(this.chain, address);
      return { accountNumber: a.accountNumber, sequence: a.sequence };
    } catch {
      return undefined;
    }
  }
  async minGasPrice() {
    return '0.1';
  }
  async simulate(tx: Uint8Array) {
    const out = this.chain.app.simulate(tx);
    if (out.code !== 0) throw new ChainError(out.codespace, out.code, out.log);
    return out.gasUsed;
  }
  async broadcastSync(tx: Uint8Array): Promise<BroadcastResult> {
    this.broadcasts++;
    const r = this.chain.checkTx(tx);
    if (r.code === 0) this.mempool.push(tx);
    const hash = createHash('sha256').update(tx).digest('hex').toUpperCase();
    return { code: r.code, codespace: r.codespace, log: r.log, hash };
  }
  async commit() {
    const res = await this.chain.block(this.mempool.splice(0));
    for (const r of res.txResults) assert.equal(r.code, 0, r.log);
    return res;
  }
}

describe('API node broadcaster', () => {
  let chain: TestChain;
  let rpc: InProcessChain;
  before(async () => {
    chain = await TestChain.create({ accounts: 3, seed: 'broadcaster' });
    rpc = new InProcessChain(chain);
  });
  after(async () => {
    await chain.close();
  });

  it('packs submissions made together into few txs, bounded by maxMsgsPerTx', async () => {
    const [op, dest] = chain.keys as [(typeof chain.keys)[0], (typeof chain.keys)[0]];
    const sent: number[] = [];
    const b = new Broadcaster({
      chain: rpc,
      privateKey: op.secret,
      maxMsgsPerTx: 10,
      onSent: (_r, n) => sent.push(n),
    });
    const before = balanceOf(chain, dest.address);
    const results = await Promise.all(
      Array.from({ length: 25 }, () => b.submit([sendMsg(op.address, dest.address, 7n)])),
    );
    assert.deepEqual(sent, [10, 10, 5]);
    assert.equal(new Set(results.map((r) => r.hash)).size, 3);
    const block = await rpc.commit();
    assert.equal(block.txResults.length, 3);
    assert.equal(balanceOf(chain, dest.address) - before, 25n * 7n);
    assert.equal(accountOf(chain, op.address).sequence, 3n);
    assert.equal(b.nextSequence, 3n);
    await assert.rejects(
      b.submit(Array.from({ length: 11 }, () => sendMsg(op.address, dest.address, 1n))),
      /1 … 10 msgs/,
    );
  });

  it('an `alone` submission (a fraud proof) leaves in a tx of its own', async () => {
    const [op, dest] = chain.keys as [(typeof chain.keys)[0], (typeof chain.keys)[0]];
    const sent: number[] = [];
    const b = new Broadcaster({ chain: rpc, privateKey: op.secret, onSent: (_r, n) => sent.push(n) });
    const send = (alone: boolean) => b.submit([sendMsg(op.address, dest.address, 1n)], 0n, { alone });
    await Promise.all([
      send(false),
      send(false),
      send(true),
      send(false),
      send(true),
      send(true),
      send(false),
    ]);
    // [F F] [A] [F] [A] [A] [F]: an alone one never shares, the others still pack.
    assert.deepEqual(sent, [2, 1, 1, 1, 1, 1]);
    await rpc.commit();
  });

  it('resyncs and re-signs after its sequence was used behind its back (sdk 32)', async () => {
    const [, dest, op] = chain.keys as [
      (typeof chain.keys)[0],
      (typeof chain.keys)[0],
      (typeof chain.keys)[0],
    ];
    const errors: Error[] = [];
    const b = new Broadcaster({ chain: rpc, privateKey: op.secret, onError: (e) => errors.push(e) });
    await b.submit([sendMsg(op.address, dest.address, 1n)]); // learns sequence 0, sends it
    await rpc.commit();
    // Another process signs with the same key at the sequence the broadcaster holds next.
    const acct = accountOf(chain, op.address);
    for (let i = 0n; i < 2n; i++) {
      const tx = signTx(op, {
        msgs: [sendMsg(op.address, dest.address, 2n)],
        sequence: acct.sequence + i,
        accountNumber: acct.accountNumber,
      });
      assert.equal(chain.checkTx(tx).code, 0);
      rpc.mempool.push(tx);
    }
    await rpc.commit();
    const r = await b.submit([sendMsg(op.address, dest.address, 3n)]);
    assert.equal(r.code, 0);
    assert.ok(
      errors.some((e) => e instanceof ChainError && e.code === 32),
      `a sequence mismatch was seen: ${errors.map(String).join('; ')}`,
    );
    await rpc.commit();
    assert.equal(accountOf(chain, op.address).sequence, acct.sequence + 3n);
    assert.equal(b.nextSequence, acct.sequence + 3n);
  });

  it('re-signs when CheckTx (not the simulation) answers sdk 32, and never reuses a sequence', async () => {
    const [op, dest] = chain.keys as [(typeof chain.keys)[0], (typeof chain.keys)[0]];
    const seen: bigint[] = [];
    let refusals = 1;
    const flaky: TxChain = {
      chainId: () => rpc.chainId(),
      account: (a) => rpc.account(a),
      minGasPrice: () => rpc.minGasPrice(),
      simulate: (tx) => rpc.simulate(tx),
      broadcastSync: async (tx) => {
        const { authInfoBytes } = TxRaw.decode(tx);
        seen.push(AuthInfo.decode(authInfoBytes).signerInfos[0]!.sequence);
        // A mempool that lost track: the first tx is refused, naming a stale expectation.
        if (refusals-- > 0)
          return {
            code: 32,
            codespace: 'sdk',
            log: 'account sequence mismatch, expected 999, got 0',
            hash: '',
          };
        return rpc.broadcastSync(tx);
      },
    };
    const b = new Broadcaster({ chain: flaky, privateKey: op.secret });
    const start = accountOf(chain, op.address).sequence;
    const results = await Promise.all([
      b.submit([sendMsg(op.address, dest.address, 1n)]),
      b.submit([sendMsg(op.address, dest.address, 1n)]),
    ]);
    assert.equal(results.length, 2);
    const more = await b.submit([sendMsg(op.address, dest.address, 1n)]);
    assert.equal(more.code, 0);
    await rpc.commit();
    // start (refused by CheckTx) → 999 from the stale hint, which the simulation refuses naming
    // the real one → start again (accepted) → start + 1; the two packed submissions were one tx.
    assert.deepEqual(seen, [start, start, start + 1n]);
    assert.equal(results[0]!.hash, results[1]!.hash);
    assert.equal(accountOf(chain, op.address).sequence, start + 2n);
  });

  it('gives up after a bounded number of sequence retries', async () => {
    const [op, dest] = chain.keys as [(typeof chain.keys)[0], (typeof chain.keys)[0]];
    let simulations = 0;
    const stubborn: TxChain = {
      chainId: () => rpc.chainId(),
      account: (a) => rpc.account(a),
      minGasPrice: () => rpc.minGasPrice(),
      simulate: async () => {
        simulations++;
        throw new ChainError('sdk', 32, 'account sequence mismatch, expected 99, got 98');
      },
      broadcastSync: (tx) => rpc.broadcastSync(tx),
    };
    const b = new Broadcaster({ chain: stubborn, privateKey: op.secret, maxSequenceRetries: 3 });
    await assert.rejects(b.submit([sendMsg(op.address, dest.address, 1n)]), (e: unknown) => {
      assert.ok(e instanceof ChainError && e.code === 32);
      return true;
    });
    assert.equal(simulations, 4);
  });

  it('one refused submission fails alone; the others packed with it still go', async () => {
    const [op, dest] = chain.keys as [(typeof chain.keys)[0], (typeof chain.keys)[0]];
    const b = new Broadcaster({ chain: rpc, privateKey: op.secret });
    const good = [
      b.submit([sendMsg(op.address, dest.address, 5n)]),
      b.submit([sendMsg(op.address, dest.address, 6n)]),
    ];
    const bad = b.submit([sendMsg(op.address, dest.address, 10n ** 30n)]); // more than it has
    const results = await Promise.allSettled([...good, bad]);
    assert.equal(results[0]!.status, 'fulfilled');
    assert.equal(results[1]!.status, 'fulfilled');
    assert.equal(results[2]!.status, 'rejected');
    assert.ok((results[2] as PromiseRejectedResult).reason instanceof ChainError);
    await rpc.commit();
  });

  it('bisects a refused batch: the bad msgs fail alone, the rest leave in few txs', async () => {
    const [op, dest] = chain.keys as [(typeof chain.keys)[0], (typeof chain.keys)[0]];
    let txs = 0;
    const b = new Broadcaster({ chain: rpc, privateKey: op.secret, maxMsgsPerTx: 40, onSent: () => txs++ });
    const before = balanceOf(chain, dest.address);
    const subs = Array.from({ length: 40 }, (_, i) =>
      b.submit([sendMsg(op.address, dest.address, i === 13 || i === 31 ? 10n ** 30n : 1n)]),
    );
    const results = await Promise.allSettled(subs);
    for (const [i, r] of results.entries())
      assert.equal(r.status, i === 13 || i === 31 ? 'rejected' : 'fulfilled', `#${i}`);
    assert.ok(txs <= 12, `${txs} txs for 38 good msgs`);
    await rpc.commit();
    assert.equal(balanceOf(chain, dest.address) - before, 38n);
  });

  it('bounds the bytes of a tx as well as its msgs', async () => {
    const [op, dest] = chain.keys as [(typeof chain.keys)[0], (typeof chain.keys)[0]];
    const sent: number[] = [];
    const one = sendMsg(op.address, dest.address, 1n);
    const size = one.typeUrl.length + one.value.length;
    const b = new Broadcaster({
      chain: rpc,
      privateKey: op.secret,
      maxTxBytes: size * 4,
      onSent: (_r, n) => sent.push(n),
    });
    await Promise.all(Array.from({ length: 10 }, () => b.submit([sendMsg(op.address, dest.address, 1n)])));
    assert.deepEqual(sent, [4, 4, 2]);
    await assert.rejects(b.submit(Array.from({ length: 5 }, () => one)), RangeError);
    await rpc.commit();
  });

  it('reads the expected sequence out of the SDK message', () => {
    assert.equal(
      expectedSequence('account sequence mismatch, expected 7, got 5: incorrect account sequence'),
      7n,
    );
    assert.equal(expectedSequence('something else'), undefined);
  });
});
