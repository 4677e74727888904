// Helpers for the fraud-proof tests: a participant's real tiny/devnet leaves (reference kernel,
// the Sprint's seed, its secp256k1 key) in an RFC 6962 tree with inclusion paths, forged leaves,
// and MsgPocFraudProof as Any.
import { rootOfLeaves, splitPoint } from '../../kernels/poc/artifacts/merkle.js';
import { POC_CLASSES, type PocClass } from '../../kernels/poc/classes.js';
import { createEpoch } from '../../kernels/poc/epoch.js';
import { leafHash } from '../../kernels/poc/leaf.js';
import { computeOutput } from '../../kernels/poc/reference.js';
import { MsgPocCommit, MsgPocFraudProof } from '../../proto/gen/gonka/poc/v1/tx.js';
import { typeUrl } from '../../proto/gonka/registry.js';
import { msgAny } from './poc-sprint-helpers.js';

export interface Leaf {
  nonce: bigint;
  output: Uint8Array;
}

export interface Tree {
  leaves: Leaf[];
  root: Uint8Array;
}

export const classById = (id: number): PocClass => Object.values(POC_CLASSES).find((c) => c.id === id)!;

/** `count` honest leaves of (seed, pubkey) in class `classId`, then `edit` applied to each. */
export function buildTree(
  classId: number,
  seed: Uint8Array,
  pubkey: Uint8Array,
  count: number,
  edit: (l: Leaf, i: number) => Leaf = (l) => l,
): Tree {
  const epoch = createEpoch(classById(classId), seed);
  const leaves = Array.from({ length: count }, (_, i) =>
    edit({ nonce: BigInt(i), output: computeOutput(epoch, pubkey, BigInt(i)) }, i),
  );
  return { leaves, root: rootOfLeaves(leaves.map((l) => leafHash(l.nonce, l.output))) };
}

/** One output byte flipped: the forgery a proof catches. */
export const flipped = (l: Leaf): Leaf => {
  const output = Uint8Array.from(l.output);
  output[0] = output[0]! ^ 0xff;
  return { ...l, output };
};

/** RFC 6962 §2.1.1 inclusion path of leaf `m` (sibling hashes from the leaf up). */
export function inclusionPath(hashes: Uint8Array[], m: number): Uint8Array[] {
  if (hashes.length <= 1) return [];
  const k = splitPoint(hashes.length);
  return m < k
    ? [...inclusionPath(hashes.slice(0, k), m), rootOfLeaves(hashes.slice(k))]
    : [...inclusionPath(hashes.slice(k), m - k), rootOfLeaves(hashes.slice(0, k))];
}

export const commitTree = (participant: string, epoch: bigint, classId: number, t: Tree) =>
  msgAny(MsgPocCommit, typeUrl(MsgPocCommit), {
    participant,
    epoch,
    classId,
    count: BigInt(t.leaves.length),
    root: t.root,
  });

export interface ProofFields {
  prover: string;
  participant: string;
  epoch: bigint;
  classId: number;
  index: number;
  round?: number;
}

/** The proof of leaf `index` as the tree holds it; `edit` changes fields after (malformed cases). */
export function fraudProof(
  t: Tree,
  f: ProofFields,
  edit: (m: MsgPocFraudProof) => MsgPocFraudProof = (m) => m,
) {
  const leaf = t.leaves[f.index]!;
  const m = MsgPocFraudProof.fromPartial({
    prover: f.prover,
    epoch: f.epoch,
    participant: f.participant,
    classId: f.classId,
    index: BigInt(f.index),
    nonce: leaf.nonce,
    output: leaf.output,
    path: inclusionPath(
      t.leaves.map((l) => leafHash(l.nonce, l.output)),
      f.index,
    ),
    round: f.round ?? 0,
  });
  return msgAny(MsgPocFraudProof, typeUrl(MsgPocFraudProof), edit(m));
}
