// x/inference genesis: defaults import; an export of a state with every kind of record imports
// into the same store bytes and re-exports identically; malformed or inconsistent genesis is
// refused with inference 3 / 4 (escrow ≠ module balance, unknown model, duplicate key, bad hex,
// an open inference with a prune height) before the chain starts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressString, moduleAddress } from '../../app/runtime/address.js';
import type { Context } from '../../app/runtime/context.js';
import { AppError } from '../../app/runtime/errors.js';
import type { StoreKey } from '../../app/runtime/storeKey.js';
import { inferenceEndBlock } from '../../x/inference/blocks.js';
import { finishInference, startInference } from '../../x/inference/escrow.js';
import type { Coin, InferenceBankKeeper } from '../../x/inference/expectedKeepers.js';
import {
  defaultInferenceGenesis,
  exportInferenceGenesis,
  initInferenceGenesis,
} from '../../x/inference/genesis.js';
import { INFERENCE_MODULE, InferenceKeeper } from '../../x/inference/keeper.js';
import { developerSignBytes } from '../../x/inference/seed.js';
import { TestKey } from '../integration/tx-harness.js';
import { memoryContext } from './helpers/memoryContext.js';

const ESCROW = moduleAddress(INFERENCE_MODULE);
const TA = addressString(new Uint8Array(20).fill(1));
const EX = addressString(new Uint8Array(20).fill(2));
const DEV = TestKey.fromSeed('genesis-dev');
const enc = new TextEncoder();
const dec = new TextDecoder();

class StoreBank implements InferenceBankKeeper {
  constructor(private readonly key: StoreKey) {}
  balance(ctx: Context, a: string): bigint {
    const raw = ctx.kv(this.key).get(enc.encode(a));
    return raw ? BigInt(dec.decode(raw)) : 0n;
  }
  set(ctx: Context, a: string, v: bigint) {
    ctx.kv(this.key).set(enc.encode(a), enc.encode(v.toString()));
  }
  private move(ctx: Context, from: string, to: string, c: readonly Coin[]) {
    this.set(ctx, from, this.balance(ctx, from) - c[0]!.amount);
    this.set(ctx, to, this.balance(ctx, to) + c[0]!.amount);
  }
  sendCoinsToModule(ctx: Context, from: string, _m: string, c: readonly Coin[]) {
    this.move(ctx, from, ESCROW, c);
  }
  sendCoinsFromModule(ctx: Context, _m: string, to: string, c: readonly Coin[]) {
    this.move(ctx, ESCROW, to, c);
  }
}

function fresh() {
  const { ctx, keys } = memoryContext(['inference', 'bank']);
  const bank = new StoreBank(keys.bank!);
  const k = new InferenceKeeper(
    keys.inference!,
    bank,
    { moduleAddress: () => ESCROW, ensureModuleAccount() {} },
    {
      currentEpoch: () => 3n,
      getParticipant: (_c, a) => (a === EX ? { weight: 1n } : undefined),
      pocClassIds: () => [1, 2],
    },
  );
  return { ctx, k, bank, keys };
}

const hex = (n: number) => Buffer.alloc(32, n).toString('hex');
const model = {
  id: 'gonka/demo',
  artifact_hash: hex(7),
  context_length: '1024',
  price: {
    initial_price: '4',
    min_price: '1',
    utilization_low: '0.3',
    utilization_high: '0.7',
    elasticity: '1',
    max_change_per_block: '0.1',
    capacity_tokens_per_block: '100',
    window_blocks: '4',
  },
  validation_threshold: '0.85',
  poc_class: 2,
};

function codeOf(f: () => void): string {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof AppError, String(e));
    return `${e.codespace}:${e.code}`;
  }
  return 'ok';
}

