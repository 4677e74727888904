// ICS23 proofs for queries, and their verification. A query proof is two chained ProofOps,
// innermost first, like Cosmos's [ics23:iavl, ics23:simple]:
//   1. type 'ics23:smt', key = the queried key, data = CommitmentProof (exist or nonexist) under
//      smtSpec against the module root. The ICS23 key inside is sha256(key): the module tree is
//      keyed by hashed paths, and @confio/ics23 0.6.8's smtSpec neither prehashes keys nor
//      compares them hashed, so the proof carries the path itself.
//   2. type 'ics23:simple', key = the store name, data = CommitmentProof (exist) of the module root
//      under tendermintSpec against the app hash.
// A store with no keys has no leaf to anchor a non-membership proof: op 1 then has empty data and
// op 2 proves that the module root is the empty root (32 zero bytes).
import { ics23, tendermintSpec, verifyMembership, verifyNonMembership } from '@confio/ics23';
import { calculateExistenceRoot, smtSpec } from '@confio/ics23/build/proofs.js';
import { EMPTY_ROOT, hashToBytes, sha256, sha256Str } from './hash.js';
import type { PathStep } from './smt.js';
import { type Leaf, type Node, neighbours, pathTo } from './smt.js';
import type { Bytes } from './types.js';

export const SMT_PROOF_TYPE = 'ics23:smt';
export const SIMPLE_PROOF_TYPE = 'ics23:simple';

export interface ProofOp {
  type: string;
  key: Bytes;
  data: Bytes;
}

function innerOps(steps: PathStep[]): ics23.IInnerOp[] {
  return steps.map((s) =>
    s.isRight
      ? {
          hash: ics23.HashOp.SHA256,
          prefix: Buffer.concat([Buffer.from([1]), s.sibling]),
          suffix: new Uint8Array(),
        }
      : { hash: ics23.HashOp.SHA256, prefix: Buffer.from([1]), suffix: s.sibling },
  );
}

const smtLeafOp: ics23.ILeafOp = {
  hash: ics23.HashOp.SHA256,
  prehashKey: ics23.HashOp.NO_HASH,
  prehashValue: ics23.HashOp.SHA256,
  length: ics23.LengthOp.NO_PREFIX,
  prefix: Uint8Array.from([0]),
};

const simpleLeafOp: ics23.ILeafOp = {
  hash: ics23.HashOp.SHA256,
  prehashKey: ics23.HashOp.NO_HASH,
  prehashValue: ics23.HashOp.SHA256,
  length: ics23.LengthOp.VAR_PROTO,
  prefix: Uint8Array.from([0]),
};

function smtExistence(root: Node, leaf: Leaf): ics23.IExistenceProof {
  const found = pathTo(root, leaf.path);
  if (found === undefined) throw new Error('leaf not in tree');
  return { key: hashToBytes(leaf.path), value: leaf.value, leaf: smtLeafOp, path: innerOps(found.steps) };
}

/** The module-store proof for key: existence when present, non-existence otherwise. Empty data for an empty store. */
export function moduleProof(root: Node | undefined, key: Bytes): Uint8Array {
  if (root === undefined) return new Uint8Array();
  const path = sha256Str(key);
  const found = pathTo(root, path);
  let proof: ics23.ICommitmentProof;
  if (found !== undefined) {
    proof = { exist: smtExistence(root, found.leaf) };
  } else {
    const { left, right } = neighbours(root, path);
    proof = {
      nonexist: {
        key: hashToBytes(path),
        left: left === undefined ? undefined : smtExistence(root, left),
        right: right === undefined ? undefined : smtExistence(root, right),
      },
    };
  }
  return ics23.CommitmentProof.encode(proof).finish();
}

/** The multistore proof that store name has module root moduleRoot (steps from simplePath). */
export function multistoreProof(name: string, moduleRoot: Buffer, steps: PathStep[]): Uint8Array {
  const exist: ics23.IExistenceProof = {
    key: Buffer.from(name, 'utf8'),
    value: moduleRoot,
    leaf: simpleLeafOp,
    path: innerOps(steps),
  };
  return ics23.CommitmentProof.encode({ exist }).finish();
}

function moduleRootFromProof(proof: ics23.CommitmentProof): Uint8Array {
  if (proof.exist) return calculateExistenceRoot(proof.exist);
  const side = proof.nonexist?.left ?? proof.nonexist?.right;
  if (!side) throw new Error('proof has neither existence nor non-existence data');
  return calculateExistenceRoot(side);
}

/**
 * Checks chained query proofs against an app hash: value present (membership) or undefined
 * (non-membership) for key in the named store. Never throws; false on any mismatch.
 */
export function verifyChainedProof(
  appHash: Bytes,
  storeName: string,
  key: Bytes,
  value: Bytes | undefined,
  proofOps: readonly ProofOp[],
): boolean {
  try {
    const [inner, outer] = proofOps;
    if (proofOps.length !== 2 || inner === undefined || outer === undefined) return false;
    if (inner.type !== SMT_PROOF_TYPE || outer.type !== SIMPLE_PROOF_TYPE) return false;
    if (!Buffer.from(inner.key).equals(Buffer.from(key))) return false;
    const nameBytes = Buffer.from(storeName, 'utf8');
    if (!Buffer.from(outer.key).equals(nameBytes)) return false;

    let moduleRoot: Uint8Array;
    if (inner.data.length === 0) {
      if (value !== undefined) return false;
      moduleRoot = EMPTY_ROOT; // non-membership in an empty store
    } else {
      const proof = ics23.CommitmentProof.decode(inner.data);
      moduleRoot = moduleRootFromProof(proof);
      const path = sha256(key);
      const ok =
        value === undefined
          ? verifyNonMembership(proof, smtSpec, moduleRoot, path)
          : verifyMembership(proof, smtSpec, moduleRoot, path, value);
      if (!ok) return false;
    }
    const storeProof = ics23.CommitmentProof.decode(outer.data);
    return verifyMembership(storeProof, tendermintSpec, appHash, nameBytes, moduleRoot);
  } catch {
    return false;
  }
}
