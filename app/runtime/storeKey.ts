// Store handles, as the SDK's StoreKey: the app creates one per store at wiring (app/app.ts) and
// hands it to the module that owns the store; Context.kv takes only a handle, and accepts only
// the very handle the app mounted for that store. A module therefore reaches exactly the stores
// whose handles it was given: a handle made anywhere else for another module's store name is
// refused, and the mint below gives out each name once.
export class StoreKey {
  private constructor(readonly name: string) {}

  toString(): string {
    return `StoreKey(${this.name})`;
  }

  /** Only StoreKeyMint creates handles (the constructor is private to this file's classes). */
  static create(name: string, token: symbol): StoreKey {
    if (token !== MINT) throw new Error('store keys are created only by StoreKeyMint (at app wiring)');
    return new StoreKey(name);
  }
}

const MINT = Symbol('StoreKeyMint');

/** Creates the store handles of one app, each store name once. */
export class StoreKeyMint {
  private readonly keys = new Map<string, StoreKey>();

  /** The handle of store `name`; a second request for the same name is a wiring error. */
  key(name: string): StoreKey {
    if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`invalid store name '${name}'`);
    if (this.keys.has(name))
      throw new Error(`store '${name}' already has a handle (each store has one owner)`);
    const key = StoreKey.create(name, MINT);
    this.keys.set(name, key);
    return key;
  }
}

/** The handles an app mounted, by store name: what Context.kv accepts. */
export class MountedStores {
  private readonly byName = new Map<string, StoreKey>();

  constructor(keys: Iterable<StoreKey>) {
    for (const k of keys) {
      if (this.byName.has(k.name)) throw new Error(`store '${k.name}' mounted twice`);
      this.byName.set(k.name, k);
    }
  }

  /** Throws unless `key` is the handle mounted for its store. */
  check(key: StoreKey): void {
    if (this.byName.get(key.name) !== key)
      throw new Error(`${String(key)} is not a handle this app mounted; a module reaches only its own store`);
  }

  /** The mounted store names, sorted (the multistore's fixed layout). */
  names(): string[] {
    return [...this.byName.keys()].sort();
  }
}
