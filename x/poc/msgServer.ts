// x/poc messages: MsgUpdateParams (authority = the governance module account), and the Sprint's
// MsgRegisterParticipant, MsgUpdateParticipant, MsgPocCommit and MsgPocValidation.

import { verifySecp256k1 } from '../../app/runtime/ante/secp256k1.js';
import type { Context } from '../../app/runtime/context.js';
import { assertAuthority } from '../../app/runtime/errors.js';
import type { MsgRouter } from '../../app/runtime/router.js';
import type { SprintState } from '../../proto/gen/gonka/poc/v1/poc.js';
import {
  MsgPocCommit,
  MsgPocCommitResponse,
  MsgPocValidation,
  MsgPocValidationResponse,
  MsgRegisterParticipant,
  MsgRegisterParticipantResponse,
  MsgUpdateParams,
  MsgUpdateParamsResponse,
  MsgUpdateParticipant,
  MsgUpdateParticipantResponse,
} from '../../proto/gen/gonka/poc/v1/tx.js';
import { typeUrl } from '../../proto/gonka/registry.js';
import { kernelPubkey } from './accountKeys.js';
import { handleRoundCommit, handleRoundValidation } from './confirmationMsgs.js';
import { pocErrors } from './errors.js';
import * as ev from './events.js';
import { registerFraudProofMsg } from './fraud.js';
import type { PocKeeper } from './keeper.js';
import {
  validateMsgPocCommit,
  validateMsgPocValidation,
  validateMsgRegisterParticipant,
  validateMsgUpdateParams,
  validateMsgUpdateParticipant,
} from './msgs.js';
import { classParams, validatePocParams } from './params.js';
import { verifyPop } from './registration.js';
import { SAMPLE_SIG_VERIFY_GAS, sampleSignBytes } from './sample.js';
import { commitOpen, landingHeight, validationOpen } from './stages.js';
import { consAddressOf } from './validatorIndex.js';

export const MSG_POC_UPDATE_PARAMS = typeUrl(MsgUpdateParams);
export const MSG_POC_REGISTER = typeUrl(MsgRegisterParticipant);
export const MSG_POC_UPDATE_PARTICIPANT = typeUrl(MsgUpdateParticipant);
export const MSG_POC_COMMIT = typeUrl(MsgPocCommit);
export const MSG_POC_VALIDATION = typeUrl(MsgPocValidation);

export { SAMPLE_SIG_VERIFY_GAS } from './sample.js';
/** Gas per proof-of-possession check (the SDK's ed25519 verify cost). */
export const POP_VERIFY_GAS = 590n;

/** `authority`: the governance module account's address, the only signer MsgUpdateParams accepts. */
export function registerPocMsgs(msgs: MsgRouter, keeper: PocKeeper, authority: string): void {
  msgs.register({
    typeUrl: MSG_POC_UPDATE_PARAMS,
    request: MsgUpdateParams,
    responseTypeUrl: typeUrl(MsgUpdateParamsResponse),
    response: MsgUpdateParamsResponse,
    signers: (m) => [m.authority],
    validate: validateMsgUpdateParams,
    handle(ctx, m) {
      assertAuthority(authority, m.authority);
      keeper.setParams(ctx, validatePocParams(m.params));
      ctx.events.emit(ev.updateParams('poc'));
      return {};
    },
  });

  registerParticipantMsgs(msgs, keeper);
  registerCommitMsg(msgs, keeper);
  registerValidationMsg(msgs, keeper);
  registerFraudProofMsg(msgs, keeper);
}

