// Confirmation rounds (Gonka's cPoC, DESIGN.md §5; contract: poc-attack-contract.md), run from
// x/poc's BeginBlock after the epoch clock and the Sprint:
//   1. the running round's stage work: seed = hash of block `start`, validation_hash = hash of
//      block validation_start, results in BeginBlock(result_height);
//   2. the trigger for the NEXT height h = x + 1 from this block's hash (the hash of the block
//      before h): the round is announced here, one block before it starts — the earliest anyone
//      can know it — and its seed is filled in at BeginBlock(h).
// Results: eligible = participants with weight > 0 this epoch whose WeightResult from the Sprint
// deciding this epoch is accepted. claimed = raw_weight ÷ Sprint generation_blocks (raw_weight is
// Σ floor(count × coefficient) over the classes the Sprint accepted); measured = Σ floor(count ×
// coefficient) over the round's classes with > 2/3 of this epoch's power voting VALID ÷ round
// generation_blocks. ratio < alpha → INACTIVE: weight 0 and the downtime slash; else weight_after
// = min(weight, floor(weight × ratio ÷ tolerance)). Weights change at once (setParticipant keeps
// the total) and the powers are resent at this block's EndBlock (ctx.effects.jailChanged).
import type { Context } from '../../app/runtime/context.js';
import { formatDec, ONE } from '../../app/runtime/decimal.js';
import {
  type ConfirmationResult,
  type ConfirmationRound,
  type SprintState,
  Verdict,
} from '../../proto/gen/gonka/poc/v1/poc.js';
import * as cev from './confirmationEvents.js';
import { alphaAtto, confirmationEnabled, toleranceAtto } from './confirmationParams.js';
import { eligibleWindow, planRound, triggers } from './confirmationTrigger.js';
import type { PocKeeper } from './keeper.js';
import { classParams, coefficientAtto, sprintSpan } from './params.js';

/** The downtime slash reason (x/collateral's SLASH_DOWNTIME; its fraction is slash_fraction_downtime). */
export const SLASH_REASON_DOWNTIME = 'downtime';

export function confirmationBeginBlock(ctx: Context, keeper: PocKeeper): void {
  const x = ctx.header.height;
  const running = keeper.confirmations.running(ctx);
  if (running) runStage(ctx, keeper, running, x);
  maybeAnnounce(ctx, keeper, x);
}

function runStage(ctx: Context, keeper: PocKeeper, r: ConfirmationRound, x: bigint): void {
  const store = keeper.confirmations;
  if (x >= r.resultHeight || r.epoch !== keeper.currentEpoch(ctx)) {
    // A round of an epoch that is over (only after an odd genesis import) finishes without results.
    if (x >= r.resultHeight && r.epoch === keeper.currentEpoch(ctx)) computeResults(ctx, keeper, r);
    r.finished = true;
    store.setRound(ctx, r);
    store.setRunning(ctx, undefined);
    ctx.events.emit(cev.pocConfirmation(r.epoch, r.round, 'results', x));
    return;
  }
  let stage: string | undefined;
  if (x === r.start) {
    r.seed = Uint8Array.from(ctx.header.hash);
    store.setRound(ctx, r);
    stage = 'generation';
  } else if (x === r.commitStart) stage = 'commit';
  else if (x === r.validationStart) {
    r.validationHash = Uint8Array.from(ctx.header.hash);
    store.setRound(ctx, r);
    stage = 'validation';
  }
  if (stage) ctx.events.emit(cev.pocConfirmation(r.epoch, r.round, stage, x));
}

/** Announces a round starting at x + 1 when the trigger says so (from block x's hash). */
function maybeAnnounce(ctx: Context, keeper: PocKeeper, x: bigint): void {
  const params = keeper.getParams(ctx);
  if (!confirmationEnabled(params)) return;
  const store = keeper.confirmations;
  if (store.hasRunningPointer(ctx)) return; // at most one round at a time
  const s = keeper.epochState(ctx);
  // Eligibility and the claimed rate come from the Sprint that decided this epoch.
  if (!keeper.sprints.getSprint(ctx, s.epoch)) return;
  const next = keeper.sprints.getSprint(ctx, s.epoch + 1n);
  const nextPocStart = next ? next.pocStart : s.nextStartHeight - sprintSpan(params);
  const c = params.confirmation!;
  const h = x + 1n;
  if (!triggers(h, ctx.header.hash, eligibleWindow(s.startHeight, nextPocStart, c), c.expectedPerEpoch))
    return;
  const round = planRound(s.epoch, store.lastRoundNumber(ctx, s.epoch) + 1, h, c);
  store.setRound(ctx, round);
  store.setRunning(ctx, round);
  ctx.events.emit(cev.pocConfirmation(round.epoch, round.round, 'announced', x));
}

