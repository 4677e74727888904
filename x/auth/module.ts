// x/auth as an AppModule: accounts, account numbers and params; the ante handler that uses them
// lives in app/runtime/ante.
import type { AppModule } from '../../app/runtime/module.js';
import { defaultAuthGenesis, exportAuthGenesis, initAuthGenesis } from './genesis.js';
import { AuthKeeper } from './keeper.js';
import { registerAuthMsgs } from './msgServer.js';
import { registerAuthQueries } from './query.js';

export const AUTH_MODULE = 'auth';

export function authModule(keeper: AuthKeeper = new AuthKeeper()): AppModule & { keeper: AuthKeeper } {
  return {
    name: AUTH_MODULE,
    keeper,
    registerServices({ msgs, queries }) {
      registerAuthMsgs(msgs, keeper);
      registerAuthQueries(queries, keeper);
    },
    defaultGenesis: defaultAuthGenesis,
    initGenesis: (ctx, g) => initAuthGenesis(ctx, keeper, g),
    exportGenesis: (ctx) => exportAuthGenesis(ctx, keeper),
    invariants: (ctx) => keeper.invariants(ctx),
  };
}
