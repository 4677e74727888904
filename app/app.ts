// Wires the application: modules in dependency order (DESIGN.md §2: auth ← bank ← collateral ←
// poc ← {governance, bls} ← inference), their tx formats, and the store they live in.
import type { Logger } from 'pino';
import { AuthKeeper, DEFAULT_MODULE_ACCOUNTS } from '../x/auth/keeper.js';
import { authModule } from '../x/auth/module.js';
import { bankModule } from '../x/bank/module.js';
import { COLLATERAL_MODULE, collateralModule } from '../x/collateral/module.js';
import { governanceModule } from '../x/governance/module.js';
import { pocModule } from '../x/poc/module.js';
import { cosmosTxFormats, registerAppServices } from './runtime/ante/wiring.js';
import { BaseApp, type QueryOptions } from './runtime/baseApp.js';
import { consensusModule } from './runtime/consensus/module.js';
import type { AppModule } from './runtime/module.js';
import type { CommitMultiStore } from './runtime/store/types.js';
import type { TxFormat } from './runtime/tx.js';

export interface AppExtensions {
  /** Extra modules (test fixtures); appended after the production modules. */
  modules?: AppModule[];
  txFormats?: TxFormat[];
}

/** The production modules, in dependency order. Later issues add auth, bank, collateral, poc, … */
export function productionModules(): AppModule[] {
  const auth = authModule(
    new AuthKeeper([...DEFAULT_MODULE_ACCOUNTS, { name: COLLATERAL_MODULE, permissions: [] }]),
  );
  const bank = bankModule(auth.keeper);
  const collateral = collateralModule(bank.keeper, auth.keeper);
  const poc = pocModule(collateral.keeper);
  collateral.keeper.setValidatorLookup(poc.keeper);
  poc.keeper.addEpochHook({
    name: COLLATERAL_MODULE,
    onEpochAdvance: (ctx, epoch) => collateral.keeper.onEpochAdvance(ctx, epoch),
  });
  // consensus stays last: it moves updates staged by messages (governance runs them in its
  // EndBlock) into this block's consensus_param_updates.
  const governance = governanceModule(auth.keeper, bank.keeper, poc.keeper);
  return [auth, bank, collateral, poc, governance, consensusModule()];
}

export function appModules(ext: AppExtensions = {}): AppModule[] {
  return [...productionModules(), ...(ext.modules ?? [])];
}

/** Store names of every module that has a store, sorted (the multistore's fixed layout). */
export function appStoreNames(ext: AppExtensions = {}): string[] {
  return appModules(ext)
    .filter((m) => m.hasStore !== false)
    .map((m) => m.name)
    .sort();
}

export function createApp(
  store: CommitMultiStore,
  logger: Logger,
  version: string,
  ext: AppExtensions = {},
  onCommit?: (height: number, txs: number) => void,
  query?: QueryOptions,
): BaseApp {
  const modules = appModules(ext);
  // The Cosmos format routes messages through the app's router, which exists once BaseApp does;
  // it comes last because it claims every tx no other format recognises.
  let app: BaseApp | undefined;
  const txFormats = [...(ext.txFormats ?? []), ...cosmosTxFormats(modules, () => app!.msgs)];
  app = new BaseApp({
    store,
    modules,
    txFormats,
    logger,
    version,
    onCommit,
    query,
  });
  registerAppServices(app);
  return app;
}

/** Default genesis app_state: each module's defaults, keyed by module name. */
export function defaultAppState(ext: AppExtensions = {}): Record<string, unknown> {
  const state: Record<string, unknown> = {};
  for (const m of appModules(ext)) if (m.defaultGenesis) state[m.name] = m.defaultGenesis();
  return state;
}
