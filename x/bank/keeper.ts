// x/bank keeper: balances, supply, denom metadata and send-enabled flags. Every balance change
// goes through subtract/add here, so supply = Σ balances holds by construction (mint and burn
// adjust both sides) and zero balances are deleted rather than stored.
//
// Preconditions asserted on every store write (an InvariantError, never a user error: message
// validation must have refused such input long before): no negative amount, no malformed denom,
// and no unknown denom — a positive balance may be written only for a denom that has a supply
// entry. Supply entries are created only by genesisCredit (InitChain) and mintCoins, which write
// the supply before the balance, so a send, burn or refund can never bring a denom into being.
// The assertion reads the supply through the unmetered store: checks cost no gas.
import { Metadata, Params } from 'cosmjs-types/cosmos/bank/v1beta1/bank';
import { addressBytes, addressString } from '../../app/runtime/address.js';
import { type Coins, isValidDenom } from '../../app/runtime/coins.js';
import type { Context } from '../../app/runtime/context.js';
import { sdkErrors } from '../../app/runtime/errors.js';
import { assertInvariant } from '../../app/runtime/invariants.js';
import { prefixEnd, readU64, u64 } from '../../app/runtime/keys.js';
import type { StoreKey } from '../../app/runtime/storeKey.js';
import { bankErrors } from './errors.js';
import * as ev from './events.js';
import type { BankAccountKeeper } from './expectedKeepers.js';
import {
  accountBalancesPrefix,
  BALANCES_PREFIX,
  balanceKey,
  DENOM_METADATA_PREFIX,
  DENOM_OWNER_PREFIX,
  denomHoldersKey,
  denomMetadataKey,
  denomOwnerKey,
  denomOwnersPrefix,
  ownerOfIndexKey,
  PARAMS_KEY,
  parseBalanceKey,
  SEND_ENABLED_PREFIX,
  SUPPLY_PREFIX,
  sendEnabledKey,
  supplyKey,
} from './keys.js';
import { defaultBankParams } from './params.js';

const enc = new TextEncoder();
const startsWith = (b: Uint8Array, prefix: Uint8Array) =>
  b.length >= prefix.length && prefix.every((x, i) => b[i] === x);
const dec = new TextDecoder();

export class BankKeeper {
  // Private: no keeper hands out another keeper (callers needing x/auth declare their own interface).
  constructor(
    private readonly key: StoreKey,
    private readonly auth: BankAccountKeeper,
  ) {}

  // ---- balances --------------------------------------------------------------------------------

  balance(ctx: Context, address: string, denom: string): bigint {
    const raw = ctx.kv(this.key).get(balanceKey(addressBytes(address), denom));
    return raw ? BigInt(dec.decode(raw)) : 0n;
  }

  /** All of an account's balances, sorted by denom, from the raw key `startKey` when given. */
  *iterateBalances(ctx: Context, address: string, startKey?: Uint8Array): Generator<[Uint8Array, Coins]> {
    const prefix = accountBalancesPrefix(addressBytes(address));
    for (const [k, v] of ctx.kv(this.key).iterator(startKey ?? prefix, prefixEnd(prefix))) {
      yield [k, { denom: parseBalanceKey(k).denom, amount: BigInt(dec.decode(v)) }];
    }
  }

  allBalances(ctx: Context, address: string): Coins[] {
    return [...this.iterateBalances(ctx, address)].map(([, c]) => c);
  }

  /** Every (address, coin) pair, in store order: for invariants, export and DenomOwners. */
  *iterateAllBalances(
    ctx: Context,
    startKey?: Uint8Array,
  ): Generator<[Uint8Array, { address: string; coin: Coins }]> {
    for (const [k, v] of ctx.kv(this.key).iterator(startKey ?? BALANCES_PREFIX, prefixEnd(BALANCES_PREFIX))) {
      const { addr, denom } = parseBalanceKey(k);
      yield [k, { address: addressString(addr), coin: { denom, amount: BigInt(dec.decode(v)) } }];
    }
  }

