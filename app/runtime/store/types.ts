// The store contract that app/runtime and every x/* keeper are written against. Everything is
// synchronous (DESIGN.md §3.1): the working state lives in memory, and disk is touched only by
// CommitMultiStore.commit() in one atomic batch.

export type Bytes = Uint8Array;

/** A key-value store with key-ordered iteration. Keys and values are never empty arrays or undefined. */
export interface KVStore {
  get(key: Bytes): Bytes | undefined;
  has(key: Bytes): boolean;
  set(key: Bytes, value: Bytes): void;
  delete(key: Bytes): void;
  /**
   * Entries with start ≤ key < end in ascending byte order (descending when reverse), reflecting
   * writes made so far on this store. Undefined bounds are open. Writing while iterating is allowed;
   * the iteration then sees a snapshot taken when it started.
   */
  iterator(start?: Bytes, end?: Bytes, reverse?: boolean): IterableIterator<[Bytes, Bytes]>;
}

/** A write-buffered view over a parent store: write() applies its changes to the parent, in key order. */
export interface CacheKVStore extends KVStore {
  write(): void;
}

/** Named module stores, branched together: used for the check state, the block state and per-tx branches. */
export interface MultiStore {
  getStore(name: string): KVStore;
  storeNames(): readonly string[];
  /** A nested branch; nothing reaches this multistore until the branch's write(). */
  branch(): CacheMultiStore;
}

export interface CacheMultiStore extends MultiStore {
  write(): void;
}

export interface CommitInfo {
  /** Height of the last commit (0 before the first). */
  version: number;
  /** App hash of that commit: simple Merkle (ICS23 tendermintSpec) over the module store roots. */
  hash: Bytes;
}

export interface QueryResult {
  /** The height the value was read at. */
  height: number;
  value: Bytes | undefined;
  /**
   * With prove: the chained ICS23 CommitmentProofs (protobuf-encoded) as ProofOps, innermost first:
   * [module store proof of key (exist or nonexist), multistore proof of the module root under the store name].
   * Types 'ics23:smt' (key = the queried key; the ICS23 key inside is sha256(key)) and 'ics23:simple'
   * (key = store name); check them with verifyChainedProof (store/proofs.ts).
   */
  proofOps?: { type: string; key: Bytes; data: Bytes }[];
}

/** The root store of a node: module stores plus persistence and versioned, provable reads. */
export interface CommitMultiStore extends MultiStore {
  /** What is persisted on disk (Info reports exactly this). */
  lastCommitInfo(): CommitInfo;
  /**
   * The app hash of the current working state (call after FinalizeBlock's writes; returned in
   * ResponseFinalizeBlock.app_hash). Does not persist anything.
   */
  workingHash(): Bytes;
  /**
   * Persists the working state as version = lastCommitInfo().version + 1 in one atomic, synced
   * classic-level batch and resolves once it is durable; lastCommitInfo() moves to the new version
   * only then. The only asynchronous call besides open/close: the ABCI Commit handler awaits it,
   * and nothing else may run commit() concurrently.
   */
  commit(): Promise<CommitInfo>;
  /**
   * A branch of a committed version (latest when undefined), for CheckTx state: reads see that
   * version, nested branches write into it, and its own write() throws (committed state is read-only).
   */
  branchAt(height?: number): CacheMultiStore;
  /** Reads at a committed height (0 or undefined = latest committed). Throws for pruned/unknown heights. */
  query(storeName: string, key: Bytes, height?: number, prove?: boolean): QueryResult;
  /** Iterates a committed version of one store (latest when undefined): used by export and queries. */
  iterateAt(
    storeName: string,
    height: number | undefined,
    start?: Bytes,
    end?: Bytes,
  ): IterableIterator<[Bytes, Bytes]>;
  /** Heights that query() can still serve, oldest first. */
  availableVersions(): number[];
  close(): Promise<void>;
}
