// Simulation (and CheckTx) run at the last committed block's time, not the genesis time: a module
// that reads the block time there — x/inference's signed-request window — must accept a
// fresh request however long the chain has run. Before the fix the check state kept the
// InitChain time, so on a testnet that had run longer than the window every signed request was
// refused in the API node's simulation ("timestamp outside the window"). Window 1 s, blocks 1 s apart here.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEV, devSignature, EXEC, inferenceAppState, startMsg, TA } from './inference-helpers.js';
import { accountOf, signTx, TestChain } from './tx-harness.js';

describe('simulation sees the committed block time', () => {
  let chain: TestChain;
  before(async () => {
    chain = await TestChain.create({
      accounts: 5,
      seed: 'check-block-time',
      appState: (s) =>
        inferenceAppState(
          (s.bank.balances as { address: string }[]).map((b) => ({ address: b.address })),
          (st) => {
            st.inference.params.signed_request_window_ms = '1000';
          },
        )(s),
    });
    for (let i = 0; i < 5; i++) await chain.block([]); // 5 s past genesis: 5 windows
  });
  after(() => chain.close());

  it("accepts a signed Start timestamped at the last block's time", () => {
    const ta = chain.keys[TA]!;
    const dev = chain.keys[DEV]!;
    const lastBlockMs = (1_700_000_000n + chain.height) * 1000n; // tx-harness block times
    const start = startMsg({
      id: 'inf-check-time',
      ta: ta.address,
      dev: dev.address,
      executor: chain.keys[EXEC]!.address,
      prompt: 3n,
      max: 3n,
      devSig: devSignature(dev, '{"messages":[]}', lastBlockMs, ta.address),
    });
    const acct = accountOf(chain, ta.address);
    const tx = signTx(ta, {
      msgs: [start],
      sequence: acct.sequence,
      accountNumber: acct.accountNumber,
      gas: 2_000_000n,
    });
    const sim = chain.app.simulate(tx);
    assert.equal(sim.code, 0, sim.log);
    const r = chain.checkTx(tx);
    assert.equal(r.code, 0, r.log);
  });
});
