// Escrow arithmetic of x/inference (issue 14, acceptance 4): random sequences of Start, Finish
// (either order, some refused) and blocks (expiry, price moves, epoch changes) run against the
// keeper behind a store-backed fake bank and, side by side, against a plain model of what each
// balance must be. After every step: the keeper accepted exactly what the model accepts, every
// balance equals the model's, Σ balances never changes (no ngonka created or lost), and the module
// account holds exactly the open escrows (the module invariant).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressString, moduleAddress } from '../../app/runtime/address.js';
import { Context } from '../../app/runtime/context.js';
import { AppError, sdkErrors } from '../../app/runtime/errors.js';
import type { StoreKey } from '../../app/runtime/storeKey.js';
import type { MsgFinishInference, MsgStartInference } from '../../proto/gen/gonka/inference/v1/tx.js';
import { inferenceBeginBlock, inferenceEndBlock } from '../../x/inference/blocks.js';
import { finishInference, startInference } from '../../x/inference/escrow.js';
import type { Coin, InferenceBankKeeper } from '../../x/inference/expectedKeepers.js';
import { inferenceInvariants } from '../../x/inference/invariants.js';
import { INFERENCE_MODULE, InferenceKeeper } from '../../x/inference/keeper.js';
import { validateModel } from '../../x/inference/model.js';
import { registerModel } from '../../x/inference/msgServer.js';
import { inferenceParams } from '../../x/inference/params.js';
import { prng } from '../integration/tx-harness.js';
import { memoryContext } from './helpers/memoryContext.js';

const enc = new TextEncoder();
const dec = new TextDecoder();
const ESCROW = moduleAddress(INFERENCE_MODULE);
const addr = (n: number) => addressString(new Uint8Array(20).fill(n));
const TA = addr(1);
const EXECS = [addr(2), addr(3)];
const DEVS = [addr(4), addr(5), addr(6)];
const MODEL = 'm/escrow';
const EXPIRY = 5n;

/** x/bank's interface over a store of the test context, so a refused msg's branch rolls it back. */
class StoreBank implements InferenceBankKeeper {
  constructor(private readonly key: StoreKey) {}
  balance(ctx: Context, address: string): bigint {
    const raw = ctx.kv(this.key).get(enc.encode(address));
    return raw ? BigInt(dec.decode(raw)) : 0n;
  }
  set(ctx: Context, address: string, v: bigint) {
    ctx.kv(this.key).set(enc.encode(address), enc.encode(v.toString()));
  }
  private move(ctx: Context, from: string, to: string, coins: readonly Coin[]) {
    const amount = coins[0]!.amount;
    const have = this.balance(ctx, from);
    if (have < amount) throw sdkErrors.insufficientFunds(`${have} < ${amount}`);
    this.set(ctx, from, have - amount);
    this.set(ctx, to, this.balance(ctx, to) + amount);
  }
  sendCoinsToModule(ctx: Context, from: string, _m: string, coins: readonly Coin[]) {
    this.move(ctx, from, ESCROW, coins);
  }
  sendCoinsFromModule(ctx: Context, _m: string, to: string, coins: readonly Coin[]) {
    this.move(ctx, ESCROW, to, coins);
  }
}

interface ModelInference {
  status: 'started' | 'finished' | 'done' | 'expired';
  dev: string;
  exec: string;
  prompt: bigint;
  max: bigint;
  completion: bigint;
  price: bigint;
  escrow: bigint;
  expiry: bigint;
  epoch: bigint;
}