/** MsgRegisterParticipant and MsgUpdateParticipant. */
function registerParticipantMsgs(msgs: MsgRouter, keeper: PocKeeper): void {
  msgs.register({
    typeUrl: MSG_POC_REGISTER,
    request: MsgRegisterParticipant,
    responseTypeUrl: typeUrl(MsgRegisterParticipantResponse),
    response: MsgRegisterParticipantResponse,
    signers: (m) => [m.participant],
    validate: validateMsgRegisterParticipant,
    handle(ctx, m) {
      if (keeper.getParticipant(ctx, m.participant))
        throw pocErrors.alreadyRegistered(`${m.participant} is already a participant`);
      const holder = keeper.participantByConsAddress(ctx, consAddressOf(m.consensusPubkey));
      if (holder) throw pocErrors.duplicateConsensusKey(`consensus key is used by participant ${holder}`);
      ctx.gasMeter.consume(POP_VERIFY_GAS, 'poc pop verify');
      if (!verifyPop(ctx.header.chainId, m.participant, m.consensusPubkey, m.pop))
        throw pocErrors.invalidPop('pop is not the consensus key signature over (chain_id, participant)');
      checkClasses(ctx, keeper, m.classes);
      kernelPubkey(ctx, keeper.accounts, m.participant);
      // Last, so a full chain still reports what else is wrong with a registration.
      const limit = keeper.getParams(ctx).maxParticipants;
      if (keeper.validatorCount(ctx) >= limit)
        throw pocErrors.participantLimit(
          `the chain allows at most ${limit} participants (param max_participants)`,
        );
      keeper.setParticipant(ctx, {
        address: m.participant,
        consensusPubkey: m.consensusPubkey,
        weight: 0n,
        apiUrl: m.apiUrl,
        classes: [...m.classes],
      });
      ctx.events.emit(ev.pocRegister(m.participant, m.apiUrl));
      return {};
    },
  });

  msgs.register({
    typeUrl: MSG_POC_UPDATE_PARTICIPANT,
    request: MsgUpdateParticipant,
    responseTypeUrl: typeUrl(MsgUpdateParticipantResponse),
    response: MsgUpdateParticipantResponse,
    signers: (m) => [m.participant],
    validate: validateMsgUpdateParticipant,
    handle(ctx, m) {
      const p = keeper.getParticipant(ctx, m.participant);
      if (!p) throw pocErrors.unknownParticipant(m.participant);
      checkClasses(ctx, keeper, m.classes);
      keeper.setParticipant(ctx, { ...p, apiUrl: m.apiUrl, classes: [...m.classes] });
      ctx.events.emit(ev.pocUpdateParticipant(m.participant, m.apiUrl));
      return {};
    },
  });
}

/** MsgPocCommit: the participant's count and root for a class, in the commit window. */
function registerCommitMsg(msgs: MsgRouter, keeper: PocKeeper): void {
  msgs.register({
    typeUrl: MSG_POC_COMMIT,
    request: MsgPocCommit,
    responseTypeUrl: typeUrl(MsgPocCommitResponse),
    response: MsgPocCommitResponse,
    signers: (m) => [m.participant],
    validate: validateMsgPocCommit,
    handle(ctx, m) {
      if (m.round > 0) {
        handleRoundCommit(ctx, keeper, m, landingHeight(ctx)); // confirmation.ts
        return {};
      }
      const p = keeper.getParticipant(ctx, m.participant);
      if (!p) throw pocErrors.unknownParticipant(m.participant);
      const { sprint, h } = runningSprint(ctx, keeper, m.epoch);
      if (!commitOpen(sprint, h))
        throw pocErrors.wrongStage(
          `commits for epoch ${m.epoch} are accepted at heights ${sprint.pocStart + 1n}..${sprint.validationStart - 1n}`,
        );
      const cls = classParams(sprint.params!, m.classId);
      if (!cls) throw pocErrors.unknownClass(`class ${m.classId} is not in this Sprint's params`);
      if (!p.classes.includes(m.classId))
        throw pocErrors.unknownClass(`class ${m.classId} is not one of ${m.participant}'s classes`);
      if (m.count < 1n || m.count > cls.maxCount)
        throw pocErrors.countOutOfRange(`count ${m.count} is outside [1, ${cls.maxCount}]`);
      keeper.sprints.setCommit(ctx, {
        participant: m.participant,
        epoch: m.epoch,
        classId: m.classId,
        count: m.count,
        root: m.root,
        height: ctx.header.height,
        round: 0,
      });
      ctx.events.emit(ev.pocCommit(m.participant, m.epoch, m.classId, m.count));
      return {};
    },
  });
}

