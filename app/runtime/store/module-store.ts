// One module's state: the key-ordered index (B+ tree, for get and prefix scans) and the hashed-key
// Merkle trie (for the root and proofs), kept in step. The working store also remembers, for each
// key touched since the last commit, its committed value: that is what Commit writes to disk.
import { copyBytes, type KeyStr, type KeyTree, keyBytes, keyStr, newKeyTree, rangeOf } from './btree.js';
import { sha256Str, smtLeafHash } from './hash.js';
import { closestLeaf, freeze, Leaf, type Node, rootHashOf, trieDelete, trieSet } from './smt.js';
import type { Bytes, KVStore } from './types.js';

/** An immutable committed version of one module store. */
export interface StoreVersion {
  readonly tree: KeyTree<Buffer>;
  readonly root: Node | undefined;
  readonly rootHash: Buffer;
}

/** The key index and trie of one store; writes take ownership of the buffers passed in. */
export class TreeState {
  constructor(
    public tree: KeyTree<Buffer> = newKeyTree<Buffer>(),
    public root: Node | undefined = undefined,
  ) {}

  static fromVersion(v: StoreVersion): TreeState {
    return new TreeState(v.tree.clone(), v.root);
  }

  get(key: KeyStr): Buffer | undefined {
    return this.tree.get(key);
  }

  /**
   * Sets key (as string and as bytes) to value; returns the previous value (read off the trie walk,
   * sparing a B+ tree lookup).
   */
  put(key: KeyStr, keyBuf: Buffer, value: Buffer): Buffer | undefined {
    const path = sha256Str(keyBuf);
    const closest = this.root === undefined ? undefined : closestLeaf(this.root, path);
    const previous = closest !== undefined && closest.path === path ? closest.value : undefined;
    this.root = trieSet(this.root, new Leaf(path, value, smtLeafHash(path, sha256Str(value))), closest);
    this.tree.set(key, value);
    return previous;
  }

  /** Deletes key; returns the value it had, or undefined when it was absent. */
  remove(key: KeyStr, keyBuf: Buffer): Buffer | undefined {
    if (this.root === undefined) return undefined;
    const path = sha256Str(keyBuf);
    const closest = closestLeaf(this.root, path);
    if (closest.path !== path) return undefined;
    this.root = trieDelete(this.root, path, true);
    this.tree.delete(key);
    return closest.value;
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

interface Touched {
  before: Buffer | null; // committed value (null: absent)
  after: Buffer | null; // current value
}

/** A store that can take ownership of buffers without copying (branches writing into their parent). */
export interface AdoptingStore {
  adopt(key: KeyStr, value: Buffer | null): void;
}

export function isAdopting(store: unknown): store is AdoptingStore {
  return typeof (store as Partial<AdoptingStore>).adopt === 'function';
}

/** The working (uncommitted) KVStore of one module, as handed to keepers through branches. */
export class ModuleStore implements KVStore, AdoptingStore {
  readonly state: TreeState;
  /** Every key written since the last commit, with its committed and current value. */
  private touched: KeyTree<Touched> = newKeyTree<Touched>();

  constructor(
    readonly name: string,
    state: TreeState,
  ) {
    this.state = state;
  }

  get(key: Bytes): Bytes | undefined {
    return this.state.get(keyStr(key));
  }

  has(key: Bytes): boolean {
    return this.state.tree.has(keyStr(key));
  }

  set(key: Bytes, value: Bytes): void {
    if (key.length === 0) throw new Error('store keys must not be empty');
    if (value.length === 0) throw new Error('store values must not be empty');
    this.adopt(keyStr(key), copyBytes(value));
  }

  delete(key: Bytes): void {
    this.adopt(keyStr(key), null);
  }

  /** set (value) or delete (null) with a value buffer the caller hands over and will not touch again. */
  adopt(key: KeyStr, value: Buffer | null): void {
    const keyBuf = keyBytes(key);
    const previous = value === null ? this.state.remove(key, keyBuf) : this.state.put(key, keyBuf, value);
    if (value === null && previous === undefined) return;
    const entry = this.touched.get(key);
    if (entry !== undefined) entry.after = value;
    else this.touched.set(key, { before: previous ?? null, after: value });
  }

  iterator(start?: Bytes, end?: Bytes, reverse = false): IterableIterator<[Bytes, Bytes]> {
    return rangeOf(this.state.tree.clone(), start, end, reverse);
  }

  /**
   * The net changes since the last commit, in key order: [key, committed value or null, current
   * value or null]; keys written back to their committed value are left out. Resets the tracking.
   */
  takeChanges(): [Buffer, Buffer | null, Buffer | null][] {
    const out: [Buffer, Buffer | null, Buffer | null][] = [];
    for (const [key, { before, after }] of this.touched.entries()) {
      if (before === null ? after === null : after !== null && before.equals(after)) continue;
      out.push([keyBytes(key), before, after]);
    }
    this.touched = newKeyTree<Touched>();
    return out;
  }
}

/** A committed version exposed read-only, for branches of committed state (CheckTx) and queries. */
export class ReadOnlyStore implements KVStore {
  constructor(private readonly version: StoreVersion) {}

  get(key: Bytes): Bytes | undefined {
    return this.version.tree.get(keyStr(key));
  }

  has(key: Bytes): boolean {
    return this.version.tree.has(keyStr(key));
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
