// x/inference as an AppModule: models by governance, bearer keys, escrowed inferences settled by
// a transfer agent's Start and an executor's Finish, per-model prices moved each block.
import type { AppModule } from '../../app/runtime/module.js';
import type { StoreKey } from '../../app/runtime/storeKey.js';
import { inferenceBeginBlock, inferenceEndBlock } from './blocks.js';
import type { InferenceAccountKeeper, InferenceBankKeeper, InferencePocKeeper } from './expectedKeepers.js';
import { defaultInferenceGenesis, exportInferenceGenesis, initInferenceGenesis } from './genesis.js';
import { inferenceInvariants } from './invariants.js';
import { INFERENCE_MODULE, InferenceKeeper } from './keeper.js';
import { registerInferenceMsgs } from './msgServer.js';
import { registerInferenceQueries } from './query.js';

export { INFERENCE_MODULE };

export function inferenceModule(
  store: StoreKey,
  bank: InferenceBankKeeper,
  auth: InferenceAccountKeeper,
  poc: InferencePocKeeper,
  /** The governance module account's address: the only signer of UpdateParams and RegisterModel. */
  authority: string,
): AppModule & { keeper: InferenceKeeper } {
  const keeper = new InferenceKeeper(store, bank, auth, poc);
  return {
    name: INFERENCE_MODULE,
    storeKey: store,
    keeper,
    registerServices({ msgs, queries }) {
      registerInferenceMsgs(msgs, keeper, authority);
      registerInferenceQueries(queries, keeper);
    },
    defaultGenesis: defaultInferenceGenesis,
    initGenesis: (ctx, g) => initInferenceGenesis(ctx, keeper, g),
    exportGenesis: (ctx) => exportInferenceGenesis(ctx, keeper),
    beginBlock: (ctx) => inferenceBeginBlock(ctx, keeper),
    endBlock: (ctx) => inferenceEndBlock(ctx, keeper),
    invariants: (ctx) => inferenceInvariants(ctx, keeper),
  };
}