/** MsgPocValidation: a validator's verdicts, each with its sample signature. */
function registerValidationMsg(msgs: MsgRouter, keeper: PocKeeper): void {
  msgs.register({
    typeUrl: MSG_POC_VALIDATION,
    request: MsgPocValidation,
    responseTypeUrl: typeUrl(MsgPocValidationResponse),
    response: MsgPocValidationResponse,
    signers: (m) => [m.validator],
    validate: validateMsgPocValidation,
    handle(ctx, m) {
      if (m.round > 0) {
        handleRoundValidation(ctx, keeper, m, landingHeight(ctx), (a) =>
          kernelPubkey(ctx, keeper.accounts, a),
        );
        return {};
      }
      const { sprint, h } = runningSprint(ctx, keeper, m.epoch);
      if (!validationOpen(sprint, h))
        throw pocErrors.wrongStage(
          `votes for epoch ${m.epoch} are accepted at heights ${sprint.validationStart}..${sprint.weightsFinal - 1n}`,
        );
      const power = keeper.weightOf(ctx, m.validator);
      if (power === 0n) throw pocErrors.noVotingPower(`${m.validator} has no weight this epoch`);
      const pubkey = kernelPubkey(ctx, keeper.accounts, m.validator);
      const seen = new Set<string>();
      for (const v of m.validations) {
        const id = `${v.participant}/${v.classId}`;
        if (seen.has(id) || keeper.sprints.hasVote(ctx, m.epoch, v.participant, v.classId, m.validator))
          throw pocErrors.duplicateVote(`${m.validator} already voted on ${id} in epoch ${m.epoch}`);
        seen.add(id);
        if (!keeper.sprints.getCommit(ctx, m.epoch, v.participant, v.classId))
          throw pocErrors.noCommit(
            `${v.participant} has no commit for class ${v.classId} in epoch ${m.epoch}`,
          );
        ctx.gasMeter.consume(SAMPLE_SIG_VERIFY_GAS, 'poc sample sig verify');
        const doc = sampleSignBytes({
          chainId: ctx.header.chainId,
          epoch: m.epoch,
          participant: v.participant,
          classId: v.classId,
          validationHash: sprint.validationHash,
          round: 0,
        });
        if (!verifySecp256k1(pubkey, doc, v.sampleSig))
          throw pocErrors.invalidSampleSig(`sample_sig on ${id} is not ${m.validator}'s signature`);
        keeper.sprints.setVote(ctx, {
          epoch: m.epoch,
          validator: m.validator,
          participant: v.participant,
          classId: v.classId,
          verdict: v.verdict,
          power,
          round: 0,
        });
        ctx.events.emit(ev.pocVote(m.validator, m.epoch, v.participant, v.classId, v.verdict));
      }
      return {};
    },
  });
}

/** The Sprint deciding `epoch` while it still runs at the tx's landing height h; else wrongEpoch. */
function runningSprint(ctx: Context, keeper: PocKeeper, epoch: bigint): { sprint: SprintState; h: bigint } {
  const sprint = keeper.sprints.getSprint(ctx, epoch);
  const h = landingHeight(ctx);
  if (!sprint || h >= sprint.nextStart) throw pocErrors.wrongEpoch(`no Sprint running for epoch ${epoch}`);
  return { sprint, h };
}

/** Every class must be one the chain's current params know. */
function checkClasses(ctx: Context, keeper: PocKeeper, classes: readonly number[]): void {
  const params = keeper.getParams(ctx);
  for (const c of classes)
    if (!classParams(params, c)) throw pocErrors.unknownClass(`class ${c} is not in the params`);
}
