// What x/bank needs from x/auth, declared here by the consumer (as the SDK's
// x/bank/types/expected_keepers.go does): accounts come into being on first receipt, module
// accounts are resolved by name and checked for permissions. app/app.ts passes the concrete
// AuthKeeper; keeper tests pass a fake.
import type { Context } from '../../app/runtime/context.js';

export interface BankAccountKeeper {
  hasAccount(ctx: Context, address: string): boolean;
  /** Creates a BaseAccount with the next account number; the caller checked it is absent. */
  newAccount(ctx: Context, address: string): unknown;
  /** Genesis: the account, created when absent. */
  ensureAccount(ctx: Context, address: string): unknown;
  /** The module account's address (a pure function of its name). */
  moduleAddress(name: string): string;
  /** True for the address of any registered module account (they may not receive sends). */
  isModuleAddress(address: string): boolean;
  /** The module account, created on first use. */
  ensureModuleAccount(ctx: Context, name: string): unknown;
  hasPermission(name: string, permission: string): boolean;
}
