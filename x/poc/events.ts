// x/poc events.
import type { Event } from 'cosmjs-types/tendermint/abci/types';
import { type Attr, event } from '../../app/runtime/events.js';

export const newEpoch = (epoch: bigint, startHeight: bigint, nextStartHeight: bigint): Event =>
  event('new_epoch', [
    ['epoch', epoch.toString()],
    ['start_height', startHeight.toString()],
    ['next_start_height', nextStartHeight.toString()],
  ]);

/** One validator power change sent to CometBFT (effective two blocks later). */
export const validatorPower = (participant: string, power: bigint): Event =>
  event('validator_power', [
    ['participant', participant],
    ['power', power.toString()],
  ]);

export const updateParams = (module: string): Event => event('update_params', [['module', module]]);

/** A Sprint stage starts (`stage`: generation, commit, validation, weights_final). */
export const pocStage = (epoch: bigint, stage: string, height: bigint): Event =>
  event('poc_stage', [
    ['epoch', epoch.toString()],
    ['stage', stage],
    ['height', height.toString()],
  ]);

/** A Sprint was skipped: the epoch is too short for it (after a change of epoch_length). */
export const pocSprintSkipped = (epoch: bigint, pocStart: bigint): Event =>
  event('poc_sprint_skipped', [
    ['epoch', epoch.toString()],
    ['poc_start', pocStart.toString()],
  ]);

export const pocRegister = (participant: string, apiUrl: string): Event =>
  event('poc_register', [
    ['participant', participant],
    ['api_url', apiUrl],
  ]);

export const pocUpdateParticipant = (participant: string, apiUrl: string): Event =>
  event('poc_update_participant', [
    ['participant', participant],
    ['api_url', apiUrl],
  ]);

/** poc_commit's attributes; a confirmation round's commit appends its round (confirmationEvents.ts). */
export const pocCommitAttrs = (
  participant: string,
  epoch: bigint,
  classId: number,
  count: bigint,
): Attr[] => [
  ['participant', participant],
  ['epoch', epoch.toString()],
  ['class_id', String(classId)],
  ['count', count.toString()],
];

export const pocCommit = (participant: string, epoch: bigint, classId: number, count: bigint): Event =>
  event('poc_commit', pocCommitAttrs(participant, epoch, classId, count));

/** poc_vote's attributes; a confirmation round's vote appends its round (confirmationEvents.ts). */
export const pocVoteAttrs = (
  validator: string,
  epoch: bigint,
  participant: string,
  classId: number,
  verdict: number,
): Attr[] => [
  ['validator', validator],
  ['epoch', epoch.toString()],
  ['participant', participant],
  ['class_id', String(classId)],
  ['verdict', String(verdict)],
];

export const pocVote = (
  validator: string,
  epoch: bigint,
  participant: string,
  classId: number,
  verdict: number,
): Event => event('poc_vote', pocVoteAttrs(validator, epoch, participant, classId, verdict));

export const pocWeight = (r: {
  epoch: bigint;
  participant: string;
  rawWeight: bigint;
  weight: bigint;
  accepted: boolean;
}): Event =>
  event('poc_weight', [
    ['epoch', r.epoch.toString()],
    ['participant', r.participant],
    ['raw_weight', r.rawWeight.toString()],
    ['weight', r.weight.toString()],
    ['accepted', String(r.accepted)],
  ]);

/** The weights-final summary; `kept` = nobody accepted, the current weights stay. */
export const pocWeights = (epoch: bigint, accepted: bigint, total: bigint, kept: boolean): Event =>
  event('poc_weights', [
    ['epoch', epoch.toString()],
    ['accepted', accepted.toString()],
    ['total_weight', total.toString()],
    ['kept', String(kept)],
  ]);