  /**
   * Writes a balance whose previous amount the caller just read (`prev`). A balance appearing or
   * disappearing also updates the denom → holder index and the denom's holder count.
   */
  private setBalance(ctx: Context, address: string, denom: string, amount: bigint, prev: bigint): void {
    assertCoin(denom, amount, `balance of ${address}`);
    assertInvariant(
      amount === 0n || ctx.kvUnmetered(this.key).has(supplyKey(denom)),
      `balance of unknown denom '${denom}' (no supply entry) for ${address}`,
    );
    const kv = ctx.kv(this.key);
    const addr = addressBytes(address);
    const key = balanceKey(addr, denom);
    if (amount === 0n) kv.delete(key);
    else kv.set(key, enc.encode(amount.toString()));
    if (prev === 0n && amount !== 0n) {
      kv.set(denomOwnerKey(denom, addr), Uint8Array.of(1));
      this.setHolderCount(ctx, denom, this.holderCount(ctx, denom) + 1n);
    } else if (prev !== 0n && amount === 0n) {
      kv.delete(denomOwnerKey(denom, addr));
      this.setHolderCount(ctx, denom, this.holderCount(ctx, denom) - 1n);
    }
  }

  /** Number of addresses with a non-zero balance of `denom` (maintained, no scan). */
  holderCount(ctx: Context, denom: string): bigint {
    const raw = ctx.kv(this.key).get(denomHoldersKey(denom));
    return raw ? readU64(raw) : 0n;
  }

  private setHolderCount(ctx: Context, denom: string, n: bigint): void {
    if (n === 0n) ctx.kv(this.key).delete(denomHoldersKey(denom));
    else ctx.kv(this.key).set(denomHoldersKey(denom), u64(n));
  }

  /** Holders of `denom` with their balance, in address-byte order, from the index (raw index key `startKey`). */
  *iterateDenomOwners(
    ctx: Context,
    denom: string,
    startKey?: Uint8Array,
  ): Generator<[Uint8Array, { address: string; amount: bigint }]> {
    const prefix = denomOwnersPrefix(denom);
    if (startKey && !startsWith(startKey, prefix))
      throw sdkErrors.invalidRequest(`pagination key is not a ${denom} owner key (use next_key as answered)`);
    for (const [k] of ctx.kv(this.key).iterator(startKey ?? prefix, prefixEnd(prefix))) {
      const addr = ownerOfIndexKey(k);
      const raw = ctx.kv(this.key).get(balanceKey(addr, denom));
      yield [k, { address: addressString(addr), amount: raw ? BigInt(dec.decode(raw)) : 0n }];
    }
  }

  private subtract(ctx: Context, address: string, coins: readonly Coins[]): void {
    for (const c of coins) assertCoin(c.denom, c.amount, `amount taken from ${address}`);
    for (const c of coins) {
      const have = this.balance(ctx, address, c.denom);
      if (have < c.amount) {
        throw sdkErrors.insufficientFunds(
          `spendable balance ${have}${c.denom} is smaller than ${c.amount}${c.denom}`,
        );
      }
      this.setBalance(ctx, address, c.denom, have - c.amount, have);
    }
    ctx.events.emit(ev.coinSpent(address, coins));
  }

  private add(ctx: Context, address: string, coins: readonly Coins[]): void {
    for (const c of coins) assertCoin(c.denom, c.amount, `amount added to ${address}`);
    for (const c of coins) {
      const have = this.balance(ctx, address, c.denom);
      this.setBalance(ctx, address, c.denom, have + c.amount, have);
    }
    ctx.events.emit(ev.coinReceived(address, coins));
  }

  /** Moves coins, creating the recipient account on first receipt (as the SDK does). */
  sendCoins(ctx: Context, from: string, to: string, coins: readonly Coins[]): void {
    this.subtract(ctx, from, coins);
    if (!this.auth.hasAccount(ctx, to)) this.auth.newAccount(ctx, to);
    this.add(ctx, to, coins);
    ctx.events.emit(ev.transfer(to, from, coins));
  }

  sendCoinsToModule(ctx: Context, from: string, module: string, coins: readonly Coins[]): void {
    this.auth.ensureModuleAccount(ctx, module);
    this.sendCoins(ctx, from, this.auth.moduleAddress(module), coins);
  }

  sendCoinsFromModule(ctx: Context, module: string, to: string, coins: readonly Coins[]): void {
    this.sendCoins(ctx, this.auth.moduleAddress(module), to, coins);
  }

