// The gonka.poc.v1.Query service: Params, Epoch, Participants (paginated like every list query;
// total_weight is over every participant), and the Sprint's Participant, Stage, Sprint, Commits,
// Votes, Weights. An epoch of 0 in Sprint/Commits/Votes/Weights means the latest Sprint's.

import type { PageRequest } from 'cosmjs-types/cosmos/base/query/v1beta1/pagination';
import { addressBytes } from '../../app/runtime/address.js';
import type { Context } from '../../app/runtime/context.js';
import { sdkErrors } from '../../app/runtime/errors.js';
import { paginate } from '../../app/runtime/pagination.js';
import type { QueryRouter } from '../../app/runtime/router.js';
import {
  QueryCommitsRequest,
  QueryCommitsResponse,
  QueryEpochRequest,
  QueryEpochResponse,
  QueryFraudRecordsRequest,
  QueryFraudRecordsResponse,
  QueryParamsRequest,
  QueryParamsResponse,
  QueryParticipantRequest,
  QueryParticipantResponse,
  QueryParticipantsRequest,
  QueryParticipantsResponse,
  QuerySprintRequest,
  QuerySprintResponse,
  QueryStageRequest,
  QueryStageResponse,
  QueryVotesRequest,
  QueryVotesResponse,
  QueryWeightsRequest,
  QueryWeightsResponse,
} from '../../proto/gen/gonka/poc/v1/query.js';
import { registerConfirmationQueries, roundCommitsPage, roundVotesPage } from './confirmationQuery.js';
import type { PocKeeper } from './keeper.js';
import { stageAt } from './stages.js';

export const POC_QUERY = '/gonka.poc.v1.Query';

export function registerPocQueries(queries: QueryRouter, keeper: PocKeeper): void {
  queries.register({
    path: `${POC_QUERY}/Params`,
    request: QueryParamsRequest,
    response: QueryParamsResponse,
    handle: (ctx) => ({ params: keeper.getParams(ctx) }),
  });
  queries.register({
    path: `${POC_QUERY}/Epoch`,
    request: QueryEpochRequest,
    response: QueryEpochResponse,
    handle: (ctx) => ({ ...keeper.epochState(ctx), epochLength: keeper.getParams(ctx).epochLength }),
  });
  queries.register({
    path: `${POC_QUERY}/Participants`,
    request: QueryParticipantsRequest,
    response: QueryParticipantsResponse,
    handle(ctx, r) {
      const { items, pagination } = paginate(r.pagination, (start) =>
        keeper.iterateParticipantEntries(ctx, start),
      );
      return { participants: items, totalWeight: keeper.totalWeight(ctx), pagination };
    },
  });
  registerSprintQueries(queries, keeper);
  queries.register({
    path: `${POC_QUERY}/FraudRecords`,
    request: QueryFraudRecordsRequest,
    response: QueryFraudRecordsResponse,
    handle(ctx, r) {
      const { items, pagination } = sprintPage(ctx, keeper, r, (epoch, start) =>
        keeper.fraud.recordEntries(ctx, epoch, start),
      );
      return { records: items, pagination };
    },
  });
  registerConfirmationQueries(queries, keeper, POC_QUERY);
}

/** Participant, Stage, Sprint, Commits, Votes, Weights. */
function registerSprintQueries(queries: QueryRouter, keeper: PocKeeper): void {
  queries.register({
    path: `${POC_QUERY}/Participant`,
    request: QueryParticipantRequest,
    response: QueryParticipantResponse,
    handle(ctx, r) {
      addressBytes(r.address);
      const participant = keeper.getParticipant(ctx, r.address);
      if (!participant) throw sdkErrors.notFound(`participant ${r.address}`);
      return { participant };
    },
  });
  queries.register({
    path: `${POC_QUERY}/Stage`,
    request: QueryStageRequest,
    response: QueryStageResponse,
    handle(ctx) {
      const sprint = keeper.sprints.latestSprint(ctx);
      return {
        height: ctx.header.height,
        epoch: keeper.currentEpoch(ctx),
        stage: stageAt(sprint, ctx.header.height),
        sprint,
      };
    },
  });
  queries.register({
    path: `${POC_QUERY}/Sprint`,
    request: QuerySprintRequest,
    response: QuerySprintResponse,
    handle(ctx, r) {
      const sprint = keeper.sprints.getSprint(ctx, sprintEpoch(ctx, keeper, r.epoch));
      if (!sprint) throw sdkErrors.notFound(`no Sprint for epoch ${r.epoch}`);
      return { sprint };
    },
  });
  registerSprintListQueries(queries, keeper);
}

/** Commits, Votes, Weights of one Sprint (paginated). */
function registerSprintListQueries(queries: QueryRouter, keeper: PocKeeper): void {
  queries.register({
    path: `${POC_QUERY}/Commits`,
    request: QueryCommitsRequest,
    response: QueryCommitsResponse,
    handle(ctx, r) {
      if (r.round > 0) {
        const { items, pagination } = roundCommitsPage(ctx, keeper, r);
        return { commits: items, pagination };
      }
      const { items, pagination } = sprintPage(ctx, keeper, r, (epoch, start) =>
        keeper.sprints.commitEntries(ctx, epoch, start),
      );
      return { commits: items, pagination };
    },
  });
  queries.register({
    path: `${POC_QUERY}/Votes`,
    request: QueryVotesRequest,
    response: QueryVotesResponse,
    handle(ctx, r) {
      if (r.participant !== '') addressBytes(r.participant);
      if (r.round > 0) {
        const { items, pagination } = roundVotesPage(ctx, keeper, r);
        return { votes: items, pagination };
      }
      const { items, pagination } = sprintPage(ctx, keeper, r, (epoch, start) =>
        keeper.sprints.voteEntries(ctx, epoch, r.participant || undefined, start),
      );
      return { votes: items, pagination };
    },
  });
  queries.register({
    path: `${POC_QUERY}/Weights`,
    request: QueryWeightsRequest,
    response: QueryWeightsResponse,
    handle(ctx, r) {
      const { items, pagination } = sprintPage(ctx, keeper, r, (epoch, start) =>
        keeper.sprints.weightResultEntries(ctx, epoch, start),
      );
      return { weights: items, pagination };
    },
  });
}

/** 0 = the latest Sprint's epoch (0 again when there was none: empty answers). */
const sprintEpoch = (ctx: Context, keeper: PocKeeper, epoch: bigint): bigint =>
  epoch === 0n ? (keeper.sprints.latestEpoch(ctx) ?? 0n) : epoch;

/** One page of a Sprint's keyed list (Commits, Votes, Weights) for the request's epoch (0 = latest). */
function sprintPage<T>(
  ctx: Context,
  keeper: PocKeeper,
  r: { epoch: bigint; pagination?: PageRequest | undefined },
  entries: (epoch: bigint, startKey?: Uint8Array) => Iterable<[Uint8Array, T]>,
): ReturnType<typeof paginate<T>> {
  const epoch = sprintEpoch(ctx, keeper, r.epoch);
  return paginate(r.pagination, (start) => entries(epoch, start));
}
