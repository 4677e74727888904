// The ordered key index of a module store: sorted-btree's B+ tree keyed by byte order. Its clone()
// is O(1) copy-on-write, which gives committed versions and iterator snapshots for free.
import sortedBtree from 'sorted-btree';

type BTreeClass = typeof import('sorted-btree').default;
// sorted-btree is CommonJS with `exports.default`; under Node's ESM loader the default import is
// the whole exports object.
const BTreeImpl: BTreeClass =
  (sortedBtree as unknown as { default?: BTreeClass }).default ?? (sortedBtree as unknown as BTreeClass);

export type ByteTree<V> = import('sorted-btree').default<Buffer, V>;

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b);
}

export function newByteTree<V>(entries?: [Buffer, V][]): ByteTree<V> {
  return new BTreeImpl<Buffer, V>(entries, compareBytes);
}

/** Entries with start ≤ key < end of a tree the caller will not modify meanwhile (pass a clone). */
export function* rangeOf<V>(
  tree: ByteTree<V>,
  start: Uint8Array | undefined,
  end: Uint8Array | undefined,
  reverse: boolean,
): IterableIterator<[Buffer, V]> {
  if (!reverse) {
    for (const entry of tree.entries(start === undefined ? undefined : asBuffer(start))) {
      if (end !== undefined && Buffer.compare(entry[0], end) >= 0) return;
      yield entry;
    }
    return;
  }
  const from = end === undefined ? undefined : asBuffer(end);
  for (const entry of tree.entriesReversed(from, undefined, true)) {
    if (start !== undefined && Buffer.compare(entry[0], start) < 0) return;
    yield entry;
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
