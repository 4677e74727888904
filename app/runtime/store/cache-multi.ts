// Branches of a multistore: one CacheKV per module store, created on first use; write() applies
// them to the parent in store-name order.
import { CacheKV } from './cache-kv.js';
import type { CacheMultiStore, KVStore, MultiStore } from './types.js';

export class CacheMulti implements CacheMultiStore {
  private readonly stores = new Map<string, CacheKV>();

  constructor(private readonly parent: MultiStore) {}

  getStore(name: string): KVStore {
    let store = this.stores.get(name);
    if (store === undefined) {
      store = new CacheKV(this.parent.getStore(name));
      this.stores.set(name, store);
    }
    return store;
  }

  storeNames(): readonly string[] {
    return this.parent.storeNames();
  }

  branch(): CacheMultiStore {
    return new CacheMulti(this);
  }

  write(): void {
    for (const name of [...this.stores.keys()].sort()) this.stores.get(name)?.write();
  }
}
