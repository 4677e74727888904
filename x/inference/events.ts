// x/inference events: one per state change a client follows (the API node watches
// inference_completed / inference_expired; explorers the rest).
import type { Event } from 'cosmjs-types/tendermint/abci/types';
import { event } from '../../app/runtime/events.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

export const updateParams = (): Event => event('update_params', [['module', 'inference']]);

export const modelRegistered = (id: string, replaced: boolean): Event =>
  event('inference_model_registered', [
    ['model_id', id],
    ['replaced', String(replaced)],
  ]);

export const apiKeyRegistered = (hash: Uint8Array, owner: string, ta: string, limit: bigint): Event =>
  event('api_key_registered', [
    ['key_hash', hex(hash)],
    ['owner', owner],
    ['transfer_agent', ta],
    ['spend_limit_per_epoch', limit.toString()],
  ]);

export const apiKeyRevoked = (hash: Uint8Array, owner: string): Event =>
  event('api_key_revoked', [
    ['key_hash', hex(hash)],
    ['owner', owner],
  ]);

export const inferenceStarted = (
  id: string,
  model: string,
  requestedBy: string,
  executor: string,
  price: bigint,
  escrow: bigint,
): Event =>
  event('inference_started', [
    ['inference_id', id],
    ['model_id', model],
    ['requested_by', requestedBy],
    ['executor', executor],
    ['price', price.toString()],
    ['escrow', escrow.toString()],
  ]);

export const inferenceFinishedFirst = (
  id: string,
  executor: string,
  completion: bigint,
  price: bigint,
): Event =>
  event('inference_finished_first', [
    ['inference_id', id],
    ['executor', executor],
    ['completion_tokens', completion.toString()],
    ['price', price.toString()],
  ]);

export const inferenceCompleted = (
  id: string,
  requestedBy: string,
  executor: string,
  promptTokens: bigint,
  completionTokens: bigint,
  cost: bigint,
  refund: bigint,
): Event =>
  event('inference_completed', [
    ['inference_id', id],
    ['requested_by', requestedBy],
    ['executor', executor],
    ['prompt_tokens', promptTokens.toString()],
    ['completion_tokens', completionTokens.toString()],
    ['cost', cost.toString()],
    ['refund', refund.toString()],
  ]);

export const inferenceExpired = (id: string, executor: string, started: boolean, refund: bigint): Event =>
  event('inference_expired', [
    ['inference_id', id],
    ['executor', executor],
    ['started', String(started)],
    ['refund', refund.toString()],
  ]);

export const modelPrice = (id: string, before: bigint, after: bigint, utilization: string): Event =>
  event('inference_model_price', [
    ['model_id', id],
    ['price_before', before.toString()],
    ['price', after.toString()],
    ['utilization', utilization],
  ]);
