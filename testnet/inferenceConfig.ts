// The paid-inference part of a testnet (issue 14): the demo model in x/inference genesis (every
// validator's ML node loads it, see pocConfig.initServices), each validator a participant that
// serves it from block 1 (api_url and classes in x/poc genesis, not waiting for a Sprint), x/inference
// params for tests (e.g. a short expiration), and bearer keys whose transfer agent is a validator's
// API node, named by index because operator accounts are made during init.
import {
  addInferenceGenesis,
  apiKeyGenesis,
  demoModelGenesis,
  type PriceParamsJson,
} from '../app/inferenceGenesis.js';
import { isPocClassName, POC_CLASSES } from '../kernels/poc/classes.js';
import type { PocGenesis } from '../x/poc/genesis.js';
import type { ValidatorEntry } from './manifest.js';

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
  validators: readonly ValidatorEntry[],
): Promise<void> {
  const apiKeys = (o.apiKeys ?? []).map((k) => {
    const ta = validators[k.transferAgent]?.operator;
    if (ta === undefined) throw new Error(`API key transfer agent: no validator ${k.transferAgent}`);
    return apiKeyGenesis(k.keyHash, k.owner, ta, k.spendLimitPerEpoch);
  });
  addInferenceGenesis(appState, {
    models: [await demoModelGenesis(o.price)],
    apiKeys,
    ...(o.params ? { params: o.params } : {}),
  });
  const poc = appState.poc as PocGenesis;
  for (const p of poc.participants) {
    const v = validators.find((x) => x.operator === p.address);
    if (v?.ports.api === undefined || !v.services) continue;
    p.api_url = `http://127.0.0.1:${v.ports.api}`;
    p.classes = v.services.classes.filter(isPocClassName).map((c) => POC_CLASSES[c].id);
  }
}
