// The escrow rules of MsgStartInference (transfer agent) and MsgFinishInference (executor),
// accepted in either order. The first of them locks the price; Start moves
// (prompt + max_tokens) × price from the developer to the `inference` module account; when both
// are in, (prompt + completion) × price goes to the executor and the rest back to the developer.
// An inference not settled by its expiry height is refunded in full (blocks.ts).
import { createHash } from 'node:crypto';
import { addressFromPubKey } from '../../app/runtime/address.js';
import { verifySecp256k1 } from '../../app/runtime/ante/secp256k1.js';
import type { Context } from '../../app/runtime/context.js';
import { assertInvariant } from '../../app/runtime/invariants.js';
import { readU64, u64 } from '../../app/runtime/keys.js';
import {
  type ApiKey,
  type DeveloperSignature,
  type Inference,
  InferenceStatus,
  inferenceStatusToJSON,
  type Model,
  type Params,
} from '../../proto/gen/gonka/inference/v1/inference.js';
import type { MsgFinishInference, MsgStartInference } from '../../proto/gen/gonka/inference/v1/tx.js';
import { inferenceErrors } from './errors.js';
import * as ev from './events.js';
import { INFERENCE_DENOM, INFERENCE_MODULE, type InferenceKeeper } from './keeper.js';
import { BLOCK_COUNT_KEY } from './keys.js';
import { developerSignBytes, inferenceSeed } from './seed.js';

const { INFERENCE_STATUS_STARTED: STARTED, INFERENCE_STATUS_FINISHED_FIRST: FINISHED_FIRST } =
  InferenceStatus;

/** Gas of verifying a developer signature (x/auth's sig_verify_cost_secp256k1 default). */
export const DEV_SIG_VERIFY_GAS = 1000n;
/** A settled inference stays queryable (and its id refused) this many blocks, at least. */
export const MIN_SETTLED_RETENTION_BLOCKS = 1000n;

/**
 * How long a settled inference is kept: max(1000, 2 × expiration_blocks) blocks. Within it a
 * repeated id is refused; after it the record is pruned. Stored settled records are therefore
 * bounded by retention × max_inference_msgs_per_block.
 */
export function retentionBlocks(p: Params): bigint {
  const twice = 2n * p.expirationBlocks;
  return twice > MIN_SETTLED_RETENTION_BLOCKS ? twice : MIN_SETTLED_RETENTION_BLOCKS;
}

/** Counts one Start/Finish in this block; refuses past max_inference_msgs_per_block. */
function countBlockMsg(ctx: Context, k: InferenceKeeper, p: Params): void {
  // Only block execution is throttled: CheckTx and simulation run on a state whose block count
  // means nothing for the next block's contents.
  if (ctx.mode !== 'finalize') return;
  const kv = ctx.kv(k.key);
  const raw = kv.get(BLOCK_COUNT_KEY);
  const h = ctx.header.height;
  const n = raw && readU64(raw.subarray(0, 8)) === h ? readU64(raw.subarray(8, 16)) : 0n;
  if (n >= BigInt(p.maxInferenceMsgsPerBlock))
    throw inferenceErrors.blockLimit(`${n} Start/Finish msgs already in block ${h}`);
  const out = new Uint8Array(16);
  out.set(u64(h), 0);
  out.set(u64(n + 1n), 8);
  kv.set(BLOCK_COUNT_KEY, out);
}

function modelOf(ctx: Context, k: InferenceKeeper, id: string): Model {
  const m = k.getModel(ctx, id);
  if (!m) throw inferenceErrors.unknownModel(`model '${id}'`);
  return m;
}

function assertParticipant(ctx: Context, k: InferenceKeeper, executor: string): void {
  if (!k.poc.getParticipant(ctx, executor)) throw inferenceErrors.notParticipant(executor);
}