describe('x/inference genesis', () => {
  it('the default genesis imports and exports as itself', () => {
    const { ctx, k } = fresh();
    initInferenceGenesis(ctx, k, undefined);
    const out = exportInferenceGenesis(ctx, k);
    assert.deepEqual(out.params, defaultInferenceGenesis().params);
    assert.deepEqual(out.models, []);
  });

  it('a state with every kind of record round-trips to the same store bytes', () => {
    const a = fresh();
    a.bank.set(a.ctx, DEV.address, 1_000_000n);
    initInferenceGenesis(a.ctx, a.k, {
      params: { expiration_blocks: '10' },
      models: [model],
      api_keys: [
        { key_hash: hex(1), owner: DEV.address, transfer_agent: TA, spend_limit_per_epoch: '100000' },
      ],
    });
    const base = { transferAgent: TA, modelId: 'gonka/demo', requestedBy: DEV.address, executor: EX };
    const start = (id: string, keyed: boolean) => {
      const body = Buffer.alloc(32, id.length);
      startInference(a.ctx, a.k, {
        ...base,
        inferenceId: id,
        promptHash: Buffer.alloc(32, 3),
        promptTokens: 10n,
        maxTokens: 20n,
        keyHash: keyed ? Buffer.alloc(32, 1) : new Uint8Array(0),
        devSig: keyed
          ? undefined
          : {
              bodyHash: body,
              timestampMs: 1_700_000_000_000n,
              pubkey: DEV.pubKey,
              signature: DEV.sign(developerSignBytes(body, 1_700_000_000_000n, TA)),
            },
      });
    };
    const finish = (id: string) =>
      finishInference(a.ctx, a.k, {
        executor: EX,
        inferenceId: id,
        modelId: 'gonka/demo',
        transferAgent: TA,
        promptTokens: 10n,
        completionTokens: 5n,
        responseHash: Buffer.alloc(32, 4),
        payloadHash: Buffer.alloc(32, 5),
      });
    start('inf-open', true);
    start('inf-done', false);
    finish('inf-done');
    finish('inf-first');
    inferenceEndBlock(a.ctx, a.k); // the block's counters are folded and gone, as at a commit
    const exported = exportInferenceGenesis(a.ctx, a.k);
    assert.equal(exported.inferences?.length, 3);
    assert.equal(exported.seen_signatures?.length, 1);

    const b = fresh();
    b.bank.set(b.ctx, DEV.address, a.bank.balance(a.ctx, DEV.address));
    b.bank.set(b.ctx, EX, a.bank.balance(a.ctx, EX));
    b.bank.set(b.ctx, ESCROW, a.bank.balance(a.ctx, ESCROW));
    initInferenceGenesis(b.ctx, b.k, JSON.parse(JSON.stringify(exported)));
    const dump = (ctx: Context, key: StoreKey) =>
      [...ctx.kv(key).iterator(new Uint8Array(0), undefined)].map(([kk, v]) => [
        Buffer.from(kk).toString('hex'),
        Buffer.from(v).toString('hex'),
      ]);
    assert.deepEqual(dump(b.ctx, b.k.key), dump(a.ctx, a.k.key));
    assert.deepEqual(exportInferenceGenesis(b.ctx, b.k), exported);
  });

  it('refuses inconsistent or malformed genesis', () => {
    const bad = (g: unknown, fund = 0n) => {
      const { ctx, k, bank } = fresh();
      if (fund) bank.set(ctx, ESCROW, fund);
      return codeOf(() => initInferenceGenesis(ctx, k, g));
    };
    const open = {
      id: 'inf-x',
      model_id: 'gonka/demo',
      requested_by: DEV.address,
      transfer_agent: TA,
      executor: EX,
      prompt_tokens: '1',
      max_tokens: '1',
      price: '4',
      escrow: '8',
      status: 'INFERENCE_STATUS_STARTED',
      first_height: '1',
      expiry_height: '11',
    };
    assert.equal(bad({ models: [model], inferences: [open] }, 8n), 'ok');
    assert.equal(bad({ models: [model], inferences: [open] }, 9n), 'inference:3', 'escrow ≠ module balance');
    assert.equal(bad({ models: [model], inferences: [open] }), 'inference:3');
    assert.equal(bad({ models: [], inferences: [open] }, 8n), 'inference:3', 'unknown model');
    assert.equal(bad({ models: [model], inferences: [{ ...open, prune_height: '5' }] }, 8n), 'inference:3');
    assert.equal(bad({ models: [model], inferences: [{ ...open, seed: '1' }] }, 8n), 'inference:3');
    assert.equal(bad({ models: [model, model] }), 'inference:3', 'model listed twice');
    assert.equal(bad({ models: [{ ...model, poc_class: 9 }] }), 'inference:4', 'not a class of x/poc');
    assert.equal(bad({ models: [{ ...model, artifact_hash: 'zz' }] }), 'inference:3');
    assert.equal(bad({ params: { expiration_blocks: '0' } }), 'inference:2');
    const key = { key_hash: hex(1), owner: DEV.address, transfer_agent: TA, spend_limit_per_epoch: '5' };
    assert.equal(bad({ api_keys: [key, key] }), 'inference:3', 'key listed twice');
    assert.equal(bad({ api_keys: [{ ...key, spend_limit_per_epoch: '0' }] }), 'inference:7');
  });
});
