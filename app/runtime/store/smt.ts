// The authenticated part of a module store: a hashed-key binary Merkle trie over path = sha256(key)
// that hashes exactly like ICS23 smtSpec (leaf sha256(0x00 ‖ path ‖ sha256(value)), inner
// sha256(0x01 ‖ left ‖ right)) and is compacted both ways: a one-leaf subtree is the leaf itself
// and an inner node exists only where two non-empty subtrees diverge (a crit-bit trie). So no node
// ever has an empty child, which matters because @confio/ics23 0.6.8's neighbour checks for
// non-membership proofs do not understand emptyChild padding.
//
// The shape is a function of the set of paths alone, so the root depends only on the key-value set
// (history independence). Nodes are shared between versions: committed nodes are frozen and a
// write copies the frozen nodes on its path (path copying); inner hashes are computed lazily, so a
// block's writes cost one rehash of each dirty path at workingHash()/commit().
import { EMPTY_ROOT, type Hash32, hashToBytes, innerHash } from './hash.js';

export class Leaf {
  constructor(
    readonly path: Hash32, // sha256(key): the ICS23 key of this leaf
    readonly value: Buffer,
    readonly hash: Hash32,
  ) {}
}

export class Inner {
  hash: Hash32 | undefined = undefined; // undefined while dirty
  frozen = false; // part of a committed version: copy before changing
  constructor(
    readonly bit: number, // the first path bit in which the two subtrees differ
    public left: Node,
    public right: Node,
  ) {}
}

export type Node = Leaf | Inner;

export function bitAt(path: Hash32, i: number): number {
  return (path.charCodeAt(i >> 3) >> (7 - (i & 7))) & 1;
}

/** Index of the first differing bit of two 32-byte paths, or -1 when equal. */
export function firstDiffBit(a: Hash32, b: Hash32): number {
  if (a === b) return -1;
  for (let i = 0; i < 32; i++) {
    const x = a.charCodeAt(i) ^ b.charCodeAt(i);
    if (x !== 0) return i * 8 + Math.clz32(x) - 24;
  }
  return -1;
}

function own(n: Inner): Inner {
  if (!n.frozen) {
    n.hash = undefined;
    return n;
  }
  return new Inner(n.bit, n.left, n.right);
}

/** The leaf reached by following path's bits: the leaf at path when present. */
export function closestLeaf(root: Node, path: Hash32): Leaf {
  let n = root;
  while (n instanceof Inner) n = bitAt(path, n.bit) === 1 ? n.right : n.left;
  return n;
}

/** Inserts or replaces a leaf; returns the new root. closest: closestLeaf(root, leaf.path) if already known. */
export function trieSet(root: Node | undefined, leaf: Leaf, closest?: Leaf): Node {
  if (root === undefined) return leaf;
  const path = leaf.path;
  const d = firstDiffBit(path, (closest ?? closestLeaf(root, path)).path);
  const join = (n: Node): Inner => (bitAt(path, d) === 1 ? new Inner(d, n, leaf) : new Inner(d, leaf, n));
  const insert = (n: Node): Node => {
    if (n instanceof Leaf) return d < 0 ? leaf : join(n);
    if (d >= 0 && n.bit > d) return join(n);
    const m = own(n);
    if (bitAt(path, m.bit) === 1) m.right = insert(m.right);
    else m.left = insert(m.left);
    return m;
  };
  return insert(root);
}

/** Removes the leaf at path if present (known: the caller checked it is); returns the new root. */
export function trieDelete(root: Node | undefined, path: Hash32, known = false): Node | undefined {
  if (root === undefined || (!known && closestLeaf(root, path).path !== path)) return root;
  // The leaf is present: every inner node on its path changes (owned in place or copied).
  const remove = (n: Node): Node | undefined => {
    if (n instanceof Leaf) return undefined;
    const right = bitAt(path, n.bit) === 1;
    const next = remove(right ? n.right : n.left);
    if (next === undefined) return right ? n.left : n.right;
    const m = own(n);
    if (right) m.right = next;
    else m.left = next;
    return m;
  };
  return remove(root);
}

