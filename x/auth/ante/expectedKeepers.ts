// What the ante steps need from keepers: accounts from x/auth's own keeper, and from x/bank only
// the fee transfer (declared here, by the consumer).

import type { Coins } from '../../../app/runtime/coins.js';
import type { Context } from '../../../app/runtime/context.js';
import type { AuthKeeper } from '../keeper.js';

export type AnteAccountKeeper = Pick<AuthKeeper, 'getAccount' | 'hasAccount' | 'setAccount' | 'getParams'>;

export interface AnteBankKeeper {
  /** Moves `coins` from an account to a module account; sdk 5 (insufficient funds) when short. */
  sendCoinsToModule(ctx: Context, from: string, module: string, coins: readonly Coins[]): void;
}
