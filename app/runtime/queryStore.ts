// Read-only views of a committed version, so query handlers use the same KVStore API as keepers.
import type { Bytes, CacheMultiStore, CommitMultiStore, KVStore, MultiStore } from './store/types.js';

class ReadonlyVersionStore implements KVStore {
  constructor(
    private readonly cms: CommitMultiStore,
    private readonly name: string,
    private readonly height: number,
  ) {}
  get(key: Bytes): Bytes | undefined {
    return this.cms.query(this.name, key, this.height, false).value;
  }
  has(key: Bytes): boolean {
    return this.get(key) !== undefined;
  }
  set(): void {
    throw new Error('query state is read-only');
  }
  delete(): void {
    throw new Error('query state is read-only');
  }
  iterator(start?: Bytes, end?: Bytes, reverse?: boolean): IterableIterator<[Bytes, Bytes]> {
    if (!reverse) return this.cms.iterateAt(this.name, this.height, start, end);
    return [...this.cms.iterateAt(this.name, this.height, start, end)].reverse()[Symbol.iterator]();
  }
}

export function readonlyMultiStoreAt(cms: CommitMultiStore, height: number): MultiStore {
  const stores = new Map<string, KVStore>();
  const view: MultiStore = {
    getStore(name) {
      let s = stores.get(name);
      if (!s) {
        s = new ReadonlyVersionStore(cms, name, height);
        stores.set(name, s);
      }
      return s;
    },
    storeNames: () => cms.storeNames(),
    branch(): CacheMultiStore {
      throw new Error('query state cannot be branched');
    },
  };
  return view;
}
