// x/poc as an AppModule (first piece): epoch clock, participants and weights, validator updates.
import type { AppModule } from '../../app/runtime/module.js';
import type { StoreKey } from '../../app/runtime/storeKey.js';
import { confirmationBeginBlock } from './confirmation.js';
import type { JailView } from './expectedKeepers.js';
import { defaultPocGenesis, exportPocGenesis, initPocGenesis, type PocGenesis } from './genesis.js';
import { pocInvariants } from './invariants.js';
import { PocKeeper } from './keeper.js';
import { registerPocMsgs } from './msgServer.js';
import { registerPocQueries } from './query.js';

export const POC_MODULE = 'poc';

/** `authority`: the governance module account's address (given at wiring). */
export function pocModule(
  store: StoreKey,
  authority: string,
  jails?: JailView,
): AppModule & { keeper: PocKeeper } {
  const keeper = new PocKeeper(store, jails);
  return {
    name: POC_MODULE,
    storeKey: store,
    keeper,
    registerServices({ msgs, queries }) {
      registerPocMsgs(msgs, keeper, authority);
      registerPocQueries(queries, keeper);
    },
    defaultGenesis: defaultPocGenesis,
    initGenesis: (ctx, g) => initPocGenesis(ctx, keeper, g),
    exportGenesis: (ctx): PocGenesis => exportPocGenesis(ctx, keeper),
    beginBlock: (ctx) => {
      keeper.beginBlock(ctx);
      keeper.sprintBeginBlock(ctx);
      confirmationBeginBlock(ctx, keeper);
    },
    endBlock: (ctx) => keeper.endBlock(ctx),
    invariants: (ctx) => pocInvariants(ctx, keeper, store),
  };
}
