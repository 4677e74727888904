// Stateless validation of x/inference's messages (the SDK's ValidateBasic): every untrusted
// field is bounded here before a handler reads state. msgServer.ts registers these as `validate`.
import { addressBytes } from '../../app/runtime/address.js';
import type {
  MsgFinishInference,
  MsgRegisterApiKey,
  MsgRegisterModel,
  MsgRevokeApiKey,
  MsgStartInference,
  MsgUpdateParams,
} from '../../proto/gen/gonka/inference/v1/tx.js';
import { inferenceErrors } from './errors.js';
import { MODEL_ID_RE, validateModel } from './model.js';
import { MAX_TOKENS_CAP, validateInferenceParams } from './params.js';

export const INFERENCE_ID_RE = /^[A-Za-z0-9_-]{1,128}$/;
/** Largest spend limit a key may carry (ngonka). */
export const MAX_SPEND_LIMIT = 10n ** 30n;

const bad = (m: string) => inferenceErrors.invalidInference(m);

function checkId(id: string): void {
  if (!INFERENCE_ID_RE.test(id))
    throw bad(`inference_id '${String(id).slice(0, 40)}' must match ${INFERENCE_ID_RE}`);
}

function checkModelId(id: string): void {
  if (!MODEL_ID_RE.test(id))
    throw inferenceErrors.unknownModel(`model id '${String(id).slice(0, 40)}' is malformed`);
}

function checkTokens(what: string, n: bigint, min: bigint): void {
  if (n < min || n > MAX_TOKENS_CAP) throw bad(`${what} ${n} is outside [${min}, ${MAX_TOKENS_CAP}]`);
}

function checkHash(what: string, b: Uint8Array, err = bad): void {
  if (b.length !== 32) throw err(`${what} must be 32 bytes`);
}

export function spendLimit(s: string): bigint {
  if (!/^\d{1,31}$/.test(s))
    throw inferenceErrors.invalidApiKey(
      `spend_limit_per_epoch '${String(s).slice(0, 40)}' is not an integer`,
    );
  const v = BigInt(s);
  if (v === 0n || v > MAX_SPEND_LIMIT)
    throw inferenceErrors.invalidApiKey(`spend_limit_per_epoch ${v} is outside [1, ${MAX_SPEND_LIMIT}]`);
  return v;
}

export function validateMsgUpdateParams(m: MsgUpdateParams): void {
  addressBytes(m.authority);
  validateInferenceParams(m.params);
}

export function validateMsgRegisterModel(m: MsgRegisterModel): void {
  addressBytes(m.authority);
  validateModel(m.model);
}

export function validateMsgRegisterApiKey(m: MsgRegisterApiKey): void {
  addressBytes(m.owner);
  addressBytes(m.transferAgent);
  checkHash('key_hash', m.keyHash, inferenceErrors.invalidApiKey);
  spendLimit(m.spendLimitPerEpoch);
}

export function validateMsgRevokeApiKey(m: MsgRevokeApiKey): void {
  addressBytes(m.owner);
  checkHash('key_hash', m.keyHash, inferenceErrors.invalidApiKey);
}

export function validateMsgStartInference(m: MsgStartInference): void {
  addressBytes(m.transferAgent);
  addressBytes(m.requestedBy);
  addressBytes(m.executor);
  checkId(m.inferenceId);
  checkModelId(m.modelId);
  checkHash('prompt_hash', m.promptHash);
  checkTokens('prompt_tokens', m.promptTokens, 1n);
  checkTokens('max_tokens', m.maxTokens, 1n);
  const hasKey = m.keyHash.length > 0;
  if (hasKey === (m.devSig !== undefined)) throw inferenceErrors.authorization();
  if (hasKey) checkHash('key_hash', m.keyHash, inferenceErrors.invalidApiKey);
  else {
    const s = m.devSig!;
    const sigErr = inferenceErrors.invalidDeveloperSignature;
    checkHash('dev_sig.body_hash', s.bodyHash, sigErr);
    if (s.pubkey.length !== 33) throw sigErr('dev_sig.pubkey must be a 33-byte compressed secp256k1 key');
    if (s.signature.length !== 64) throw sigErr('dev_sig.signature must be 64 bytes r‖s');
  }
}

export function validateMsgFinishInference(m: MsgFinishInference): void {
  addressBytes(m.executor);
  addressBytes(m.transferAgent);
  checkId(m.inferenceId);
  checkModelId(m.modelId);
  checkTokens('prompt_tokens', m.promptTokens, 1n);
  checkTokens('completion_tokens', m.completionTokens, 0n);
  checkHash('response_hash', m.responseHash);
  checkHash('payload_hash', m.payloadHash);
}
