// Multi-validator local testnet: config generation, launcher with fault injection, invariants.
export { initTestnet, type TestnetInitOptions } from './config.js';
export {
  checkAgreement,
  checkCommittedTxs,
  checkLiveness,
  checkModuleInvariants,
  type SubmittedTx,
} from './invariants.js';
export { type LauncherOptions, Testnet } from './launcher.js';
export { type LoadOptions, TxLoad } from './load.js';
export { readManifest, type TestnetManifest } from './manifest.js';
export { applyPerturbation, type Perturbation, planPerturbations, seededRandom } from './perturb.js';
export { type PocTestnetOptions, parseThrottleList } from './pocConfig.js';
export { type ServiceKind, TestnetServices } from './services.js';
