// Coins: protobuf Coin {denom, amount: decimal string} at the edges, bigint inside. A valid list is
// sorted by denom, without duplicates, every amount positive (the SDK's Coins.Validate).
import type { Coin } from 'cosmjs-types/cosmos/base/v1beta1/coin';
import { sdkErrors } from './errors.js';

const DENOM_RE = /^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$/;
const AMOUNT_RE = /^\d{1,78}$/;

export const isValidDenom = (denom: string): boolean => DENOM_RE.test(denom);

export function validateDenom(denom: string): void {
  if (!isValidDenom(denom)) throw sdkErrors.invalidCoins(`invalid denom '${denom.slice(0, 130)}'`);
}

export function parseAmount(s: string): bigint {
  if (!AMOUNT_RE.test(s)) throw sdkErrors.invalidCoins(`invalid amount '${s.slice(0, 100)}'`);
  return BigInt(s);
}

export interface Coins {
  denom: string;
  amount: bigint;
}

/** Validates a wire coin list (sorted, unique, positive) and returns it with bigint amounts. */
export function parseCoins(coins: readonly Coin[], allowEmpty = false): Coins[] {
  if (coins.length === 0 && !allowEmpty) throw sdkErrors.invalidCoins('empty coins');
  const out: Coins[] = [];
  let prev = '';
  for (const c of coins) {
    validateDenom(c.denom);
    const amount = parseAmount(c.amount);
    if (amount === 0n) throw sdkErrors.invalidCoins(`coin ${c.amount}${c.denom} amount is not positive`);
    if (prev !== '' && c.denom <= prev)
      throw sdkErrors.invalidCoins(`coins are not sorted by denom or have duplicates: ${prev}, ${c.denom}`);
    prev = c.denom;
    out.push({ denom: c.denom, amount });
  }
  return out;
}

export function toWire(coins: readonly Coins[]): Coin[] {
  return coins.map((c) => ({ denom: c.denom, amount: c.amount.toString() }));
}

/** "10ngonka,5uatom", the SDK's Coins.String(), used in event attributes. */
export function coinsString(coins: readonly Coins[]): string {
  return coins.map((c) => `${c.amount}${c.denom}`).join(',');
}

/** Sum of several coin lists, sorted by denom. */
export function addCoins(lists: readonly (readonly Coins[])[]): Coins[] {
  const m = new Map<string, bigint>();
  for (const l of lists) for (const c of l) m.set(c.denom, (m.get(c.denom) ?? 0n) + c.amount);
  return [...m.entries()]
    .filter(([, a]) => a !== 0n)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([denom, amount]) => ({ denom, amount }));
}

export function coinsEqual(a: readonly Coins[], b: readonly Coins[]): boolean {
  return a.length === b.length && a.every((c, i) => c.denom === b[i]!.denom && c.amount === b[i]!.amount);
}
