// The gonka.poc.v1.Query service: Params, Epoch, Participants (bounded by the participant count,
// which only genesis and accepted PoC results grow).
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
    handle(ctx) {
      const participants = keeper.participants(ctx);
      return { participants, totalWeight: participants.reduce((s, p) => s + p.weight, 0n) };
    },
  });
}