/** Whether `participant` takes part in rounds of `epoch` (weight now and accepted by its Sprint). */
export function eligibleForRounds(
  ctx: Context,
  keeper: PocKeeper,
  epoch: bigint,
  participant: string,
): boolean {
  if (keeper.weightOf(ctx, participant) === 0n) return false;
  const wr = keeper.sprints.getWeightResult(ctx, epoch, participant);
  return wr?.accepted === true && wr.rawWeight > 0n;
}

interface Outcome {
  result: ConfirmationResult;
  address: string;
}

/** Σ accepted round work (count × coefficient) per participant: one pass over the round's commits
 *  in address order; a class counts when > 2/3 of `total` voted VALID, as in the Sprint. */
function measuredWork(
  ctx: Context,
  keeper: PocKeeper,
  r: ConfirmationRound,
  sprintParams: NonNullable<SprintState['params']>,
  total: bigint,
): Map<string, bigint> {
  const store = keeper.confirmations;
  const measured = new Map<string, bigint>();
  for (const [, cm] of store.commitEntries(ctx, r.epoch, r.round)) {
    const cls = classParams(sprintParams, cm.classId);
    if (!cls) continue;
    let valid = 0n;
    for (const v of store.votesOn(ctx, r.epoch, r.round, cm.participant, cm.classId))
      if (v.verdict === Verdict.VERDICT_VALID) valid += v.power;
    if (total === 0n || valid * 3n <= total * 2n) continue;
    const work = (cm.count * coefficientAtto(cls.coefficient)) / ONE;
    measured.set(cm.participant, (measured.get(cm.participant) ?? 0n) + work);
  }
  return measured;
}

/** One participant's result: ratio = (measured / roundGen) ÷ (claimed / sprintGen), compared
 *  without rounding; below alpha INACTIVE, at or above the tolerance the full weight. */
function resultOf(
  r: ConfirmationRound,
  p: { address: string; weight: bigint },
  claimedRaw: bigint,
  measuredRaw: bigint,
  gens: { sprint: bigint; round: bigint },
): ConfirmationResult {
  const c = r.params!;
  const num = measuredRaw * gens.sprint;
  const den = gens.round * claimedRaw;
  const inactive = num * ONE < alphaAtto(c) * den;
  const tol = toleranceAtto(c);
  let after: bigint;
  if (inactive) after = 0n;
  else if (num * ONE >= tol * den) after = p.weight;
  else after = (p.weight * num * ONE) / (den * tol);
  if (after > p.weight) after = p.weight;
  return {
    epoch: r.epoch,
    round: r.round,
    participant: p.address,
    claimedRate: formatDec((claimedRaw * ONE) / gens.sprint),
    measuredRate: formatDec((measuredRaw * ONE) / gens.round),
    weightBefore: p.weight,
    weightAfter: after,
    inactive,
  };
}

function computeResults(ctx: Context, keeper: PocKeeper, r: ConfirmationRound): void {
  const sprint = keeper.sprints.getSprint(ctx, r.epoch);
  if (!sprint?.params) return;
  const gens = { sprint: sprint.params.generationBlocks, round: r.params!.generationBlocks };
  // One total for the whole round: the weights below change while the results are applied.
  const measured = measuredWork(ctx, keeper, r, sprint.params, keeper.totalWeight(ctx));
  const outcomes: Outcome[] = [];
  let totalAfter = 0n;
  for (const p of keeper.iterateParticipants(ctx)) {
    totalAfter += p.weight;
    if (p.weight === 0n) continue;
    const wr = keeper.sprints.getWeightResult(ctx, r.epoch, p.address);
    if (!wr?.accepted || wr.rawWeight === 0n) continue;
    const result = resultOf(r, p, wr.rawWeight, measured.get(p.address) ?? 0n, gens);
    totalAfter += result.weightAfter - p.weight;
    outcomes.push({ address: p.address, result });
  }
  applyResults(ctx, keeper, outcomes, totalAfter === 0n);
}

/** Stores the results and applies them. `kept`: as at the Sprint's weights_final, a round that
 *  would leave no weight at all (every node failed at once: a network problem, not cheating)
 *  changes nothing and slashes nobody. */
function applyResults(ctx: Context, keeper: PocKeeper, outcomes: Outcome[], kept: boolean): void {
  for (const { address, result } of outcomes) {
    let slashed = 0n;
    if (kept) result.weightAfter = result.weightBefore;
    else {
      if (result.weightAfter !== result.weightBefore) {
        const p = keeper.getParticipant(ctx, address)!;
        keeper.setParticipant(ctx, { ...p, weight: result.weightAfter });
        ctx.effects.jailChanged = true; // resend the powers at EndBlock, effective at H+2
      }
      if (result.inactive && keeper.slasher) {
        const cut = keeper.slasher.slash(
          ctx,
          address,
          keeper.slasher.slashFraction(ctx, SLASH_REASON_DOWNTIME),
          SLASH_REASON_DOWNTIME,
        );
        slashed = cut.fromActive + cut.fromUnbonding;
      }
    }
    keeper.confirmations.setResult(ctx, result);
    ctx.events.emit(cev.pocConfirmationResult(result, slashed));
  }
}
