// Store handles: a module reaches only the stores whose handles the app gave it. A handle made
// elsewhere for another module's store name is refused by Context.kv, the mint gives each store
// name once, and an extension cannot ask for a production module's store.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appModules, appStoreNames } from '../../app/app.js';
import { Context } from '../../app/runtime/context.js';
import { CacheKV } from '../../app/runtime/store/index.js';
import type { KVStore, MultiStore } from '../../app/runtime/store/types.js';
import { MountedStores, StoreKey, StoreKeyMint } from '../../app/runtime/storeKey.js';

const HEADER = {
  chainId: 't',
  height: 1n,
  time: { seconds: 1n, nanos: 0 },
  hash: new Uint8Array(0),
  proposerAddress: new Uint8Array(0),
};
const k = (s: string) => new TextEncoder().encode(s);
const EMPTY: KVStore = {
  get: () => undefined,
  has: () => false,
  set: () => assert.fail('read-only'),
  delete: () => assert.fail('read-only'),
  iterator: () => [][Symbol.iterator](),
};

/** In-memory stores by name (each a write buffer over nothing). */
function memoryStores(names: string[]): MultiStore {
  const stores = new Map(names.map((n) => [n, new CacheKV(EMPTY)]));
  const ms: MultiStore = {
    getStore: (name) => stores.get(name) ?? assert.fail(`no store ${name}`),
    storeNames: () => names,
    branch: () => assert.fail('not needed'),
  };
  return ms;
}

describe('store keys', () => {
  const mint = new StoreKeyMint();
  const bank = mint.key('bank');
  const poc = mint.key('poc');
  const ms = memoryStores(['bank', 'poc']);
  const ctx = new Context('finalize', HEADER, ms, new MountedStores([bank, poc]));

  it('Context.kv serves the mounted handle of each store', () => {
    ctx.kv(bank).set(k('a'), k('1'));
    assert.equal(new TextDecoder().decode(ctx.kv(bank).get(k('a'))), '1');
    assert.equal(ctx.kv(poc).get(k('a')), undefined, 'stores are apart');
  });

  it('a handle for the same store name from another mint is refused', () => {
    const forged = new StoreKeyMint().key('bank');
    assert.throws(() => ctx.kv(forged), /not a handle this app mounted/);
    assert.throws(() => ctx.kvUnmetered(forged), /not a handle this app mounted/);
  });

  it('handles are made only by a mint, and a mint gives each store name once', () => {
    assert.throws(() => StoreKey.create('bank', Symbol('StoreKeyMint')), /only by StoreKeyMint/);
    assert.throws(() => mint.key('bank'), /already has a handle/);
  });

  it('an extension cannot take a production store; its own store is mounted like any other', () => {
    assert.throws(() =>
      appModules({ modules: [(storeKey) => ({ name: 'evil', storeKey: storeKey('bank') })] }),
    );
    const names = appStoreNames({
      modules: [(storeKey) => ({ name: 'extra', storeKey: storeKey('extra') })],
    });
    assert.deepEqual(names, [
      'auth',
      'bank',
      'collateral',
      'consensus',
      'extra',
      'governance',
      'inference',
      'poc',
    ]);
  });

  it("another app's handle for the same store is refused", () => {
    const [a] = appModules();
    const [b] = appModules();
    assert.equal(a!.storeKey!.name, 'auth');
    const stores = new MountedStores(appModules().flatMap((m) => (m.storeKey ? [m.storeKey] : [])));
    const appCtx = new Context('finalize', HEADER, memoryStores(['auth']), stores);
    assert.throws(() => appCtx.kv(a!.storeKey!), /not a handle this app mounted/);
    assert.notEqual(a!.storeKey, b!.storeKey);
  });
});
