// What x/governance needs from other modules. Voting power is the voter's current PoC weight
// (x/poc); coins move through x/bank (deposits escrowed in the `gov_deposits` module account,
// refunded or burned); messages of a passed proposal run through the app's MsgRouter.

import type { Coins } from '../../app/runtime/coins.js';
import type { Context } from '../../app/runtime/context.js';

export interface WeightKeeper {
  /** The address's current weight (0 when it is no participant). */
  weightOf(ctx: Context, address: string): bigint;
  /** Σ of every participant's current weight (the quorum's denominator). */
  totalWeight(ctx: Context): bigint;
}

export interface GovBankKeeper {
  sendCoinsToModule(ctx: Context, from: string, module: string, coins: readonly Coins[]): void;
  sendCoinsFromModule(ctx: Context, module: string, to: string, coins: readonly Coins[]): void;
  burnCoins(ctx: Context, module: string, coins: readonly Coins[]): void;
  balance(ctx: Context, address: string, denom: string): bigint;
}

export interface GovAuthKeeper {
  moduleAddress(name: string): string;
  ensureModuleAccount(ctx: Context, name: string): unknown;
}
