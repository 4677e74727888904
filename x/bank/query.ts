// The cosmos.bank.v1beta1.Query service in full. Balance of an unknown denom is a zero coin, never
// empty (CosmJS asserts the field is set). Spendable = total: there are no vesting locks.
import { Params } from 'cosmjs-types/cosmos/bank/v1beta1/bank';
import {
  QueryAllBalancesRequest,
  QueryAllBalancesResponse,
  QueryBalanceRequest,
  QueryBalanceResponse,
  QueryDenomMetadataByQueryStringRequest,
  QueryDenomMetadataByQueryStringResponse,
  QueryDenomMetadataRequest,
  QueryDenomMetadataResponse,
  QueryDenomOwnersByQueryRequest,
  QueryDenomOwnersByQueryResponse,
  QueryDenomOwnersRequest,
  QueryDenomOwnersResponse,
  QueryDenomsMetadataRequest,
  QueryDenomsMetadataResponse,
  QueryParamsRequest,
  QueryParamsResponse,
  QuerySendEnabledRequest,
  QuerySendEnabledResponse,
  QuerySpendableBalanceByDenomRequest,
  QuerySpendableBalanceByDenomResponse,
  QuerySpendableBalancesRequest,
  QuerySpendableBalancesResponse,
  QuerySupplyOfRequest,
  QuerySupplyOfResponse,
  QueryTotalSupplyRequest,
  QueryTotalSupplyResponse,
} from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { addressBytes } from '../../app/runtime/address.js';
import { validateDenom } from '../../app/runtime/coins.js';
import type { Context } from '../../app/runtime/context.js';
import { sdkErrors } from '../../app/runtime/errors.js';
import { paginate } from '../../app/runtime/pagination.js';
import type { QueryRouter } from '../../app/runtime/router.js';
import type { BankKeeper } from './keeper.js';

export const BANK_QUERY = '/cosmos.bank.v1beta1.Query';
const MAX_SEND_ENABLED_DENOMS = 1000;

const invalidArg = (msg: string) =>
  sdkErrors.invalidRequest(`rpc error: code = InvalidArgument desc = ${msg}`);

function checkAddress(address: string): void {
  if (!address) throw invalidArg('empty address string is not allowed');
  addressBytes(address);
}

function checkDenom(denom: string): void {
  if (!denom) throw invalidArg('invalid denom');
  validateDenom(denom);
}

