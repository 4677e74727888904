// The ordered key index of a module store: sorted-btree's B+ tree. Keys are held as latin1 strings
// (one char per byte), which compare with < in byte order without a native call and take a third
// of the memory of a Buffer; they are converted at the KVStore boundary. clone() is O(1)
// copy-on-write, which gives committed versions and iterator snapshots for free.
import sortedBtree from 'sorted-btree';

type BTreeClass = typeof import('sorted-btree').default;
// sorted-btree is CommonJS with `exports.default`; under Node's ESM loader the default import is
// the whole exports object.
const BTreeImpl: BTreeClass =
  (sortedBtree as unknown as { default?: BTreeClass }).default ?? (sortedBtree as unknown as BTreeClass);

/** A store key as a latin1 string. */
export type KeyStr = string;
export type KeyTree<V> = import('sorted-btree').default<KeyStr, V>;

function compareKeys(a: KeyStr, b: KeyStr): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function newKeyTree<V>(entries?: [KeyStr, V][]): KeyTree<V> {
  return new BTreeImpl<KeyStr, V>(entries, compareKeys);
}

export function keyStr(b: Uint8Array): KeyStr {
  return asBuffer(b).toString('latin1');
}

export function keyBytes(k: KeyStr): Buffer {
  return Buffer.from(k, 'latin1');
}

/** Entries with start ≤ key < end of a tree the caller will not modify meanwhile (pass a clone). */
export function* rangeOf<V>(
  tree: KeyTree<V>,
  start: Uint8Array | undefined,
  end: Uint8Array | undefined,
  reverse: boolean,
): IterableIterator<[Buffer, V]> {
  const lo = start === undefined ? undefined : keyStr(start);
  const hi = end === undefined ? undefined : keyStr(end);
  if (!reverse) {
    for (const [k, v] of tree.entries(lo)) {
      if (hi !== undefined && k >= hi) return;
      yield [keyBytes(k), v];
    }
    return;
  }
  for (const [k, v] of tree.entriesReversed(hi, undefined, true)) {
    if (lo !== undefined && k < lo) return;
    yield [keyBytes(k), v];
  }
}

/** A Buffer view of the bytes without copying. */
export function asBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

/** A private copy, so callers mutating their array later cannot change stored state. */
export function copyBytes(b: Uint8Array): Buffer {
  return Buffer.from(b);
}
