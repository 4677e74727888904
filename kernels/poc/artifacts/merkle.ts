// The artifact Merkle tree (DESIGN.md §5): RFC 6962 / RFC 9162 shape over leaves
// SHA-256(0x00 ‖ be64(nonce) ‖ output), interior nodes SHA-256(0x01 ‖ left ‖ right).
// Pure and synchronous: x/poc and validators verify proofs with this alone.
import { bytesEqual, sha256 } from '../bytes.js';
import { leafHash } from '../leaf.js';

const NODE_PREFIX = Uint8Array.of(0x01);
export const HASH_BYTES = 32;

export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(NODE_PREFIX, left, right);
}

/** The largest power of two strictly below n (n ≥ 2): where RFC 6962 splits a range of n leaves. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** What a participant's API node returns for one sampled leaf. */
export interface ArtifactProof {
  readonly index: number;
  readonly nonce: bigint;
  readonly output: Uint8Array;
  /** Sibling hashes from the leaf up (RFC 9162 inclusion path). */
  readonly path: readonly Uint8Array[];
}

/** RFC 9162 §2.1.3.2: does `path` lead from `leaf` at `index` to `root` in a tree of `size` leaves? */
export function verifyInclusion(
  index: number,
  size: number,
  leaf: Uint8Array,
  path: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  // fn/sn are bigint-free but exceed 32 bits for huge trees, so halve with Math.floor, never >>.
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const sibling of path) {
    if (sibling.length !== HASH_BYTES || sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(sibling, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, sibling);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && bytesEqual(r, root);
}

export type ProofCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'nonce-mismatch' | 'bad-output-length' | 'bad-path' };

/**
 * Checks a proof against a commitment (root, count): leaf i must carry nonce i, and the
 * path must lead to the root. Recomputing the output itself is the kernel's job.
 */
export function checkArtifactProof(
  root: Uint8Array,
  count: number,
  proof: ArtifactProof,
  outputBytes?: number,
): ProofCheck {
  if (proof.nonce !== BigInt(proof.index)) return { ok: false, reason: 'nonce-mismatch' };
  if (outputBytes !== undefined && proof.output.length !== outputBytes) {
    return { ok: false, reason: 'bad-output-length' };
  }
  const leaf = leafHash(proof.nonce, proof.output);
  return verifyInclusion(proof.index, count, leaf, proof.path, root)
    ? { ok: true }
    : { ok: false, reason: 'bad-path' };
}

/** The root of an in-memory leaf list (tests and small trees; the store computes it incrementally). */
export function rootOfLeaves(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return sha256();
  const hashRange = (lo: number, hi: number): Uint8Array => {
    if (hi - lo === 1) return leaves[lo] as Uint8Array;
    const k = splitPoint(hi - lo);
    return nodeHash(hashRange(lo, lo + k), hashRange(lo + k, hi));
  };
  return hashRange(0, leaves.length);
}
