// x/collateral as an AppModule. Its BeginBlock handles CometBFT's misbehavior and last-commit
// votes (slashing.ts); epochs come from x/poc calling onEpochAdvance.
import type { AppModule } from '../../app/runtime/module.js';
import type { StoreKey } from '../../app/runtime/storeKey.js';
import type { CollateralAccountKeeper, CollateralBankKeeper } from './expectedKeepers.js';
import { defaultCollateralGenesis, exportCollateralGenesis, initCollateralGenesis } from './genesis.js';
import { collateralInvariants } from './invariants.js';
import { COLLATERAL_MODULE, CollateralKeeper } from './keeper.js';
import { registerCollateralMsgs } from './msgServer.js';
import { registerCollateralQueries } from './query.js';
import { handleConsensusInfo } from './slashing.js';

export { COLLATERAL_MODULE };

export function collateralModule(
  store: StoreKey,
  bank: CollateralBankKeeper,
  auth: CollateralAccountKeeper,
  /** The governance module account's address: MsgUpdateParams' authority and where slashes go. */
  authority: string,
): AppModule & { keeper: CollateralKeeper } {
  const keeper = new CollateralKeeper(store, bank, auth, authority);
  return {
    name: COLLATERAL_MODULE,
    storeKey: store,
    keeper,
    registerServices({ msgs, queries }) {
      registerCollateralMsgs(msgs, keeper, store, authority);
      registerCollateralQueries(queries, keeper, store);
    },
    defaultGenesis: defaultCollateralGenesis,
    initGenesis: (ctx, g) => initCollateralGenesis(ctx, keeper, store, g),
    exportGenesis: (ctx) => exportCollateralGenesis(ctx, keeper, store),
    beginBlock(ctx) {
      if (keeper.validators) handleConsensusInfo(ctx, store, keeper, keeper.validators);
    },
    invariants: (ctx) => collateralInvariants(ctx, keeper, store),
  };
}
