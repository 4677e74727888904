// A write-buffered branch over any KVStore (nested branches stack). Writes land in a sorted dirty
// buffer (null marks a delete); write() applies them to the parent in key order. Iteration merges
// the parent's entries with the buffer, the buffer winning and its deletes hiding parent keys.
import { copyBytes, type KeyStr, type KeyTree, keyStr, newKeyTree, rangeOf } from './btree.js';
import { type AdoptingStore, isAdopting } from './module-store.js';
import type { Bytes, CacheKVStore, KVStore } from './types.js';

export class CacheKV implements CacheKVStore, AdoptingStore {
  private dirty: KeyTree<Buffer | null> = newKeyTree<Buffer | null>();

  constructor(private readonly parent: KVStore) {}

  get(key: Bytes): Bytes | undefined {
    const d = this.dirty.get(keyStr(key));
    if (d !== undefined) return d ?? undefined;
    return this.parent.get(key);
  }

  has(key: Bytes): boolean {
    const d = this.dirty.get(keyStr(key));
    if (d !== undefined) return d !== null;
    return this.parent.has(key);
  }

  set(key: Bytes, value: Bytes): void {
    if (key.length === 0) throw new Error('store keys must not be empty');
    if (value.length === 0) throw new Error('store values must not be empty');
    this.dirty.set(keyStr(key), copyBytes(value));
  }

  delete(key: Bytes): void {
    this.dirty.set(keyStr(key), null);
  }

  iterator(start?: Bytes, end?: Bytes, reverse = false): IterableIterator<[Bytes, Bytes]> {
    return mergeRanges(
      this.parent.iterator(start, end, reverse),
      rangeOf(this.dirty.clone(), start, end, reverse),
      reverse,
    );
  }

  write(): void {
    const parent = this.parent;
    // The buffered values are private copies: hand them over instead of copying again.
    const adopting = isAdopting(parent);
    for (const [key, value] of this.dirty.entries()) {
      if (adopting) parent.adopt(key, value);
      else if (value === null) parent.delete(Buffer.from(key, 'latin1'));
      else parent.set(Buffer.from(key, 'latin1'), value);
    }
    this.dirty = newKeyTree<Buffer | null>();
  }

  adopt(key: KeyStr, value: Buffer | null): void {
    this.dirty.set(key, value);
  }
}

function* mergeRanges(
  parent: Iterator<[Bytes, Bytes]>,
  dirty: Iterator<[Buffer, Buffer | null]>,
  reverse: boolean,
): IterableIterator<[Bytes, Bytes]> {
  const sign = reverse ? -1 : 1;
  let p = parent.next();
  let d = dirty.next();
  while (!p.done || !d.done) {
    let order: number;
    if (p.done) order = 1;
    else if (d.done) order = -1;
    else order = sign * Buffer.compare(p.value[0], d.value[0]);
    if (order < 0) {
      yield (p as IteratorYieldResult<[Bytes, Bytes]>).value;
      p = parent.next();
      continue;
    }
    const [key, value] = (d as IteratorYieldResult<[Buffer, Buffer | null]>).value;
    if (order === 0) p = parent.next(); // the buffered write shadows the parent's entry
    d = dirty.next();
    if (value !== null) yield [key, value];
  }
}
