// One module's state: the key-ordered index (B+ tree, for get and prefix scans) and the hashed-key
// Merkle trie (for the root and proofs), kept in step. The working store also remembers, for each
// key touched since the last commit, its committed value: that is what Commit writes to disk.
import { type ByteTree, asBuffer, copyBytes, newByteTree, rangeOf } from './btree.js';
import { sha256Str, smtLeafHash } from './hash.js';
import { Leaf, type Node, freeze, rootHashOf, trieDelete, trieSet } from './smt.js';
import type { Bytes, KVStore } from './types.js';

/** An immutable committed version of one module store. */
export interface StoreVersion {
  readonly tree: ByteTree<Buffer>;
  readonly root: Node | undefined;
  readonly rootHash: Buffer;
}

/** The key index and trie of one store; writes take ownership of the buffers passed in. */
export class TreeState {
  constructor(
    public tree: ByteTree<Buffer> = newByteTree<Buffer>(),
    public root: Node | undefined = undefined,
  ) {}

  static fromVersion(v: StoreVersion): TreeState {
    return new TreeState(v.tree.clone(), v.root);
  }

  get(key: Buffer): Buffer | undefined {
    return this.tree.get(key);
  }

  put(key: Buffer, value: Buffer): void {
    const path = sha256Str(key);
    this.root = trieSet(this.root, new Leaf(path, value, smtLeafHash(path, sha256Str(value))));
    this.tree.set(key, value);
  }

  remove(key: Buffer): void {
    if (!this.tree.has(key)) return;
    this.root = trieDelete(this.root, sha256Str(key));
    this.tree.delete(key);
  }

  rootHash(): Buffer {
    return rootHashOf(this.root);
  }

  /** Hashes and freezes the current state and returns it as a version (later writes copy on write). */
  snapshot(): StoreVersion {
    freeze(this.root);
    return { tree: this.tree.clone(), root: this.root, rootHash: rootHashOf(this.root) };
  }
}

/** The working (uncommitted) KVStore of one module, as handed to keepers through branches. */
export class ModuleStore implements KVStore {
  readonly state: TreeState;
  /** Committed value of every key written since the last commit (null: it did not exist). */
  private touched: ByteTree<Buffer | null> = newByteTree<Buffer | null>();

  constructor(
    readonly name: string,
    state: TreeState,
  ) {
    this.state = state;
  }

  get(key: Bytes): Bytes | undefined {
    return this.state.get(asBuffer(key));
  }

  has(key: Bytes): boolean {
    return this.state.tree.has(asBuffer(key));
  }

  set(key: Bytes, value: Bytes): void {
    if (key.length === 0) throw new Error('store keys must not be empty');
    if (value.length === 0) throw new Error('store values must not be empty');
    const k = copyBytes(key);
    this.remember(k, k);
    this.state.put(k, copyBytes(value));
  }

  delete(key: Bytes): void {
    const k = asBuffer(key);
    if (!this.state.tree.has(k)) return;
    this.remember(k, undefined);
    this.state.remove(k);
  }

  iterator(start?: Bytes, end?: Bytes, reverse = false): IterableIterator<[Bytes, Bytes]> {
    return rangeOf(this.state.tree.clone(), start, end, reverse);
  }

  /** Records key's committed value on its first write since the last commit (owned: a private copy of key, if any). */
  private remember(key: Buffer, owned: Buffer | undefined): void {
    if (this.touched.has(key)) return;
    this.touched.set(owned ?? copyBytes(key), this.state.get(key) ?? null);
  }

  /**
   * The net changes since the last commit, in key order: [key, committed value or null, current
   * value or null]; keys written back to their committed value are left out. Resets the tracking.
   */
  takeChanges(): [Buffer, Buffer | null, Buffer | null][] {
    const out: [Buffer, Buffer | null, Buffer | null][] = [];
    for (const [key, before] of this.touched.entries()) {
      const after = this.state.get(key) ?? null;
      if (before === null ? after === null : after !== null && before.equals(after)) continue;
      out.push([key, before, after]);
    }
    this.touched = newByteTree<Buffer | null>();
    return out;
  }
}

/** A committed version exposed read-only, for branches of committed state (CheckTx) and queries. */
export class ReadOnlyStore implements KVStore {
  constructor(private readonly version: StoreVersion) {}

  get(key: Bytes): Bytes | undefined {
    return this.version.tree.get(asBuffer(key));
  }

  has(key: Bytes): boolean {
    return this.version.tree.has(asBuffer(key));
  }

  set(): void {
    throw new Error('committed state is read-only: write through a branch');
  }

  delete(): void {
    throw new Error('committed state is read-only: write through a branch');
  }

  iterator(start?: Bytes, end?: Bytes, reverse = false): IterableIterator<[Bytes, Bytes]> {
    return rangeOf(this.version.tree, start, end, reverse);
  }
}
