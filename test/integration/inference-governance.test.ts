// x/inference under governance and its limits: a model registered by a passed proposal; the same
// msgs from any other signer refused (sdk 4); max_models, max_keys_per_owner and the per-block msg
// limit each refused with their own code; a model's price rising on-chain when a block reserves
// more than its band and falling back to its floor once idle; and the queries a client reads.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import {
  QueryApiKeysRequest,
  QueryApiKeysResponse,
  QueryInferencesRequest,
  QueryInferencesResponse,
  QueryModelRequest,
  QueryModelResponse,
  QueryModelsRequest,
  QueryModelsResponse,
} from '../../proto/gen/gonka/inference/v1/query.js';
import { MsgRegisterModel, MsgUpdateParams } from '../../proto/gen/gonka/inference/v1/tx.js';
import { typeUrl } from '../../proto/gonka/registry.js';
import { inferenceParams } from '../../x/inference/params.js';
import {
  advance,
  GOV_ADDRESS,
  govAppState,
  MIN_DEPOSIT,
  proposalIdOf,
  submitMsg,
  voteMsg,
  YES,
} from './gov-helpers.js';
import { deliver, finishMsg, MODEL, registerKeyMsg, sha, startMsg } from './inference-helpers.js';
import { accountOf, signTx, TestChain } from './tx-harness.js';

const msg = (
  codec: { $type: string; encode(m: any): { finish(): Uint8Array }; fromPartial(m: any): any },
  v: unknown,
): Any => ({
  typeUrl: typeUrl(codec),
  value: codec.encode(codec.fromPartial(v)).finish(),
});

const model = (id: string, over: Record<string, unknown> = {}) => ({
  id,
  artifactHash: sha(id),
  contextLength: 4096n,
  price: {
    initialPrice: '10',
    minPrice: '2',
    utilizationLow: '0.1',
    utilizationHigh: '0.5',
    elasticity: '1',
    maxChangePerBlock: '0.1',
    capacityTokensPerBlock: 1000n,
    windowBlocks: 2n,
  },
  validationThreshold: '0.8',
  pocClass: 1,
  ...over,
});

function fails(r: { code: number; codespace: string; log: string }, codespace: string, code: number) {
  assert.equal(`${r.codespace}:${r.code}`, `${codespace}:${code}`, r.log);
}

