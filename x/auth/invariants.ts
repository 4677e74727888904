// x/auth's invariants (run by the module manager: in tests, after every simulated block, through
// /app/invariants and on nodes with --check-invariants-every N). Each returns what is broken.
import type { Context } from '../../app/runtime/context.js';
import type { AuthKeeper } from './keeper.js';

/** The maintained account count equals the accounts stored (a full scan; the body reads auth's store, so it stays a keeper method). */
export function authInvariants(ctx: Context, keeper: AuthKeeper): string[] {
  return keeper.invariants(ctx);
}