export function hashOf(n: Node): Hash32 {
  if (n instanceof Leaf) return n.hash;
  if (n.hash === undefined) n.hash = innerHash(hashOf(n.left), hashOf(n.right));
  return n.hash;
}

export function rootHashOf(root: Node | undefined): Buffer {
  return root === undefined ? EMPTY_ROOT : hashToBytes(hashOf(root));
}

/** Hashes and freezes every node changed since the last freeze (only those: frozen subtrees stop the walk). */
export function freeze(root: Node | undefined): void {
  if (root === undefined) return;
  hashOf(root);
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const n = stack.pop() as Node;
    if (n instanceof Leaf || n.frozen) continue;
    n.frozen = true;
    stack.push(n.left, n.right);
  }
}

/** Builds the trie of leaves already sorted by path in O(n): used when loading a store from disk. */
export function buildSorted(leaves: Leaf[]): Node | undefined {
  const build = (lo: number, hi: number): Node => {
    if (hi - lo === 1) return leaves[lo] as Leaf;
    const d = firstDiffBit((leaves[lo] as Leaf).path, (leaves[hi - 1] as Leaf).path);
    if (d < 0) throw new Error('duplicate path in trie build');
    let a = lo + 1;
    let b = hi - 1; // first index whose bit d is 1 lies in [a, b]
    while (a < b) {
      const mid = (a + b) >> 1;
      if (bitAt((leaves[mid] as Leaf).path, d) === 1) b = mid;
      else a = mid + 1;
    }
    return new Inner(d, build(lo, a), build(a, hi));
  };
  return leaves.length === 0 ? undefined : build(0, leaves.length);
}

/** One step of a proof, innermost first: the sibling's hash and whether the proven node is the right child. */
export interface PathStep {
  sibling: Buffer;
  isRight: boolean;
}

/** The leaf at path with the sibling hashes from it up to the root, or undefined when absent. */
export function pathTo(root: Node | undefined, path: Hash32): { leaf: Leaf; steps: PathStep[] } | undefined {
  if (root === undefined) return undefined;
  const steps: PathStep[] = [];
  let n = root;
  while (n instanceof Inner) {
    const right = bitAt(path, n.bit) === 1;
    steps.push({ sibling: hashToBytes(hashOf(right ? n.left : n.right)), isRight: right });
    n = right ? n.right : n.left;
  }
  if (n.path !== path) return undefined;
  return { leaf: n, steps: steps.reverse() };
}

function edgeLeaf(n: Node, rightmost: boolean): Leaf {
  let m = n;
  while (m instanceof Inner) m = rightmost ? m.right : m.left;
  return m;
}

/** The leaves just before and after an absent path in path order (either may be missing). */
export function neighbours(root: Node, path: Hash32): { left?: Leaf; right?: Leaf } {
  const d = firstDiffBit(path, closestLeaf(root, path).path);
  if (d < 0) throw new Error('path is present');
  let lastLeftTurnSibling: Node | undefined; // right subtree beside the last step taken to the left
  let lastRightTurnSibling: Node | undefined;
  let n = root;
  while (n instanceof Inner && n.bit < d) {
    if (bitAt(path, n.bit) === 1) {
      lastRightTurnSibling = n.left;
      n = n.right;
    } else {
      lastLeftTurnSibling = n.right;
      n = n.left;
    }
  }
  // Every leaf under n shares the path's first d bits and differs at bit d.
  if (bitAt(path, d) === 0) {
    const right = edgeLeaf(n, false);
    return lastRightTurnSibling === undefined
      ? { right }
      : { left: edgeLeaf(lastRightTurnSibling, true), right };
  }
  const left = edgeLeaf(n, true);
  return lastLeftTurnSibling === undefined ? { left } : { left, right: edgeLeaf(lastLeftTurnSibling, false) };
}
