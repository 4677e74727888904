// Shared set-up for the x/inference tests: an in-process chain (tx-harness) whose keys 0 (the
// transfer agent) and 1 (the executor) are PoC participants, key 2 a developer, key 3 another
// account; the fast inference profile (expiry after 20 blocks) and one model, `gonka/demo`, at a
// fixed price (its band is wide open so the price does not move unless a test asks it to).
import { createHash } from 'node:crypto';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import type { ExecTxResult } from 'cosmjs-types/tendermint/abci/types';
import { moduleAddress } from '../../app/runtime/address.js';
import type { DeveloperSignature } from '../../proto/gen/gonka/inference/v1/inference.js';
import {
  QueryApiKeyRequest,
  QueryApiKeyResponse,
  QueryExecutorStatsRequest,
  QueryExecutorStatsResponse,
  QueryInferenceRequest,
  QueryInferenceResponse,
} from '../../proto/gen/gonka/inference/v1/query.js';
import {
  MsgFinishInference,
  MsgRegisterApiKey,
  MsgRevokeApiKey,
  MsgStartInference,
} from '../../proto/gen/gonka/inference/v1/tx.js';
import { typeUrl } from '../../proto/gonka/registry.js';
import { INFERENCE_MODULE } from '../../x/inference/keeper.js';
import { inferenceParams, inferenceParamsToJson } from '../../x/inference/params.js';
import { developerSignBytes } from '../../x/inference/seed.js';
import { accountOf, signTx, type TestChain, type TestKey } from './tx-harness.js';

export const TA = 0;
export const EXEC = 1;
export const DEV = 2;
export const OTHER = 3;
export const MODEL = 'gonka/demo';
export const PRICE = 7n;
export const CONTEXT = 2048n;
/** The fee `deliver` pays (tx-harness: gas ÷ 10, rounded up). */
export const FEE = 200_000n;
export const ESCROW_ADDRESS = moduleAddress(INFERENCE_MODULE);

export const sha = (s: string | Uint8Array) => createHash('sha256').update(s).digest();

export function demoModelJson(over: Record<string, unknown> = {}) {
  return {
    id: MODEL,
    artifact_hash: sha('demo-artifacts').toString('hex'),
    context_length: CONTEXT.toString(),
    price: {
      initial_price: PRICE.toString(),
      min_price: '1',
      utilization_low: '0',
      utilization_high: '1',
      elasticity: '1',
      max_change_per_block: '0.05',
      capacity_tokens_per_block: '1000000',
      window_blocks: '10',
    },
    validation_threshold: '0.85',
    poc_class: 1,
    ...over,
  };
}

export function inferenceAppState(keys: { address: string }[], edit?: (s: Record<string, any>) => void) {
  return (s: Record<string, any>) => {
    s.poc = {
      ...(s.poc ?? {}),
      participants: [TA, EXEC].map((i) => ({
        address: keys[i]!.address,
        consensus_pubkey: sha(`inference-test-validator-${i}`).toString('base64'),
        weight: '10',
        classes: [1],
      })),
    };
    s.inference = { params: inferenceParamsToJson(inferenceParams('fast')), models: [demoModelJson()] };
    edit?.(s);
  };
}

const msg = (
  codec: { $type: string; encode(m: any): { finish(): Uint8Array }; fromPartial(m: any): any },
  v: unknown,
): Any => ({
  typeUrl: typeUrl(codec),
  value: codec.encode(codec.fromPartial(v)).finish(),
});

export const registerKeyMsg = (owner: string, secret: string, ta: string, limit: bigint) =>
  msg(MsgRegisterApiKey, {
    owner,
    keyHash: sha(secret),
    transferAgent: ta,
    spendLimitPerEpoch: limit.toString(),
  });

export const revokeKeyMsg = (owner: string, secret: string) =>
  msg(MsgRevokeApiKey, { owner, keyHash: sha(secret) });

export interface StartArgs {
  id: string;
  ta: string;
  dev: string;
  executor: string;
  prompt: bigint;
  max: bigint;
  secret?: string;
  devSig?: DeveloperSignature;
  model?: string;
}

export const startMsg = (a: StartArgs) =>
  msg(MsgStartInference, {
    transferAgent: a.ta,
    inferenceId: a.id,
    modelId: a.model ?? MODEL,
    requestedBy: a.dev,
    executor: a.executor,
    promptHash: sha(`prompt-${a.id}`),
    promptTokens: a.prompt,
    maxTokens: a.max,
    keyHash: a.secret === undefined ? new Uint8Array(0) : sha(a.secret),
    devSig: a.devSig,
  });

export interface FinishArgs {
  id: string;
  ta: string;
  executor: string;
  prompt: bigint;
  completion: bigint;
  model?: string;
}

export const finishMsg = (a: FinishArgs) =>
  msg(MsgFinishInference, {
    executor: a.executor,
    inferenceId: a.id,
    modelId: a.model ?? MODEL,
    transferAgent: a.ta,
    promptTokens: a.prompt,
    completionTokens: a.completion,
    responseHash: sha(`response-${a.id}`),
    payloadHash: sha(`payload-${a.id}`),
  });

/** A developer's signature for a request body, at `timestampMs`, for transfer agent `ta`. */
export function devSignature(
  dev: TestKey,
  body: string,
  timestampMs: bigint,
  ta: string,
): DeveloperSignature {
  const bodyHash = sha(body);
  return {
    bodyHash,
    timestampMs,
    pubkey: dev.pubKey,
    signature: dev.sign(developerSignBytes(bodyHash, timestampMs, ta)),
  };
}

/** Signs `msgs` with key i at its current sequence and delivers them in one block. */
export async function deliver(
  chain: TestChain,
  i: number,
  msgs: Any[],
  gas = 2_000_000n,
): Promise<ExecTxResult> {
  const key = chain.keys[i]!;
  const acct = accountOf(chain, key.address);
  const tx = signTx(key, { msgs, sequence: acct.sequence, accountNumber: acct.accountNumber, gas });
  const res = await chain.block([tx]);
  return res.txResults[0]!;
}

export function inferenceOf(chain: TestChain, id: string) {
  return chain.query(
    '/gonka.inference.v1.Query/Inference',
    QueryInferenceRequest,
    QueryInferenceResponse,
    QueryInferenceRequest.fromPartial({ id }),
  ).inference!;
}

export function statsOf(chain: TestChain, executor: string) {
  return chain.query(
    '/gonka.inference.v1.Query/ExecutorStats',
    QueryExecutorStatsRequest,
    QueryExecutorStatsResponse,
    { executor },
  ).stats!;
}

export function apiKeyOf(chain: TestChain, secret: string) {
  return chain.query('/gonka.inference.v1.Query/ApiKey', QueryApiKeyRequest, QueryApiKeyResponse, {
    keyHash: sha(secret).toString('hex'),
  }).key!;
}

/** Block time of the next block in ms (tx-harness: 1_700_000_000 + height seconds). */
export const nextBlockMs = (chain: TestChain) => (1_700_000_000n + chain.height + 1n) * 1000n;
