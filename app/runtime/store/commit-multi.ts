// The node's root store: module stores in memory, persisted to classic-level by one atomic batch
// per Commit, with the last `keepRecent` versions kept in memory (shared nodes, copy on write) for
// versioned and provable queries. See README.md in this folder for the on-disk layout and the
// crash guarantees.
import { ClassicLevel } from 'classic-level';
import { failpoint } from '../failpoints.js';
import { type KeyStr, keyStr, newKeyTree, rangeOf } from './btree.js';
import { CacheMulti } from './cache-multi.js';
import {
  type CommitRecord,
  decodeUndo,
  encodeUndo,
  HISTORY_RANGE,
  historyKey,
  META_KEY,
  parseHistoryKey,
  parseStateKey,
  parseUndoKey,
  STATE_RANGE,
  stateKey,
  UNDO_RANGE,
  undoKey,
} from './disk-layout.js';
import { sha256Str, smtLeafHash } from './hash.js';
import { ModuleStore, ReadOnlyStore, type StoreVersion, TreeState } from './module-store.js';
import { moduleProof, multistoreProof, SIMPLE_PROOF_TYPE, SMT_PROOF_TYPE } from './proofs.js';
import { appHashOf, simplePath } from './simple-merkle.js';
import { buildSorted, Leaf } from './smt.js';
import type {
  Bytes,
  CacheMultiStore,
  CommitInfo,
  CommitMultiStore,
  KVStore,
  MultiStore,
  QueryResult,
} from './types.js';

/** A read at a height this store does not hold (pruned, or not committed yet). */
export class VersionUnavailableError extends Error {
  override name = 'VersionUnavailableError';
}

export interface OpenOptions {
  /** How many committed versions query() can serve (the latest included); older ones are pruned. Default 100. */
  keepRecent?: number;
}

interface Version {
  version: number;
  /** The app hash of this version (what lastCommitInfo reports; empty for version 0). */
  hash: Buffer;
  stores: Map<string, StoreVersion>;
}

type Db = ClassicLevel<Buffer, Buffer>;

export class PersistentMultiStore implements CommitMultiStore {
  private last: CommitInfo;
  private committing = false;
  private broken: Error | undefined;

  private constructor(
    private readonly db: Db,
    private readonly names: readonly string[],
    private readonly keepRecent: number,
    private readonly working: Map<string, ModuleStore>,
    private readonly versions: Map<number, Version>,
    /** Disk keys of each retained version's undo log, to delete them when the version is pruned. */
    private readonly undoKeys: Map<number, Buffer[]>,
    latest: Version,
  ) {
    this.last = { version: latest.version, hash: latest.hash };
  }