  /** One input, several outputs (MsgMultiSend); the caller checked that the sums match. */
  inputOutputCoins(
    ctx: Context,
    input: { address: string; coins: Coins[] },
    outputs: { address: string; coins: Coins[] }[],
  ): void {
    this.subtract(ctx, input.address, input.coins);
    for (const o of outputs) {
      if (!this.auth.hasAccount(ctx, o.address)) this.auth.newAccount(ctx, o.address);
      this.add(ctx, o.address, o.coins);
      ctx.events.emit(ev.transfer(o.address, input.address, o.coins));
    }
  }

  // ---- supply ------------------------------------------------------------------------------------

  supplyOf(ctx: Context, denom: string): bigint {
    const raw = ctx.kv(this.key).get(supplyKey(denom));
    return raw ? BigInt(dec.decode(raw)) : 0n;
  }

  private setSupply(ctx: Context, denom: string, amount: bigint): void {
    assertCoin(denom, amount, 'supply');
    if (amount === 0n) ctx.kv(this.key).delete(supplyKey(denom));
    else ctx.kv(this.key).set(supplyKey(denom), enc.encode(amount.toString()));
  }

  *iterateSupply(ctx: Context, startKey?: Uint8Array): Generator<[Uint8Array, Coins]> {
    for (const [k, v] of ctx.kv(this.key).iterator(startKey ?? SUPPLY_PREFIX, prefixEnd(SUPPLY_PREFIX))) {
      yield [k, { denom: dec.decode(k.subarray(1)), amount: BigInt(dec.decode(v)) }];
    }
  }

  mintCoins(ctx: Context, module: string, coins: readonly Coins[]): void {
    if (!this.auth.hasPermission(module, 'minter'))
      throw sdkErrors.unauthorized(`module ${module} may not mint`);
    this.auth.ensureModuleAccount(ctx, module);
    const address = this.auth.moduleAddress(module);
    for (const c of coins) assertCoin(c.denom, c.amount, `amount minted by ${module}`);
    for (const c of coins) this.setSupply(ctx, c.denom, this.supplyOf(ctx, c.denom) + c.amount);
    this.add(ctx, address, coins);
    ctx.events.emit(ev.coinbase(address, coins));
  }

  burnCoins(ctx: Context, module: string, coins: readonly Coins[]): void {
    if (!this.auth.hasPermission(module, 'burner'))
      throw sdkErrors.unauthorized(`module ${module} may not burn`);
    const address = this.auth.moduleAddress(module);
    this.subtract(ctx, address, coins);
    for (const c of coins) this.setSupply(ctx, c.denom, this.supplyOf(ctx, c.denom) - c.amount);
    ctx.events.emit(ev.burn(address, coins));
  }

  /** Genesis only: credits a balance and the supply together. */
  genesisCredit(ctx: Context, address: string, coins: readonly Coins[]): void {
    for (const c of coins) {
      // Supply first: it is what makes the denom known to setBalance.
      this.setSupply(ctx, c.denom, this.supplyOf(ctx, c.denom) + c.amount);
      const have = this.balance(ctx, address, c.denom);
      this.setBalance(ctx, address, c.denom, have + c.amount, have);
    }
  }

  // ---- send-enabled, metadata, params ------------------------------------------------------------

  getParams(ctx: Context): Params {
    const raw = ctx.kv(this.key).get(PARAMS_KEY);
    return raw ? Params.decode(raw) : defaultBankParams();
  }

  setParams(ctx: Context, p: Params): void {
    // Per-denom entries move to their own keys (SDK v0.47 migration behaviour).
    for (const s of p.sendEnabled) this.setSendEnabled(ctx, s.denom, s.enabled);
    ctx
      .kv(this.key)
      .set(
        PARAMS_KEY,
        Params.encode(Params.fromPartial({ defaultSendEnabled: p.defaultSendEnabled })).finish(),
      );
  }

  sendEnabledEntry(ctx: Context, denom: string): boolean | undefined {
    const raw = ctx.kv(this.key).get(sendEnabledKey(denom));
    return raw ? raw[0] === 1 : undefined;
  }

  setSendEnabled(ctx: Context, denom: string, enabled: boolean): void {
    ctx.kv(this.key).set(sendEnabledKey(denom), Uint8Array.of(enabled ? 1 : 0));
  }

  deleteSendEnabled(ctx: Context, denom: string): void {
    ctx.kv(this.key).delete(sendEnabledKey(denom));
  }

