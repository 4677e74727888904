// Randomized model test: the working module store and nested CacheKV branches against plain Maps,
// for get/has, set/delete, ranged and reverse iteration, write() and discarded branches.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CacheKV } from '../../app/runtime/store/cache-kv.js';
import { ModuleStore, TreeState } from '../../app/runtime/store/module-store.js';
import type { KVStore } from '../../app/runtime/store/types.js';
import { sized } from '../profile.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function modelRange(
  model: Map<string, string>,
  start?: Buffer,
  end?: Buffer,
  reverse = false,
): [string, string][] {
  const keys = [...model.keys()]
    .filter((k) => {
      const b = Buffer.from(k, 'hex');
      return (
        (start === undefined || Buffer.compare(b, start) >= 0) &&
        (end === undefined || Buffer.compare(b, end) < 0)
      );
    })
    .sort((a, b) => Buffer.compare(Buffer.from(a, 'hex'), Buffer.from(b, 'hex')));
  if (reverse) keys.reverse();
  return keys.map((k) => [k, model.get(k) as string]);
}

function storeRange(store: KVStore, start?: Buffer, end?: Buffer, reverse = false): [string, string][] {
  return [...store.iterator(start, end, reverse)].map(([k, v]) => [hex(k), hex(v)]);
}

describe('store branches against a Map model', () => {
  it('match the model under random sets, deletes, ranges and nested branches', () => {
    const rand = rng(42);
    // Short keys over a small alphabet (low and high bytes, to catch any signed or text ordering)
    // so prefixes, equal keys and range bounds collide often.
    const alphabet = [0x00, 0x01, 0x41, 0x7f, 0x80, 0xff];
    const randomKey = () =>
      Buffer.from(
        Array.from({ length: 1 + Math.floor(rand() * 3) }, () => alphabet[Math.floor(rand() * 6)] as number),
      );
    const randomValue = () => Buffer.from([1 + Math.floor(rand() * 250)]);
    const maybeKey = () => (rand() < 0.2 ? undefined : randomKey());

    const base = new ModuleStore('m', new TreeState());
    const stack: { store: KVStore; model: Map<string, string> }[] = [{ store: base, model: new Map() }];
    const rounds = sized(4000, 40000);
    for (let i = 0; i < rounds; i++) {
      const top = stack[stack.length - 1] as { store: KVStore; model: Map<string, string> };
      const r = rand();
      if (r < 0.4) {
        const k = randomKey();
        const v = randomValue();
        top.store.set(k, v);
        top.model.set(hex(k), hex(v));
      } else if (r < 0.6) {
        const k = randomKey();
        top.store.delete(k);
        top.model.delete(hex(k));
      } else if (r < 0.7) {
        const k = randomKey();
        const got = top.store.get(k);
        assert.equal(got === undefined ? undefined : hex(got), top.model.get(hex(k)));
        assert.equal(top.store.has(k), top.model.has(hex(k)));
      } else if (r < 0.8) {
        const start = maybeKey();
        const end = maybeKey();
        const reverse = rand() < 0.5;
        assert.deepEqual(
          storeRange(top.store, start, end, reverse),
          modelRange(top.model, start, end, reverse),
        );
      } else if (r < 0.87 && stack.length < 5) {
        stack.push({ store: new CacheKV(top.store), model: new Map(top.model) });
      } else if (r < 0.95 && stack.length > 1) {
        stack.pop();
        const parent = stack[stack.length - 1] as { store: KVStore; model: Map<string, string> };
        (top.store as CacheKV).write();
        parent.model.clear();
        for (const [k, v] of top.model) parent.model.set(k, v);
      } else if (stack.length > 1) {
        stack.pop(); // discarded branch: nothing reaches the parent
      }
    }
    while (stack.length > 1) {
      const top = stack.pop() as { store: KVStore; model: Map<string, string> };
      (top.store as CacheKV).write();
      const parent = stack[stack.length - 1] as { store: KVStore; model: Map<string, string> };
      parent.model.clear();
      for (const [k, v] of top.model) parent.model.set(k, v);
    }
    const finalModel = stack[0]?.model as Map<string, string>;
    assert.deepEqual(storeRange(base), modelRange(finalModel));
    // History independence under a random insert/delete history: same root as a fresh build.
    const fresh = new ModuleStore('fresh', new TreeState());
    for (const [k, v] of finalModel) fresh.set(Buffer.from(k, 'hex'), Buffer.from(v, 'hex'));
    assert.deepEqual(base.state.rootHash(), fresh.state.rootHash());
  });

  it('iterates a snapshot taken when the iteration started', () => {
    const filled = () => {
      const base = new ModuleStore('m', new TreeState());
      for (let i = 0; i < 50; i++) base.set(Buffer.from([i + 1]), Buffer.from([i + 1]));
      return base;
    };
    const branch = new CacheKV(filled());
    branch.set(Buffer.from([100]), Buffer.from([1]));
    for (const store of [filled(), branch]) {
      const seen: number[] = [];
      for (const [k] of store.iterator()) {
        seen.push(k[0] as number);
        store.delete(k);
        store.set(Buffer.from([200, k[0] as number]), Buffer.from([9]));
      }
      assert.ok(seen.length >= 50 && seen.every((k) => k < 200));
    }
  });

  it('keeps private copies of keys and values', () => {
    const base = new ModuleStore('m', new TreeState());
    const branch = new CacheKV(base);
    const k = Buffer.from('key');
    const v = Buffer.from('val');
    branch.set(k, v);
    k[0] = 0;
    v[0] = 0;
    branch.write();
    assert.equal(Buffer.from(base.get(Buffer.from('key')) as Uint8Array).toString(), 'val');
  });

  it('rejects empty keys and values', () => {
    const base = new ModuleStore('m', new TreeState());
    assert.throws(() => base.set(new Uint8Array(), Buffer.from('v')));
    assert.throws(() => new CacheKV(base).set(Buffer.from('k'), new Uint8Array()));
  });
});