/** The key grant: not revoked, for this TA and this payer, within its epoch limit. Charges `escrow`. */
function chargeKey(
  ctx: Context,
  k: InferenceKeeper,
  m: MsgStartInference,
  escrow: bigint,
  epoch: bigint,
): ApiKey {
  const key = k.getApiKey(ctx, m.keyHash);
  if (!key) throw inferenceErrors.unknownApiKey(Buffer.from(m.keyHash).toString('hex'));
  if (key.revoked) throw inferenceErrors.revokedApiKey(Buffer.from(m.keyHash).toString('hex'));
  if (key.transferAgent !== m.transferAgent)
    throw inferenceErrors.notKeyTransferAgent(`the key grants ${key.transferAgent}, not ${m.transferAgent}`);
  if (key.owner !== m.requestedBy)
    throw inferenceErrors.notKeyOwner(`requested_by ${m.requestedBy} is not the key's owner ${key.owner}`);
  const spent = key.spentEpoch === epoch ? BigInt(key.spent) : 0n;
  const limit = BigInt(key.spendLimitPerEpoch);
  if (spent + escrow > limit)
    throw inferenceErrors.spendLimitExceeded(
      `spent ${spent} + escrow ${escrow} > limit ${limit} in epoch ${epoch}`,
    );
  const next = { ...key, spentEpoch: epoch, spent: (spent + escrow).toString() };
  k.setApiKey(ctx, next);
  return next;
}

/**
 * A developer's own signature instead of a key: the pubkey is requested_by's, the timestamp is
 * within signed_request_window_ms of the block time, the signature verifies, and the same request
 * (pubkey, body hash, timestamp, TA) was not used before; it is remembered for twice the window,
 * after which its timestamp is stale anyway.
 */
function checkDeveloperSignature(
  ctx: Context,
  k: InferenceKeeper,
  p: Params,
  m: MsgStartInference,
  sig: DeveloperSignature,
): void {
  if (addressFromPubKey(sig.pubkey) !== m.requestedBy)
    throw inferenceErrors.invalidDeveloperSignature('pubkey is not the key of requested_by');
  const now = k.blockTimeMs(ctx);
  const w = p.signedRequestWindowMs;
  if (sig.timestampMs + w < now || sig.timestampMs > now + w)
    throw inferenceErrors.staleTimestamp(`timestamp ${sig.timestampMs} ms vs block time ${now} ms (±${w})`);
  const bytes = developerSignBytes(sig.bodyHash, sig.timestampMs, m.transferAgent);
  ctx.gasMeter.consume(DEV_SIG_VERIFY_GAS, 'inference: developer signature');
  if (!verifySecp256k1(sig.pubkey, bytes, sig.signature)) throw inferenceErrors.invalidDeveloperSignature();
  // The replay identity covers what was signed, not the signature bytes (which another valid
  // encoding could change).
  const replay = createHash('sha256').update(sig.pubkey).update(bytes).digest();
  if (k.seenSignature(ctx, replay)) throw inferenceErrors.replayedRequest();
  k.rememberSignature(ctx, replay, now + 2n * w);
}

function checkAgreement(
  started: { executor: string; modelId: string; transferAgent: string; promptTokens: bigint },
  finished: { executor: string; modelId: string; transferAgent: string; promptTokens: bigint },
): void {
  for (const f of ['executor', 'modelId', 'transferAgent', 'promptTokens'] as const)
    if (started[f] !== finished[f])
      throw inferenceErrors.mismatch(`${f}: start says ${started[f]}, finish says ${finished[f]}`);
}

