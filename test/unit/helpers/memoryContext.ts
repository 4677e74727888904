// A Context over an in-memory multistore, for keeper unit tests: no app, no chain, no disk. Each
// store is a CacheKV over an empty base, so keepers see the same ordered-iteration semantics as on
// the real multistore.
import { Context } from '../../../app/runtime/context.js';
import { CacheKV } from '../../../app/runtime/store/cache-kv.js';
import { CacheMulti } from '../../../app/runtime/store/cache-multi.js';
import type { KVStore, MultiStore } from '../../../app/runtime/store/types.js';
import { MountedStores, type StoreKey, StoreKeyMint } from '../../../app/runtime/storeKey.js';

const EMPTY: KVStore = {
  get: () => undefined,
  has: () => false,
  set: () => {
    throw new Error('the empty base store is read-only');
  },
  delete: () => {
    throw new Error('the empty base store is read-only');
  },
  iterator: () => [][Symbol.iterator](),
};

class MemoryMultiStore implements MultiStore {
  private readonly stores = new Map<string, CacheKV>();
  constructor(private readonly names: readonly string[]) {}
  getStore(name: string): KVStore {
    if (!this.names.includes(name)) throw new Error(`no store ${name}`);
    let s = this.stores.get(name);
    if (!s) {
      s = new CacheKV(EMPTY);
      this.stores.set(name, s);
    }
    return s;
  }
  storeNames(): readonly string[] {
    return this.names;
  }
  branch() {
    return new CacheMulti(this);
  }
}

/**
 * A block-execution context at `height` over an in-memory multistore holding one store per name,
 * with the store handle of each (what app.ts would give the module that owns it).
 */
export function memoryContext(
  storeNames: readonly string[],
  height = 1n,
): { ctx: Context; keys: Record<string, StoreKey> } {
  const mint = new StoreKeyMint();
  const keys = Object.fromEntries(storeNames.map((n) => [n, mint.key(n)]));
  const ctx = new Context(
    'finalize',
    {
      chainId: 'unit',
      height,
      time: { seconds: 1_700_000_000n, nanos: 0 },
      hash: new Uint8Array(0),
      proposerAddress: new Uint8Array(0),
    },
    new MemoryMultiStore(storeNames),
    new MountedStores(Object.values(keys)),
  );
  return { ctx, keys };
}
