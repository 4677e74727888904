// Events of confirmation rounds (kept apart from events.ts so round-0 events stay as they were).
import type { Event } from 'cosmjs-types/tendermint/abci/types';
import { event } from '../../app/runtime/events.js';
import type { ConfirmationResult } from '../../proto/gen/gonka/poc/v1/poc.js';
import { pocCommitAttrs, pocVoteAttrs } from './events.js';

/** A round's stage: `announced` (one block before start), generation, commit, validation, results. */
export const pocConfirmation = (epoch: bigint, round: number, stage: string, height: bigint): Event =>
  event('poc_confirmation', [
    ['epoch', epoch.toString()],
    ['round', String(round)],
    ['stage', stage],
    ['height', height.toString()],
  ]);

export const pocConfirmationResult = (r: ConfirmationResult, slashed: bigint): Event =>
  event('poc_confirmation_result', [
    ['epoch', r.epoch.toString()],
    ['round', String(r.round)],
    ['participant', r.participant],
    ['claimed_rate', r.claimedRate],
    ['measured_rate', r.measuredRate],
    ['weight_before', r.weightBefore.toString()],
    ['weight_after', r.weightAfter.toString()],
    ['inactive', String(r.inactive)],
    ['slashed', slashed.toString()],
  ]);

export const pocRoundCommit = (
  participant: string,
  epoch: bigint,
  round: number,
  classId: number,
  count: bigint,
): Event =>
  event('poc_commit', [...pocCommitAttrs(participant, epoch, classId, count), ['round', String(round)]]);

export const pocRoundVote = (
  validator: string,
  epoch: bigint,
  round: number,
  participant: string,
  classId: number,
  verdict: number,
): Event =>
  event('poc_vote', [
    ...pocVoteAttrs(validator, epoch, participant, classId, verdict),
    ['round', String(round)],
  ]);