export function startInference(ctx: Context, k: InferenceKeeper, m: MsgStartInference): void {
  const p = k.getParams(ctx);
  countBlockMsg(ctx, k, p);
  const model = modelOf(ctx, k, m.modelId);
  const reserved = m.promptTokens + m.maxTokens;
  if (reserved > p.maxTokensCap)
    throw inferenceErrors.maxTokensCap(
      `prompt ${m.promptTokens} + max_tokens ${m.maxTokens} > ${p.maxTokensCap}`,
    );
  if (reserved > model.contextLength)
    throw inferenceErrors.contextExceeded(`${reserved} > ${model.contextLength} of ${model.id}`);
  assertParticipant(ctx, k, m.executor);

  let prior = k.getInference(ctx, m.inferenceId);
  if (prior && prior.status !== FINISHED_FIRST)
    throw inferenceErrors.duplicateInference(`${m.inferenceId} is ${inferenceStatusToJSON(prior.status)}`);
  if (prior && prior.executor !== m.executor) {
    // A Finish-first by another participant than the one the TA chose: it squats an id it saw in
    // the mempool. The Start names the executor, so that record is dropped (it held nothing).
    k.dropFinishedFirst(ctx, prior);
    prior = undefined;
  }
  if (prior) {
    checkAgreement(prior, m);
    if (prior.completionTokens > m.maxTokens)
      throw inferenceErrors.completionExceeded(`${prior.completionTokens} > max_tokens ${m.maxTokens}`);
  }
  const price = prior ? BigInt(prior.price) : k.currentPrice(ctx, model.id);
  const escrow = reserved * price;
  const epoch = k.poc.currentEpoch(ctx);
  if (m.keyHash.length > 0) chargeKey(ctx, k, m, escrow, epoch);
  else checkDeveloperSignature(ctx, k, p, m, m.devSig!);
  if (escrow > 0n)
    k.bank.sendCoinsToModule(ctx, m.requestedBy, INFERENCE_MODULE, [
      { denom: INFERENCE_DENOM, amount: escrow },
    ]);
  k.addBlockTokens(ctx, model.id, reserved);
  ctx.events.emit(ev.inferenceStarted(m.inferenceId, model.id, m.requestedBy, m.executor, price, escrow));

  const h = ctx.header.height;
  const inf: Inference = {
    ...(prior ?? emptyInference(m.inferenceId)),
    modelId: model.id,
    requestedBy: m.requestedBy,
    transferAgent: m.transferAgent,
    executor: m.executor,
    promptHash: Uint8Array.from(m.promptHash),
    promptTokens: m.promptTokens,
    maxTokens: m.maxTokens,
    price: price.toString(),
    escrow: escrow.toString(),
    keyHash: Uint8Array.from(m.keyHash),
    epoch,
  };
  if (prior) {
    settle(ctx, k, p, inf);
    return;
  }
  inf.status = STARTED;
  inf.firstHeight = h;
  inf.expiryHeight = h + p.expirationBlocks;
  k.setInference(ctx, inf);
  k.indexOpen(ctx, inf);
  k.indexParties(ctx, inf);
}

export function finishInference(ctx: Context, k: InferenceKeeper, m: MsgFinishInference): void {
  const p = k.getParams(ctx);
  countBlockMsg(ctx, k, p);
  const model = modelOf(ctx, k, m.modelId);
  const used = m.promptTokens + m.completionTokens;
  if (used > p.maxTokensCap)
    throw inferenceErrors.maxTokensCap(`prompt + completion ${used} > ${p.maxTokensCap}`);
  if (used > model.contextLength) throw inferenceErrors.contextExceeded(`${used} > ${model.contextLength}`);
  assertParticipant(ctx, k, m.executor);

  const prior = k.getInference(ctx, m.inferenceId);
  if (prior && prior.status !== STARTED)
    throw inferenceErrors.duplicateInference(`${m.inferenceId} is ${inferenceStatusToJSON(prior.status)}`);
  if (prior) {
    checkAgreement(prior, m);
    if (m.completionTokens > prior.maxTokens)
      throw inferenceErrors.completionExceeded(`${m.completionTokens} > max_tokens ${prior.maxTokens}`);
  }
  const h = ctx.header.height;
  const inf: Inference = {
    ...(prior ?? emptyInference(m.inferenceId)),
    modelId: model.id,
    transferAgent: m.transferAgent,
    executor: m.executor,
    promptTokens: m.promptTokens,
    completionTokens: m.completionTokens,
    responseHash: Uint8Array.from(m.responseHash),
    payloadHash: Uint8Array.from(m.payloadHash),
    finishHeight: h,
  };
  if (prior) {
    settle(ctx, k, p, inf);
    return;
  }
  const price = k.currentPrice(ctx, model.id);
  inf.price = price.toString();
  inf.status = FINISHED_FIRST;
  inf.firstHeight = h;
  inf.expiryHeight = h + p.expirationBlocks;
  k.setInference(ctx, inf);
  k.indexOpen(ctx, inf);
  k.indexParties(ctx, inf);
  ctx.events.emit(ev.inferenceFinishedFirst(inf.id, inf.executor, inf.completionTokens, price));
}

