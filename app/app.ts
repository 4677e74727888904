// Wires the application: modules in dependency order (DESIGN.md §2: auth ← bank ← collateral ←
// poc ← {governance, bls} ← inference), their tx formats, and the store they live in.
import type { Logger } from 'pino';
import { cosmosTxFormat } from '../x/auth/ante/cosmosTx.js';
import { type AuthKeeper, DEFAULT_MODULE_ACCOUNTS, type ModuleAccountPerms } from '../x/auth/keeper.js';
import { AUTH_MODULE, authModule } from '../x/auth/module.js';
import type { BankKeeper } from '../x/bank/keeper.js';
import { BANK_MODULE, bankModule } from '../x/bank/module.js';
import { COLLATERAL_MODULE, collateralModule } from '../x/collateral/module.js';
import { GOV_DEPOSITS_MODULE, GOV_MODULE } from '../x/governance/keys.js';
import { GOVERNANCE_MODULE, governanceModule } from '../x/governance/module.js';
import { INFERENCE_MODULE, inferenceModule } from '../x/inference/module.js';
import { accountKeysFrom } from '../x/poc/accountKeys.js';
import { POC_MODULE, pocModule } from '../x/poc/module.js';
import { moduleAddress } from './runtime/address.js';
import { registerTxService } from './runtime/ante/txService.js';
import { BaseApp, type QueryOptions } from './runtime/baseApp.js';
import { CONSENSUS_MODULE, consensusModule } from './runtime/consensus/module.js';
import type { AppModule } from './runtime/module.js';
import type { MsgRouter } from './runtime/router.js';
import type { CommitMultiStore } from './runtime/store/types.js';
import { type StoreKey, StoreKeyMint } from './runtime/storeKey.js';
import type { TxFormat } from './runtime/tx.js';

/**
 * Builds an extension module; `storeKey(name)` mounts a store and returns its handle, exactly as
 * the production modules get theirs (each store name once: no extension can get a production
 * module's store).
 */
export type ModuleFactory = (storeKey: (name: string) => StoreKey) => AppModule;

export interface AppExtensions {
  /** Extra modules (test fixtures); appended after the production modules. */
  modules?: ModuleFactory[];
  txFormats?: TxFormat[];
}

/**
 * The module accounts genesis creates, with their permissions (the SDK's maccPerms in app.go):
 * x/auth's own, then the other modules'. The order is state (account numbers follow it).
 */
export const MODULE_ACCOUNTS: ModuleAccountPerms[] = [
  ...DEFAULT_MODULE_ACCOUNTS,
  { name: GOV_MODULE, permissions: ['burner'] },
  { name: GOV_DEPOSITS_MODULE, permissions: ['burner'] },
  { name: COLLATERAL_MODULE, permissions: [] },
  { name: INFERENCE_MODULE, permissions: [] },
];

/**
 * The production modules, in dependency order. Each store handle is created here and handed only
 * to the module that owns the store: a module reaches another module's state only through that
 * module's keeper, and each keeper receives the other keepers as the narrow interfaces it declares
 * in its expectedKeepers.ts.
 */
export function productionModules(mint: StoreKeyMint = new StoreKeyMint()): AppModule[] {
  // Every MsgUpdateParams is signed by the governance module account; modules get its address
  // here rather than naming x/governance themselves.
  const authority = moduleAddress(GOV_MODULE);
  const auth = authModule(mint.key(AUTH_MODULE), MODULE_ACCOUNTS, authority);
  const bank = bankModule(mint.key(BANK_MODULE), auth.keeper, authority);
  const collateral = collateralModule(mint.key(COLLATERAL_MODULE), bank.keeper, auth.keeper, authority);
  const poc = pocModule(mint.key(POC_MODULE), authority, collateral.keeper);
  collateral.keeper.setValidatorLookup(poc.keeper);
  collateral.keeper.setEpochClock(poc.keeper); // x/poc owns the one epoch clock
  poc.keeper.accounts = accountKeysFrom(auth.keeper); // kernel keys, sample signatures
  poc.keeper.activation = collateral.keeper; // accepted PoC weight → collateral-activated weight
  poc.keeper.addEpochHook({
    name: COLLATERAL_MODULE,
    onEpochAdvance: (ctx, epoch) => collateral.keeper.onEpochAdvance(ctx, epoch),
  });
  // consensus stays last: it moves updates staged by messages (governance runs them in its
  // EndBlock) into this block's consensus_param_updates.
  const governance = governanceModule(mint.key(GOVERNANCE_MODULE), auth.keeper, bank.keeper, poc.keeper);
  // x/inference escrows through x/bank, reads x/poc's epoch clock, participants and classes.
  const inference = inferenceModule(
    mint.key(INFERENCE_MODULE),
    bank.keeper,
    auth.keeper,
    {
      currentEpoch: (ctx) => poc.keeper.currentEpoch(ctx),
      getParticipant: (ctx, address) => poc.keeper.getParticipant(ctx, address),
      pocClassIds: (ctx) => poc.keeper.getParams(ctx).classes.map((c) => c.classId),
    },
    authority,
  );
  const consensus = consensusModule(mint.key(CONSENSUS_MODULE), authority);
  return [auth, bank, collateral, poc, governance, inference, consensus];
}

export function appModules(ext: AppExtensions = {}): AppModule[] {
  const mint = new StoreKeyMint();
  const production = productionModules(mint);
  return [...production, ...(ext.modules ?? []).map((create) => create((name) => mint.key(name)))];
}

/** Store names of every module that has a store, sorted (the multistore's fixed layout). */
export function appStoreNames(ext: AppExtensions = {}): string[] {
  return appModules(ext)
    .flatMap((m) => (m.storeKey ? [m.storeKey.name] : []))
    .sort();
}

/** The Cosmos tx format over x/auth's and x/bank's keepers ([] when either module is absent). */
function cosmosTxFormats(modules: AppModule[], msgs: () => MsgRouter): TxFormat[] {
  const auth = modules.find((m) => m.name === AUTH_MODULE) as
    | (AppModule & { keeper: AuthKeeper })
    | undefined;
  const bank = modules.find((m) => m.name === BANK_MODULE) as
    | (AppModule & { keeper: BankKeeper })
    | undefined;
  if (!auth || !bank) return [];
  return [cosmosTxFormat({ auth: auth.keeper, bank: bank.keeper, msgs }) as TxFormat];
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
  // Simulate runs a tx through BaseApp itself.
  registerTxService(app);
  return app;
}

/** Default genesis app_state: each module's defaults, keyed by module name. */
export function defaultAppState(ext: AppExtensions = {}): Record<string, unknown> {
  const state: Record<string, unknown> = {};
  for (const m of appModules(ext)) if (m.defaultGenesis) state[m.name] = m.defaultGenesis();
  return state;
}
