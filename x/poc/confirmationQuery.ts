// Queries of confirmation rounds: Confirmations {epoch (0 = the running epoch)} → rounds in round
// order (the running one last, finished = false) and their results; and the round ≥ 1 pages of
// Commits / Votes (query.ts sends requests with a round here).
import type { PageRequest } from 'cosmjs-types/cosmos/base/query/v1beta1/pagination';
import type { Context } from '../../app/runtime/context.js';
import { paginate } from '../../app/runtime/pagination.js';
import type { QueryRouter } from '../../app/runtime/router.js';
import type { PocCommit, PocVote } from '../../proto/gen/gonka/poc/v1/poc.js';
import { QueryConfirmationsRequest, QueryConfirmationsResponse } from '../../proto/gen/gonka/poc/v1/query.js';
import type { PocKeeper } from './keeper.js';

/** Rounds kept per epoch are bounded by expected_per_epoch's trigger and the round length. */
export function registerConfirmationQueries(queries: QueryRouter, keeper: PocKeeper, prefix: string): void {
  queries.register({
    path: `${prefix}/Confirmations`,
    request: QueryConfirmationsRequest,
    response: QueryConfirmationsResponse,
    handle(ctx, r) {
      const epoch = roundEpoch(ctx, keeper, r.epoch);
      return {
        rounds: [...keeper.confirmations.roundsOf(ctx, epoch)],
        results: [...keeper.confirmations.resultsOf(ctx, epoch)],
      };
    },
  });
}

/** 0 = the running epoch (rounds confirm the running epoch, unlike the Sprint's "latest"). */
const roundEpoch = (ctx: Context, keeper: PocKeeper, epoch: bigint): bigint =>
  epoch === 0n ? keeper.currentEpoch(ctx) : epoch;

export function roundCommitsPage(
  ctx: Context,
  keeper: PocKeeper,
  r: { epoch: bigint; round: number; pagination?: PageRequest | undefined },
) {
  const epoch = roundEpoch(ctx, keeper, r.epoch);
  return paginate<PocCommit>(r.pagination, (start) =>
    keeper.confirmations.commitEntries(ctx, epoch, r.round, start),
  );
}

export function roundVotesPage(
  ctx: Context,
  keeper: PocKeeper,
  r: { epoch: bigint; round: number; participant: string; pagination?: PageRequest | undefined },
) {
  const epoch = roundEpoch(ctx, keeper, r.epoch);
  return paginate<PocVote>(r.pagination, (start) =>
    keeper.confirmations.voteEntries(ctx, epoch, r.round, r.participant || undefined, start),
  );
}
