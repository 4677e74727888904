// Invariants of confirmation rounds: stage heights ordered, at most one unfinished round and the
// running pointer on it, round commits and votes by eligible participants on rounds that exist
// (votes on a round commit). Pruned with the Sprints, so the scans stay bounded.
import type { Context } from '../../app/runtime/context.js';
import type { PocKeeper } from './keeper.js';

export function confirmationInvariants(ctx: Context, keeper: PocKeeper): string[] {
  const broken: string[] = [];
  const s = keeper.confirmations;
  const unfinished: string[] = [];
  for (const r of s.iterateAllRounds(ctx)) {
    const id = `round ${r.round} of epoch ${r.epoch}`;
    if (!(r.start < r.commitStart && r.commitStart < r.validationStart && r.validationStart < r.resultHeight))
      broken.push(`${id}: stage heights out of order`);
    if (!r.finished) unfinished.push(`${r.epoch}/${r.round}`);
  }
  if (unfinished.length > 1)
    broken.push(`more than one running confirmation round: ${unfinished.join(', ')}`);
  const pointer = s.running(ctx);
  const pointed = pointer ? `${pointer.epoch}/${pointer.round}` : undefined;
  if (s.hasRunningPointer(ctx) && !pointer) broken.push('running-round pointer names no round');
  if (pointed !== unfinished[0])
    broken.push(`running-round pointer ${pointed} != unfinished round ${unfinished[0]}`);
  for (const c of s.iterateAllCommits(ctx)) {
    const id = `round commit of ${c.participant} (epoch ${c.epoch} round ${c.round} class ${c.classId})`;
    if (!s.getRound(ctx, c.epoch, c.round)) broken.push(`${id}: no such round`);
    if (!keeper.getParticipant(ctx, c.participant)) broken.push(`${id}: not a participant`);
    // Eligible when committed: an accepted Sprint result and a Sprint commit for that class.
    const wr = keeper.sprints.getWeightResult(ctx, c.epoch, c.participant);
    if (!wr?.accepted || !keeper.sprints.getCommit(ctx, c.epoch, c.participant, c.classId))
      broken.push(`${id}: not eligible`);
  }
  for (const v of s.iterateAllVotes(ctx)) {
    if (!keeper.getParticipant(ctx, v.validator)) broken.push(`round vote by non-participant ${v.validator}`);
    if (!s.getCommit(ctx, v.epoch, v.round, v.participant, v.classId))
      broken.push(
        `round vote by ${v.validator} on ${v.participant} class ${v.classId} (epoch ${v.epoch} round ${v.round}) without a commit`,
      );
  }
  return broken;
}
