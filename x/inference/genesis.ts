// x/inference genesis (JSON, snake_case; 64-bit integers and amounts as decimal strings, bytes as
// hex): params, models and their price state, API keys, stored inferences (open, and settled ones
// still retained, with the height they are pruned at), executor stats and remembered signed
// requests. The `inference` module account's balance (bank genesis runs first) must equal the
// escrow of the STARTED inferences, so an import can neither mint nor lose escrow.
import { addressBytes } from '../../app/runtime/address.js';
import type { Context } from '../../app/runtime/context.js';
import {
  type ApiKey,
  type Inference,
  InferenceStatus,
  inferenceStatusFromJSON,
  inferenceStatusToJSON,
} from '../../proto/gen/gonka/inference/v1/inference.js';
import { inferenceErrors } from './errors.js';
import { INFERENCE_DENOM, INFERENCE_MODULE, type InferenceKeeper } from './keeper.js';
import { hexBytes, jsonUint, type ModelJson, modelFromJson, modelToJson, validateModel } from './model.js';
import { registerModel } from './msgServer.js';
import { INFERENCE_ID_RE, spendLimit } from './msgs.js';
import { inferenceParamsFromJson, inferenceParamsToJson } from './params.js';
import { inferenceSeed } from './seed.js';

// biome-ignore lint/suspicious/noExplicitAny: genesis JSON, every field is checked where it is read
type Json = Record<string, any>;

export interface InferenceGenesis {
  params: ReturnType<typeof inferenceParamsToJson>;
  models?: ModelJson[];
  model_states?: { model_id: string; price: string; recent_tokens: string[]; last_height: string }[];
  api_keys?: {
    key_hash: string;
    owner: string;
    transfer_agent: string;
    spend_limit_per_epoch: string;
    revoked?: boolean;
    spent_epoch?: string;
    spent?: string;
  }[];
  inferences?: Json[];
  executor_stats?: { executor: string; completed: string; missed: string; earned: string }[];
  seen_signatures?: { hash: string; forget_at_ms: string }[];
}

export function defaultInferenceGenesis(): InferenceGenesis {
  return { params: inferenceParamsToJson(inferenceParamsFromJson(undefined)), models: [] };
}

const err = (m: string) => inferenceErrors.invalidGenesis(m);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const optHex = (what: string, v: unknown, len: number): Uint8Array =>
  v === undefined || v === '' ? new Uint8Array(0) : hexBytes(what, v, len, err);
const amountOf = (what: string, v: unknown): bigint => {
  if (typeof v !== 'string' || !/^\d{1,31}$/.test(v)) throw err(`${what} must be an integer string`);
  return BigInt(v);
};
function list<T = Json>(what: string, v: unknown): T[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw err(`${what} must be a list`);
  return v as T[];
}

export function inferenceToJson(inf: Inference, pruneHeight?: bigint): Json {
  return {
    id: inf.id,
    model_id: inf.modelId,
    requested_by: inf.requestedBy,
    transfer_agent: inf.transferAgent,
    executor: inf.executor,
    prompt_hash: hex(inf.promptHash),
    prompt_tokens: inf.promptTokens.toString(),
    max_tokens: inf.maxTokens.toString(),
    completion_tokens: inf.completionTokens.toString(),
    response_hash: hex(inf.responseHash),
    price: inf.price,
    escrow: inf.escrow,
    cost: inf.cost,
    status: inferenceStatusToJSON(inf.status),
    first_height: inf.firstHeight.toString(),
    expiry_height: inf.expiryHeight.toString(),
    seed: inf.seed.toString(),
    key_hash: hex(inf.keyHash),
    epoch: inf.epoch.toString(),
    finish_height: inf.finishHeight.toString(),
    payload_hash: hex(inf.payloadHash),
    ...(pruneHeight === undefined ? {} : { prune_height: pruneHeight.toString() }),
  };
}

