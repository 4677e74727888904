// x/governance's invariants (run by the module manager: in tests, after every simulated block, through
// /app/invariants and on nodes with --check-invariants-every N). Each returns what is broken.
import type { Context } from '../../app/runtime/context.js';
import type { GovKeeper } from './keeper.js';

/** The gov_deposits escrow covers every recorded deposit, and proposal, deposit and vote records agree (the body reads governance's store, so it stays a keeper method). */
export function govInvariants(ctx: Context, keeper: GovKeeper): string[] {
  return keeper.invariants(ctx);
}
