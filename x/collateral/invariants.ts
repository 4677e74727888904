// x/collateral's invariants (run by the module manager: in tests, after every simulated block,
// through /app/invariants and on nodes with --check-invariants-every N). Each returns what is broken.
import type { Context } from '../../app/runtime/context.js';
import type { StoreKey } from '../../app/runtime/storeKey.js';
import type { CollateralKeeper } from './keeper.js';
import { signingInfoInvariants } from './signingInfo.js';

/**
 * The collateral module account's balance = Σ active + Σ unbonding and the unbonding index matches
 * the queue (keeper: they read collateral's store), and the liveness records are consistent.
 */
export function collateralInvariants(ctx: Context, keeper: CollateralKeeper, store: StoreKey): string[] {
  return [...keeper.invariants(ctx), ...signingInfoInvariants(ctx, store)];
}
