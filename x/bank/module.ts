// x/bank as an AppModule: balances, supply, metadata, send-enabled; its invariant is
// total supply = Σ balances.
import type { AppModule } from '../../app/runtime/module.js';
import type { StoreKey } from '../../app/runtime/storeKey.js';
import type { BankAccountKeeper } from './expectedKeepers.js';
import { defaultBankGenesis, exportBankGenesis, initBankGenesis } from './genesis.js';
import { bankInvariants } from './invariants.js';
import { BankKeeper } from './keeper.js';
import { registerBankMsgs } from './msgServer.js';
import { registerBankQueries } from './query.js';

export const BANK_MODULE = 'bank';

/** `authority`: the governance module account's address (given at wiring: bank names no other module). */
export function bankModule(
  store: StoreKey,
  auth: BankAccountKeeper,
  authority: string,
): AppModule & { keeper: BankKeeper } {
  const keeper = new BankKeeper(store, auth);
  return {
    name: BANK_MODULE,
    storeKey: store,
    keeper,
    registerServices({ msgs, queries }) {
      registerBankMsgs(msgs, keeper, auth, authority);
      registerBankQueries(queries, keeper);
    },
    defaultGenesis: defaultBankGenesis,
    initGenesis: (ctx, g) => initBankGenesis(ctx, keeper, auth, g),
    exportGenesis: (ctx) => exportBankGenesis(ctx, keeper),
    invariants: (ctx) => bankInvariants(ctx, keeper),
  };
}