export function registerBankQueries(queries: QueryRouter, keeper: BankKeeper): void {
  const balance = (ctx: Context, address: string, denom: string) => {
    checkAddress(address);
    checkDenom(denom);
    return { balance: { denom, amount: keeper.balance(ctx, address, denom).toString() } };
  };
  const balances = (ctx: Context, address: string, page: QueryAllBalancesRequest['pagination']) => {
    checkAddress(address);
    const { items, pagination } = paginate(page, (start) => keeper.iterateBalances(ctx, address, start));
    return { balances: items.map((c) => ({ denom: c.denom, amount: c.amount.toString() })), pagination };
  };
  const metadata = (ctx: Context, denom: string) => {
    checkDenom(denom);
    const m = keeper.getDenomMetadata(ctx, denom);
    if (!m)
      throw sdkErrors.keyNotFound(`rpc error: code = NotFound desc = client metadata for denom ${denom}`);
    return { metadata: m };
  };
  // From the denom → holder index: a page costs O(limit) reads and count_total is the maintained
  // holder count, however many balances the chain holds.
  const owners = (ctx: Context, denom: string, page: QueryDenomOwnersRequest['pagination']) => {
    checkDenom(denom);
    const { items, pagination } = paginate(
      page,
      function* (start) {
        for (const [k, { address, amount }] of keeper.iterateDenomOwners(ctx, denom, start))
          yield [k, { address, balance: { denom, amount: amount.toString() } }] as [
            Uint8Array,
            { address: string; balance: { denom: string; amount: string } },
          ];
      },
      { count: () => keeper.holderCount(ctx, denom) },
    );
    return { denomOwners: items, pagination };
  };

  queries.register({
    path: `${BANK_QUERY}/Balance`,
    request: QueryBalanceRequest,
    response: QueryBalanceResponse,
    handle: (ctx, r) => balance(ctx, r.address, r.denom),
  });
  queries.register({
    path: `${BANK_QUERY}/SpendableBalanceByDenom`,
    request: QuerySpendableBalanceByDenomRequest,
    response: QuerySpendableBalanceByDenomResponse,
    handle: (ctx, r) => balance(ctx, r.address, r.denom),
  });
  queries.register({
    path: `${BANK_QUERY}/AllBalances`,
    request: QueryAllBalancesRequest,
    response: QueryAllBalancesResponse,
    handle: (ctx, r) => balances(ctx, r.address, r.pagination),
  });
  queries.register({
    path: `${BANK_QUERY}/SpendableBalances`,
    request: QuerySpendableBalancesRequest,
    response: QuerySpendableBalancesResponse,
    handle: (ctx, r) => balances(ctx, r.address, r.pagination),
  });
  queries.register({
    path: `${BANK_QUERY}/TotalSupply`,
    request: QueryTotalSupplyRequest,
    response: QueryTotalSupplyResponse,
    handle(ctx, r) {
      const { items, pagination } = paginate(r.pagination, (start) => keeper.iterateSupply(ctx, start));
      return { supply: items.map((c) => ({ denom: c.denom, amount: c.amount.toString() })), pagination };
    },
  });
  queries.register({
    path: `${BANK_QUERY}/SupplyOf`,
    request: QuerySupplyOfRequest,
    response: QuerySupplyOfResponse,
    handle(ctx, r) {
      checkDenom(r.denom);
      return { amount: { denom: r.denom, amount: keeper.supplyOf(ctx, r.denom).toString() } };
    },
  });
  queries.register({
    path: `${BANK_QUERY}/Params`,
    request: QueryParamsRequest,
    response: QueryParamsResponse,
    handle: (ctx) => ({
      params: Params.fromPartial({ defaultSendEnabled: keeper.getParams(ctx).defaultSendEnabled }),
    }),
  });
  queries.register({
    path: `${BANK_QUERY}/DenomsMetadata`,
    request: QueryDenomsMetadataRequest,
    response: QueryDenomsMetadataResponse,
    handle(ctx, r) {
      const { items, pagination } = paginate(r.pagination, (start) =>
        keeper.iterateDenomMetadata(ctx, start),
      );
      return { metadatas: items, pagination };
    },
  });
  queries.register({
    path: `${BANK_QUERY}/DenomMetadata`,
    request: QueryDenomMetadataRequest,
    response: QueryDenomMetadataResponse,
    handle: (ctx, r) => metadata(ctx, r.denom),
  });
  queries.register({
    path: `${BANK_QUERY}/DenomMetadataByQueryString`,
    request: QueryDenomMetadataByQueryStringRequest,
    response: QueryDenomMetadataByQueryStringResponse,
    handle: (ctx, r) => metadata(ctx, r.denom),
  });
  queries.register({
    path: `${BANK_QUERY}/DenomOwners`,
    request: QueryDenomOwnersRequest,
    response: QueryDenomOwnersResponse,
    handle: (ctx, r) => owners(ctx, r.denom, r.pagination),
  });
  queries.register({
    path: `${BANK_QUERY}/DenomOwnersByQuery`,
    request: QueryDenomOwnersByQueryRequest,
    response: QueryDenomOwnersByQueryResponse,
    handle: (ctx, r) => owners(ctx, r.denom, r.pagination),
  });
  queries.register({
    path: `${BANK_QUERY}/SendEnabled`,
    request: QuerySendEnabledRequest,
    response: QuerySendEnabledResponse,
    handle(ctx, r) {
      if (r.denoms.length > MAX_SEND_ENABLED_DENOMS)
        throw invalidArg(`at most ${MAX_SEND_ENABLED_DENOMS} denoms`);
      if (r.denoms.length > 0) {
        const sendEnabled = r.denoms.flatMap((denom) => {
          const enabled = keeper.sendEnabledEntry(ctx, denom);
          return enabled === undefined ? [] : [{ denom, enabled }];
        });
        return { sendEnabled };
      }
      const { items, pagination } = paginate(r.pagination, (start) => keeper.iterateSendEnabled(ctx, start));
      return { sendEnabled: items, pagination };
    },
  });
}