function inferenceFromJson(j: Json): { inf: Inference; pruneHeight?: bigint } {
  if (typeof j !== 'object' || j === null) throw err('inference must be an object');
  const id = String(j.id);
  if (!INFERENCE_ID_RE.test(id)) throw err(`inference id '${id.slice(0, 40)}' is malformed`);
  const w = `inference ${id}`;
  let status: InferenceStatus;
  try {
    status = inferenceStatusFromJSON(j.status);
  } catch {
    throw err(`${w}: unknown status ${JSON.stringify(j.status)}`);
  }
  const addr = (k: string) => {
    const v = j[k] ?? '';
    if (v !== '') addressBytes(v);
    return String(v);
  };
  const inf: Inference = {
    id,
    modelId: String(j.model_id),
    requestedBy: addr('requested_by'),
    transferAgent: addr('transfer_agent'),
    executor: addr('executor'),
    promptHash: optHex(`${w} prompt_hash`, j.prompt_hash, 32),
    promptTokens: jsonUint(`${w} prompt_tokens`, j.prompt_tokens, err),
    maxTokens: jsonUint(`${w} max_tokens`, j.max_tokens ?? '0', err),
    completionTokens: jsonUint(`${w} completion_tokens`, j.completion_tokens ?? '0', err),
    responseHash: optHex(`${w} response_hash`, j.response_hash, 32),
    price: amountOf(`${w} price`, j.price).toString(),
    escrow: amountOf(`${w} escrow`, j.escrow ?? '0').toString(),
    cost: amountOf(`${w} cost`, j.cost ?? '0').toString(),
    status,
    firstHeight: jsonUint(`${w} first_height`, j.first_height, err),
    expiryHeight: jsonUint(`${w} expiry_height`, j.expiry_height, err),
    seed: inferenceSeed(id),
    keyHash: optHex(`${w} key_hash`, j.key_hash, 32),
    epoch: jsonUint(`${w} epoch`, j.epoch ?? '0', err),
    finishHeight: jsonUint(`${w} finish_height`, j.finish_height ?? '0', err),
    payloadHash: optHex(`${w} payload_hash`, j.payload_hash, 32),
  };
  if (j.seed !== undefined && String(j.seed) !== inf.seed.toString())
    throw err(`${w}: seed is not inferenceSeed(id)`);
  const settled =
    status === InferenceStatus.INFERENCE_STATUS_COMPLETED ||
    status === InferenceStatus.INFERENCE_STATUS_EXPIRED;
  if (status === InferenceStatus.INFERENCE_STATUS_UNSPECIFIED || status === InferenceStatus.UNRECOGNIZED)
    throw err(`${w}: status must be set`);
  if (settled) return { inf, pruneHeight: jsonUint(`${w} prune_height`, j.prune_height, err) };
  if (j.prune_height !== undefined) throw err(`${w}: an open inference has no prune_height`);
  return { inf };
}

export function initInferenceGenesis(ctx: Context, k: InferenceKeeper, raw: unknown): void {
  const g = (raw ?? defaultInferenceGenesis()) as Partial<InferenceGenesis>;
  if (typeof g !== 'object' || g === null) throw err('inference genesis must be an object');
  k.setParams(ctx, inferenceParamsFromJson(g.params));
  const classes = k.poc.pocClassIds(ctx);
  for (const mj of list('models', g.models)) {
    const m = validateModel(modelFromJson(mj, err), classes);
    if (k.getModel(ctx, m.id)) throw err(`model ${m.id} listed twice`);
    registerModel(ctx, k, m);
  }
  for (const s of list('model_states', g.model_states)) {
    const model = k.getModel(ctx, String(s.model_id));
    if (!model) throw err(`model_state of unknown model ${String(s.model_id).slice(0, 40)}`);
    const price = amountOf(`price of ${model.id}`, s.price);
    if (price < BigInt(model.price!.minPrice)) throw err(`price of ${model.id} is below its min_price`);
    const recent = list<string>(`recent_tokens of ${model.id}`, s.recent_tokens).map((t) =>
      jsonUint(`recent_tokens of ${model.id}`, t, err),
    );
    if (BigInt(recent.length) > model.price!.windowBlocks)
      throw err(`recent_tokens of ${model.id} exceed window_blocks`);
    k.setModelState(ctx, {
      modelId: model.id,
      price: price.toString(),
      recentTokens: recent,
      lastHeight: jsonUint(`last_height of ${model.id}`, s.last_height ?? '0', err),
    });
  }
  importApiKeys(ctx, k, g);
  importInferences(ctx, k, g);
  for (const s of list('executor_stats', g.executor_stats)) {
    addressBytes(s.executor);
    k.setExecutorStats(ctx, {
      executor: s.executor,
      completed: jsonUint(`completed of ${s.executor}`, s.completed, err),
      missed: jsonUint(`missed of ${s.executor}`, s.missed, err),
      earned: amountOf(`earned of ${s.executor}`, s.earned).toString(),
    });
  }
  for (const s of list('seen_signatures', g.seen_signatures))
    k.rememberSignature(
      ctx,
      hexBytes('seen signature hash', s.hash, 32, err),
      jsonUint('forget_at_ms', s.forget_at_ms, err),
    );

  const held = k.openEscrow(ctx);
  const balance = k.moduleAccountBalance(ctx);
  if (held !== balance)
    throw err(
      `escrow of started inferences (${held}${INFERENCE_DENOM}) must equal the ${INFERENCE_MODULE} module account balance (${balance}${INFERENCE_DENOM})`,
    );
}