describe('x/inference governance, limits, pricing on chain and queries', () => {
  let chain: TestChain;
  let addrs: string[];
  before(async () => {
    chain = await TestChain.create({
      accounts: 5,
      seed: 'inference-gov',
      appState: (s) => {
        addrs = (s.bank.balances as { address: string }[]).map((b) => b.address);
        govAppState(addrs.map((address) => ({ address })))(s);
        s.inference = {
          params: {
            ...inferenceParamsToJsonFast(),
            max_models: 2,
            max_keys_per_owner: 2,
            max_inference_msgs_per_block: 3,
          },
          models: [],
        };
      },
    });
  });
  after(() => chain.close());

  it('RegisterModel and UpdateParams: governance only', async () => {
    const me = chain.keys[0]!.address;
    fails(
      await deliver(chain, 0, [msg(MsgRegisterModel, { authority: me, model: model('a/one') })]),
      'sdk',
      4,
    );
    fails(
      await deliver(chain, 0, [msg(MsgUpdateParams, { authority: me, params: inferenceParams('fast') })]),
      'sdk',
      4,
    );
    // A bad model is refused before any proposal could carry it.
    fails(
      await deliver(chain, 0, [
        msg(MsgRegisterModel, { authority: me, model: model('a/bad', { contextLength: 0n }) }),
      ]),
      'inference',
      4,
    );

    const submit = await deliver(chain, 0, [
      submitMsg(me, [msg(MsgRegisterModel, { authority: GOV_ADDRESS, model: model(MODEL) })], MIN_DEPOSIT),
    ]);
    assert.equal(submit.code, 0, submit.log);
    const id = proposalIdOf(submit);
    for (const i of [0, 1, 2])
      assert.equal((await deliver(chain, i, [voteMsg(id, chain.keys[i]!.address, YES)])).code, 0);
    await advance(chain, 12);
    const q = chain.query('/gonka.inference.v1.Query/Model', QueryModelRequest, QueryModelResponse, {
      modelId: MODEL,
    });
    assert.equal(q.model?.contextLength, 4096n);
    // registered at 10 ngonka, then idle blocks (utilisation 0 < 0.1) move it toward the floor of 2
    const price = BigInt(q.state!.price);
    assert.ok(price >= 2n && price < 10n, `price ${price}`);
  });

  it('max_models, max_keys_per_owner and the per-block msg limit have their own codes', async () => {
    const me = chain.keys[0]!.address;
    const submit = await deliver(chain, 0, [
      submitMsg(
        me,
        [
          msg(MsgRegisterModel, { authority: GOV_ADDRESS, model: model('b/two') }),
          msg(MsgRegisterModel, { authority: GOV_ADDRESS, model: model('b/three') }),
        ],
        MIN_DEPOSIT,
      ),
    ]);
    const id = proposalIdOf(submit);
    for (const i of [0, 1, 2]) await deliver(chain, i, [voteMsg(id, chain.keys[i]!.address, YES)]);
    const { events } = await advance(chain, 12);
    const result = events.find((e) => e.type === 'active_proposal');
    assert.ok(
      result?.attributes.some((a) => a.value.includes('failed')),
      JSON.stringify(result?.attributes),
    );
    const models = chain.query(
      '/gonka.inference.v1.Query/Models',
      QueryModelsRequest,
      QueryModelsResponse,
      QueryModelsRequest.fromPartial({}),
    );
    assert.deepEqual(
      models.models.map((m) => m.model?.id),
      [MODEL],
      'the proposal failed whole: a third model would pass max_models (2)',
    );

    const dev = chain.keys[3]!.address;
    const ta = chain.keys[0]!.address;
    assert.equal((await deliver(chain, 3, [registerKeyMsg(dev, 'k1', ta, 10n ** 9n)])).code, 0);
    assert.equal((await deliver(chain, 3, [registerKeyMsg(dev, 'k2', ta, 10n ** 9n)])).code, 0);
    fails(await deliver(chain, 3, [registerKeyMsg(dev, 'k3', ta, 10n ** 9n)]), 'inference', 12);
    const keys = chain.query('/gonka.inference.v1.Query/ApiKeys', QueryApiKeysRequest, QueryApiKeysResponse, {
      owner: dev,
    });
    assert.equal(keys.keys.length, 2);

    // Three Start/Finish msgs per block: a fourth in the same block is refused (its tx fails whole).
    const ex = chain.keys[1]!.address;
    const a = accountOf(chain, ta);
    const starts = (from: number, n: number) =>
      Array.from({ length: n }, (_, j) =>
        startMsg({ id: `inf-lim-${from + j}`, ta, dev, executor: ex, prompt: 1n, max: 1n, secret: 'k1' }),
      );
    const res = await chain.block([
      signTx(chain.keys[0]!, {
        msgs: starts(0, 3),
        sequence: a.sequence,
        accountNumber: a.accountNumber,
        gas: 2_000_000n,
      }),
      signTx(chain.keys[0]!, {
        msgs: starts(3, 1),
        sequence: a.sequence + 1n,
        accountNumber: a.accountNumber,
        gas: 2_000_000n,
      }),
    ]);
    assert.equal(res.txResults[0]!.code, 0, res.txResults[0]!.log);
    fails(res.txResults[1]!, 'inference', 21);
    // The next block has a fresh count.
    assert.equal((await deliver(chain, 0, starts(3, 1))).code, 0);
    const mine = chain.query(
      '/gonka.inference.v1.Query/Inferences',
      QueryInferencesRequest,
      QueryInferencesResponse,
      QueryInferencesRequest.fromPartial({
        requestedBy: dev,
      }),
    );
    assert.deepEqual(
      mine.inferences.map((i) => i.id),
      ['inf-lim-0', 'inf-lim-1', 'inf-lim-2', 'inf-lim-3'],
    );
    const open = chain.query(
      '/gonka.inference.v1.Query/Inferences',
      QueryInferencesRequest,
      QueryInferencesResponse,
      QueryInferencesRequest.fromPartial({}),
    );
    assert.equal(open.inferences.length, 4);
    assert.equal(
      (
        await deliver(chain, 1, [
          finishMsg({ id: 'inf-lim-0', ta, executor: ex, prompt: 1n, completion: 1n }),
        ])
      ).code,
      0,
    );
    const byExec = chain.query(
      '/gonka.inference.v1.Query/Inferences',
      QueryInferencesRequest,
      QueryInferencesResponse,
      QueryInferencesRequest.fromPartial({
        executor: ex,
      }),
    );
    assert.equal(byExec.inferences.length, 4);
  });

  it('the price rises above the band, by at most max_change, and falls back to its floor when idle', async () => {
    const ta = chain.keys[0]!.address;
    const dev = chain.keys[3]!.address;
    const ex = chain.keys[1]!.address;
    const price = () =>
      BigInt(
        chain.query('/gonka.inference.v1.Query/Model', QueryModelRequest, QueryModelResponse, {
          modelId: MODEL,
        }).state!.price,
      );
    const p0 = price();
    // 1,500 tokens in a block against capacity 1,000 × window 2: utilisation 0.75 > 0.5.
    assert.equal(
      (
        await deliver(chain, 0, [
          startMsg({ id: 'inf-load', ta, dev, executor: ex, prompt: 500n, max: 1000n, secret: 'k1' }),
        ])
      ).code,
      0,
    );
    const p1 = price();
    assert.ok(p1 > p0, `price ${p0} → ${p1} did not rise`);
    assert.ok(p1 - p0 <= (p0 + 9n) / 10n, `rise ${p1 - p0} over 10% of ${p0}`);
    await advance(chain, 40);
    assert.equal(price(), 2n, 'back to min_price when idle');
  });
});

function inferenceParamsToJsonFast() {
  const p = inferenceParams('fast');
  return {
    expiration_blocks: p.expirationBlocks.toString(),
    max_tokens_cap: p.maxTokensCap.toString(),
    signed_request_window_ms: p.signedRequestWindowMs.toString(),
  };
}
