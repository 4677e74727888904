// Model validation and its JSON form. A model's price params are parsed once into bigints
// (ParsedPrice) for the per-block price update (pricing.ts).
import type { Model, PriceParams } from '../../proto/gen/gonka/inference/v1/inference.js';
import { inferenceErrors } from './errors.js';
import { decField, formatDec, ONE } from './params.js';

export const MODEL_ID_RE = /^[a-zA-Z0-9._/-]{1,128}$/;
/** Prices are ngonka per token; this bounds escrow arithmetic (× at most 2 × MAX_CONTEXT tokens). */
export const MAX_PRICE = 10n ** 24n;
export const MAX_CONTEXT_LENGTH = 10_000_000n;
export const MAX_CAPACITY_TOKENS = 10n ** 12n;
/** recent_tokens is stored in ModelState and summed every block: at most this many entries. */
export const MAX_WINDOW_BLOCKS = 1_000n;
export const MAX_ELASTICITY = 100n * ONE;

export interface ParsedPrice {
  initialPrice: bigint;
  minPrice: bigint;
  utilizationLow: bigint;
  utilizationHigh: bigint;
  elasticity: bigint;
  maxChangePerBlock: bigint;
  capacityTokensPerBlock: bigint;
  windowBlocks: bigint;
}

const bad = (m: string) => inferenceErrors.invalidModel(m);

function amount(what: string, s: string): bigint {
  if (typeof s !== 'string' || !/^\d{1,25}$/.test(s))
    throw bad(`${what} '${String(s).slice(0, 40)}' is not an integer`);
  const v = BigInt(s);
  if (v < 1n || v > MAX_PRICE) throw bad(`${what} ${v} is outside [1, ${MAX_PRICE}]`);
  return v;
}

export function parsePrice(p: PriceParams | undefined): ParsedPrice {
  if (!p) throw bad('price must be set');
  const out: ParsedPrice = {
    initialPrice: amount('initial_price', p.initialPrice),
    minPrice: amount('min_price', p.minPrice),
    utilizationLow: decField('utilization_low', p.utilizationLow, bad),
    utilizationHigh: decField('utilization_high', p.utilizationHigh, bad),
    elasticity: decField('elasticity', p.elasticity, bad),
    maxChangePerBlock: decField('max_change_per_block', p.maxChangePerBlock, bad),
    capacityTokensPerBlock: p.capacityTokensPerBlock,
    windowBlocks: p.windowBlocks,
  };
  if (out.initialPrice < out.minPrice) throw bad('initial_price is below min_price');
  if (out.utilizationLow > out.utilizationHigh) throw bad('utilization_low is above utilization_high');
  if (out.utilizationHigh > ONE) throw bad('utilization_high is above 1');
  if (out.elasticity === 0n || out.elasticity > MAX_ELASTICITY)
    throw bad(`elasticity ${formatDec(out.elasticity)} is outside (0, 100]`);
  if (out.maxChangePerBlock === 0n || out.maxChangePerBlock > ONE)
    throw bad(`max_change_per_block ${formatDec(out.maxChangePerBlock)} is outside (0, 1]`);
  if (out.capacityTokensPerBlock < 1n || out.capacityTokensPerBlock > MAX_CAPACITY_TOKENS)
    throw bad(
      `capacity_tokens_per_block ${out.capacityTokensPerBlock} is outside [1, ${MAX_CAPACITY_TOKENS}]`,
    );
  if (out.windowBlocks < 1n || out.windowBlocks > MAX_WINDOW_BLOCKS)
    throw bad(`window_blocks ${out.windowBlocks} is outside [1, ${MAX_WINDOW_BLOCKS}]`);
  return out;
}

/**
 * Stateless model checks; `pocClasses` (x/poc's class ids, when it has any) bounds poc_class.
 * Returns the model in canonical form (decimals re-formatted) so equal models are equal bytes.
 */
