// The cosmos.auth.v1beta1.Query service (and gonka.auth.v1.Query/Params) on the query router (the same paths ABCI Query, CosmJS and
// the gRPC server use). A missing account answers with the SDK's NotFound convention: sdk code 22
// and a log starting `rpc error: code = NotFound`, which CosmJS's getAccount turns into null.

import {
  AddressBytesToStringRequest,
  AddressBytesToStringResponse,
  AddressStringToBytesRequest,
  AddressStringToBytesResponse,
  Bech32PrefixRequest,
  Bech32PrefixResponse,
  QueryAccountAddressByIDRequest,
  QueryAccountAddressByIDResponse,
  QueryAccountInfoRequest,
  QueryAccountInfoResponse,
  QueryAccountRequest,
  QueryAccountResponse,
  QueryAccountsRequest,
  QueryAccountsResponse,
  QueryModuleAccountByNameRequest,
  QueryModuleAccountByNameResponse,
  QueryModuleAccountsRequest,
  QueryModuleAccountsResponse,
  QueryParamsRequest,
  QueryParamsResponse,
} from 'cosmjs-types/cosmos/auth/v1beta1/query';
import { Any } from 'cosmjs-types/google/protobuf/any';
import { addressBytes, addressString, BECH32_PREFIX } from '../../app/runtime/address.js';
import { sdkErrors } from '../../app/runtime/errors.js';
import { paginate } from '../../app/runtime/pagination.js';
import type { QueryRouter } from '../../app/runtime/router.js';
import * as gonkaAuth from '../../proto/gen/gonka/auth/v1/query.js';
import { type AuthKeeper, encodeAccountAny } from './keeper.js';
import { authParamsToProto, sdkParams } from './params.js';

export const AUTH_QUERY = '/cosmos.auth.v1beta1.Query';
/** Every x/auth param, min_gas_price and max_tx_bytes included (the SDK's Params lacks them). */
export const GONKA_AUTH_QUERY = '/gonka.auth.v1.Query';

export function notFound(what: string): Error {
  return sdkErrors.keyNotFound(`rpc error: code = NotFound desc = ${what} not found`);
}

/** Accounts by address, page or number, and params. */
function registerAccountQueries(queries: QueryRouter, keeper: AuthKeeper): void {
  queries.register({
    path: `${AUTH_QUERY}/Account`,
    request: QueryAccountRequest,
    response: QueryAccountResponse,
    handle(ctx, req) {
      if (!req.address)
        throw sdkErrors.invalidRequest('rpc error: code = InvalidArgument desc = address cannot be empty');
      const a = keeper.getAccount(ctx, req.address);
      if (!a) throw notFound(`account ${req.address}`);
      return { account: encodeAccountAny(a) };
    },
  });

  queries.register({
    path: `${AUTH_QUERY}/Accounts`,
    request: QueryAccountsRequest,
    response: QueryAccountsResponse,
    handle(ctx, req) {
      // Pages over the stored Any bytes and decodes only the page: skipping by offset (up to
      // 10,000) decoded every skipped account and held the loop for tens of ms at 200k accounts.
      const { items, pagination } = paginate(
        req.pagination,
        (start) => keeper.iterateAccountRecords(ctx, start),
        { count: () => keeper.accountCount(ctx) },
      );
      return { accounts: items.map((raw) => Any.decode(raw)), pagination };
    },
  });

  queries.register({
    path: `${AUTH_QUERY}/AccountAddressByID`,
    request: QueryAccountAddressByIDRequest,
    response: QueryAccountAddressByIDResponse,
    handle(ctx, req) {
      const id = req.accountId !== 0n ? req.accountId : req.id;
      const address = keeper.addressByNumber(ctx, id);
      if (!address) throw notFound(`account number ${id}`);
      return { accountAddress: address };
    },
  });

  queries.register({
    path: `${AUTH_QUERY}/Params`,
    request: QueryParamsRequest,
    response: QueryParamsResponse,
    handle: (ctx) => ({ params: sdkParams(keeper.getParams(ctx)) }),
  });
}

/** Module accounts, address conversions and account info. */
function registerModuleAndAddressQueries(queries: QueryRouter, keeper: AuthKeeper): void {
  queries.register({
    path: `${AUTH_QUERY}/ModuleAccounts`,
    request: QueryModuleAccountsRequest,
    response: QueryModuleAccountsResponse,
    handle(ctx) {
      const accounts = [...keeper.moduleAccountNames]
        .sort()
        .map((name) => keeper.getAccount(ctx, keeper.moduleAddress(name)))
        .filter((a) => a !== undefined)
        .map(encodeAccountAny);
      return { accounts };
    },
  });

  queries.register({
    path: `${AUTH_QUERY}/ModuleAccountByName`,
    request: QueryModuleAccountByNameRequest,
    response: QueryModuleAccountByNameResponse,
    handle(ctx, req) {
      if (!keeper.moduleAccountNames.includes(req.name)) throw notFound(`module account ${req.name}`);
      const a = keeper.getAccount(ctx, keeper.moduleAddress(req.name));
      if (!a) throw notFound(`module account ${req.name}`);
      return { account: encodeAccountAny(a) };
    },
  });

  queries.register({
    path: `${AUTH_QUERY}/Bech32Prefix`,
    request: Bech32PrefixRequest,
    response: Bech32PrefixResponse,
    handle: () => ({ bech32Prefix: BECH32_PREFIX }),
  });

  queries.register({
    path: `${AUTH_QUERY}/AddressBytesToString`,
    request: AddressBytesToStringRequest,
    response: AddressBytesToStringResponse,
    handle: (_ctx, req) => ({ addressString: addressString(req.addressBytes) }),
  });

  queries.register({
    path: `${AUTH_QUERY}/AddressStringToBytes`,
    request: AddressStringToBytesRequest,
    response: AddressStringToBytesResponse,
    handle: (_ctx, req) => ({ addressBytes: addressBytes(req.addressString) }),
  });

  queries.register({
    path: `${AUTH_QUERY}/AccountInfo`,
    request: QueryAccountInfoRequest,
    response: QueryAccountInfoResponse,
    handle(ctx, req) {
      const a = keeper.getAccount(ctx, req.address);
      if (!a) throw notFound(`account ${req.address}`);
      return { info: a.base };
    },
  });
  queries.register({
    path: `${GONKA_AUTH_QUERY}/Params`,
    request: gonkaAuth.QueryParamsRequest,
    response: gonkaAuth.QueryParamsResponse,
    handle: (ctx) => ({ params: authParamsToProto(keeper.getParams(ctx)) }),
  });
}

export function registerAuthQueries(queries: QueryRouter, keeper: AuthKeeper): void {
  registerAccountQueries(queries, keeper);
  registerModuleAndAddressQueries(queries, keeper);
}
