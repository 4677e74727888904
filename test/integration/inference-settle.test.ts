// x/inference through signed txs in process: Start→Finish and Finish→Start settle to the ngonka,
// expiry refunds in full and counts a miss, key grants are enforced (limit per epoch, revocation,
// the granted TA), signed requests are checked (window, signature, replay), and the gas of the
// msgs the API node sends is pinned (gas is consensus data).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { InferenceStatus } from '../../proto/gen/gonka/inference/v1/inference.js';
import { inferenceSeed } from '../../x/inference/seed.js';
import {
  apiKeyOf,
  DEV,
  deliver,
  devSignature,
  ESCROW_ADDRESS,
  EXEC,
  FEE,
  finishMsg,
  inferenceAppState,
  inferenceOf,
  nextBlockMs,
  OTHER,
  PRICE,
  registerKeyMsg,
  revokeKeyMsg,
  startMsg,
  statsOf,
  TA,
} from './inference-helpers.js';
import { balanceOf, TestChain } from './tx-harness.js';

const {
  INFERENCE_STATUS_STARTED,
  INFERENCE_STATUS_FINISHED_FIRST,
  INFERENCE_STATUS_COMPLETED,
  INFERENCE_STATUS_EXPIRED,
} = InferenceStatus;

function ok(r: { code: number; log: string }) {
  assert.equal(r.code, 0, r.log);
}

function fails(r: { code: number; codespace: string; log: string }, codespace: string, code: number) {
  assert.equal(`${r.codespace}:${r.code}`, `${codespace}:${code}`, r.log);
}

