// Golden consensus vectors (issue 10, acceptance 5): replays the checked-in recording
// (test/golden/consensus-v1.json, made by `npm run golden:record`) into a fresh production app
// through InitChain / FinalizeBlock / Commit and compares every consensus-visible field the
// recording holds — ProcessProposal's answer; per tx code, codespace, gas_wanted, gas_used, TxMsgData and events; per block
// events, validator updates, consensus param updates and the app hash. Unlike the determinism
// tests, which compare two runs of today's code, this compares today's code with the recorded one:
// a changed gas cost, stored encoding or validation rule fails here.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RequestInitChain } from 'cosmjs-types/tendermint/abci/types';
import {
  blockRecord,
  firstDifference,
  GOLDEN_FILE,
  GoldenApp,
  type GoldenRecording,
  initRecord,
  RERECORD_HINT,
  readRecording,
  requestOf,
} from '../golden/golden-chain.js';

const show = (v: unknown) => {
  const s = JSON.stringify(v);
  return s && s.length > 600 ? `${s.slice(0, 600)}…` : s;
};

describe('golden consensus vectors', () => {
  let rec: GoldenRecording;
  let golden: GoldenApp;
  before(async () => {
    rec = readRecording();
    golden = await GoldenApp.open();
  });
  after(async () => golden?.close());

  it(`replays ${GOLDEN_FILE.split('/').slice(-3).join('/')} with identical results`, async () => {
    assert.ok(rec.blocks.length >= 200, `the recording has ${rec.blocks.length} blocks; it must hold ≥ 200`);
    const fail = (where: string, d: { path: string; expected: unknown; actual: unknown }, extra = '') =>
      assert.fail(
        `${where}, field ${d.path}: expected ${show(d.expected)}, actual ${show(d.actual)}${extra}\n${RERECORD_HINT}`,
      );

    const initReq = RequestInitChain.decode(Buffer.from(rec.init_chain.request, 'base64'));
    const init = initRecord(initReq, golden.initChain(initReq));
    const di = firstDifference(rec.init_chain, init);
    if (di) fail('InitChain', di);

    for (const [i, expected] of rec.blocks.entries()) {
      const req = requestOf(expected);
      const rejected = (expected.rejected_proposals ?? []).map((txs) =>
        txs.map((t) => new Uint8Array(Buffer.from(t, 'base64'))),
      );
      for (const [j, txs] of rejected.entries()) {
        const status = golden.processProposal(req, txs);
        if (status !== 'REJECT')
          fail(`block ${i} (height ${expected.height}), rejected proposal ${j}`, {
            path: '.process_proposal',
            expected: 'REJECT',
            actual: status,
          });
      }
      const status = golden.processProposal(req, req.txs);
      const actual = blockRecord(req, await golden.finalizeAndCommit(req), true, status, rejected);
      // log texts are kept in the recording for readers only; they are not consensus data.
      const strip = (b: typeof expected) => ({
        ...b,
        tx_results: b.tx_results.map(({ log: _log, ...r }) => r),
      });
      const d = firstDifference(strip(expected), strip(actual));
      if (!d) continue;
      const tx = /^\.tx_results\[(\d+)\]/.exec(d.path);
      const where = tx
        ? `block ${i} (height ${expected.height}), tx ${tx[1]}`
        : `block ${i} (height ${expected.height})`;
      const logs = tx
        ? `\n(recorded log: ${show(expected.tx_results[Number(tx[1])]?.log ?? '')}; ` +
          `actual log: ${show(actual.tx_results[Number(tx[1])]?.log ?? '')})`
        : '';
      fail(where, d, logs);
    }
  });
});
