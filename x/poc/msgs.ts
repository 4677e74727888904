// Stateless validation of x/poc's messages (the SDK's ValidateBasic), checked before any store
// access; msgServer.ts registers it as the message's `validate` and checks state itself.
import { addressBytes } from '../../app/runtime/address.js';
import { sdkErrors } from '../../app/runtime/errors.js';
import { Verdict } from '../../proto/gen/gonka/poc/v1/poc.js';
import type {
  MsgPocCommit,
  MsgPocValidation,
  MsgRegisterParticipant,
  MsgUpdateParams,
  MsgUpdateParticipant,
} from '../../proto/gen/gonka/poc/v1/tx.js';
import { ED25519_PUBKEY_LENGTH } from './keeper.js';
import { MAX_CLASSES, validatePocParams } from './params.js';
import { ED25519_SIG_BYTES } from './registration.js';
import { SAMPLE_SIG_BYTES } from './sample.js';

export const MAX_API_URL_BYTES = 256;
/** Verdicts one MsgPocValidation may carry (each costs a signature check). */
export const MAX_VALIDATIONS_PER_MSG = 256;
export const COMMIT_ROOT_BYTES = 32;

export function validateMsgUpdateParams(m: MsgUpdateParams): void {
  addressBytes(m.authority);
  validatePocParams(m.params);
}

export function validateApiUrl(url: string): void {
  if (Buffer.byteLength(url, 'utf8') > MAX_API_URL_BYTES)
    throw sdkErrors.invalidRequest(`api_url is over ${MAX_API_URL_BYTES} bytes`);
  if (!/^https?:\/\/[\x21-\x7e]+$/.test(url))
    throw sdkErrors.invalidRequest('api_url must be an http:// or https:// URL of printable ASCII');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw sdkErrors.invalidRequest('api_url is not a URL');
  }
  if (parsed.hostname === '') throw sdkErrors.invalidRequest('api_url has no host');
}

export function validateClassList(classes: readonly number[]): void {
  if (classes.length > MAX_CLASSES) throw sdkErrors.invalidRequest(`at most ${MAX_CLASSES} classes`);
  for (let i = 0; i < classes.length; i++)
    if (classes.indexOf(classes[i]!) !== i)
      throw sdkErrors.invalidRequest(`class ${classes[i]} listed twice`);
}

export function validateMsgRegisterParticipant(m: MsgRegisterParticipant): void {
  addressBytes(m.participant);
  validateApiUrl(m.apiUrl);
  if (m.consensusPubkey.length !== ED25519_PUBKEY_LENGTH)
    throw sdkErrors.invalidRequest(`consensus_pubkey must be ${ED25519_PUBKEY_LENGTH} bytes`);
  if (m.pop.length !== ED25519_SIG_BYTES)
    throw sdkErrors.invalidRequest(`pop must be ${ED25519_SIG_BYTES} bytes`);
  validateClassList(m.classes);
}

export function validateMsgUpdateParticipant(m: MsgUpdateParticipant): void {
  addressBytes(m.participant);
  validateApiUrl(m.apiUrl);
  validateClassList(m.classes);
}

export function validateMsgPocCommit(m: MsgPocCommit): void {
  addressBytes(m.participant);
  if (m.root.length !== COMMIT_ROOT_BYTES)
    throw sdkErrors.invalidRequest(`root must be ${COMMIT_ROOT_BYTES} bytes`);
}

export function validateMsgPocValidation(m: MsgPocValidation): void {
  addressBytes(m.validator);
  if (m.validations.length < 1 || m.validations.length > MAX_VALIDATIONS_PER_MSG)
    throw sdkErrors.invalidRequest(`between 1 and ${MAX_VALIDATIONS_PER_MSG} validations per message`);
  for (const v of m.validations) {
    addressBytes(v.participant);
    if (
      v.verdict !== Verdict.VERDICT_VALID &&
      v.verdict !== Verdict.VERDICT_INVALID &&
      v.verdict !== Verdict.VERDICT_UNAVAILABLE
    )
      throw sdkErrors.invalidRequest(`verdict ${v.verdict} is not VALID, INVALID or UNAVAILABLE`);
    if (v.sampleSig.length !== SAMPLE_SIG_BYTES)
      throw sdkErrors.invalidRequest(`sample_sig must be ${SAMPLE_SIG_BYTES} bytes`);
  }
}