describe('x/inference escrow and settlement', () => {
  let chain: TestChain;
  let ta: string;
  let ex: string;
  let dev: string;
  const SECRET = 'sk-dev-1';

  before(async () => {
    chain = await TestChain.create({
      accounts: 5,
      seed: 'inference',
      appState: (s) => inferenceAppState(chainKeys(s))(s),
    });
    ta = chain.keys[TA]!.address;
    ex = chain.keys[EXEC]!.address;
    dev = chain.keys[DEV]!.address;
    ok(await deliver(chain, DEV, [registerKeyMsg(dev, SECRET, ta, 10_000n)]));
  });
  after(() => chain.close());

  // TestChain.create builds the keys before calling appState; it passes the state only, so the
  // keys are re-derived the same way (seed 'inference').
  function chainKeys(s: Record<string, any>) {
    return (s.bank.balances as { address: string }[]).map((b) => ({ address: b.address }));
  }

  it('Start then Finish: escrow, then cost to the executor and the rest back', async () => {
    const dev0 = balanceOf(chain, dev);
    const ex0 = balanceOf(chain, ex);
    const start = await deliver(chain, TA, [
      startMsg({ id: 'inf-a', ta, dev, executor: ex, prompt: 10n, max: 100n, secret: SECRET }),
    ]);
    ok(start);
    assert.equal(balanceOf(chain, dev), dev0 - 110n * PRICE);
    assert.equal(balanceOf(chain, ESCROW_ADDRESS), 110n * PRICE);
    const open = inferenceOf(chain, 'inf-a');
    assert.equal(open.status, INFERENCE_STATUS_STARTED);
    assert.equal(open.seed, inferenceSeed('inf-a'));
    assert.equal(open.price, PRICE.toString());
    assert.equal(apiKeyOf(chain, SECRET).spent, (110n * PRICE).toString());

    ok(
      await deliver(chain, EXEC, [
        finishMsg({ id: 'inf-a', ta, executor: ex, prompt: 10n, completion: 40n }),
      ]),
    );
    assert.equal(balanceOf(chain, dev), dev0 - 50n * PRICE);
    assert.equal(balanceOf(chain, ex) - ex0, 50n * PRICE - FEE);
    assert.equal(balanceOf(chain, ESCROW_ADDRESS), 0n);
    const done = inferenceOf(chain, 'inf-a');
    assert.equal(done.status, INFERENCE_STATUS_COMPLETED);
    assert.equal(done.cost, (50n * PRICE).toString());
    assert.equal(done.completionTokens, 40n);
    assert.equal(apiKeyOf(chain, SECRET).spent, (50n * PRICE).toString());
    const s = statsOf(chain, ex);
    assert.equal(s.completed, 1n);
    assert.equal(s.earned, (50n * PRICE).toString());
  });

  it('Finish then Start: settles the same way at the price the Finish locked', async () => {
    const dev0 = balanceOf(chain, dev);
    const ex0 = balanceOf(chain, ex);
    ok(
      await deliver(chain, EXEC, [finishMsg({ id: 'inf-b', ta, executor: ex, prompt: 5n, completion: 20n })]),
    );
    assert.equal(inferenceOf(chain, 'inf-b').status, INFERENCE_STATUS_FINISHED_FIRST);
    assert.equal(balanceOf(chain, dev), dev0);
    ok(
      await deliver(chain, TA, [
        startMsg({ id: 'inf-b', ta, dev, executor: ex, prompt: 5n, max: 50n, secret: SECRET }),
      ]),
    );
    assert.equal(balanceOf(chain, dev), dev0 - 25n * PRICE);
    assert.equal(balanceOf(chain, ex) - ex0, 25n * PRICE - FEE);
    assert.equal(balanceOf(chain, ESCROW_ADDRESS), 0n);
    assert.equal(inferenceOf(chain, 'inf-b').status, INFERENCE_STATUS_COMPLETED);
  });

  it("a Finish-first by another participant cannot squat the TA's id", async () => {
    const squatter = chain.keys[TA]!.address; // a participant, not the chosen executor
    ok(
      await deliver(chain, TA, [
        finishMsg({ id: 'inf-sq', ta, executor: squatter, prompt: 5n, completion: 5n }),
      ]),
    );
    ok(
      await deliver(chain, TA, [
        startMsg({ id: 'inf-sq', ta, dev, executor: ex, prompt: 5n, max: 10n, secret: SECRET }),
      ]),
    );
    const inf = inferenceOf(chain, 'inf-sq');
    assert.equal(inf.status, INFERENCE_STATUS_STARTED);
    assert.equal(inf.executor, ex);
    ok(
      await deliver(chain, EXEC, [finishMsg({ id: 'inf-sq', ta, executor: ex, prompt: 5n, completion: 5n })]),
    );
    assert.equal(inferenceOf(chain, 'inf-sq').status, INFERENCE_STATUS_COMPLETED);
  });

  it('Start and Finish in one block (two txs) settle', async () => {
    const dev0 = balanceOf(chain, dev);
    const { accountOf, signTx } = await import('./tx-harness.js');
    const t = accountOf(chain, ta);
    const e = accountOf(chain, ex);
    const res = await chain.block([
      signTx(chain.keys[EXEC]!, {
        msgs: [finishMsg({ id: 'inf-c', ta, executor: ex, prompt: 3n, completion: 3n })],
        sequence: e.sequence,
        accountNumber: e.accountNumber,
        gas: 2_000_000n,
      }),
      signTx(chain.keys[TA]!, {
        msgs: [startMsg({ id: 'inf-c', ta, dev, executor: ex, prompt: 3n, max: 9n, secret: SECRET })],
        sequence: t.sequence,
        accountNumber: t.accountNumber,
        gas: 2_000_000n,
      }),
    ]);
    for (const r of res.txResults) ok(r);
    assert.equal(balanceOf(chain, dev), dev0 - 6n * PRICE);
  });

  it('expiry: a Start never finished is refunded in full and the executor misses one', async () => {
    const dev0 = balanceOf(chain, dev);
    const missed0 = statsOf(chain, ex).missed;
    const spent0 = BigInt(apiKeyOf(chain, SECRET).spent);
    ok(
      await deliver(chain, TA, [
        startMsg({ id: 'inf-x', ta, dev, executor: ex, prompt: 10n, max: 10n, secret: SECRET }),
      ]),
    );
    ok(
      await deliver(chain, EXEC, [finishMsg({ id: 'inf-y', ta, executor: ex, prompt: 10n, completion: 1n })]),
    );
    const inf = inferenceOf(chain, 'inf-x');
    assert.equal(balanceOf(chain, dev), dev0 - 20n * PRICE);
    assert.equal(BigInt(apiKeyOf(chain, SECRET).spent), spent0 + 20n * PRICE);
    while (chain.height < inf.expiryHeight) await chain.block([]);
    assert.equal(inferenceOf(chain, 'inf-x').status, INFERENCE_STATUS_EXPIRED);
    assert.equal(balanceOf(chain, dev), dev0);
    assert.equal(balanceOf(chain, ESCROW_ADDRESS), 0n);
    assert.equal(statsOf(chain, ex).missed, missed0 + 1n);
    assert.equal(BigInt(apiKeyOf(chain, SECRET).spent), spent0);
    await chain.block([]);
    assert.equal(inferenceOf(chain, 'inf-y').status, INFERENCE_STATUS_EXPIRED, 'a lone Finish just expires');
    assert.equal(statsOf(chain, ex).missed, missed0 + 1n);
    // A settled id stays refused.
    fails(
      await deliver(chain, TA, [
        startMsg({ id: 'inf-x', ta, dev, executor: ex, prompt: 1n, max: 1n, secret: SECRET }),
      ]),
      'inference',
      18,
    );
  });

  it('a key cannot escrow past its epoch limit, and a revoked key fails at once', async () => {
    const owner = chain.keys[OTHER]!.address;
    ok(await deliver(chain, OTHER, [registerKeyMsg(owner, 'sk-small', ta, 100n)]));
    ok(
      await deliver(chain, TA, [
        startMsg({ id: 'inf-l1', ta, dev: owner, executor: ex, prompt: 5n, max: 5n, secret: 'sk-small' }),
      ]),
    );
    fails(
      await deliver(chain, TA, [
        startMsg({ id: 'inf-l2', ta, dev: owner, executor: ex, prompt: 5n, max: 5n, secret: 'sk-small' }),
      ]),
      'inference',
      14,
    );
    // Settling refunds the unused part of the escrow to the key's budget: 70 − 2×7 = 56 left.
    ok(
      await deliver(chain, EXEC, [finishMsg({ id: 'inf-l1', ta, executor: ex, prompt: 5n, completion: 0n })]),
    );
    ok(
      await deliver(chain, TA, [
        startMsg({ id: 'inf-l3', ta, dev: owner, executor: ex, prompt: 4n, max: 4n, secret: 'sk-small' }),
      ]),
    );
    ok(await deliver(chain, OTHER, [revokeKeyMsg(owner, 'sk-small')]));
    fails(
      await deliver(chain, TA, [
        startMsg({ id: 'inf-l4', ta, dev: owner, executor: ex, prompt: 1n, max: 1n, secret: 'sk-small' }),
      ]),
      'inference',
      10,
    );
    fails(await deliver(chain, OTHER, [revokeKeyMsg(owner, 'sk-small')]), 'inference', 10);
    fails(await deliver(chain, OTHER, [registerKeyMsg(owner, 'sk-small', ta, 100n)]), 'inference', 8);
  });

  it('signed requests: valid once; replay, stale timestamp, wrong signer and bad signature refused', async () => {
    const devKey = chain.keys[DEV]!;
    const sig = devSignature(devKey, '{"messages":[]}', nextBlockMs(chain), ta);
    const dev0 = balanceOf(chain, dev);
    ok(
      await deliver(chain, TA, [
        startMsg({ id: 'inf-s1', ta, dev, executor: ex, prompt: 2n, max: 2n, devSig: sig }),
      ]),
    );
    assert.equal(balanceOf(chain, dev), dev0 - 4n * PRICE);
    fails(
      await deliver(chain, TA, [
        startMsg({ id: 'inf-s2', ta, dev, executor: ex, prompt: 2n, max: 2n, devSig: sig }),
      ]),
      'inference',
      17,
    );
    const stale = devSignature(devKey, 'x', nextBlockMs(chain) - 61_000n, ta);
    fails(
      await deliver(chain, TA, [
        startMsg({ id: 'inf-s3', ta, dev, executor: ex, prompt: 2n, max: 2n, devSig: stale }),
      ]),
      'inference',
      16,
    );
    const other = devSignature(chain.keys[OTHER]!, 'y', nextBlockMs(chain), ta);
    fails(
      await deliver(chain, TA, [
        startMsg({ id: 'inf-s4', ta, dev, executor: ex, prompt: 2n, max: 2n, devSig: other }),
      ]),
      'inference',
      15,
    );
    const forged = {
      ...devSignature(devKey, 'z', nextBlockMs(chain), ta),
      bodyHash: new Uint8Array(32).fill(9),
    };
    fails(
      await deliver(chain, TA, [
        startMsg({ id: 'inf-s5', ta, dev, executor: ex, prompt: 2n, max: 2n, devSig: forged }),
      ]),
      'inference',
      15,
    );
    // Signed for another TA: the bytes differ, so the signature does not verify.
    const forOther = devSignature(devKey, 'w', nextBlockMs(chain), chain.keys[OTHER]!.address);
    fails(
      await deliver(chain, TA, [
        startMsg({ id: 'inf-s6', ta, dev, executor: ex, prompt: 2n, max: 2n, devSig: forOther }),
      ]),
      'inference',
      15,
    );
  });

  it('each refusal has its own code', async () => {
    const s = (over: Partial<Parameters<typeof startMsg>[0]>) =>
      startMsg({ id: 'inf-e', ta, dev, executor: ex, prompt: 10n, max: 10n, secret: SECRET, ...over });
    fails(await deliver(chain, TA, [s({ model: 'no/such-model' })]), 'inference', 5);
    fails(await deliver(chain, TA, [s({ secret: 'sk-unknown' })]), 'inference', 9);
    fails(await deliver(chain, OTHER, [s({ ta: chain.keys[OTHER]!.address })]), 'inference', 13);
    fails(await deliver(chain, TA, [s({ dev: chain.keys[OTHER]!.address })]), 'inference', 11);
    fails(await deliver(chain, TA, [s({ prompt: 1000n, max: 1049n })]), 'inference', 22);
    fails(await deliver(chain, TA, [s({ prompt: 30_000n, max: 3000n })]), 'inference', 23);
    fails(await deliver(chain, TA, [s({ executor: chain.keys[OTHER]!.address })]), 'inference', 24);
    fails(await deliver(chain, TA, [s({ secret: undefined })]), 'inference', 26);
    fails(await deliver(chain, TA, [s({ id: 'bad id!' })]), 'inference', 19);
    ok(await deliver(chain, TA, [s({})]));
    fails(await deliver(chain, TA, [s({})]), 'inference', 18);
    fails(
      await deliver(chain, EXEC, [finishMsg({ id: 'inf-e', ta, executor: ex, prompt: 9n, completion: 1n })]),
      'inference',
      20,
    );
    fails(
      await deliver(chain, EXEC, [
        finishMsg({ id: 'inf-e', ta, executor: ex, prompt: 10n, completion: 11n }),
      ]),
      'inference',
      25,
    );
    fails(
      await deliver(chain, OTHER, [
        finishMsg({ id: 'inf-e', ta, executor: chain.keys[OTHER]!.address, prompt: 10n, completion: 1n }),
      ]),
      'inference',
      24,
    );
    ok(
      await deliver(chain, EXEC, [
        finishMsg({ id: 'inf-e', ta, executor: ex, prompt: 10n, completion: 10n }),
      ]),
    );
    fails(
      await deliver(chain, EXEC, [
        finishMsg({ id: 'inf-e', ta, executor: ex, prompt: 10n, completion: 10n }),
      ]),
      'inference',
      18,
    );
  });

  it('a developer without the escrow gets the SDK insufficient funds code', async () => {
    const poor = chain.keys[4]!.address;
    ok(await deliver(chain, 4, [registerKeyMsg(poor, 'sk-poor', ta, 10n ** 20n)]));
    const { sendMsg } = await import('./tx-harness.js');
    ok(await deliver(chain, 4, [sendMsg(poor, dev, balanceOf(chain, poor) - FEE - 1_000n)]));
    fails(
      await deliver(chain, TA, [
        startMsg({
          id: 'inf-poor',
          ta,
          dev: poor,
          executor: ex,
          prompt: 1000n,
          max: 1000n,
          secret: 'sk-poor',
        }),
      ]),
      'sdk',
      5,
    );
  });
});
