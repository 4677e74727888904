// Adds a funded account to a genesis app_state (JSON), as `gonkad genesis add-account` and the
// devnet do: a BaseAccount in x/auth with the next free account number, and its coins in x/bank
// (merged when the address is already funded). Supply is left empty so InitChain computes it.
// It edits two modules' genesis JSON together, so it lives at the app level (as the SDK's genesis
// tooling does), not in either module.

import { type AuthGenesis, defaultAuthGenesis } from '../x/auth/genesis.js';
import { BASE_ACCOUNT_TYPE } from '../x/auth/keeper.js';
import type { BankGenesis } from '../x/bank/genesis.js';
import { defaultBankGenesis } from '../x/bank/genesis.js';
import { addressBytes } from './runtime/address.js';
import { addCoins, type Coins, parseCoins, toWire } from './runtime/coins.js';

/** Parses "1000ngonka,5uatom" into a valid coin list. */
export function parseCoinsString(s: string): Coins[] {
  const parts = s
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const coins = parts.map((p) => {
    const m = /^(\d+)([a-zA-Z][a-zA-Z0-9/:._-]{2,127})$/.exec(p);
    if (!m) throw new Error(`invalid coin '${p}' (expected e.g. 1000ngonka)`);
    return { denom: m[2]!, amount: m[1]! };
  });
  coins.sort((a, b) => (a.denom < b.denom ? -1 : a.denom > b.denom ? 1 : 0));
  return parseCoins(coins);
}

export function addGenesisAccount(appState: Record<string, unknown>, address: string, coins: Coins[]): void {
  addressBytes(address);
  appState.auth ??= defaultAuthGenesis();
  appState.bank ??= defaultBankGenesis();
  const auth = appState.auth as AuthGenesis;
  const bank = appState.bank as BankGenesis;
  auth.accounts ??= [];
  if (!auth.accounts.some((a) => a.address === address)) {
    // Module accounts are created after genesis accounts, so numbers here start at 0.
    const next = auth.accounts.reduce(
      (n, a) => (BigInt(a.account_number ?? 0) >= n ? BigInt(a.account_number ?? 0) + 1n : n),
      0n,
    );
    auth.accounts.push({
      '@type': BASE_ACCOUNT_TYPE,
      address,
      pub_key: null,
      account_number: next.toString(),
      sequence: '0',
    });
  }
  bank.balances ??= [];
  const existing = bank.balances.find((b) => b.address === address);
  if (existing) existing.coins = toWire(addCoins([parseCoins(existing.coins), coins]));
  else bank.balances.push({ address, coins: toWire(coins) });
  bank.supply = [];
}
