// Supply invariant (issue 3 acceptance 6) and gas determinism (acceptance 5), in process.
// A seeded random run of sends and multisends (some failing for lack of funds) keeps
// total supply = Σ balances and matches a plain model of the balances; the same blocks replayed on
// a fresh app with an empty signature cache give the same gas_used, results and app hashes.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { sized } from '../profile.js';
import { accountOf, balanceOf, DENOM, multiSendMsg, prng, sendMsg, signTx, TestChain } from './tx-harness.js';

const ACCOUNTS = 12;
const START = 5_000_000n;

describe('bank: supply invariant and deterministic gas', () => {
  const chains: TestChain[] = [];
  after(async () => {
    for (const c of chains) await c.close();
  });

  it('keeps supply = Σ balances over 1,000 seeded sends/multisends, and replays identically', async () => {
    const total = sized(1000, 1000);
    const rnd = prng(42);
    const chain = await TestChain.create({ accounts: ACCOUNTS, balance: START });
    chains.push(chain);
    const keys = chain.keys;
    const model = new Map(keys.map((k) => [k.address, START]));
    const seq = keys.map((k) => accountOf(chain, k.address).sequence);
    const num = keys.map((k) => accountOf(chain, k.address).accountNumber);
    const blocks: Uint8Array[][] = [];
    const results: { code: number; gasUsed: bigint; data: string }[][] = [];
    const appHashes: string[] = [];
    const GAS = 150_000n;
    const FEE = 15_000n;
    for (let done = 0; done < total; ) {
      const txs: Uint8Array[] = [];
      const senders = new Set<number>();
      for (let j = 0; j < 50 && done < total; j++) {
        const from = rnd(ACCOUNTS);
        // One tx per sender per block keeps the model simple; a sender that cannot pay the fee would
        // fail in the ante handler (no sequence increment), so it sits this block out.
        if (senders.has(from) || model.get(keys[from]!.address)! < FEE) continue;
        senders.add(from);
        const fromAddr = keys[from]!.address;
        // Amounts sometimes exceed the balance: those txs fail with code 5 and pay only the fee.
        const amount = BigInt(1 + rnd(1_500_000));
        const multi = rnd(3) === 0;
        const outputs: [string, bigint][] = multi
          ? [
              [keys[rnd(ACCOUNTS)]!.address, amount / 2n + 1n],
              [keys[rnd(ACCOUNTS)]!.address, amount / 3n + 1n],
            ]
          : [[keys[rnd(ACCOUNTS)]!.address, amount]];
        const msg = multi ? multiSendMsg(fromAddr, outputs) : sendMsg(fromAddr, outputs[0]![0], amount);
        txs.push(
          signTx(keys[from]!, {
            msgs: [msg],
            sequence: seq[from]!,
            accountNumber: num[from]!,
            gas: GAS,
            fee: FEE,
          }),
        );
        seq[from]! += 1n;
        done++;
        const bal = model.get(fromAddr)! - FEE;
        const out = outputs.reduce((s, [, a]) => s + a, 0n);
        model.set(fromAddr, bal);
        if (out <= bal) {
          model.set(fromAddr, bal - out);
          for (const [to, a] of outputs) model.set(to, model.get(to)! + a);
        }
      }
      const res = await chain.block(txs);
      blocks.push(txs);
      results.push(
        res.txResults.map((r) => ({
          code: r.code,
          gasUsed: r.gasUsed,
          data: Buffer.from(r.data).toString('hex'),
        })),
      );
      appHashes.push(Buffer.from(res.appHash).toString('hex'));
      for (const r of res.txResults)
        assert.ok(r.code === 0 || r.code === 5, `unexpected code ${r.code}: ${r.log}`);
    }
    assert.deepEqual(chain.app.checkInvariants(), []);
    for (const k of keys)
      assert.equal(balanceOf(chain, k.address), model.get(k.address), `balance of ${k.address}`);
    const codes = results.flat().map((r) => r.code);
    assert.equal(codes.length, total);
    assert.ok(codes.includes(0) && codes.includes(5), 'the run mixes successes and failures');

    // Replay on a fresh app: signature cache empty, same gas, results and app hashes.
    const replica = await TestChain.create({ accounts: ACCOUNTS, balance: START });
    chains.push(replica);
    for (const [i, txs] of blocks.entries()) {
      const res = await replica.block(txs);
      assert.deepEqual(
        res.txResults.map((r) => ({
          code: r.code,
          gasUsed: r.gasUsed,
          data: Buffer.from(r.data).toString('hex'),
        })),
        results[i],
        `block ${i} results`,
      );
      assert.equal(Buffer.from(res.appHash).toString('hex'), appHashes[i], `block ${i} app hash`);
    }
    // And the warm-cache path: on the first chain these txs went through FinalizeBlock only; here we
    // warm a third app's cache through CheckTx first, then deliver: gas must still match.
    const warm = await TestChain.create({ accounts: ACCOUNTS, balance: START });
    chains.push(warm);
    for (const [i, txs] of blocks.slice(0, 3).entries()) {
      for (const t of txs) assert.equal(warm.checkTx(t).code, 0);
      const res = await warm.block(txs);
      assert.deepEqual(
        res.txResults.map((r) => r.gasUsed),
        results[i]!.map((r) => r.gasUsed),
        `warm-cache gas, block ${i}`,
      );
      assert.equal(Buffer.from(res.appHash).toString('hex'), appHashes[i]);
    }
    assert.equal(DENOM, 'ngonka');
  });
});
