// x/inference keeper: the store (params, models and their price state, API keys, inferences and
// their indexes, executor stats, remembered signed requests). The escrow rules live in escrow.ts,
// the block hooks in blocks.ts; both go through these accessors.
import { addressBytes } from '../../app/runtime/address.js';
import type { Context } from '../../app/runtime/context.js';
import { prefixEnd, readU64, u64 } from '../../app/runtime/keys.js';
import type { StoreKey } from '../../app/runtime/storeKey.js';
import {
  ApiKey,
  ExecutorStats,
  Inference,
  InferenceStatus,
  Model,
  ModelState,
  Params,
} from '../../proto/gen/gonka/inference/v1/inference.js';
import type { InferenceAccountKeeper, InferenceBankKeeper, InferencePocKeeper } from './expectedKeepers.js';
import {
  API_KEY_PREFIX,
  apiKeyKey,
  blockTokensKey,
  byExecutorKey,
  byRequesterKey,
  EXECUTOR_STATS_PREFIX,
  EXPIRY_PREFIX,
  executorStatsKey,
  expiryKey,
  INFERENCE_PREFIX,
  inferenceKey,
  liveKeyCountKey,
  MODEL_PREFIX,
  MODEL_STATE_PREFIX,
  modelKey,
  modelStateKey,
  ownerKeyKey,
  ownerKeysPrefix,
  PARAMS_KEY,
  PRUNE_PREFIX,
  pruneKey,
  SEEN_SIG_PREFIX,
  seenSigKey,
  seenSigQueueKey,
} from './keys.js';
import { defaultInferenceParams } from './params.js';

export const INFERENCE_MODULE = 'inference';
export const INFERENCE_DENOM = 'ngonka';

const dec = new TextDecoder();

export class InferenceKeeper {
  constructor(
    readonly key: StoreKey,
    readonly bank: InferenceBankKeeper,
    readonly auth: InferenceAccountKeeper,
    /** x/poc (epoch clock, participants, classes); wired in app.ts. */
    readonly poc: InferencePocKeeper,
  ) {}

  /** Block time in whole milliseconds (integer arithmetic only). */
  blockTimeMs(ctx: Context): bigint {
    return ctx.header.time.seconds * 1000n + BigInt(ctx.header.time.nanos) / 1_000_000n;
  }

  // ---- params ---------------------------------------------------------------------------------

  getParams(ctx: Context): Params {
    const raw = ctx.kv(this.key).get(PARAMS_KEY);
    return raw ? Params.decode(raw) : defaultInferenceParams();
  }

  setParams(ctx: Context, p: Params): void {
    ctx.kv(this.key).set(PARAMS_KEY, Params.encode(p).finish());
  }

  // ---- models ---------------------------------------------------------------------------------

  getModel(ctx: Context, id: string): Model | undefined {
    const raw = ctx.kv(this.key).get(modelKey(id));
    return raw ? Model.decode(raw) : undefined;
  }

  setModel(ctx: Context, m: Model): void {
    ctx.kv(this.key).set(modelKey(m.id), Model.encode(m).finish());
  }

  *iterateModels(ctx: Context, start?: Uint8Array): Generator<[Uint8Array, Model]> {
    for (const [k, v] of ctx.kv(this.key).iterator(start ?? MODEL_PREFIX, prefixEnd(MODEL_PREFIX)))
      yield [k, Model.decode(v)];
  }

  modelCount(ctx: Context): number {
    let n = 0;
    for (const _ of ctx.kv(this.key).iterator(MODEL_PREFIX, prefixEnd(MODEL_PREFIX))) n++;
    return n;
  }

  getModelState(ctx: Context, id: string): ModelState | undefined {
    const raw = ctx.kv(this.key).get(modelStateKey(id));
    return raw ? ModelState.decode(raw) : undefined;
  }

  setModelState(ctx: Context, s: ModelState): void {
    ctx.kv(this.key).set(modelStateKey(s.modelId), ModelState.encode(s).finish());
  }

  *iterateModelStates(ctx: Context): Generator<ModelState> {
    for (const [, v] of ctx.kv(this.key).iterator(MODEL_STATE_PREFIX, prefixEnd(MODEL_STATE_PREFIX)))
      yield ModelState.decode(v);
  }

  /** The model's current per-token price (ngonka). */
  currentPrice(ctx: Context, id: string): bigint {
    const s = this.getModelState(ctx, id);
    if (s) return BigInt(s.price);
    const m = this.getModel(ctx, id);
    return m ? BigInt(m.price!.initialPrice) : 0n;
  }

