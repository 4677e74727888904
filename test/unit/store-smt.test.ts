// The module tree's hash is a function of the key-value set alone (history independence), and
// incremental updates agree with a bottom-up rebuild.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sha256Str, smtLeafHash } from '../../app/runtime/store/hash.js';
import { ModuleStore, TreeState } from '../../app/runtime/store/module-store.js';
import { buildSorted, Leaf, rootHashOf } from '../../app/runtime/store/smt.js';
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

function shuffled<T>(items: T[], rand: () => number): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j] as T, a[i] as T];
  }
  return a;
}

const n = sized(2000, 20000);
const entries: [Buffer, Buffer][] = Array.from({ length: n }, (_, i) => [
  Buffer.from(`key/${i}`),
  Buffer.from(`value-${i * 7}`),
]);

/** A tree state written through the module store API. */
function stateOf(order: [Buffer, Buffer][]): TreeState {
  const s = new ModuleStore('m', new TreeState());
  for (const [k, v] of order) s.set(k, v);
  return s.state;
}

function put(s: TreeState, k: Buffer, v: Buffer): void {
  s.put(k.toString('latin1'), k, v);
}

function remove(s: TreeState, k: Buffer): void {
  s.remove(k.toString('latin1'), k);
}

describe('module tree hash', () => {
  it('is the same for the same key-value set in any insertion order', () => {
    const rand = rng(1);
    const a = stateOf(entries).rootHash();
    const b = stateOf(shuffled(entries, rand)).rootHash();
    const c = stateOf(shuffled(entries, rand)).rootHash();
    assert.deepEqual(b, a);
    assert.deepEqual(c, a);
  });

  it('returns to the old root when inserted keys are deleted and updated values restored', () => {
    const s = stateOf(entries);
    const before = s.rootHash();
    s.snapshot(); // freeze: later writes must copy, not corrupt the snapshot
    const extra = Array.from({ length: 300 }, (_, i) => Buffer.from(`extra/${i}`));
    for (const k of extra) put(s, k, Buffer.from('x'));
    put(s, entries[5]?.[0] as Buffer, Buffer.from('changed'));
    assert.notDeepEqual(s.rootHash(), before);
    for (const k of extra) remove(s, k);
    put(s, entries[5]?.[0] as Buffer, entries[5]?.[1] as Buffer);
    assert.deepEqual(s.rootHash(), before);
  });

  it('leaves a frozen snapshot untouched by later writes', () => {
    const s = stateOf(entries.slice(0, 500));
    const snap = s.snapshot();
    const rootBefore = Buffer.from(snap.rootHash);
    for (const [k] of entries.slice(0, 100)) remove(s, k);
    s.rootHash();
    assert.deepEqual(rootHashOf(snap.root), rootBefore);
    assert.equal(snap.tree.size, 500);
  });

  it('agrees with the bottom-up build used when loading from disk', () => {
    const leaves = entries.map(([k, v]) => {
      const path = sha256Str(k);
      return new Leaf(path, v, smtLeafHash(path, sha256Str(v)));
    });
    leaves.sort((a, b) => Buffer.compare(Buffer.from(a.path, 'latin1'), Buffer.from(b.path, 'latin1')));
    assert.deepEqual(rootHashOf(buildSorted(leaves)), stateOf(entries).rootHash());
  });

  it('distinguishes different sets and values', () => {
    const a = stateOf(entries.slice(0, 100)).rootHash();
    const b = stateOf(entries.slice(0, 99)).rootHash();
    const changed = entries
      .slice(0, 100)
      .map(([k, v], i) => [k, i === 50 ? Buffer.from('other') : v] as [Buffer, Buffer]);
    assert.notDeepEqual(a, b);
    assert.notDeepEqual(stateOf(changed).rootHash(), a);
    assert.deepEqual(new TreeState().rootHash(), Buffer.alloc(32));
  });
});
