// The x/inference msgs the API node queues in its broadcaster, and the hashes they carry
// (inference-contract.md): prompt/response hash = SHA-256 of the token ids as u32 BE each.
import { createHash, randomBytes } from 'node:crypto';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import type { DeveloperSignature } from '../../../proto/gen/gonka/inference/v1/inference.js';
import { MsgFinishInference, MsgStartInference } from '../../../proto/gen/gonka/inference/v1/tx.js';
import { typeUrl } from '../../../proto/gonka/registry.js';

/** Gas added per Start or Finish over its simulation. The simulation runs against the state
 *  before the block; if the other msg of the inference lands first (either order is accepted),
 *  this one settles it (bank transfers, key refund, stats) and costs ~20k gas more than it
 *  simulated, and an out-of-gas would lose the whole packed tx. */
export const SETTLE_GAS_MARGIN = 40_000n;

export const INFERENCE_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** `inf-` + 32 lowercase hex of crypto randomness: unpredictable, so no executor can pick a seed. */
export const newInferenceId = (): string => `inf-${randomBytes(16).toString('hex')}`;

export function tokensHash(ids: readonly number[]): Uint8Array {
  const buf = Buffer.alloc(ids.length * 4);
  for (let i = 0; i < ids.length; i++) buf.writeUInt32BE(ids[i] as number, i * 4);
  return createHash('sha256').update(buf).digest();
}

export const sha256 = (b: Uint8Array | string): Uint8Array => createHash('sha256').update(b).digest();

export interface StartFields {
  transferAgent: string;
  inferenceId: string;
  modelId: string;
  requestedBy: string;
  executor: string;
  promptTokens: number[];
  maxTokens: number;
  keyHash?: Uint8Array;
  devSig?: DeveloperSignature;
}

export function startMsg(f: StartFields): Any {
  const msg = MsgStartInference.fromPartial({
    transferAgent: f.transferAgent,
    inferenceId: f.inferenceId,
    modelId: f.modelId,
    requestedBy: f.requestedBy,
    executor: f.executor,
    promptHash: tokensHash(f.promptTokens),
    promptTokens: BigInt(f.promptTokens.length),
    maxTokens: BigInt(f.maxTokens),
    keyHash: f.keyHash ?? new Uint8Array(0),
    devSig: f.devSig,
  });
  return { typeUrl: typeUrl(MsgStartInference), value: MsgStartInference.encode(msg).finish() };
}

export interface FinishFields {
  executor: string;
  inferenceId: string;
  modelId: string;
  transferAgent: string;
  promptTokens: number;
  completionTokens: number[];
  payloadHash: Uint8Array;
}

export function finishMsg(f: FinishFields): Any {
  const msg = MsgFinishInference.fromPartial({
    executor: f.executor,
    inferenceId: f.inferenceId,
    modelId: f.modelId,
    transferAgent: f.transferAgent,
    promptTokens: BigInt(f.promptTokens),
    completionTokens: BigInt(f.completionTokens.length),
    responseHash: tokensHash(f.completionTokens),
    payloadHash: f.payloadHash,
  });
  return { typeUrl: typeUrl(MsgFinishInference), value: MsgFinishInference.encode(msg).finish() };
}
