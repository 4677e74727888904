// The weights the Sprint decides, computed in BeginBlock(weights_final) (so they are scheduled
// before EndBlock(set_height) even with dkg_blocks = 0):
//   - a (participant, class) commit is accepted when the validators voting VALID on it hold
//     strictly more than 2/3 of this epoch's total power (Σ stored vote power × 3 > total × 2);
//     INVALID and UNAVAILABLE votes simply do not count towards it (they withhold, never slash);
//   - raw = Σ floor(count × coefficient) over the participant's accepted classes; the participant
//     is accepted when at least one class is;
//   - effective = x/collateral's activation of raw; then the cap over the accepted (cap.ts);
//   - if the capped total exceeds MAX_WEIGHT every weight is scaled down by the same ratio;
//   - a participant with a proven forgery in this Sprint (a FraudRecord, fraud.ts) gets 0, and so
//     does one with INVALID votes holding > 1/3 of the total power on a class that is not
//     fraud-provable (`large`: nothing else can catch it; no slash, the votes are not proof);
//   - nobody accepted (or a zero total): no weight is scheduled, the epoch keeps its weights;
//     otherwise every participant gets its weight, 0 when not accepted.
import type { Context } from '../../app/runtime/context.js';
import { ONE } from '../../app/runtime/decimal.js';
import { type SprintState, Verdict, type WeightResult } from '../../proto/gen/gonka/poc/v1/poc.js';
import { capWeights } from './cap.js';
import * as ev from './events.js';
import type { WeightActivation } from './expectedKeepers.js';
import { MAX_WEIGHT, type PocKeeper } from './keeper.js';
import { classParams, coefficientAtto, maxPowerFractionAtto } from './params.js';
import type { SprintStore } from './sprintStore.js';

export function finalizeWeights(
  ctx: Context,
  keeper: PocKeeper,
  store: SprintStore,
  sprint: SprintState,
  activation: WeightActivation | undefined,
): void {
  const params = sprint.params!;
  const total = keeper.totalWeight(ctx);
  const raw = new Map<string, { raw: bigint; accepted: boolean }>();
  const rejected = keeper.fraud.provenInSprint(ctx, sprint.epoch);
  for (const [, c] of store.commitEntries(ctx, sprint.epoch)) {
    const r = raw.get(c.participant) ?? { raw: 0n, accepted: false };
    raw.set(c.participant, r);
    const cls = classParams(params, c.classId);
    if (!cls) continue;
    let valid = 0n;
    let invalid = 0n;
    for (const v of store.votesOn(ctx, sprint.epoch, c.participant, c.classId))
      if (v.verdict === Verdict.VERDICT_VALID) valid += v.power;
      else if (v.verdict === Verdict.VERDICT_INVALID) invalid += v.power;
    if (!cls.fraudProvable && invalid * 3n > total) rejected.add(c.participant);
    if (total === 0n || valid * 3n <= total * 2n) continue;
    r.accepted = true;
    r.raw += (c.count * coefficientAtto(cls.coefficient)) / ONE;
  }
  // Commits iterate in participant-address order, so `raw` keeps that order (deterministic).
  const results: WeightResult[] = [];
  const accepted: { address: string; weight: bigint }[] = [];
  for (const [participant, r] of raw) {
    if (rejected.has(participant)) r.accepted = false; // raw stays: what it claimed
    const effective = r.accepted
      ? activation
        ? activation.effectiveWeight(ctx, participant, r.raw)
        : r.raw
      : 0n;
    results.push({
      epoch: sprint.epoch,
      participant,
      rawWeight: r.raw,
      effectiveWeight: effective,
      weight: 0n,
      accepted: r.accepted,
    });
    if (r.accepted) accepted.push({ address: participant, weight: effective });
  }
  // Nobody accepted: nothing to cap (the cap is never asked about an empty set).
  const capped =
    accepted.length === 0 ? [] : capWeights(accepted, maxPowerFractionAtto(params.maxPowerFraction));
  let sum = 0n;
  for (const w of capped) sum += w.weight;
  const scale = (w: bigint) => (sum > MAX_WEIGHT ? (w * MAX_WEIGHT) / sum : w);
  const final = new Map(capped.map((w) => [w.address, scale(w.weight)]));
  let finalTotal = 0n;
  for (const r of results) {
    r.weight = final.get(r.participant) ?? 0n;
    finalTotal += r.weight;
    store.setWeightResult(ctx, r);
    ctx.events.emit(ev.pocWeight(r));
  }
  const kept = finalTotal === 0n;
  ctx.events.emit(ev.pocWeights(sprint.epoch, BigInt(accepted.length), finalTotal, kept));
  if (kept) return; // governance power must never collapse to zero: keep this epoch's weights
  for (const p of keeper.iterateParticipantsSorted(ctx)) keeper.setNextWeight(ctx, p, final.get(p) ?? 0n);
}