function importApiKeys(ctx: Context, k: InferenceKeeper, g: Partial<InferenceGenesis>): void {
  for (const j of list('api_keys', g.api_keys)) {
    const keyHash = hexBytes('api key key_hash', j.key_hash, 32, err);
    const w = `api key ${hex(keyHash)}`;
    addressBytes(j.owner);
    addressBytes(j.transfer_agent);
    if (k.getApiKey(ctx, keyHash)) throw err(`${w} listed twice`);
    const key: ApiKey = {
      keyHash,
      owner: j.owner,
      transferAgent: j.transfer_agent,
      spendLimitPerEpoch: spendLimit(String(j.spend_limit_per_epoch)).toString(),
      revoked: j.revoked === true,
      spentEpoch: jsonUint(`${w} spent_epoch`, j.spent_epoch ?? '0', err),
      spent: amountOf(`${w} spent`, j.spent ?? '0').toString(),
    };
    k.addApiKey(ctx, key);
    if (!key.revoked) {
      const live = k.liveKeyCount(ctx, key.owner) + 1n;
      if (live > BigInt(k.getParams(ctx).maxKeysPerOwner))
        throw err(`${key.owner} has more live keys than max_keys_per_owner`);
      k.setLiveKeyCount(ctx, key.owner, live);
    }
  }
}

function importInferences(ctx: Context, k: InferenceKeeper, g: Partial<InferenceGenesis>): void {
  for (const j of list('inferences', g.inferences)) {
    const { inf, pruneHeight } = inferenceFromJson(j);
    if (k.getInference(ctx, inf.id)) throw err(`inference ${inf.id} listed twice`);
    if (!k.getModel(ctx, inf.modelId))
      throw err(`inference ${inf.id}: unknown model ${inf.modelId.slice(0, 40)}`);
    if (inf.status === InferenceStatus.INFERENCE_STATUS_STARTED && !inf.requestedBy)
      throw err(`inference ${inf.id}: a started inference needs requested_by`);
    k.setInference(ctx, inf);
    k.indexParties(ctx, inf);
    if (pruneHeight === undefined) k.indexOpen(ctx, inf);
    else k.indexSettled(ctx, inf.id, pruneHeight);
  }
}

export function exportInferenceGenesis(ctx: Context, k: InferenceKeeper): InferenceGenesis {
  const pruneAt = new Map<string, bigint>();
  for (const [, id, at] of k.iterateSettled(ctx)) pruneAt.set(id, at);
  return {
    params: inferenceParamsToJson(k.getParams(ctx)),
    models: [...k.iterateModels(ctx)].map(([, m]) => modelToJson(m)),
    model_states: [...k.iterateModelStates(ctx)].map((s) => ({
      model_id: s.modelId,
      price: s.price,
      recent_tokens: s.recentTokens.map((t) => t.toString()),
      last_height: s.lastHeight.toString(),
    })),
    api_keys: [...k.iterateApiKeys(ctx)].map(([, key]) => ({
      key_hash: hex(key.keyHash),
      owner: key.owner,
      transfer_agent: key.transferAgent,
      spend_limit_per_epoch: key.spendLimitPerEpoch,
      revoked: key.revoked,
      spent_epoch: key.spentEpoch.toString(),
      spent: key.spent,
    })),
    inferences: [...k.iterateInferences(ctx)].map((inf) => inferenceToJson(inf, pruneAt.get(inf.id))),
    executor_stats: [...k.iterateExecutorStats(ctx)].map((s) => ({
      executor: s.executor,
      completed: s.completed.toString(),
      missed: s.missed.toString(),
      earned: s.earned,
    })),
    seen_signatures: [...k.iterateSeenSignatures(ctx)].map((s) => ({
      hash: hex(s.hash),
      forget_at_ms: s.forgetAtMs.toString(),
    })),
  };
}
