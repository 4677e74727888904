// The gonka.poc.v1.Query service: Params, Epoch, Participants (paginated like every list query;
// total_weight is over every participant).

import { paginate } from '../../app/runtime/pagination.js';
import type { QueryRouter } from '../../app/runtime/router.js';
import {
  QueryEpochRequest,
  QueryEpochResponse,
  QueryParamsRequest,
  QueryParamsResponse,
  QueryParticipantsRequest,
  QueryParticipantsResponse,
} from '../../proto/gonka/poc/v1/codecs.js';
import type { PocKeeper } from './keeper.js';

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
}
