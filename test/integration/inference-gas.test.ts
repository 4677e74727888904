// Gas of the x/inference msgs is consensus data: these pins fail when a store layout, an
// encoding or a charge changes. Each tx carries one msg; the figures include the ante handler's
// share (signature, fee), as a wallet's estimate would.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DEV,
  deliver,
  devSignature,
  EXEC,
  finishMsg,
  inferenceAppState,
  nextBlockMs,
  registerKeyMsg,
  revokeKeyMsg,
  startMsg,
  TA,
} from './inference-helpers.js';
import { TestChain } from './tx-harness.js';

/** gas_used per tx, in the order the test sends them. */
const PINNED: Record<string, bigint> = {
  registerKey: 48_433n,
  startWithKey: 83_911n,
  finishAfterStart: 85_470n,
  finishFirst: 48_989n,
  startAfterFinish: 122_438n,
  startSigned: 83_826n,
  revokeKey: 35_676n,
};

describe('x/inference gas', () => {
  let chain: TestChain;
  before(async () => {
    chain = await TestChain.create({
      accounts: 4,
      seed: 'inference-gas',
      appState: (s) =>
        inferenceAppState((s.bank.balances as { address: string }[]).map((b) => ({ address: b.address })))(s),
    });
  });
  after(() => chain.close());

  it('each msg uses its pinned gas', async () => {
    const [ta, ex, dev] = [TA, EXEC, DEV].map((i) => chain.keys[i]!.address) as [string, string, string];
    const used: Record<string, bigint> = {};
    const step = async (name: string, i: number, m: Parameters<typeof deliver>[2][number]) => {
      const r = await deliver(chain, i, [m]);
      assert.equal(r.code, 0, `${name}: ${r.log}`);
      used[name] = r.gasUsed;
    };
    await step('registerKey', DEV, registerKeyMsg(dev, 'sk-gas', ta, 10n ** 12n));
    await step(
      'startWithKey',
      TA,
      startMsg({ id: 'inf-g1', ta, dev, executor: ex, prompt: 10n, max: 100n, secret: 'sk-gas' }),
    );
    await step(
      'finishAfterStart',
      EXEC,
      finishMsg({ id: 'inf-g1', ta, executor: ex, prompt: 10n, completion: 50n }),
    );
    await step(
      'finishFirst',
      EXEC,
      finishMsg({ id: 'inf-g2', ta, executor: ex, prompt: 10n, completion: 50n }),
    );
    await step(
      'startAfterFinish',
      TA,
      startMsg({ id: 'inf-g2', ta, dev, executor: ex, prompt: 10n, max: 100n, secret: 'sk-gas' }),
    );
    const sig = devSignature(chain.keys[DEV]!, '{}', nextBlockMs(chain), ta);
    await step(
      'startSigned',
      TA,
      startMsg({ id: 'inf-g3', ta, dev, executor: ex, prompt: 10n, max: 100n, devSig: sig }),
    );
    await step('revokeKey', DEV, revokeKeyMsg(dev, 'sk-gas'));
    assert.deepEqual(used, PINNED);
  });
});
