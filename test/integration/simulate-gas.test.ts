// Gas estimation as wallets do it (CosmJS fee "auto"): simulate with an empty fee and an empty
// signature, multiply by 1.3–1.4, then deliver with a real fee. The estimate must include the fee
// transfer's store gas, or small txs (a vote, a collateral deposit) run out of gas under the
// wallet's margin. Simulated gas must track delivered gas within 1%.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { accountOf, sendMsg, signTx, TestChain } from './tx-harness.js';

describe('simulate gas with an empty fee', () => {
  let chain: TestChain;
  after(async () => chain?.close());

  it('estimates within 1% of the gas the same tx uses when delivered with a fee', async () => {
    chain = await TestChain.create({ accounts: 3 });
    const [a, b] = chain.keys as [(typeof chain.keys)[0], (typeof chain.keys)[0]];
    const acc = accountOf(chain, a.address);
    const msgs = [sendMsg(a.address, b.address, 123n)];
    const simBytes = signTx(a, {
      msgs,
      sequence: acc.sequence,
      accountNumber: acc.accountNumber,
      gas: 0n,
      fee: 0n,
      unsigned: true,
    });
    const sim = chain.app.simulate(simBytes);
    assert.equal(sim.code, 0, sim.log);
    const gas = (sim.gasUsed * 14n) / 10n;
    const real = signTx(a, { msgs, sequence: acc.sequence, accountNumber: acc.accountNumber, gas });
    const res = await chain.block([real]);
    const delivered = res.txResults[0]!;
    assert.equal(delivered.code, 0, delivered.log);
    const diff = Number(delivered.gasUsed - sim.gasUsed) / Number(delivered.gasUsed);
    assert.ok(Math.abs(diff) <= 0.01, `simulated ${sim.gasUsed} vs delivered ${delivered.gasUsed}`);
  });
});