describe('x/inference escrow arithmetic (property test against a model)', () => {
  for (const seed of [1, 2]) {
    it(`seed ${seed}: 1000 random steps create and lose no ngonka`, () => {
      const rand = prng(seed * 7919);
      const { ctx: genesisCtx, keys } = memoryContext(['inference', 'bank']);
      const ms = (genesisCtx as unknown as { ms: unknown }).ms;
      const stores = (genesisCtx as unknown as { stores: unknown }).stores;
      const at = (height: bigint) =>
        new Context(
          'finalize',
          { ...genesisCtx.header, height, time: { seconds: 1_700_000_000n + height, nanos: 0 } },
          ms as never,
          stores as never,
        );
      const bank = new StoreBank(keys.bank!);
      let epoch = 0n;
      const k = new InferenceKeeper(
        keys.inference!,
        bank,
        { moduleAddress: () => ESCROW, ensureModuleAccount() {} },
        {
          currentEpoch: () => epoch,
          getParticipant: (_c, a) => (EXECS.includes(a) ? { weight: 1n } : undefined),
          pocClassIds: () => [],
        },
      );
      let ctx = at(1n);
      k.setParams(ctx, { ...inferenceParams('fast'), expirationBlocks: EXPIRY });
      registerModel(
        ctx,
        k,
        validateModel({
          id: MODEL,
          artifactHash: new Uint8Array(32),
          contextLength: 200n,
          price: {
            initialPrice: '3',
            minPrice: '1',
            utilizationLow: '0.2',
            utilizationHigh: '0.5',
            elasticity: '2',
            maxChangePerBlock: '0.2',
            capacityTokensPerBlock: 100n,
            windowBlocks: 3n,
          },
          validationThreshold: '0.9',
          pocClass: 1,
        }),
      );
      const bal = new Map<string, bigint>();
      for (const d of DEVS) bal.set(d, BigInt(2_000 + rand(20_000)));
      for (const a of [...EXECS, ESCROW, TA]) bal.set(a, 0n);
      for (const [a, v] of bal) bank.set(ctx, a, v);
      const total = [...bal.values()].reduce((s, v) => s + v, 0n);
      const limits = new Map(DEVS.map((d) => [d, BigInt(3_000 + rand(30_000))]));
      const spent = new Map<string, { epoch: bigint; spent: bigint }>();
      for (const [i, d] of DEVS.entries())
        k.addApiKey(ctx, {
          keyHash: new Uint8Array(32).fill(i + 1),
          owner: d,
          transferAgent: TA,
          spendLimitPerEpoch: limits.get(d)!.toString(),
          revoked: false,
          spentEpoch: 0n,
          spent: '0',
        });
      const infs = new Map<string, ModelInference>();
      const ids: string[] = [];

      const refundKey = (i: ModelInference, refund: bigint) => {
        const s = spent.get(i.dev);
        if (s && s.epoch === i.epoch) s.spent = s.spent > refund ? s.spent - refund : 0n;
      };
      const run = (f: (c: Context) => void): boolean => {
        const b = ctx.branch();
        try {
          f(b.ctx);
        } catch (e) {
          assert.ok(e instanceof AppError, `unexpected ${e}`);
          return false;
        }
        b.write();
        return true;
      };

      for (let step = 0; step < 1000; step++) {
        const r = rand(10);
        const h = ctx.header.height;
        if (r < 4) {
          // Start: a fresh id, one finished first, or one already used.
          const pick = rand(4);
          const finished = [...infs].filter(([, i]) => i.status === 'finished');
          let id: string;
          let prior: ModelInference | undefined;
          if (pick === 0 && finished.length > 0) [id, prior] = finished[rand(finished.length)]!;
          else if (pick === 1 && ids.length > 0) id = ids[rand(ids.length)]!;
          else id = `inf-${step}`;
          prior = infs.get(id);
          const di = rand(DEVS.length);
          const dev = DEVS[di]!;
          const exec = prior?.exec ?? EXECS[rand(EXECS.length)]!;
          const prompt = prior?.prompt ?? BigInt(1 + rand(50));
          const max = BigInt(1 + rand(100));
          const price = prior ? prior.price : k.currentPrice(ctx, MODEL);
          const escrow = (prompt + max) * price;
          const s = spent.get(dev);
          const used = s && s.epoch === epoch ? s.spent : 0n;
          const expect =
            (prior === undefined || prior.status === 'finished') &&
            !(prior && prior.completion > max) &&
            used + escrow <= limits.get(dev)! &&
            bal.get(dev)! >= escrow;
          const m: MsgStartInference = {
            transferAgent: TA,
            inferenceId: id,
            modelId: MODEL,
            requestedBy: dev,
            executor: exec,
            promptHash: new Uint8Array(32),
            promptTokens: prompt,
            maxTokens: max,
            keyHash: new Uint8Array(32).fill(di + 1),
            devSig: undefined,
          };
          const ok = run((c) => startInference(c, k, m));
          assert.equal(ok, expect, `step ${step}: start ${id} accepted=${ok}, model says ${expect}`);
          if (ok) {
            spent.set(dev, { epoch, spent: used + escrow });
            bal.set(dev, bal.get(dev)! - escrow);
            bal.set(ESCROW, bal.get(ESCROW)! + escrow);
            const i: ModelInference = prior
              ? { ...prior, dev, max, escrow, epoch }
              : {
                  status: 'started',
                  dev,
                  exec,
                  prompt,
                  max,
                  completion: 0n,
                  price,
                  escrow,
                  expiry: h + EXPIRY,
                  epoch,
                };
            infs.set(id, i);
            if (!prior) ids.push(id);
            if (prior) settle(i);
          }
        } else if (r < 8) {
          // Finish: one started, a fresh id, or one already used.
          const started = [...infs].filter(([, i]) => i.status === 'started');
          const pick = rand(4);
          let id: string;
          if (pick <= 1 && started.length > 0) id = started[rand(started.length)]![0];
          else if (pick === 2 && ids.length > 0) id = ids[rand(ids.length)]!;
          else id = `inf-${step}`;
          const prior = infs.get(id);
          const exec = prior?.exec ?? EXECS[rand(EXECS.length)]!;
          const prompt = prior?.prompt ?? BigInt(1 + rand(50));
          const completion = BigInt(rand(Number(prior?.max ?? 100n) + 3));
          const expect = prior === undefined || (prior.status === 'started' && completion <= prior.max);
          const price = prior ? prior.price : k.currentPrice(ctx, MODEL);
          const m: MsgFinishInference = {
            executor: exec,
            inferenceId: id,
            modelId: MODEL,
            transferAgent: TA,
            promptTokens: prompt,
            completionTokens: completion,
            responseHash: new Uint8Array(32),
            payloadHash: new Uint8Array(32),
          };
          const ok = run((c) => finishInference(c, k, m));
          assert.equal(ok, expect, `step ${step}: finish ${id} accepted=${ok}, model says ${expect}`);
          if (ok) {
            if (prior) settle(Object.assign(prior, { completion }));
            else {
              infs.set(id, {
                status: 'finished',
                dev: '',
                exec,
                prompt,
                max: 0n,
                completion,
                price,
                escrow: 0n,
                expiry: h + EXPIRY,
                epoch: 0n,
              });
              ids.push(id);
            }
          }
        } else {
          // A block ends and the next begins: prices move, expired inferences are refunded.
          inferenceEndBlock(ctx, k);
          if (rand(8) === 0) epoch++;
          ctx = at(h + 1n);
          inferenceBeginBlock(ctx, k);
          for (const i of infs.values())
            if ((i.status === 'started' || i.status === 'finished') && i.expiry <= h + 1n) {
              if (i.status === 'started') {
                bal.set(i.dev, bal.get(i.dev)! + i.escrow);
                bal.set(ESCROW, bal.get(ESCROW)! - i.escrow);
                refundKey(i, i.escrow);
              }
              i.status = 'expired';
            }
        }
        for (const [a, v] of bal) assert.equal(bank.balance(ctx, a), v, `step ${step}: balance of ${a}`);
        let sum = 0n;
        for (const a of bal.keys()) sum += bank.balance(ctx, a);
        assert.equal(sum, total, `step ${step}: Σ balances moved`);
        assert.deepEqual(inferenceInvariants(ctx, k), [], `step ${step}`);
      }
      // Enough of each path happened for the property to mean something.
      const statuses = [...infs.values()].map((i) => i.status);
      for (const s of ['done', 'expired'] as const) assert.ok(statuses.filter((x) => x === s).length > 20, s);

      function settle(i: ModelInference) {
        const cost = (i.prompt + i.completion) * i.price;
        bal.set(i.exec, bal.get(i.exec)! + cost);
        bal.set(i.dev, bal.get(i.dev)! + i.escrow - cost);
        bal.set(ESCROW, bal.get(ESCROW)! - i.escrow);
        refundKey(i, i.escrow - cost);
        i.status = 'done';
      }
    });
  }
});
