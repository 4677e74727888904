// x/governance as an AppModule: cosmos.gov.v1 proposals voted by PoC weight, executed through the
// app's router with the governance account as authority. Its invariant: the gov account holds
// every escrowed deposit, and the open-proposal count matches the proposals.
import type { AppModule } from '../../app/runtime/module.js';
import type { StoreKey } from '../../app/runtime/storeKey.js';
import { govEndBlock } from './abci.js';
import type { GovAuthKeeper, GovBankKeeper, WeightKeeper } from './expectedKeepers.js';
import { defaultGovGenesis, exportGovGenesis, initGovGenesis } from './genesis.js';
import { govInvariants } from './invariants.js';
import { GovKeeper } from './keeper.js';
import { STORE } from './keys.js';
import { registerGovMsgs } from './msgServer.js';
import { registerGovQueries } from './query.js';

export const GOVERNANCE_MODULE = STORE;

/**
 * `weights` is resolved on use, so the app can hand in x/poc's keeper (or, in tests, any
 * WeightKeeper) after the modules are built.
 */
export function governanceModule(
  store: StoreKey,
  auth: GovAuthKeeper,
  bank: GovBankKeeper,
  weights: WeightKeeper | (() => WeightKeeper),
): AppModule & { keeper: GovKeeper } {
  const keeper = new GovKeeper(store, auth, bank, typeof weights === 'function' ? weights : () => weights);
  return {
    name: GOVERNANCE_MODULE,
    storeKey: store,
    keeper,
    registerServices({ msgs, queries }) {
      keeper.router = msgs;
      registerGovMsgs(msgs, keeper);
      registerGovQueries(queries, keeper);
    },
    defaultGenesis: defaultGovGenesis,
    initGenesis: (ctx, g) => initGovGenesis(ctx, keeper, store, g),
    exportGenesis: (ctx) => exportGovGenesis(ctx, keeper),
    endBlock: (ctx) => govEndBlock(ctx, keeper),
    invariants: (ctx) => govInvariants(ctx, keeper),
  };
}