export function validateModel(m: Model | undefined, pocClasses?: readonly number[]): Model {
  if (!m) throw bad('model must be set');
  if (!MODEL_ID_RE.test(m.id)) throw bad(`id '${String(m.id).slice(0, 40)}' must match ${MODEL_ID_RE}`);
  if (m.artifactHash.length !== 32) throw bad('artifact_hash must be 32 bytes (SHA-256)');
  if (m.contextLength < 1n || m.contextLength > MAX_CONTEXT_LENGTH)
    throw bad(`context_length ${m.contextLength} is outside [1, ${MAX_CONTEXT_LENGTH}]`);
  const price = parsePrice(m.price);
  const vt = decField('validation_threshold', m.validationThreshold, bad);
  if (vt === 0n || vt > ONE) throw bad(`validation_threshold ${m.validationThreshold} is outside (0, 1]`);
  if (m.pocClass < 1) throw bad('poc_class must be at least 1');
  if (pocClasses && pocClasses.length > 0 && !pocClasses.includes(m.pocClass))
    throw bad(`poc_class ${m.pocClass} is not a class of x/poc (${pocClasses.join(', ')})`);
  return {
    id: m.id,
    artifactHash: Uint8Array.from(m.artifactHash),
    contextLength: m.contextLength,
    price: {
      initialPrice: price.initialPrice.toString(),
      minPrice: price.minPrice.toString(),
      utilizationLow: formatDec(price.utilizationLow),
      utilizationHigh: formatDec(price.utilizationHigh),
      elasticity: formatDec(price.elasticity),
      maxChangePerBlock: formatDec(price.maxChangePerBlock),
      capacityTokensPerBlock: price.capacityTokensPerBlock,
      windowBlocks: price.windowBlocks,
    },
    validationThreshold: formatDec(vt),
    pocClass: m.pocClass,
  };
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

export const modelToJson = (m: Model) => ({
  id: m.id,
  artifact_hash: hex(m.artifactHash),
  context_length: m.contextLength.toString(),
  price: {
    initial_price: m.price!.initialPrice,
    min_price: m.price!.minPrice,
    utilization_low: m.price!.utilizationLow,
    utilization_high: m.price!.utilizationHigh,
    elasticity: m.price!.elasticity,
    max_change_per_block: m.price!.maxChangePerBlock,
    capacity_tokens_per_block: m.price!.capacityTokensPerBlock.toString(),
    window_blocks: m.price!.windowBlocks.toString(),
  },
  validation_threshold: m.validationThreshold,
  poc_class: m.pocClass,
});

export type ModelJson = ReturnType<typeof modelToJson>;

export function hexBytes(what: string, s: unknown, len: number, err: (m: string) => Error): Uint8Array {
  if (typeof s !== 'string' || s.length !== len * 2 || !/^[0-9a-fA-F]*$/.test(s))
    throw err(`${what} must be ${len} bytes of hex`);
  return Uint8Array.from(Buffer.from(s, 'hex'));
}

export function jsonUint(what: string, v: unknown, err: (m: string) => Error): bigint {
  if ((typeof v !== 'string' && typeof v !== 'number') || !/^\d{1,19}$/.test(String(v)))
    throw err(`${what} must be an unsigned integer, got ${JSON.stringify(v)?.slice(0, 40)}`);
  const n = BigInt(String(v));
  if (n >= 1n << 64n) throw err(`${what} exceeds u64`);
  return n;
}

export function u32(what: string, v: unknown, err: (m: string) => Error): number {
  const n = jsonUint(what, v, err);
  if (n > 0xffff_ffffn) throw err(`${what} exceeds u32`);
  return Number(n);
}

export function modelFromJson(j: unknown, err: (m: string) => Error): Model {
  if (typeof j !== 'object' || j === null) throw err('model must be an object');
  const o = j as Record<string, unknown>;
  const p = (o.price ?? {}) as Record<string, unknown>;
  const s = (v: unknown) => (v === undefined ? '' : String(v));
  return {
    id: s(o.id),
    artifactHash: hexBytes(`artifact_hash of model ${s(o.id).slice(0, 40)}`, o.artifact_hash, 32, err),
    contextLength: jsonUint('context_length', o.context_length, err),
    price: {
      initialPrice: s(p.initial_price),
      minPrice: s(p.min_price),
      utilizationLow: s(p.utilization_low),
      utilizationHigh: s(p.utilization_high),
      elasticity: s(p.elasticity),
      maxChangePerBlock: s(p.max_change_per_block),
      capacityTokensPerBlock: jsonUint('capacity_tokens_per_block', p.capacity_tokens_per_block, err),
      windowBlocks: jsonUint('window_blocks', p.window_blocks, err),
    },
    validationThreshold: s(o.validation_threshold),
    pocClass: u32('poc_class', o.poc_class, err),
  };
}
