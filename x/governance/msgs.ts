// Stateless validation pieces of x/governance's messages (the SDK's ValidateBasic): vote options
// and weights, deposit coins and the hard text bound, checked before any store access. The
// msgServer's `validate` hooks call these; checks against params or proposals need state and stay
// in its handlers.
import { VoteOption, type WeightedVoteOption } from 'cosmjs-types/cosmos/gov/v1/gov';
import type { MsgDeposit } from 'cosmjs-types/cosmos/gov/v1/tx';
import { type Coins, parseCoins } from '../../app/runtime/coins.js';
import { decString, ONE, parseDec } from '../../app/runtime/decimal.js';
import { govErrors } from './errors.js';

export const VALID_OPTIONS = new Set([
  VoteOption.VOTE_OPTION_YES,
  VoteOption.VOTE_OPTION_ABSTAIN,
  VoteOption.VOTE_OPTION_NO,
  VoteOption.VOTE_OPTION_NO_WITH_VETO,
]);
/** Stateless bound on metadata before params are readable (the param bound applies in the handler). */
export const HARD_TEXT_LIMIT = 1_000_000;

export function parseDeposit(coins: MsgDeposit['amount'], allowEmpty: boolean): Coins[] {
  return parseCoins(coins, allowEmpty);
}

/** Options valid, unique, weights positive and summing to exactly 1. */
export function validateOptions(options: WeightedVoteOption[]): void {
  if (options.length === 0 || options.length > VALID_OPTIONS.size)
    throw govErrors.invalidVote(`${options.length} options`);
  const seen = new Set<VoteOption>();
  let sum = 0n;
  for (const o of options) {
    if (!VALID_OPTIONS.has(o.option)) throw govErrors.invalidVote(`option ${o.option}`);
    if (seen.has(o.option)) throw govErrors.invalidVote(`duplicate option ${o.option}`);
    seen.add(o.option);
    let w: bigint;
    try {
      w = parseDec(o.weight);
    } catch {
      throw govErrors.invalidVote(`invalid weight '${String(o.weight).slice(0, 40)}'`);
    }
    if (w <= 0n || w > ONE) throw govErrors.invalidVote(`weight ${o.weight} must be in (0, 1]`);
    sum += w;
  }
  if (sum !== ONE) throw govErrors.invalidVote(`weights sum to ${decString(sum)}, not 1`);
}
