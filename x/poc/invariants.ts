// x/poc's invariants (run by the module manager: in tests, after every simulated block, through
// /app/invariants and on nodes with --check-invariants-every N). Each returns what is broken.
import type { Context } from '../../app/runtime/context.js';
import type { StoreKey } from '../../app/runtime/storeKey.js';
import { confirmationInvariants } from './confirmationInvariants.js';
import { fraudInvariants } from './fraudInvariants.js';
import type { PocKeeper } from './keeper.js';
import { classParams } from './params.js';
import { consAddressOf, iterateConsAddressIndex } from './validatorIndex.js';

/**
 * Σ weights = total (DESIGN.md §3.9), the validator index matches the participants, and every
 * power sent belongs to a participant.
 */
export function pocInvariants(ctx: Context, keeper: PocKeeper, store: StoreKey): string[] {
  const broken: string[] = [];
  // The total is stored and kept on every weight change, so this compares two independent
  // records: a drift in either shows.
  const sum = keeper.sumOfWeights(ctx);
  const total = keeper.totalWeight(ctx);
  if (sum !== total) broken.push(`sum of weights ${sum} != stored total weight ${total}`);
  for (const { consAddr, participant } of iterateConsAddressIndex(ctx, store)) {
    const p = keeper.getParticipant(ctx, participant);
    if (!p || !Buffer.from(consAddressOf(p.consensusPubkey)).equals(Buffer.from(consAddr)))
      broken.push(`validator index entry ${Buffer.from(consAddr).toString('hex')} is stale`);
  }
  if (keeper.validatorCount(ctx) !== keeper.participants(ctx).length)
    broken.push('validator index and participants differ in size');
  for (const v of keeper.powers(ctx))
    if (!keeper.getParticipant(ctx, v.address)) broken.push(`power sent for non-participant ${v.address}`);
  broken.push(...sprintInvariants(ctx, keeper));
  broken.push(...fraudInvariants(ctx, keeper));
  broken.push(...confirmationInvariants(ctx, keeper));
  return broken;
}

/**
 * The Sprint's state: stage heights in order with the set two blocks before the boundary, the
 * latest-Sprint pointer on the newest Sprint, every commit within its Sprint's class bound, every
 * vote by and on a participant that has a commit for that class. All of it is pruned to three
 * Sprints, so these scans stay bounded.
 */
export function sprintInvariants(ctx: Context, keeper: PocKeeper): string[] {
  const broken: string[] = [];
  const s = keeper.sprints;
  let newest: bigint | undefined;
  for (const sp of s.iterateSprints(ctx)) {
    newest = sp.epoch;
    const ordered =
      sp.pocStart < sp.commitStart &&
      sp.commitStart < sp.validationStart &&
      sp.validationStart < sp.weightsFinal &&
      sp.weightsFinal <= sp.setHeight &&
      sp.setHeight + 2n === sp.nextStart;
    if (!ordered) broken.push(`sprint ${sp.epoch}: stage heights out of order`);
  }
  if (newest !== s.latestEpoch(ctx))
    broken.push(`latest sprint pointer ${s.latestEpoch(ctx)} != newest sprint ${newest}`);
  for (const c of s.iterateAllCommits(ctx)) {
    const sp = s.getSprint(ctx, c.epoch);
    const cls = sp?.params ? classParams(sp.params, c.classId) : undefined;
    if (!cls)
      broken.push(`commit of ${c.participant} for epoch ${c.epoch} class ${c.classId} has no Sprint class`);
    else if (c.count < 1n || c.count > cls.maxCount)
      broken.push(
        `commit of ${c.participant} for epoch ${c.epoch}: count ${c.count} outside [1, ${cls.maxCount}]`,
      );
    if (!keeper.getParticipant(ctx, c.participant)) broken.push(`commit by non-participant ${c.participant}`);
  }
  for (const v of s.iterateAllVotes(ctx)) {
    if (!keeper.getParticipant(ctx, v.validator)) broken.push(`vote by non-participant ${v.validator}`);
    if (!s.getCommit(ctx, v.epoch, v.participant, v.classId))
      broken.push(
        `vote by ${v.validator} on ${v.participant} class ${v.classId} in epoch ${v.epoch} without a commit`,
      );
  }
  return broken;
}