  /** Opens (or creates) the database in dir and loads the latest committed state into memory. */
  static async open(
    dir: string,
    storeNames: readonly string[],
    options: OpenOptions = {},
  ): Promise<PersistentMultiStore> {
    const keepRecent = options.keepRecent ?? 100;
    if (!Number.isInteger(keepRecent) || keepRecent < 1)
      throw new Error(`keepRecent must be ≥ 1, got ${keepRecent}`);
    const names = [...new Set(storeNames)].sort();
    if (names.length !== storeNames.length) throw new Error('duplicate store names');
    const db: Db = new ClassicLevel<Buffer, Buffer>(dir, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
    await db.open();
    try {
      return await PersistentMultiStore.load(db, names, keepRecent);
    } catch (err) {
      await db.close();
      throw err;
    }
  }

  private static async load(db: Db, names: string[], keepRecent: number): Promise<PersistentMultiStore> {
    const metaRaw = await db.get(META_KEY);
    const meta: CommitRecord | undefined =
      metaRaw === undefined ? undefined : JSON.parse(metaRaw.toString('utf8'));
    const latestVersion = meta?.version ?? 0;

    const states = await loadLatestState(db, names);
    const latest: Version = { version: latestVersion, hash: Buffer.alloc(0), stores: new Map() };
    for (const name of names) latest.stores.set(name, (states.get(name) as TreeState).snapshot());
    const latestHash = hashOfVersion(latest, names);
    if (meta !== undefined) {
      checkRecord(meta, latest, names, latestHash);
      latest.hash = latestHash;
    }

    // Rebuild the retained older versions from the latest by the undo logs, newest first.
    const oldestWanted = Math.max(0, latestVersion - keepRecent + 1);
    const undo = await loadUndo(db);
    const history = await loadHistory(db);
    const versions = new Map<number, Version>([[latestVersion, latest]]);
    const undoKeys = new Map<number, Buffer[]>();
    let newer = latest;
    for (let v = latestVersion; v > oldestWanted; v--) {
      const log = undo.get(v);
      const record = history.get(v - 1);
      // Kept fewer versions before (smaller keepRecent): what is missing cannot be served; stop here.
      if (log === undefined || (v - 1 > 0 && record === undefined)) break;
      undoKeys.set(
        v,
        log.map((e) => e.diskKey),
      );
      const older: Version = { version: v - 1, hash: Buffer.alloc(0), stores: new Map() };
      for (const name of names) {
        const state = TreeState.fromVersion(newer.stores.get(name) as StoreVersion);
        for (const e of log) {
          if (e.store !== name) continue;
          const k = keyStr(e.key);
          if (e.before === null) state.remove(k, e.key);
          else state.put(k, e.key, e.before);
        }
        older.stores.set(name, state.snapshot());
      }
      if (record !== undefined) {
        const hash = hashOfVersion(older, names);
        checkRecord(record, older, names, hash);
        older.hash = hash;
      }
      versions.set(v - 1, older);
      newer = older;
    }

    // Drop on-disk history that is no longer retained (e.g. keepRecent was lowered).
    const oldestKept = Math.min(...versions.keys());
    const stale = db.batch();
    for (const [v, log] of undo) if (v <= oldestKept) for (const e of log) stale.del(e.diskKey);
    for (const v of history.keys()) if (v < oldestKept) stale.del(historyKey(v));
    if (stale.length > 0) await stale.write({ sync: true });
    else await stale.close();

    const working = new Map(names.map((n) => [n, new ModuleStore(n, states.get(n) as TreeState)]));
    return new PersistentMultiStore(db, names, keepRecent, working, versions, undoKeys, latest);
  }

  getStore(name: string): KVStore {
    const store = this.working.get(name);
    if (store === undefined) throw new Error(`unknown store ${name}`);
    return store;
  }

  storeNames(): readonly string[] {
    return this.names;
  }

  branch(): CacheMultiStore {
    return new CacheMulti(this);
  }

  /** A branch of a committed version (latest when undefined): CheckTx state. Its write() to the committed state throws. */
  branchAt(height?: number): CacheMultiStore {
    return new CacheMulti(new VersionView(this.versionAt(height), this.names));
  }

  lastCommitInfo(): CommitInfo {
    return { version: this.last.version, hash: this.last.hash };
  }

  workingHash(): Bytes {
    return appHashOf(
      this.names.map((name) => ({ name, root: (this.working.get(name) as ModuleStore).state.rootHash() })),
    );
  }

  async commit(): Promise<CommitInfo> {
    if (this.broken !== undefined)
      throw new Error(`store is unusable after a failed commit: ${this.broken.message}`);
    if (this.committing) throw new Error('commit already in progress');
    this.committing = true;
    try {
      const version = this.last.version + 1;
      const batch = this.db.batch();
      const undo: Buffer[] = [];
      const next: Version = { version, hash: Buffer.alloc(0), stores: new Map() };
      for (const name of this.names) {
        const store = this.working.get(name) as ModuleStore;
        for (const [key, before, after] of store.takeChanges()) {
          const sk = stateKey(name, key);
          if (after === null) batch.del(sk);
          else batch.put(sk, after);
          if (this.keepRecent > 1) {
            // Only needed to rebuild version - 1, which is kept only when keepRecent > 1.
            const uk = undoKey(version, name, key);
            batch.put(uk, encodeUndo(before));
            undo.push(uk);
          }
        }
        next.stores.set(name, store.state.snapshot());
      }
      next.hash = hashOfVersion(next, this.names);
      const record = Buffer.from(JSON.stringify(recordOf(next, this.names)), 'utf8');
      batch.put(META_KEY, record);
      batch.put(historyKey(version), record);

      const oldestKept = Math.max(0, version - this.keepRecent + 1);
      const prunedVersions = [...this.versions.keys()].filter((v) => v < oldestKept);
      for (const v of prunedVersions) if (v > 0) batch.del(historyKey(v));
      const prunedUndo = [...this.undoKeys.keys()].filter((v) => v <= oldestKept);
      for (const v of prunedUndo) for (const k of this.undoKeys.get(v) ?? []) batch.del(k);

      failpoint('commit-before-batch');
      try {
        await batch.write({ sync: true });
      } catch (err) {
        this.broken = err instanceof Error ? err : new Error(String(err));
        throw err;
      }
      failpoint('commit-after-batch');

      this.versions.set(version, next);
      this.undoKeys.set(version, undo);
      for (const v of prunedVersions) this.versions.delete(v);
      for (const v of prunedUndo) this.undoKeys.delete(v);
      this.last = { version, hash: next.hash };
      return this.lastCommitInfo();
    } finally {
      this.committing = false;
    }
  }

  query(storeName: string, key: Bytes, height?: number, prove = false): QueryResult {
    const version = this.versionAt(height);
    const store = version.stores.get(storeName);
    if (store === undefined) throw new Error(`unknown store ${storeName}`);
    const value = store.tree.get(keyStr(key));
    const result: QueryResult = { height: version.version, value };
    if (!prove) return result;
    const roots = this.names.map((name) => ({
      name,
      root: (version.stores.get(name) as StoreVersion).rootHash,
    }));
    result.proofOps = [
      { type: SMT_PROOF_TYPE, key: Buffer.from(key), data: moduleProof(store.root, key) },
      {
        type: SIMPLE_PROOF_TYPE,
        key: Buffer.from(storeName, 'utf8'),
        data: multistoreProof(storeName, store.rootHash, simplePath(roots, storeName)),
      },
    ];
    return result;
  }

  iterateAt(
    storeName: string,
    height: number | undefined,
    start?: Bytes,
    end?: Bytes,
  ): IterableIterator<[Bytes, Bytes]> {
    const store = this.versionAt(height).stores.get(storeName);
    if (store === undefined) throw new Error(`unknown store ${storeName}`);
    return rangeOf(store.tree, start, end, false);
  }

  availableVersions(): number[] {
    return [...this.versions.keys()].sort((a, b) => a - b);
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  private versionAt(height: number | undefined): Version {
    const h = height === undefined || height === 0 ? this.last.version : height;
    const version = this.versions.get(h);
    if (version === undefined) {
      const available = this.availableVersions();
      throw new VersionUnavailableError(
        `height ${h} is not available: pruned or never committed (queryable: ${available[0]}..${available[available.length - 1]})`,
      );
    }
    return version;
  }
}

/** A committed version as a read-only multistore, the parent of CheckTx branches. */
class VersionView implements MultiStore {
  constructor(
    private readonly version: Version,
    private readonly names: readonly string[],
  ) {}

  getStore(name: string): KVStore {
    const store = this.version.stores.get(name);
    if (store === undefined) throw new Error(`unknown store ${name}`);
    return new ReadOnlyStore(store);
  }

  storeNames(): readonly string[] {
    return this.names;
  }

  branch(): CacheMultiStore {
    return new CacheMulti(this);
  }
}

function hashOfVersion(v: Version, names: readonly string[]): Buffer {
  return appHashOf(names.map((name) => ({ name, root: (v.stores.get(name) as StoreVersion).rootHash })));
}

function recordOf(v: Version, names: readonly string[]): CommitRecord {
  const roots: Record<string, string> = {};
  for (const name of names) roots[name] = (v.stores.get(name) as StoreVersion).rootHash.toString('hex');
  return { version: v.version, hash: v.hash.toString('hex'), roots };
}

function checkRecord(record: CommitRecord, v: Version, names: readonly string[], hash: Buffer): void {
  // A different set of stores than the one committed means the software's modules changed under an
  // existing home: say so plainly (the app hash would not match either).
  const committed = Object.keys(record.roots).sort();
  const added = names.filter((n) => !committed.includes(n));
  const removed = committed.filter((n) => !names.includes(n));
  if (added.length > 0 || removed.length > 0) {
    throw new Error(
      `the module stores on disk at version ${record.version} (${committed.join(', ') || 'none'}) differ from ` +
        `this software's (${names.join(', ')}): the module layout changed; ` +
        'start from a fresh home (gonkad init --reset, or npm start -- --reset for the devnet)',
    );
  }
  for (const name of names) {
    const want = record.roots[name];
    const got = (v.stores.get(name) as StoreVersion).rootHash.toString('hex');
    if (want !== got) {
      throw new Error(
        `store ${name} at version ${record.version}: root ${got} does not match the committed ${want}`,
      );
    }
  }
  if (record.hash !== hash.toString('hex')) {
    throw new Error(
      `app hash at version ${record.version} is ${hash.toString('hex')}, committed ${record.hash}`,
    );
  }
}

async function* scan(db: Db, range: { gte: Buffer; lt: Buffer }): AsyncGenerator<[Buffer, Buffer][]> {
  const it = db.iterator(range);
  try {
    for (;;) {
      const entries = await it.nextv(4096);
      if (entries.length === 0) return;
      yield entries;
    }
  } finally {
    await it.close();
  }
}

/** Reads the flat latest state: per store a B+ tree (keys arrive sorted) and a trie built bottom-up. */
async function loadLatestState(db: Db, names: string[]): Promise<Map<string, TreeState>> {
  const entries = new Map<string, { keys: [KeyStr, Buffer][]; leaves: Leaf[] }>(
    names.map((n) => [n, { keys: [], leaves: [] }]),
  );
  // Keys arrive grouped by store: decode a store's name once, not per entry.
  let prefix = Buffer.alloc(0);
  let current: { keys: [KeyStr, Buffer][]; leaves: Leaf[] } | undefined;
  for await (const chunk of scan(db, STATE_RANGE)) {
    for (const [k, raw] of chunk) {
      if (current === undefined || k.compare(prefix, 0, prefix.length, 0, prefix.length) !== 0) {
        const { store } = parseStateKey(k);
        current = entries.get(store);
        if (current === undefined)
          throw new Error(
            `database holds store "${store}", which this software does not have: the module layout changed; start from a fresh home (gonkad init --reset, or npm start -- --reset for the devnet)`,
          );
        prefix = Buffer.from(k.subarray(0, 2 + (k[1] as number)));
      }
      const keyBuf = k.subarray(prefix.length);
      const value = Buffer.from(raw); // a pooled copy: far less memory than the reader's own buffer
      const path = sha256Str(keyBuf);
      current.keys.push([keyBuf.toString('latin1'), value]);
      current.leaves.push(new Leaf(path, value, smtLeafHash(path, sha256Str(value))));
    }
  }
  const states = new Map<string, TreeState>();
  for (const name of names) {
    const { keys, leaves } = entries.get(name) as { keys: [KeyStr, Buffer][]; leaves: Leaf[] };
    states.set(name, new TreeState(newKeyTree(keys), buildSorted(sortByPath(leaves))));
  }
  return states;
}

/** Sorts leaves by path: a counting pass on the first two bytes, then insertion sort of each (small) bucket. */
function sortByPath(leaves: Leaf[]): Leaf[] {
  const bucketOf = (l: Leaf) => (l.path.charCodeAt(0) << 8) | l.path.charCodeAt(1);
  const starts = new Uint32Array(65537);
  for (const l of leaves) (starts[bucketOf(l) + 1] as number)++;
  for (let i = 1; i < starts.length; i++) starts[i] = (starts[i] as number) + (starts[i - 1] as number);
  const fill = starts.slice(0, 65536);
  const out = new Array<Leaf>(leaves.length);
  for (const l of leaves) {
    const b = bucketOf(l);
    out[fill[b] as number] = l;
    fill[b] = (fill[b] as number) + 1;
  }
  for (let b = 0; b < 65536; b++) {
    const lo = starts[b] as number;
    const hi = starts[b + 1] as number;
    for (let i = lo + 1; i < hi; i++) {
      const l = out[i] as Leaf;
      let j = i - 1;
      while (j >= lo && (out[j] as Leaf).path > l.path) {
        out[j + 1] = out[j] as Leaf;
        j--;
      }
      out[j + 1] = l;
    }
  }
  return out;
}

interface UndoEntry {
  diskKey: Buffer;
  store: string;
  key: Buffer;
  before: Buffer | null;
}

async function loadUndo(db: Db): Promise<Map<number, UndoEntry[]>> {
  const out = new Map<number, UndoEntry[]>();
  for await (const chunk of scan(db, UNDO_RANGE)) {
    for (const [k, data] of chunk) {
      const { version, store, key } = parseUndoKey(k);
      let list = out.get(version);
      if (list === undefined) {
        list = [];
        out.set(version, list);
      }
      list.push({ diskKey: k, store, key, before: decodeUndo(data) });
    }
  }
  return out;
}

async function loadHistory(db: Db): Promise<Map<number, CommitRecord>> {
  const out = new Map<number, CommitRecord>();
  for await (const chunk of scan(db, HISTORY_RANGE)) {
    for (const [k, data] of chunk) out.set(parseHistoryKey(k), JSON.parse(data.toString('utf8')));
  }
  return out;
}
