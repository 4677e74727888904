// The paid-inference part of a testnet (issue 14): the demo model in x/inference genesis (every
// validator's ML node loads it, see pocConfig.initServices), x/inference params for tests (e.g. a
// short expiration), and bearer keys whose transfer agent is a validator's API node, named by
// index because operator accounts are made during init.
import {
  addInferenceGenesis,
  apiKeyGenesis,
  demoModelGenesis,
  type PriceParamsJson,
} from '../app/inferenceGenesis.js';

export interface TestnetApiKey {
  /** SHA-256 of the secret (app/apiKeySecret.ts apiKeyHash). */
  keyHash: Uint8Array;
  /** The paying account (give it funds through appState or operatorFunds). */
  owner: string;
  /** Index of the validator whose API node is the key's transfer agent. */
  transferAgent: number;
  spendLimitPerEpoch: bigint;
}

export interface InferenceTestnetOptions {
  /** x/inference params fields to override (snake_case, decimal strings), e.g. expiration_blocks. */
  params?: Record<string, string | number>;
  /** The demo model's price (default DEMO_PRICE). */
  price?: PriceParamsJson;
  apiKeys?: TestnetApiKey[];
}

export async function addInferenceTestnetGenesis(
  appState: Record<string, unknown>,
  o: InferenceTestnetOptions,
  operators: string[],
): Promise<void> {
  const apiKeys = (o.apiKeys ?? []).map((k) => {
    const ta = operators[k.transferAgent];
    if (ta === undefined) throw new Error(`API key transfer agent: no validator ${k.transferAgent}`);
    return apiKeyGenesis(k.keyHash, k.owner, ta, k.spendLimitPerEpoch);
  });
  addInferenceGenesis(appState, {
    models: [await demoModelGenesis(o.price)],
    apiKeys,
    ...(o.params ? { params: o.params } : {}),
  });
}