  /** Tokens reserved for `id` in this block, folded into its ModelState by EndBlock. */
  addBlockTokens(ctx: Context, id: string, tokens: bigint): void {
    const kv = ctx.kv(this.key);
    const raw = kv.get(blockTokensKey(id));
    kv.set(blockTokensKey(id), u64((raw ? readU64(raw) : 0n) + tokens));
  }

  takeBlockTokens(ctx: Context, id: string): bigint {
    const kv = ctx.kv(this.key);
    const raw = kv.get(blockTokensKey(id));
    if (!raw) return 0n;
    kv.delete(blockTokensKey(id));
    return readU64(raw);
  }

  // ---- API keys -------------------------------------------------------------------------------

  getApiKey(ctx: Context, hash: Uint8Array): ApiKey | undefined {
    const raw = ctx.kv(this.key).get(apiKeyKey(hash));
    return raw ? ApiKey.decode(raw) : undefined;
  }

  /** A new key: the record and its owner index entry. */
  addApiKey(ctx: Context, k: ApiKey): void {
    this.setApiKey(ctx, k);
    ctx.kv(this.key).set(ownerKeyKey(addressBytes(k.owner), k.keyHash), Uint8Array.of(1));
  }

  /** An existing key's record (spent, revoked); owner and hash never change. */
  setApiKey(ctx: Context, k: ApiKey): void {
    ctx.kv(this.key).set(apiKeyKey(k.keyHash), ApiKey.encode(k).finish());
  }

  liveKeyCount(ctx: Context, owner: string): bigint {
    const raw = ctx.kv(this.key).get(liveKeyCountKey(addressBytes(owner)));
    return raw ? readU64(raw) : 0n;
  }

  setLiveKeyCount(ctx: Context, owner: string, n: bigint): void {
    const k = liveKeyCountKey(addressBytes(owner));
    if (n === 0n) ctx.kv(this.key).delete(k);
    else ctx.kv(this.key).set(k, u64(n));
  }

  *iterateApiKeys(ctx: Context, start?: Uint8Array): Generator<[Uint8Array, ApiKey]> {
    for (const [k, v] of ctx.kv(this.key).iterator(start ?? API_KEY_PREFIX, prefixEnd(API_KEY_PREFIX)))
      yield [k, ApiKey.decode(v)];
  }

  /** One owner's keys through the owner index, in key-hash order, from `start` (pagination). */
  *iterateApiKeysOf(ctx: Context, owner: string, start?: Uint8Array): Generator<[Uint8Array, ApiKey]> {
    const prefix = ownerKeysPrefix(addressBytes(owner));
    for (const [k] of ctx.kv(this.key).iterator(start ?? prefix, prefixEnd(prefix))) {
      const k2 = this.getApiKey(ctx, k.subarray(prefix.length));
      if (k2) yield [k, k2];
    }
  }

  // ---- inferences -------------------------------------------------------------------------------

  getInference(ctx: Context, id: string): Inference | undefined {
    const raw = ctx.kv(this.key).get(inferenceKey(id));
    return raw ? Inference.decode(raw) : undefined;
  }

  setInference(ctx: Context, inf: Inference): void {
    ctx.kv(this.key).set(inferenceKey(inf.id), Inference.encode(inf).finish());
  }

  /** Open → the expiry queue; settled → the pruning queue (retained until `pruneAt`). */
  indexOpen(ctx: Context, inf: Inference): void {
    ctx.kv(this.key).set(expiryKey(inf.expiryHeight, inf.id), Uint8Array.of(1));
  }

  unindexOpen(ctx: Context, inf: Inference): void {
    ctx.kv(this.key).delete(expiryKey(inf.expiryHeight, inf.id));
  }

  indexSettled(ctx: Context, id: string, pruneAt: bigint): void {
    ctx.kv(this.key).set(pruneKey(pruneAt, id), Uint8Array.of(1));
  }

  indexParties(ctx: Context, inf: Inference): void {
    if (inf.requestedBy)
      ctx.kv(this.key).set(byRequesterKey(addressBytes(inf.requestedBy), inf.id), Uint8Array.of(1));
    if (inf.executor)
      ctx.kv(this.key).set(byExecutorKey(addressBytes(inf.executor), inf.id), Uint8Array.of(1));
  }

  /** Removes a FINISHED_FIRST record (it holds no escrow) and its queue and index entries. */
  dropFinishedFirst(ctx: Context, inf: Inference): void {
    const kv = ctx.kv(this.key);
    kv.delete(inferenceKey(inf.id));
    kv.delete(expiryKey(inf.expiryHeight, inf.id));
    if (inf.executor) kv.delete(byExecutorKey(addressBytes(inf.executor), inf.id));
  }

