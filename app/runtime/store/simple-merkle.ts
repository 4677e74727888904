// The app hash: CometBFT's simple Merkle tree over (store name → module root) pairs sorted by name,
// the construction Cosmos uses for its commitInfo hash and that ICS23 tendermintSpec proves.
//   leaf  = sha256(0x00 ‖ uvarint(len name) ‖ name ‖ uvarint(32) ‖ sha256(root))
//   inner = sha256(0x01 ‖ left ‖ right), split at the largest power of two below n.
import { innerHashBytes, sha256, uvarint } from './hash.js';
import type { PathStep } from './smt.js';

export interface NamedRoot {
  name: string;
  root: Buffer;
}

export function simpleLeafHash(name: string, root: Buffer): Buffer {
  const key = Buffer.from(name, 'utf8');
  const valueHash = sha256(root);
  return sha256(
    Buffer.concat([Buffer.from([0]), uvarint(key.length), key, uvarint(valueHash.length), valueHash]),
  );
}

function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function hashRange(leaves: Buffer[], lo: number, hi: number): Buffer {
  if (hi - lo === 1) return leaves[lo] as Buffer;
  const k = lo + splitPoint(hi - lo);
  return innerHashBytes(hashRange(leaves, lo, k), hashRange(leaves, k, hi));
}

function sortedLeaves(roots: NamedRoot[]): Buffer[] {
  const sorted = [...roots].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
  return sorted.map((r) => simpleLeafHash(r.name, r.root));
}

/** The app hash over the module roots (32 bytes; sha256 of nothing for no stores, as CometBFT). */
export function appHashOf(roots: NamedRoot[]): Buffer {
  if (roots.length === 0) return sha256(new Uint8Array());
  const leaves = sortedLeaves(roots);
  return hashRange(leaves, 0, leaves.length);
}

/** Sibling hashes, innermost first, from the named store's leaf to the app hash. */
export function simplePath(roots: NamedRoot[], name: string): PathStep[] {
  const sorted = [...roots].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
  const index = sorted.findIndex((r) => r.name === name);
  if (index < 0) throw new Error(`unknown store ${name}`);
  const leaves = sorted.map((r) => simpleLeafHash(r.name, r.root));
  const steps: PathStep[] = [];
  let lo = 0;
  let hi = leaves.length;
  while (hi - lo > 1) {
    const k = lo + splitPoint(hi - lo);
    if (index < k) {
      steps.push({ sibling: hashRange(leaves, k, hi), isRight: false });
      hi = k;
    } else {
      steps.push({ sibling: hashRange(leaves, lo, k), isRight: true });
      lo = k;
    }
  }
  return steps.reverse();
}
