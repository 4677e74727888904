// Invariants of the fraud records: each names a participant and a stored commit the index lies
// in, and a forgery proven before its Sprint's weights_final left that participant's Sprint
// result at weight 0. (After weights_final the consequence is a jail, which MsgUnjail may lift,
// so it is not checkable later.)
import type { Context } from '../../app/runtime/context.js';
import type { PocKeeper } from './keeper.js';

export function fraudInvariants(ctx: Context, keeper: PocKeeper): string[] {
  const broken: string[] = [];
  for (const r of keeper.fraud.iterateAll(ctx)) {
    const what = `fraud record of ${r.participant} (epoch ${r.epoch} round ${r.round} class ${r.classId})`;
    if (!keeper.getParticipant(ctx, r.participant)) broken.push(`${what}: not a participant`);
    const c = keeper.fraud.commitFor(ctx, r.epoch, r.round, r.participant, r.classId);
    if (!c) broken.push(`${what}: no commit`);
    else if (r.index >= c.count)
      broken.push(`${what}: index ${r.index} outside the commit's ${c.count} leaves`);
    if (r.round !== 0) continue;
    const sprint = keeper.sprints.getSprint(ctx, r.epoch);
    if (!sprint) {
      broken.push(`${what}: no Sprint`);
      continue;
    }
    if (r.height >= sprint.weightsFinal) continue;
    for (const [, w] of keeper.sprints.weightResultEntries(ctx, r.epoch))
      if (w.participant === r.participant && w.weight !== 0n)
        broken.push(`${what}: proven before weights_final but the Sprint gave weight ${w.weight}`);
  }
  return broken;
}