  /** Removes a settled inference and its indexes (retention over). */
  deleteInference(ctx: Context, inf: Inference, pruneAt: bigint): void {
    const kv = ctx.kv(this.key);
    kv.delete(inferenceKey(inf.id));
    kv.delete(pruneKey(pruneAt, inf.id));
    if (inf.requestedBy) kv.delete(byRequesterKey(addressBytes(inf.requestedBy), inf.id));
    if (inf.executor) kv.delete(byExecutorKey(addressBytes(inf.executor), inf.id));
  }

  /** Open inferences in expiry order: [expiry key, id, expiry height]. */
  *iterateOpen(ctx: Context, start?: Uint8Array, end?: Uint8Array): Generator<[Uint8Array, string, bigint]> {
    for (const [k] of ctx.kv(this.key).iterator(start ?? EXPIRY_PREFIX, end ?? prefixEnd(EXPIRY_PREFIX)))
      yield [k, dec.decode(k.subarray(9)), readU64(k.subarray(1, 9))];
  }

  /** Settled inferences in pruning order: [prune key, id, prune height]. */
  *iterateSettled(ctx: Context, end?: Uint8Array): Generator<[Uint8Array, string, bigint]> {
    for (const [k] of ctx.kv(this.key).iterator(PRUNE_PREFIX, end ?? prefixEnd(PRUNE_PREFIX)))
      yield [k, dec.decode(k.subarray(9)), readU64(k.subarray(1, 9))];
  }

  *iterateInferences(ctx: Context): Generator<Inference> {
    for (const [, v] of ctx.kv(this.key).iterator(INFERENCE_PREFIX, prefixEnd(INFERENCE_PREFIX)))
      yield Inference.decode(v);
  }

  /** Ids under a party index prefix (requester or executor), from `start`. */
  *iteratePartyIndex(
    ctx: Context,
    prefix: Uint8Array,
    start?: Uint8Array,
  ): Generator<[Uint8Array, Inference]> {
    for (const [k] of ctx.kv(this.key).iterator(start ?? prefix, prefixEnd(prefix))) {
      const inf = this.getInference(ctx, dec.decode(k.subarray(prefix.length)));
      if (inf) yield [k, inf];
    }
  }

  /** Σ escrow of STARTED inferences (what the module account must hold). */
  openEscrow(ctx: Context): bigint {
    let total = 0n;
    for (const [, id] of this.iterateOpen(ctx)) {
      const inf = this.getInference(ctx, id);
      if (inf?.status === InferenceStatus.INFERENCE_STATUS_STARTED) total += BigInt(inf.escrow);
    }
    return total;
  }

  moduleAccountBalance(ctx: Context): bigint {
    return this.bank.balance(ctx, this.auth.moduleAddress(INFERENCE_MODULE), INFERENCE_DENOM);
  }

  // ---- executor stats ----------------------------------------------------------------------------

  getExecutorStats(ctx: Context, executor: string): ExecutorStats {
    const raw = ctx.kv(this.key).get(executorStatsKey(addressBytes(executor)));
    return raw ? ExecutorStats.decode(raw) : { executor, completed: 0n, missed: 0n, earned: '0' };
  }

  setExecutorStats(ctx: Context, s: ExecutorStats): void {
    ctx.kv(this.key).set(executorStatsKey(addressBytes(s.executor)), ExecutorStats.encode(s).finish());
  }

  *iterateExecutorStats(ctx: Context): Generator<ExecutorStats> {
    for (const [, v] of ctx.kv(this.key).iterator(EXECUTOR_STATS_PREFIX, prefixEnd(EXECUTOR_STATS_PREFIX)))
      yield ExecutorStats.decode(v);
  }

  // ---- remembered signed requests ----------------------------------------------------------------

  seenSignature(ctx: Context, hash: Uint8Array): boolean {
    return ctx.kv(this.key).has(seenSigKey(hash));
  }

  rememberSignature(ctx: Context, hash: Uint8Array, forgetAtMs: bigint): void {
    ctx.kv(this.key).set(seenSigKey(hash), u64(forgetAtMs));
    ctx.kv(this.key).set(seenSigQueueKey(forgetAtMs, hash), Uint8Array.of(1));
  }

  *iterateSeenSignatures(ctx: Context): Generator<{ hash: Uint8Array; forgetAtMs: bigint }> {
    for (const [k, v] of ctx.kv(this.key).iterator(SEEN_SIG_PREFIX, prefixEnd(SEEN_SIG_PREFIX)))
      yield { hash: k.subarray(1), forgetAtMs: readU64(v) };
  }
}
