// The store package: the contract (types.ts), the persistent root store, branches, and proof checks.
export * from './types.js';
export { PersistentMultiStore, type OpenOptions } from './commit-multi.js';
export { CacheKV } from './cache-kv.js';
export { CacheMulti } from './cache-multi.js';
export { SIMPLE_PROOF_TYPE, SMT_PROOF_TYPE, verifyChainedProof, type ProofOp } from './proofs.js';
