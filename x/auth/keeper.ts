// x/auth keeper: accounts (BaseAccount and ModuleAccount, stored as Any), account numbers, params.
// Other modules reach accounts only through this keeper.
import { BaseAccount, ModuleAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { Any } from 'cosmjs-types/google/protobuf/any';
import { addressBytes, addressString, moduleAddress } from '../../app/runtime/address.js';
import type { Context } from '../../app/runtime/context.js';
import { formatDec, parseDec } from '../../app/runtime/decimal.js';
import { sdkErrors } from '../../app/runtime/errors.js';
import { prefixEnd, readU64, u64 } from '../../app/runtime/keys.js';
import type { StoreKey } from '../../app/runtime/storeKey.js';
import { Params as ParamsProto } from '../../proto/gen/gonka/auth/v1/params.js';
import {
  ACCOUNT_PREFIX,
  accountByNumberKey,
  accountKey,
  GENESIS_NUMBER_GAPS_KEY,
  NEXT_ACCOUNT_NUMBER_KEY,
  PARAMS_KEY,
} from './keys.js';
import { type AuthParams, authParamsFromProto, authParamsToProto, defaultAuthParams } from './params.js';

export const BASE_ACCOUNT_TYPE = '/cosmos.auth.v1beta1.BaseAccount';
export const MODULE_ACCOUNT_TYPE = '/cosmos.auth.v1beta1.ModuleAccount';
export const SECP256K1_PUBKEY_TYPE = '/cosmos.crypto.secp256k1.PubKey';

/** An account as the keeper hands it out: always a BaseAccount, plus module data for module accounts. */
export interface Account {
  base: BaseAccount;
  module?: { name: string; permissions: string[] };
}

export const FEE_COLLECTOR = 'fee_collector';

/** A module account genesis creates, with its permissions (SDK names: `minter`, `burner`). */
export interface ModuleAccountPerms {
  name: string;
  permissions: string[];
}

/**
 * x/auth's own module accounts. The app adds the other modules' (app/app.ts, as the SDK's
 * maccPerms in app.go), so auth names no other module.
 */
export const DEFAULT_MODULE_ACCOUNTS: ModuleAccountPerms[] = [{ name: FEE_COLLECTOR, permissions: [] }];

export function encodeAccountAny(a: Account): Any {
  if (a.module) {
    return Any.fromPartial({
      typeUrl: MODULE_ACCOUNT_TYPE,
      value: ModuleAccount.encode(
        ModuleAccount.fromPartial({
          baseAccount: a.base,
          name: a.module.name,
          permissions: a.module.permissions,
        }),
      ).finish(),
    });
  }
  return Any.fromPartial({ typeUrl: BASE_ACCOUNT_TYPE, value: BaseAccount.encode(a.base).finish() });
}

export function decodeAccountAny(any: Any): Account {
  if (any.typeUrl === BASE_ACCOUNT_TYPE) return { base: BaseAccount.decode(any.value) };
  if (any.typeUrl === MODULE_ACCOUNT_TYPE) {
    const m = ModuleAccount.decode(any.value);
    if (!m.baseAccount) throw new Error('module account without base account');
    return { base: m.baseAccount, module: { name: m.name, permissions: m.permissions } };
  }
  throw new Error(`unsupported account type ${any.typeUrl}`);
}

export function secp256k1PubKeyAny(key: Uint8Array): Any {
  return Any.fromPartial({ typeUrl: SECP256K1_PUBKEY_TYPE, value: PubKey.encode({ key }).finish() });
}

export class AuthKeeper {
  readonly moduleAccountNames: readonly string[];
  private readonly moduleAddrs: Map<string, string>;
  private readonly modulePerms: Map<string, string[]>;
  private readonly moduleAddrSet: Set<string>;
  /** The last stored params bytes and their parse (see getParams). */
  private paramsMemo: { raw: Uint8Array; params: AuthParams } | undefined;

  constructor(
    private readonly key: StoreKey,
    moduleAccounts = DEFAULT_MODULE_ACCOUNTS,
  ) {
    this.moduleAccountNames = moduleAccounts.map((m) => m.name);
    this.moduleAddrs = new Map(moduleAccounts.map((m) => [m.name, moduleAddress(m.name)]));
    this.modulePerms = new Map(moduleAccounts.map((m) => [m.name, m.permissions]));
    this.moduleAddrSet = new Set(this.moduleAddrs.values());
  }

  // ---- accounts --------------------------------------------------------------------------------

  getAccount(ctx: Context, address: string): Account | undefined {
    const raw = ctx.kv(this.key).get(accountKey(addressBytes(address)));
    return raw ? decodeAccountAny(Any.decode(raw)) : undefined;
  }

  hasAccount(ctx: Context, address: string): boolean {
    return ctx.kv(this.key).has(accountKey(addressBytes(address)));
  }

  setAccount(ctx: Context, account: Account): void {
    const addr = addressBytes(account.base.address);
    ctx.kv(this.key).set(accountKey(addr), Any.encode(encodeAccountAny(account)).finish());
  }

  /** Creates a BaseAccount with the next account number (the account must not exist). */
  newAccount(ctx: Context, address: string): Account {
    if (this.hasAccount(ctx, address)) throw sdkErrors.invalidRequest(`account ${address} already exists`);
    const number = this.nextAccountNumber(ctx);
    const account: Account = {
      base: BaseAccount.fromPartial({ address, accountNumber: number, sequence: 0n }),
    };
    this.setAccount(ctx, account);
    ctx.kv(this.key).set(accountByNumberKey(number), addressBytes(address));
    return account;
  }

  /** The account, created on first sight (as the SDK's bank does for recipients). */
  ensureAccount(ctx: Context, address: string): Account {
    return this.getAccount(ctx, address) ?? this.newAccount(ctx, address);
  }

  private nextAccountNumber(ctx: Context): bigint {
    const kv = ctx.kv(this.key);
    const raw = kv.get(NEXT_ACCOUNT_NUMBER_KEY);
    const n = raw ? readU64(raw) : 0n;
    kv.set(NEXT_ACCOUNT_NUMBER_KEY, u64(n + 1n));
    return n;
  }

  /** Accounts in address-byte order, starting after `startAfterKey` (a raw store key) when given. */
  /**
   * Stored accounts as they are kept (an encoded `Any`), undecoded: a page skipped by offset or
   * counted costs no decode, and the Accounts query answers the stored Any as it is.
   */
  *iterateAccountRecords(ctx: Context, startKey?: Uint8Array): Generator<[Uint8Array, Uint8Array]> {
    yield* ctx.kv(this.key).iterator(startKey ?? ACCOUNT_PREFIX, prefixEnd(ACCOUNT_PREFIX));
  }

  *iterateAccounts(ctx: Context, startKey?: Uint8Array): Generator<[Uint8Array, Account]> {
    for (const [k, v] of ctx.kv(this.key).iterator(startKey ?? ACCOUNT_PREFIX, prefixEnd(ACCOUNT_PREFIX))) {
      yield [k, decodeAccountAny(Any.decode(v))];
    }
  }

  /** Number of accounts: next account number − numbers genesis left unused (no scan). */
  accountCount(ctx: Context): bigint {
    const kv = ctx.kv(this.key);
    const next = kv.get(NEXT_ACCOUNT_NUMBER_KEY);
    const gaps = kv.get(GENESIS_NUMBER_GAPS_KEY);
    return (next ? readU64(next) : 0n) - (gaps ? readU64(gaps) : 0n);
  }

  /** The account count from a scan equals the maintained one (invariant; a full scan). */
  invariants(ctx: Context): string[] {
    let scanned = 0n;
    for (const _ of ctx.kv(this.key).iterator(ACCOUNT_PREFIX, prefixEnd(ACCOUNT_PREFIX))) scanned++;
    const counted = this.accountCount(ctx);
    return scanned === counted ? [] : [`account count ${counted} != ${scanned} accounts stored`];
  }

  addressByNumber(ctx: Context, number: bigint): string | undefined {
    const raw = ctx.kv(this.key).get(accountByNumberKey(number));
    return raw ? addressString(raw) : undefined;
  }

  // ---- module accounts -------------------------------------------------------------------------

  moduleAddress(name: string): string {
    const a = this.moduleAddrs.get(name);
    if (!a) throw new Error(`no module account named ${name}`);
    return a;
  }

  isModuleAddress(address: string): boolean {
    return this.moduleAddrSet.has(address);
  }

  /** The module account, created with its permissions on first use. */
  ensureModuleAccount(ctx: Context, name: string): Account {
    const address = this.moduleAddress(name);
    const existing = this.getAccount(ctx, address);
    if (existing) {
      if (!existing.module) throw new Error(`account ${address} of module ${name} is not a module account`);
      return existing;
    }
    const base = this.newAccount(ctx, address).base;
    const account: Account = { base, module: { name, permissions: [...(this.modulePerms.get(name) ?? [])] } };
    this.setAccount(ctx, account);
    return account;
  }

  hasPermission(name: string, permission: string): boolean {
    return (this.modulePerms.get(name) ?? []).includes(permission);
  }

  // ---- params ----------------------------------------------------------------------------------

  getParams(ctx: Context): AuthParams {
    const raw = ctx.kv(this.key).get(PARAMS_KEY);
    if (!raw) return defaultAuthParams();
    // Every tx's ante reads params: parse each distinct stored value once (the store read above
    // still happens, so gas is unchanged). A copy is returned so callers cannot alter the memo.
    const memo = this.paramsMemo;
    if (memo && Buffer.compare(memo.raw, raw) === 0) return { ...memo.params };
    const params = authParamsFromProto(ParamsProto.decode(raw));
    this.paramsMemo = { raw: Uint8Array.from(raw), params };
    return { ...params };
  }

  setParams(ctx: Context, p: AuthParams): void {
    // gonka.auth.v1.Params, canonically encoded (fields in number order, defaults omitted).
    ctx.kv(this.key).set(PARAMS_KEY, ParamsProto.encode(authParamsToProto(p)).finish());
  }
}

/** The genesis JSON shape (SDK field names, numbers as strings). */
export function paramsToJson(p: AuthParams): Record<string, string> {
  return {
    max_memo_characters: p.maxMemoCharacters.toString(),
    tx_sig_limit: p.txSigLimit.toString(),
    tx_size_cost_per_byte: p.txSizeCostPerByte.toString(),
    sig_verify_cost_ed25519: p.sigVerifyCostEd25519.toString(),
    sig_verify_cost_secp256k1: p.sigVerifyCostSecp256k1.toString(),
    min_gas_price: formatDec(p.minGasPrice),
    max_tx_bytes: p.maxTxBytes.toString(),
  };
}

export function paramsFromJson(j: Record<string, unknown> | undefined): AuthParams {
  const d = defaultAuthParams();
  if (!j) return d;
  const big = (k: string, dflt: bigint) => {
    const v = j[k];
    if (v === undefined) return dflt;
    if (typeof v !== 'string' && typeof v !== 'number') throw new Error(`auth param ${k} must be a string`);
    if (!/^\d+$/.test(String(v))) throw new Error(`auth param ${k} must be a non-negative integer`);
    return BigInt(v);
  };
  return {
    maxMemoCharacters: big('max_memo_characters', d.maxMemoCharacters),
    txSigLimit: big('tx_sig_limit', d.txSigLimit),
    txSizeCostPerByte: big('tx_size_cost_per_byte', d.txSizeCostPerByte),
    sigVerifyCostEd25519: big('sig_verify_cost_ed25519', d.sigVerifyCostEd25519),
    sigVerifyCostSecp256k1: big('sig_verify_cost_secp256k1', d.sigVerifyCostSecp256k1),
    minGasPrice: j.min_gas_price === undefined ? d.minGasPrice : parseDec(String(j.min_gas_price)),
    maxTxBytes: big('max_tx_bytes', d.maxTxBytes),
  };
}
