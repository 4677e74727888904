// Key layout of the store's classic-level database (all keys and values are raw bytes):
//   'M'                                  → meta: JSON {version, hash, roots: {store: hex}} of the latest commit
//   'H' ‖ u64be(version)                 → the same JSON for each retained version (checked on load)
//   'S' ‖ u8(len name) ‖ name ‖ key      → value: the latest committed state, flat
//   'U' ‖ u64be(version) ‖ u8(len name) ‖ name ‖ key → 0x00 (absent) | 0x01 ‖ value: the value key had
//                                          before `version`, i.e. the undo log that rebuilds version-1
// One Commit writes S, U, H and M for its version plus the deletes of pruned U/H entries in a
// single batch, so a reopened database is always exactly one committed version.

export const META_KEY = Buffer.from('M');
const STATE = 0x53; // 'S'
const UNDO = 0x55; // 'U'
const HISTORY = 0x48; // 'H'

export const STATE_RANGE = { gte: Buffer.from([STATE]), lt: Buffer.from([STATE + 1]) };
export const UNDO_RANGE = { gte: Buffer.from([UNDO]), lt: Buffer.from([UNDO + 1]) };
export const HISTORY_RANGE = { gte: Buffer.from([HISTORY]), lt: Buffer.from([HISTORY + 1]) };

export interface CommitRecord {
  version: number;
  hash: string; // hex
  roots: Record<string, string>; // store name → module root, hex
}

function nameBytes(name: string): Buffer {
  const b = Buffer.from(name, 'utf8');
  if (b.length === 0 || b.length > 255) throw new Error(`store name must be 1..255 bytes: ${name}`);
  return b;
}

function u64(version: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(version));
  return b;
}

export function stateKey(store: string, key: Buffer): Buffer {
  const n = nameBytes(store);
  return Buffer.concat([Buffer.from([STATE, n.length]), n, key]);
}

export function undoKey(version: number, store: string, key: Buffer): Buffer {
  const n = nameBytes(store);
  return Buffer.concat([Buffer.from([UNDO]), u64(version), Buffer.from([n.length]), n, key]);
}

export function historyKey(version: number): Buffer {
  return Buffer.concat([Buffer.from([HISTORY]), u64(version)]);
}

export function encodeUndo(before: Buffer | null): Buffer {
  return before === null ? Buffer.from([0]) : Buffer.concat([Buffer.from([1]), before]);
}

export function decodeUndo(data: Buffer): Buffer | null {
  return data[0] === 0 ? null : data.subarray(1);
}

/** Splits an 'S' key into (store, key). */
export function parseStateKey(k: Buffer): { store: string; key: Buffer } {
  const len = k[1] as number;
  return { store: k.toString('utf8', 2, 2 + len), key: k.subarray(2 + len) };
}

/** Splits a 'U' key into (version, store, key). */
export function parseUndoKey(k: Buffer): { version: number; store: string; key: Buffer } {
  const version = Number(k.readBigUInt64BE(1));
  const len = k[9] as number;
  return { version, store: k.toString('utf8', 10, 10 + len), key: k.subarray(10 + len) };
}

export function parseHistoryKey(k: Buffer): number {
  return Number(k.readBigUInt64BE(1));
}
