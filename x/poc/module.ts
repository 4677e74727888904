// x/poc as an AppModule (first piece): epoch clock, participants and weights, validator updates.
import type { AppModule } from '../../app/runtime/module.js';
import type { StoreKey } from '../../app/runtime/storeKey.js';
import type { JailView } from './expectedKeepers.js';
import { defaultPocGenesis, exportPocGenesis, initPocGenesis, type PocGenesis } from './genesis.js';
import { PocKeeper } from './keeper.js';
import { registerPocMsgs } from './msgServer.js';
import { registerPocQueries } from './query.js';
import { consAddressOf, iterateConsAddressIndex } from './validatorIndex.js';

export const POC_MODULE = 'poc';

export function pocModule(store: StoreKey, jails?: JailView): AppModule & { keeper: PocKeeper } {
  const keeper = new PocKeeper(store, jails);
  return {
    name: POC_MODULE,
    storeKey: store,
    keeper,
    registerServices({ msgs, queries }) {
      registerPocMsgs(msgs, keeper);
      registerPocQueries(queries, keeper);
    },
    defaultGenesis: defaultPocGenesis,
    initGenesis: (ctx, g) => initPocGenesis(ctx, keeper, g),
    exportGenesis: (ctx): PocGenesis => exportPocGenesis(ctx, keeper),
    beginBlock: (ctx) => keeper.beginBlock(ctx),
    endBlock: (ctx) => keeper.endBlock(ctx),
    invariants(ctx) {
      // Σ weights = total (DESIGN.md §3.9) and every power sent belongs to a participant.
      const broken: string[] = [];
      // The total is stored and kept on every weight change, so this compares two independent
      // records: a drift in either shows.
      const sum = keeper.sumOfWeights(ctx);
      const total = keeper.totalWeight(ctx);
      if (sum !== total) broken.push(`sum of weights ${sum} != stored total weight ${total}`);
      for (const { consAddr, participant } of iterateConsAddressIndex(ctx, store)) {
        const p = keeper.getParticipant(ctx, participant);
        if (!p || !Buffer.from(consAddressOf(p.consensusPubkey)).equals(Buffer.from(consAddr)))
          broken.push(`validator index entry ${Buffer.from(consAddr).toString('hex')} is stale`);
      }
      if (keeper.validatorCount(ctx) !== keeper.participants(ctx).length)
        broken.push('validator index and participants differ in size');
      for (const v of keeper.powers(ctx))
        if (!keeper.getParticipant(ctx, v.address))
          broken.push(`power sent for non-participant ${v.address}`);
      return broken;
    },
  };
}
