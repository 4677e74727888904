// Multi-validator local testnet: config generation, launcher with fault injection, invariants.
export { initTestnet, type TestnetInitOptions } from './config.js';
export { Testnet, type LauncherOptions } from './launcher.js';
export { readManifest, type TestnetManifest } from './manifest.js';
export { checkAgreement, checkCommittedTxs, checkLiveness, type SubmittedTx } from './invariants.js';
export { applyPerturbation, planPerturbations, seededRandom, type Perturbation } from './perturb.js';
export { TxLoad, type LoadOptions } from './load.js';
