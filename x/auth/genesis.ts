// x/auth genesis: params and accounts in the SDK's JSON shape ("@type" tagged, numbers as strings).
// Accounts keep their numbers; the counter continues after the largest.
import { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { Any } from 'cosmjs-types/google/protobuf/any';
import { addressBytes } from '../../app/runtime/address.js';
import type { Context } from '../../app/runtime/context.js';
import { u64 } from '../../app/runtime/keys.js';
import type { StoreKey } from '../../app/runtime/storeKey.js';
import {
  type Account,
  type AuthKeeper,
  BASE_ACCOUNT_TYPE,
  MODULE_ACCOUNT_TYPE,
  paramsFromJson,
  paramsToJson,
} from './keeper.js';
import { accountByNumberKey, GENESIS_NUMBER_GAPS_KEY, NEXT_ACCOUNT_NUMBER_KEY } from './keys.js';
import { validateAuthParams } from './params.js';

export interface GenesisAccountJson {
  '@type': string;
  address: string;
  pub_key?: { '@type': string; key: string } | null;
  account_number?: string;
  sequence?: string;
  name?: string;
  permissions?: string[];
}

export interface AuthGenesis {
  params: Record<string, string>;
  accounts: GenesisAccountJson[];
}

export function defaultAuthGenesis(): AuthGenesis {
  return { params: paramsToJson(paramsFromJson(undefined)), accounts: [] };
}

export function initAuthGenesis(ctx: Context, keeper: AuthKeeper, store: StoreKey, raw: unknown): void {
  const g = (raw ?? defaultAuthGenesis()) as Partial<AuthGenesis>;
  const params = paramsFromJson(g.params as Record<string, unknown> | undefined);
  validateAuthParams(params);
  keeper.setParams(ctx, params);
  const accounts = g.accounts ?? [];
  if (!Array.isArray(accounts)) throw new Error('auth genesis: accounts must be a list');
  const numbers = new Set<bigint>();
  let next = 0n;
  for (const j of accounts) {
    const account = accountFromJson(j);
    const n = account.base.accountNumber;
    if (numbers.has(n)) throw new Error(`auth genesis: duplicate account number ${n}`);
    numbers.add(n);
    if (keeper.hasAccount(ctx, account.base.address))
      throw new Error(`auth genesis: duplicate account ${account.base.address}`);
    keeper.setAccount(ctx, account);
    ctx.kv(store).set(accountByNumberKey(n), addressBytes(account.base.address));
    if (n >= next) next = n + 1n;
  }
  ctx.kv(store).set(NEXT_ACCOUNT_NUMBER_KEY, u64(next));
  // Numbers below `next` that no genesis account holds: the account count is next − gaps from here on.
  const gaps = next - BigInt(numbers.size);
  if (gaps > 0n) ctx.kv(store).set(GENESIS_NUMBER_GAPS_KEY, u64(gaps));
  for (const name of keeper.moduleAccountNames) keeper.ensureModuleAccount(ctx, name);
}

export function exportAuthGenesis(ctx: Context, keeper: AuthKeeper): AuthGenesis {
  const accounts: GenesisAccountJson[] = [];
  for (const [, a] of keeper.iterateAccounts(ctx)) accounts.push(accountToJson(a));
  accounts.sort((x, y) => (BigInt(x.account_number ?? 0) < BigInt(y.account_number ?? 0) ? -1 : 1));
  return { params: paramsToJson(keeper.getParams(ctx)), accounts };
}

function accountFromJson(j: GenesisAccountJson): Account {
  if (typeof j !== 'object' || j === null) throw new Error('auth genesis: account must be an object');
  addressBytes(j.address);
  const base = BaseAccount.fromPartial({
    address: j.address,
    accountNumber: BigInt(j.account_number ?? '0'),
    sequence: BigInt(j.sequence ?? '0'),
    pubKey: j.pub_key
      ? Any.fromPartial({ typeUrl: j.pub_key['@type'], value: pubKeyValue(j.pub_key.key) })
      : undefined,
  });
  if (j['@type'] === BASE_ACCOUNT_TYPE) return { base };
  if (j['@type'] === MODULE_ACCOUNT_TYPE)
    return { base, module: { name: j.name ?? '', permissions: j.permissions ?? [] } };
  throw new Error(`auth genesis: unsupported account type ${j['@type']}`);
}

function pubKeyValue(b64: string): Uint8Array {
  const key = Buffer.from(b64, 'base64');
  // PubKey{key = 1}: field 1, length-delimited.
  return Uint8Array.from([0x0a, key.length, ...key]);
}

function accountToJson(a: Account): GenesisAccountJson {
  const pk = a.base.pubKey;
  const j: GenesisAccountJson = {
    '@type': a.module ? MODULE_ACCOUNT_TYPE : BASE_ACCOUNT_TYPE,
    address: a.base.address,
    pub_key: pk ? { '@type': pk.typeUrl, key: Buffer.from(pk.value.subarray(2)).toString('base64') } : null,
    account_number: a.base.accountNumber.toString(),
    sequence: a.base.sequence.toString(),
  };
  if (a.module) {
    j.name = a.module.name;
    j.permissions = a.module.permissions;
  }
  return j;
}
