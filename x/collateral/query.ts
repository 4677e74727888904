// The gonka.collateral.v1.Query service: Params, Collateral (active), Unbonding, Jailed,
// SigningInfo and SigningInfos (paginated).

import { addressBytes } from '../../app/runtime/address.js';
import { sdkErrors } from '../../app/runtime/errors.js';
import { paginate } from '../../app/runtime/pagination.js';
import type { QueryRouter } from '../../app/runtime/router.js';
import type { StoreKey } from '../../app/runtime/storeKey.js';
import {
  QueryCollateralRequest,
  QueryCollateralResponse,
  QueryJailedRequest,
  QueryJailedResponse,
  QueryParamsRequest,
  QueryParamsResponse,
  QuerySigningInfoRequest,
  QuerySigningInfoResponse,
  QuerySigningInfosRequest,
  QuerySigningInfosResponse,
  QueryUnbondingRequest,
  QueryUnbondingResponse,
} from '../../proto/gonka/collateral/v1/codecs.js';
import { COLLATERAL_DENOM, type CollateralKeeper } from './keeper.js';
import { getSigningInfo, iterateSigningInfos } from './signingInfo.js';

export const COLLATERAL_QUERY = '/gonka.collateral.v1.Query';

function checkAddress(a: string): void {
  if (!a)
    throw sdkErrors.invalidRequest('rpc error: code = InvalidArgument desc = empty participant address');
  addressBytes(a);
}

export function registerCollateralQueries(
  queries: QueryRouter,
  keeper: CollateralKeeper,
  store: StoreKey,
): void {
  queries.register({
    path: `${COLLATERAL_QUERY}/Params`,
    request: QueryParamsRequest,
    response: QueryParamsResponse,
    handle: (ctx) => ({ params: keeper.getParams(ctx) }),
  });
  queries.register({
    path: `${COLLATERAL_QUERY}/Collateral`,
    request: QueryCollateralRequest,
    response: QueryCollateralResponse,
    handle(ctx, r) {
      checkAddress(r.participant);
      return {
        amount: { denom: COLLATERAL_DENOM, amount: keeper.collateralOf(ctx, r.participant).toString() },
      };
    },
  });
  queries.register({
    path: `${COLLATERAL_QUERY}/Unbonding`,
    request: QueryUnbondingRequest,
    response: QueryUnbondingResponse,
    handle(ctx, r) {
      checkAddress(r.participant);
      return { entries: keeper.unbondingOf(ctx, r.participant) };
    },
  });
  queries.register({
    path: `${COLLATERAL_QUERY}/Jailed`,
    request: QueryJailedRequest,
    response: QueryJailedResponse,
    handle(ctx, r) {
      const { items, pagination } = paginate(r.pagination, (start) => keeper.iterateJailed(ctx, start));
      return { participants: items, pagination };
    },
  });
  queries.register({
    path: `${COLLATERAL_QUERY}/SigningInfo`,
    request: QuerySigningInfoRequest,
    response: QuerySigningInfoResponse,
    handle(ctx, r) {
      checkAddress(r.address);
      const info = getSigningInfo(ctx, store, r.address);
      if (!info) throw sdkErrors.notFound(`no signing info for ${r.address}`);
      return { info };
    },
  });
  queries.register({
    path: `${COLLATERAL_QUERY}/SigningInfos`,
    request: QuerySigningInfosRequest,
    response: QuerySigningInfosResponse,
    handle(ctx, r) {
      const { items, pagination } = paginate(r.pagination, (start) => iterateSigningInfos(ctx, store, start));
      return { infos: items, pagination };
    },
  });
}
