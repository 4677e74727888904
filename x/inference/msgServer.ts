// The gonka.inference.v1.Msg service: governance's UpdateParams and RegisterModel, a developer's
// RegisterApiKey / RevokeApiKey, the transfer agent's StartInference and the executor's
// FinishInference (escrow.ts holds their rules).
import type { Context } from '../../app/runtime/context.js';
import { assertAuthority } from '../../app/runtime/errors.js';
import type { MsgRouter } from '../../app/runtime/router.js';
import type { Model } from '../../proto/gen/gonka/inference/v1/inference.js';
import {
  MsgFinishInference,
  MsgFinishInferenceResponse,
  MsgRegisterApiKey,
  MsgRegisterApiKeyResponse,
  MsgRegisterModel,
  MsgRegisterModelResponse,
  MsgRevokeApiKey,
  MsgRevokeApiKeyResponse,
  MsgStartInference,
  MsgStartInferenceResponse,
  MsgUpdateParams,
  MsgUpdateParamsResponse,
} from '../../proto/gen/gonka/inference/v1/tx.js';
import { typeUrl } from '../../proto/gonka/registry.js';
import { inferenceErrors } from './errors.js';
import { finishInference, startInference } from './escrow.js';
import * as ev from './events.js';
import type { InferenceKeeper } from './keeper.js';
import { validateModel } from './model.js';
import {
  spendLimit,
  validateMsgFinishInference,
  validateMsgRegisterApiKey,
  validateMsgRegisterModel,
  validateMsgRevokeApiKey,
  validateMsgStartInference,
  validateMsgUpdateParams,
} from './msgs.js';
import { validateInferenceParams } from './params.js';

export function registerInferenceMsgs(msgs: MsgRouter, keeper: InferenceKeeper, authority: string): void {
  registerGovernanceMsgs(msgs, keeper, authority);
  registerKeyMsgs(msgs, keeper);
  registerInferenceFlowMsgs(msgs, keeper);
}

/** UpdateParams and RegisterModel: the gov module account only. */
function registerGovernanceMsgs(msgs: MsgRouter, keeper: InferenceKeeper, authority: string): void {
  msgs.register({
    typeUrl: typeUrl(MsgUpdateParams),
    request: MsgUpdateParams,
    responseTypeUrl: typeUrl(MsgUpdateParamsResponse),
    response: MsgUpdateParamsResponse,
    signers: (m) => [m.authority],
    validate: validateMsgUpdateParams,
    handle(ctx, m) {
      assertAuthority(authority, m.authority);
      keeper.setParams(ctx, validateInferenceParams(m.params));
      ctx.events.emit(ev.updateParams());
      return {};
    },
  });

  msgs.register({
    typeUrl: typeUrl(MsgRegisterModel),
    request: MsgRegisterModel,
    responseTypeUrl: typeUrl(MsgRegisterModelResponse),
    response: MsgRegisterModelResponse,
    signers: (m) => [m.authority],
    validate: validateMsgRegisterModel,
    handle(ctx, m) {
      assertAuthority(authority, m.authority);
      registerModel(ctx, keeper, validateModel(m.model, keeper.poc.pocClassIds(ctx)));
      return {};
    },
  });
}

/** A developer's bearer keys. */
function registerKeyMsgs(msgs: MsgRouter, keeper: InferenceKeeper): void {
  msgs.register({
    typeUrl: typeUrl(MsgRegisterApiKey),
    request: MsgRegisterApiKey,
    responseTypeUrl: typeUrl(MsgRegisterApiKeyResponse),
    response: MsgRegisterApiKeyResponse,
    signers: (m) => [m.owner],
    validate: validateMsgRegisterApiKey,
    handle(ctx, m) {
      const limit = spendLimit(m.spendLimitPerEpoch);
      if (keeper.getApiKey(ctx, m.keyHash))
        throw inferenceErrors.duplicateApiKey(Buffer.from(m.keyHash).toString('hex'));
      const live = keeper.liveKeyCount(ctx, m.owner);
      const max = BigInt(keeper.getParams(ctx).maxKeysPerOwner);
      if (live >= max) throw inferenceErrors.tooManyApiKeys(`${m.owner} has ${live} live keys (max ${max})`);
      keeper.addApiKey(ctx, {
        keyHash: Uint8Array.from(m.keyHash),
        owner: m.owner,
        transferAgent: m.transferAgent,
        spendLimitPerEpoch: limit.toString(),
        revoked: false,
        spentEpoch: 0n,
        spent: '0',
      });
      keeper.setLiveKeyCount(ctx, m.owner, live + 1n);
      ctx.events.emit(ev.apiKeyRegistered(m.keyHash, m.owner, m.transferAgent, limit));
      return {};
    },
  });

  msgs.register({
    typeUrl: typeUrl(MsgRevokeApiKey),
    request: MsgRevokeApiKey,
    responseTypeUrl: typeUrl(MsgRevokeApiKeyResponse),
    response: MsgRevokeApiKeyResponse,
    signers: (m) => [m.owner],
    validate: validateMsgRevokeApiKey,
    handle(ctx, m) {
      const key = keeper.getApiKey(ctx, m.keyHash);
      if (!key) throw inferenceErrors.unknownApiKey(Buffer.from(m.keyHash).toString('hex'));
      if (key.owner !== m.owner) throw inferenceErrors.notKeyOwner(`the key belongs to ${key.owner}`);
      if (key.revoked) throw inferenceErrors.revokedApiKey('already revoked');
      keeper.setApiKey(ctx, { ...key, revoked: true });
      const live = keeper.liveKeyCount(ctx, m.owner);
      keeper.setLiveKeyCount(ctx, m.owner, live > 0n ? live - 1n : 0n);
      ctx.events.emit(ev.apiKeyRevoked(m.keyHash, m.owner));
      return {};
    },
  });
}

/** The transfer agent's Start and the executor's Finish (escrow.ts). */
function registerInferenceFlowMsgs(msgs: MsgRouter, keeper: InferenceKeeper): void {
  msgs.register({
    typeUrl: typeUrl(MsgStartInference),
    request: MsgStartInference,
    responseTypeUrl: typeUrl(MsgStartInferenceResponse),
    response: MsgStartInferenceResponse,
    signers: (m) => [m.transferAgent],
    validate: validateMsgStartInference,
    handle(ctx, m) {
      startInference(ctx, keeper, m);
      return {};
    },
  });

  msgs.register({
    typeUrl: typeUrl(MsgFinishInference),
    request: MsgFinishInference,
    responseTypeUrl: typeUrl(MsgFinishInferenceResponse),
    response: MsgFinishInferenceResponse,
    signers: (m) => [m.executor],
    validate: validateMsgFinishInference,
    handle(ctx, m) {
      finishInference(ctx, keeper, m);
      return {};
    },
  });
}

/** Adds or replaces a model; a replaced model keeps its price state (clamped by its new floor). */
export function registerModel(ctx: Context, keeper: InferenceKeeper, model: Model): void {
  const replaced = keeper.getModel(ctx, model.id) !== undefined;
  if (!replaced) {
    const max = keeper.getParams(ctx).maxModels;
    if (keeper.modelCount(ctx) >= max) throw inferenceErrors.tooManyModels(`${max} models registered`);
  }
  keeper.setModel(ctx, model);
  if (!keeper.getModelState(ctx, model.id))
    keeper.setModelState(ctx, {
      modelId: model.id,
      price: model.price!.initialPrice,
      recentTokens: [],
      lastHeight: ctx.header.height,
    });
  ctx.events.emit(ev.modelRegistered(model.id, replaced));
}
