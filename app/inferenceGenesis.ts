// x/inference genesis entries for local networks (`gonkad devnet`, the testnet harness): the demo
// model as governance would register it (the artifact hash of the files the ML node loads, its
// context length, a price) and bearer keys granted to an API node. JSON in x/inference's genesis
// format (snake_case, amounts as decimal strings, hashes as hex).
import { modelArtifactHashHex } from '../kernels/executor/artifactHash.js';
import { DEMO_SHAPE, DEMO_VALIDATION_THRESHOLD, ensureDemoModelDir } from '../kernels/executor/model/demo.js';
import type { InferenceGenesis } from '../x/inference/genesis.js';
import type { ModelJson } from '../x/inference/model.js';
import { CLASS_TINY } from '../x/poc/params.js';

/** The demo model's id on chain (inference-contract). */
export const DEMO_MODEL_ID = 'gonka/demo';

// The JSON shapes are x/inference's own genesis types, so a field added there reaches these too.
export type { ModelJson };
export type PriceParamsJson = ModelJson['price'];
export type ApiKeyJson = NonNullable<InferenceGenesis['api_keys']>[number];

/**
 * The demo model's price: 100 ngonka a token, never below 50; it moves only when the recent
 * blocks' reserved tokens leave the 30-70% band of 10,000 tokens a block (a local network's one
 * CPU ML node is far below it, so in practice the price drifts to the floor and stays there).
 */
export const DEMO_PRICE: PriceParamsJson = {
  initial_price: '100',
  min_price: '50',
  utilization_low: '0.3',
  utilization_high: '0.7',
  elasticity: '0.5',
  max_change_per_block: '0.02',
  capacity_tokens_per_block: '10000',
  window_blocks: '10',
};

/**
 * The demo model's registry entry: the artifact hash of the directory `gonkad ml start --model
 * demo` loads (written once under the OS temp dir), served by participants mining class tiny.
 */
export async function demoModelGenesis(price: PriceParamsJson = DEMO_PRICE): Promise<ModelJson> {
  return {
    id: DEMO_MODEL_ID,
    artifact_hash: await modelArtifactHashHex(ensureDemoModelDir()),
    context_length: String(DEMO_SHAPE.maxPositions),
    price,
    validation_threshold: String(DEMO_VALIDATION_THRESHOLD),
    poc_class: CLASS_TINY,
  };
}

/** A bearer key entry: owner grants transfer_agent up to spendLimit ngonka of escrow per epoch. */
export function apiKeyGenesis(
  keyHash: Uint8Array,
  owner: string,
  transferAgent: string,
  spendLimit: bigint,
): ApiKeyJson {
  return {
    key_hash: Buffer.from(keyHash).toString('hex'),
    owner,
    transfer_agent: transferAgent,
    spend_limit_per_epoch: spendLimit.toString(),
  };
}

/**
 * Adds models and keys to appState.inference (x/inference's defaults when present) and overrides
 * the given params fields; the chain validates all of it at InitChain.
 */
export function addInferenceGenesis(
  appState: Record<string, unknown>,
  add: { models?: ModelJson[]; apiKeys?: ApiKeyJson[]; params?: Record<string, string | number> },
): void {
  const g = (appState.inference ?? {}) as {
    params?: Record<string, unknown>;
    models?: ModelJson[];
    api_keys?: ApiKeyJson[];
  };
  appState.inference = {
    ...g,
    ...(add.params ? { params: { ...g.params, ...add.params } } : {}),
    models: [...(g.models ?? []), ...(add.models ?? [])],
    api_keys: [...(g.api_keys ?? []), ...(add.apiKeys ?? [])],
  };
}