  *iterateSendEnabled(
    ctx: Context,
    startKey?: Uint8Array,
  ): Generator<[Uint8Array, { denom: string; enabled: boolean }]> {
    for (const [k, v] of ctx
      .kv(this.key)
      .iterator(startKey ?? SEND_ENABLED_PREFIX, prefixEnd(SEND_ENABLED_PREFIX))) {
      yield [k, { denom: dec.decode(k.subarray(1)), enabled: v[0] === 1 }];
    }
  }

  /** Throws bank 5 for the first coin whose denom may not be sent. */
  assertSendEnabled(ctx: Context, coins: readonly Coins[]): void {
    let dflt: boolean | undefined;
    for (const c of coins) {
      let enabled = this.sendEnabledEntry(ctx, c.denom);
      if (enabled === undefined) {
        dflt ??= this.getParams(ctx).defaultSendEnabled;
        enabled = dflt;
      }
      if (!enabled) throw bankErrors.sendDisabled(`${c.denom} transfers are currently disabled`);
    }
  }

  getDenomMetadata(ctx: Context, denom: string): Metadata | undefined {
    const raw = ctx.kv(this.key).get(denomMetadataKey(denom));
    return raw ? Metadata.decode(raw) : undefined;
  }

  setDenomMetadata(ctx: Context, m: Metadata): void {
    ctx.kv(this.key).set(denomMetadataKey(m.base), Metadata.encode(m).finish());
  }

  *iterateDenomMetadata(ctx: Context, startKey?: Uint8Array): Generator<[Uint8Array, Metadata]> {
    for (const [k, v] of ctx
      .kv(this.key)
      .iterator(startKey ?? DENOM_METADATA_PREFIX, prefixEnd(DENOM_METADATA_PREFIX))) {
      yield [k, Metadata.decode(v)];
    }
  }

  // ---- invariants ----------------------------------------------------------------------------------

  /** Supply equals the sum of all balances, denom by denom. */
  supplyInvariant(ctx: Context): string[] {
    const sums = new Map<string, bigint>();
    for (const [, { coin }] of this.iterateAllBalances(ctx)) {
      if (coin.amount <= 0n) return [`non-positive balance stored for ${coin.denom}`];
      sums.set(coin.denom, (sums.get(coin.denom) ?? 0n) + coin.amount);
    }
    const broken = this.holderIndexInvariant(ctx);
    const supply = new Map([...this.iterateSupply(ctx)].map(([, c]) => [c.denom, c.amount]));
    for (const denom of new Set([...sums.keys(), ...supply.keys()])) {
      const s = supply.get(denom) ?? 0n;
      const b = sums.get(denom) ?? 0n;
      if (s !== b) broken.push(`total supply ${s}${denom} != sum of balances ${b}${denom}`);
    }
    return broken;
  }

  /** The denom → holder index and holder counts match the balances exactly (a full scan). */
  private holderIndexInvariant(ctx: Context): string[] {
    const holders = new Map<string, bigint>();
    const kv = ctx.kv(this.key);
    for (const [k] of kv.iterator(BALANCES_PREFIX, prefixEnd(BALANCES_PREFIX))) {
      const { addr, denom } = parseBalanceKey(k);
      holders.set(denom, (holders.get(denom) ?? 0n) + 1n);
      if (!kv.has(denomOwnerKey(denom, addr)))
        return [`balance of ${addressString(addr)} in ${denom} is missing from the denom owner index`];
    }
    const indexed = new Map<string, bigint>();
    for (const [k] of kv.iterator(DENOM_OWNER_PREFIX, prefixEnd(DENOM_OWNER_PREFIX))) {
      const denom = dec.decode(k.subarray(2, 2 + k[1]!));
      indexed.set(denom, (indexed.get(denom) ?? 0n) + 1n);
    }
    const broken: string[] = [];
    for (const denom of [...new Set([...holders.keys(), ...indexed.keys()])].sort()) {
      const h = holders.get(denom) ?? 0n;
      const i = indexed.get(denom) ?? 0n;
      const c = this.holderCount(ctx, denom);
      if (h !== i || h !== c) broken.push(`${denom}: ${h} balances, ${i} indexed owners, holder count ${c}`);
    }
    return broken;
  }
}

/** A coin amount or stored value: never negative, denom well-formed (else an InvariantError). */
function assertCoin(denom: string, amount: bigint, what: string): void {
  assertInvariant(amount >= 0n, `negative ${what}: ${amount}${denom}`);
  assertInvariant(isValidDenom(denom), `malformed denom in ${what}: '${denom.slice(0, 130)}'`);
}
