// MsgPocCommit and MsgPocValidation with round ≥ 1: a confirmation round's commits and votes.
// Round 0 (the Sprint) never reaches this file, so its behaviour, gas and encodings stay as they
// were. Checks, in order — commit: 3 unknown participant, 26 no such round / not running, 6
// outside [start + 1, validation_start − 1], 8 class not in the Sprint's params or the
// participant's classes, 27 not eligible (no weight this epoch, or no accepted Sprint with a
// commit for that class), 9 count out of range; vote: 26, 6 outside [validation_start,
// result_height), 11 voter without weight, then per entry 10 duplicate, 13 no round commit, 12
// sample signature (SampleSignDoc with the round and its validation_hash).
import { verifySecp256k1 } from '../../app/runtime/ante/secp256k1.js';
import type { Context } from '../../app/runtime/context.js';
import type { ConfirmationRound } from '../../proto/gen/gonka/poc/v1/poc.js';
import type { MsgPocCommit, MsgPocValidation } from '../../proto/gen/gonka/poc/v1/tx.js';
import { eligibleForRounds } from './confirmation.js';
import * as cev from './confirmationEvents.js';
import { roundCommitOpen, roundValidationOpen } from './confirmationTrigger.js';
import { pocErrors, roundErrors } from './errors.js';
import type { PocKeeper } from './keeper.js';
import { classParams } from './params.js';
import { SAMPLE_SIG_VERIFY_GAS, sampleSignBytes } from './sample.js';

/** Round (epoch, round) while it is announced or running at landing height h; else poc 26. */
function runningRound(
  ctx: Context,
  keeper: PocKeeper,
  epoch: bigint,
  round: number,
  h: bigint,
): ConfirmationRound {
  const r = keeper.confirmations.getRound(ctx, epoch, round);
  if (!r || r.finished || h >= r.resultHeight)
    throw roundErrors.noRound(`confirmation round ${round} of epoch ${epoch} is not running`);
  return r;
}

export function handleRoundCommit(ctx: Context, keeper: PocKeeper, m: MsgPocCommit, h: bigint): void {
  const p = keeper.getParticipant(ctx, m.participant);
  if (!p) throw pocErrors.unknownParticipant(m.participant);
  const r = runningRound(ctx, keeper, m.epoch, m.round, h);
  if (!roundCommitOpen(r, h))
    throw pocErrors.wrongStage(
      `commits for round ${m.round} of epoch ${m.epoch} are accepted at heights ${r.start + 1n}..${r.validationStart - 1n}`,
    );
  const sprint = keeper.sprints.getSprint(ctx, m.epoch);
  const cls = sprint?.params ? classParams(sprint.params, m.classId) : undefined;
  if (!cls) throw pocErrors.unknownClass(`class ${m.classId} is not in the Sprint's params`);
  if (!p.classes.includes(m.classId))
    throw pocErrors.unknownClass(`class ${m.classId} is not one of ${m.participant}'s classes`);
  if (
    !eligibleForRounds(ctx, keeper, m.epoch, m.participant) ||
    !keeper.sprints.getCommit(ctx, m.epoch, m.participant, m.classId)
  )
    throw roundErrors.notEligible(
      `${m.participant} has no accepted Sprint commit for class ${m.classId} deciding epoch ${m.epoch}`,
    );
  if (m.count < 1n || m.count > cls.maxCount)
    throw pocErrors.countOutOfRange(`count ${m.count} is outside [1, ${cls.maxCount}]`);
  keeper.confirmations.setCommit(ctx, {
    participant: m.participant,
    epoch: m.epoch,
    classId: m.classId,
    count: m.count,
    root: m.root,
    height: ctx.header.height,
    round: m.round,
  });
  ctx.events.emit(cev.pocRoundCommit(m.participant, m.epoch, m.round, m.classId, m.count));
}

export function handleRoundValidation(
  ctx: Context,
  keeper: PocKeeper,
  m: MsgPocValidation,
  h: bigint,
  pubkeyOf: (address: string) => Uint8Array,
): void {
  const r = runningRound(ctx, keeper, m.epoch, m.round, h);
  if (!roundValidationOpen(r, h))
    throw pocErrors.wrongStage(
      `votes for round ${m.round} of epoch ${m.epoch} are accepted at heights ${r.validationStart}..${r.resultHeight - 1n}`,
    );
  const power = keeper.weightOf(ctx, m.validator);
  if (power === 0n) throw pocErrors.noVotingPower(`${m.validator} has no weight this epoch`);
  const pubkey = pubkeyOf(m.validator);
  const seen = new Set<string>();
  const store = keeper.confirmations;
  for (const v of m.validations) {
    const id = `${v.participant}/${v.classId}`;
    if (seen.has(id) || store.hasVote(ctx, m.epoch, m.round, v.participant, v.classId, m.validator))
      throw pocErrors.duplicateVote(`${m.validator} already voted on ${id} in round ${m.round}`);
    seen.add(id);
    if (!store.getCommit(ctx, m.epoch, m.round, v.participant, v.classId))
      throw pocErrors.noCommit(`${v.participant} has no commit for class ${v.classId} in round ${m.round}`);
    ctx.gasMeter.consume(SAMPLE_SIG_VERIFY_GAS, 'poc sample sig verify');
    const doc = sampleSignBytes({
      chainId: ctx.header.chainId,
      epoch: m.epoch,
      participant: v.participant,
      classId: v.classId,
      validationHash: r.validationHash,
      round: m.round,
    });
    if (!verifySecp256k1(pubkey, doc, v.sampleSig))
      throw pocErrors.invalidSampleSig(`sample_sig on ${id} is not ${m.validator}'s signature`);
    store.setVote(ctx, {
      epoch: m.epoch,
      validator: m.validator,
      participant: v.participant,
      classId: v.classId,
      verdict: v.verdict,
      power,
      round: m.round,
    });
    ctx.events.emit(cev.pocRoundVote(m.validator, m.epoch, m.round, v.participant, v.classId, v.verdict));
  }
}
