// Tallying by PoC weight. Each voter's power is its current weight; a weighted vote splits that
// power by option weights in 18-digit fixed point, truncated once per option at the end (so a
// single-option vote counts its weight exactly). Quorum, threshold and veto are compared by
// cross-multiplication on bigint: no division, no floats.
import { type Vote, VoteOption } from 'cosmjs-types/cosmos/gov/v1/gov';
import type { Context } from '../../app/runtime/context.js';
import { ONE, parseDec } from '../../app/runtime/decimal.js';
import type { WeightKeeper } from './expectedKeepers.js';

export interface Tally {
  yes: bigint;
  abstain: bigint;
  no: bigint;
  veto: bigint;
}

export interface TallyOutcome {
  passes: boolean;
  /** Deposits are burned (veto, or quorum missed with burn_vote_quorum). */
  burnDeposits: boolean;
  tally: Tally;
  /** Why it did not pass (empty when it passes). */
  reason: string;
}

export const emptyTally = (): Tally => ({ yes: 0n, abstain: 0n, no: 0n, veto: 0n });

/** Σ power × weight per option over the votes, in whole weight units. */
export function countVotes(ctx: Context, weights: WeightKeeper, votes: Iterable<Vote>): Tally {
  const atto = emptyTally();
  for (const v of votes) {
    const power = weights.weightOf(ctx, v.voter);
    if (power === 0n) continue;
    for (const o of v.options) {
      const share = power * parseDec(o.weight);
      if (o.option === VoteOption.VOTE_OPTION_YES) atto.yes += share;
      else if (o.option === VoteOption.VOTE_OPTION_ABSTAIN) atto.abstain += share;
      else if (o.option === VoteOption.VOTE_OPTION_NO) atto.no += share;
      else if (o.option === VoteOption.VOTE_OPTION_NO_WITH_VETO) atto.veto += share;
    }
  }
  return { yes: atto.yes / ONE, abstain: atto.abstain / ONE, no: atto.no / ONE, veto: atto.veto / ONE };
}

export interface TallyRules {
  quorum: bigint;
  threshold: bigint;
  vetoThreshold: bigint;
  burnVoteQuorum: boolean;
  burnVoteVeto: boolean;
}

/** The SDK's decision order: no power → quorum → all abstain → veto → threshold. */
export function decide(t: Tally, totalWeight: bigint, r: TallyRules): TallyOutcome {
  const voted = t.yes + t.abstain + t.no + t.veto;
  const out = (passes: boolean, burnDeposits: boolean, reason: string): TallyOutcome => ({
    passes,
    burnDeposits,
    tally: t,
    reason,
  });
  if (totalWeight <= 0n) return out(false, false, 'no voting power on the network');
  // voted / total < quorum  ⇔  voted·1e18 < quorum·total
  if (voted * ONE < r.quorum * totalWeight)
    return out(false, r.burnVoteQuorum, `quorum not reached: ${voted} of ${totalWeight} voted`);
  if (voted - t.abstain === 0n) return out(false, false, 'every vote abstained');
  // veto / voted > vetoThreshold
  if (t.veto * ONE > r.vetoThreshold * voted)
    return out(false, r.burnVoteVeto, `vetoed: ${t.veto} of ${voted}`);
  // yes / (voted − abstain) > threshold
  if (t.yes * ONE > r.threshold * (voted - t.abstain)) return out(true, false, '');
  return out(false, false, `threshold not reached: ${t.yes} yes of ${voted - t.abstain}`);
}
