// The store package: the contract (types.ts), the persistent root store, branches, and proof checks.

export { CacheKV } from './cache-kv.js';
export { CacheMulti } from './cache-multi.js';
export { type OpenOptions, PersistentMultiStore, VersionUnavailableError } from './commit-multi.js';
export { type ProofOp, SIMPLE_PROOF_TYPE, SMT_PROOF_TYPE, verifyChainedProof } from './proofs.js';
export * from './types.js';
