// What x/collateral needs from other modules, declared here by the consumer: from x/poc (the
// module above it, wired in app.ts) the epoch clock and the validator lookup its evidence and
// liveness handling reads;
// from x/bank and x/auth the escrow transfers and module addresses. app.ts wires the concrete keepers.
import type { Context } from '../../app/runtime/context.js';

/**
 * x/poc's epoch clock, the only one: x/collateral keeps no copy of the epoch (two copies could be
 * set apart by genesis). Its epoch hook also receives the new epoch as an argument.
 */
export interface EpochClock {
  /** The current epoch index (0 at genesis unless x/poc's genesis says otherwise). */
  currentEpoch(ctx: Context): bigint;
}

export interface ValidatorLookup {
  /** The participant whose consensus key has this 20-byte CometBFT address; undefined if none. */
  participantByConsAddress(ctx: Context, consAddr: Uint8Array): string | undefined;
  /** How many validators there can be (one per participant): bounds CometBFT's per-block lists. */
  validatorCount(ctx: Context): number;
  /** The participant, when it is one (its weight this epoch). */
  getParticipant(ctx: Context, address: string): { weight: bigint } | undefined;
}

/** What x/collateral needs from x/bank: escrow moves between participants and its module account. */
export interface CollateralBankKeeper {
  sendCoinsToModule(ctx: Context, from: string, module: string, coins: readonly Coin[]): void;
  sendCoinsFromModule(ctx: Context, module: string, to: string, coins: readonly Coin[]): void;
  balance(ctx: Context, address: string, denom: string): bigint;
}

/** What x/collateral needs from x/auth: module account addresses (escrow, slash destination). */
export interface CollateralAccountKeeper {
  moduleAddress(name: string): string;
  ensureModuleAccount(ctx: Context, name: string): unknown;
}

/** A coin as x/bank's keeper takes it (structurally the same as x/bank's Coins). */
export interface Coin {
  denom: string;
  amount: bigint;
}
