// x/inference params: validation, defaults, network profiles and the JSON form of genesis
// (snake_case, integers of 64 bits as strings like the other modules). Decimals are fixed-point
// bigints with 18 fractional digits (app/runtime/decimal); the stored form is canonical.
import { formatDec, ONE, parseDec } from '../../app/runtime/decimal.js';
import type { Params } from '../../proto/gen/gonka/inference/v1/inference.js';
import { inferenceErrors } from './errors.js';

export const MAX_EXPIRATION_BLOCKS = 100_000n;
export const MAX_TOKENS_CAP = 10_000_000n;
export const MAX_MSGS_PER_BLOCK = 100_000;
export const MIN_SIGNED_WINDOW_MS = 1_000n;
export const MAX_SIGNED_WINDOW_MS = 3_600_000n;
export const MAX_MODELS = 1_000;
export const MAX_KEYS_PER_OWNER = 10_000;

export type InferenceProfile = 'devnet' | 'fast';

/**
 * devnet: an inference not settled within 150 blocks (a few minutes of devnet blocks) is refunded.
 * fast (tests, DESIGN.md §10): 20 blocks, so the expiry path is reached within seconds.
 */
export function inferenceParams(profile: InferenceProfile = 'devnet'): Params {
  return {
    expirationBlocks: profile === 'fast' ? 20n : 150n,
    maxTokensCap: 32_768n,
    maxInferenceMsgsPerBlock: 10_000,
    signedRequestWindowMs: 60_000n,
    maxModels: 64,
    maxKeysPerOwner: 100,
  };
}

export const defaultInferenceParams = (): Params => inferenceParams('devnet');

function inRange(name: string, v: bigint, lo: bigint, hi: bigint): void {
  if (v < lo || v > hi) throw inferenceErrors.invalidParams(`${name} ${v} is outside [${lo}, ${hi}]`);
}

/** Validates params; throws inference 2 naming the first bad field. */
export function validateInferenceParams(p: Params | undefined): Params {
  if (!p) throw inferenceErrors.invalidParams('params must be set');
  inRange('expiration_blocks', p.expirationBlocks, 1n, MAX_EXPIRATION_BLOCKS);
  inRange('max_tokens_cap', p.maxTokensCap, 1n, MAX_TOKENS_CAP);
  inRange('max_inference_msgs_per_block', BigInt(p.maxInferenceMsgsPerBlock), 1n, BigInt(MAX_MSGS_PER_BLOCK));
  inRange('signed_request_window_ms', p.signedRequestWindowMs, MIN_SIGNED_WINDOW_MS, MAX_SIGNED_WINDOW_MS);
  inRange('max_models', BigInt(p.maxModels), 1n, BigInt(MAX_MODELS));
  inRange('max_keys_per_owner', BigInt(p.maxKeysPerOwner), 1n, BigInt(MAX_KEYS_PER_OWNER));
  return p;
}

export const inferenceParamsToJson = (p: Params) => ({
  expiration_blocks: p.expirationBlocks.toString(),
  max_tokens_cap: p.maxTokensCap.toString(),
  max_inference_msgs_per_block: p.maxInferenceMsgsPerBlock,
  signed_request_window_ms: p.signedRequestWindowMs.toString(),
  max_models: p.maxModels,
  max_keys_per_owner: p.maxKeysPerOwner,
});

/** Parses genesis JSON params; fields left out take the devnet defaults. */
export function inferenceParamsFromJson(j: unknown): Params {
  const d = defaultInferenceParams();
  if (j === undefined || j === null) return d;
  if (typeof j !== 'object') throw inferenceErrors.invalidParams('params must be an object');
  const o = j as Record<string, unknown>;
  const uint = (k: string, dflt: bigint): bigint => {
    const v = o[k];
    if (v === undefined) return dflt;
    if (!/^\d{1,19}$/.test(String(v)))
      throw inferenceErrors.invalidParams(`${k} '${String(v).slice(0, 40)}' is not an unsigned integer`);
    return BigInt(String(v));
  };
  const u32 = (k: string, dflt: number): number => {
    const v = uint(k, BigInt(dflt));
    if (v > 0xffff_ffffn) throw inferenceErrors.invalidParams(`${k} ${v} exceeds u32`);
    return Number(v);
  };
  return validateInferenceParams({
    expirationBlocks: uint('expiration_blocks', d.expirationBlocks),
    maxTokensCap: uint('max_tokens_cap', d.maxTokensCap),
    maxInferenceMsgsPerBlock: u32('max_inference_msgs_per_block', d.maxInferenceMsgsPerBlock),
    signedRequestWindowMs: uint('signed_request_window_ms', d.signedRequestWindowMs),
    maxModels: u32('max_models', d.maxModels),
    maxKeysPerOwner: u32('max_keys_per_owner', d.maxKeysPerOwner),
  });
}

/** A decimal field as atto-units; `what` names it in the error thrown by `err`. */
export function decField(what: string, s: string, err: (m: string) => Error): bigint {
  try {
    return parseDec(s);
  } catch {
    throw err(`${what} '${String(s).slice(0, 40)}' is not a decimal with at most 18 fractional digits`);
  }
}

export { formatDec, ONE };
