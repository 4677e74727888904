// What x/inference needs from the modules below it, declared by the consumer; app.ts wires the
// concrete keepers. From x/poc: the epoch clock (key spend limits are per epoch), participants
// (executors must be one) and its PoC class ids (a model's poc_class); from x/bank and x/auth:
// escrow moves through the `inference` module account.
import type { Context } from '../../app/runtime/context.js';

export interface InferencePocKeeper {
  currentEpoch(ctx: Context): bigint;
  getParticipant(ctx: Context, address: string): { weight: bigint } | undefined;
  /** x/poc's class ids (its params), to check a model's poc_class. */
  pocClassIds(ctx: Context): number[];
}

export interface Coin {
  denom: string;
  amount: bigint;
}

export interface InferenceBankKeeper {
  sendCoinsToModule(ctx: Context, from: string, module: string, coins: readonly Coin[]): void;
  sendCoinsFromModule(ctx: Context, module: string, to: string, coins: readonly Coin[]): void;
  balance(ctx: Context, address: string, denom: string): bigint;
}

export interface InferenceAccountKeeper {
  moduleAddress(name: string): string;
  ensureModuleAccount(ctx: Context, name: string): unknown;
}
