// x/bank's invariants (run by the module manager: in tests, after every simulated block, through
// /app/invariants and on nodes with --check-invariants-every N). Each returns what is broken.
import type { Context } from '../../app/runtime/context.js';
import type { BankKeeper } from './keeper.js';

/** Total supply = Σ balances per denom, and the denom → holders index and counts match the balances (the body reads bank's store, so it stays a keeper method). */
export function bankInvariants(ctx: Context, keeper: BankKeeper): string[] {
  return keeper.supplyInvariant(ctx);
}