function emptyInference(id: string): Inference {
  return {
    id,
    modelId: '',
    requestedBy: '',
    transferAgent: '',
    executor: '',
    promptHash: new Uint8Array(0),
    promptTokens: 0n,
    maxTokens: 0n,
    completionTokens: 0n,
    responseHash: new Uint8Array(0),
    price: '0',
    escrow: '0',
    cost: '0',
    status: InferenceStatus.INFERENCE_STATUS_UNSPECIFIED,
    firstHeight: 0n,
    expiryHeight: 0n,
    seed: inferenceSeed(id),
    keyHash: new Uint8Array(0),
    epoch: 0n,
    finishHeight: 0n,
    payloadHash: new Uint8Array(0),
  };
}

/** Gives back `refund` of a key's spend (escrow returned in the epoch it was charged in). */
function refundKey(ctx: Context, k: InferenceKeeper, inf: Inference, refund: bigint): void {
  if (inf.keyHash.length === 0 || refund === 0n) return;
  const key = k.getApiKey(ctx, inf.keyHash);
  if (!key || key.spentEpoch !== inf.epoch) return;
  const spent = BigInt(key.spent);
  k.setApiKey(ctx, { ...key, spent: (spent > refund ? spent - refund : 0n).toString() });
}

/** Both halves are in: cost to the executor, the rest back to the developer. */
function settle(ctx: Context, k: InferenceKeeper, p: Params, inf: Inference): void {
  const price = BigInt(inf.price);
  const escrow = BigInt(inf.escrow);
  const cost = (inf.promptTokens + inf.completionTokens) * price;
  assertInvariant(cost <= escrow, `inference ${inf.id}: cost ${cost} exceeds escrow ${escrow}`);
  const refund = escrow - cost;
  if (cost > 0n)
    k.bank.sendCoinsFromModule(ctx, INFERENCE_MODULE, inf.executor, [
      { denom: INFERENCE_DENOM, amount: cost },
    ]);
  if (refund > 0n)
    k.bank.sendCoinsFromModule(ctx, INFERENCE_MODULE, inf.requestedBy, [
      { denom: INFERENCE_DENOM, amount: refund },
    ]);
  refundKey(ctx, k, inf, refund);
  const stats = k.getExecutorStats(ctx, inf.executor);
  k.setExecutorStats(ctx, {
    ...stats,
    completed: stats.completed + 1n,
    earned: (BigInt(stats.earned) + cost).toString(),
  });
  k.unindexOpen(ctx, inf);
  const done: Inference = {
    ...inf,
    cost: cost.toString(),
    status: InferenceStatus.INFERENCE_STATUS_COMPLETED,
  };
  k.setInference(ctx, done);
  // A Finish-first inference learns its requester only now.
  if (inf.status === FINISHED_FIRST) k.indexParties(ctx, done);
  k.indexSettled(ctx, inf.id, ctx.header.height + retentionBlocks(p));
  ctx.events.emit(
    ev.inferenceCompleted(
      inf.id,
      inf.requestedBy,
      inf.executor,
      inf.promptTokens,
      inf.completionTokens,
      cost,
      refund,
    ),
  );
}

/** Not settled in time: a STARTED one is refunded in full and its executor's missed count + 1. */
export function expireInference(ctx: Context, k: InferenceKeeper, p: Params, inf: Inference): void {
  const started = inf.status === STARTED;
  const escrow = started ? BigInt(inf.escrow) : 0n;
  if (escrow > 0n)
    k.bank.sendCoinsFromModule(ctx, INFERENCE_MODULE, inf.requestedBy, [
      { denom: INFERENCE_DENOM, amount: escrow },
    ]);
  if (started) {
    refundKey(ctx, k, inf, escrow);
    const stats = k.getExecutorStats(ctx, inf.executor);
    k.setExecutorStats(ctx, { ...stats, missed: stats.missed + 1n });
  }
  k.unindexOpen(ctx, inf);
  k.setInference(ctx, { ...inf, status: InferenceStatus.INFERENCE_STATUS_EXPIRED });
  k.indexSettled(ctx, inf.id, ctx.header.height + retentionBlocks(p));
  ctx.events.emit(ev.inferenceExpired(inf.id, inf.executor, started, escrow));
}
