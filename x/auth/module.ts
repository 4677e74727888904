// x/auth as an AppModule: accounts, account numbers and params; the ante handler that uses them
// lives in app/runtime/ante.
import type { AppModule } from '../../app/runtime/module.js';
import type { StoreKey } from '../../app/runtime/storeKey.js';
import { defaultAuthGenesis, exportAuthGenesis, initAuthGenesis } from './genesis.js';
import { authInvariants } from './invariants.js';
import { AuthKeeper } from './keeper.js';
import { registerAuthMsgs } from './msgServer.js';
import { registerAuthQueries } from './query.js';

export const AUTH_MODULE = 'auth';

/**
 * `moduleAccounts`: the module accounts genesis creates (app.ts passes MODULE_ACCOUNTS: auth's own
 * and the other modules'); `authority`: the gov account, the only signer of auth's MsgUpdateParams.
 */
export function authModule(
  store: StoreKey,
  moduleAccounts?: { name: string; permissions: string[] }[],
  authority = '',
): AppModule & { keeper: AuthKeeper } {
  const keeper = new AuthKeeper(store, moduleAccounts);
  return {
    name: AUTH_MODULE,
    storeKey: store,
    keeper,
    registerServices({ msgs, queries }) {
      registerAuthMsgs(msgs, keeper, authority);
      registerAuthQueries(queries, keeper);
    },
    defaultGenesis: defaultAuthGenesis,
    initGenesis: (ctx, g) => initAuthGenesis(ctx, keeper, store, g),
    exportGenesis: (ctx) => exportAuthGenesis(ctx, keeper),
    invariants: (ctx) => authInvariants(ctx, keeper),
  };
}
