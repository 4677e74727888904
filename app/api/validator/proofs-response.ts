// Strict reading of another participant's /v1/poc/proofs answer (poc-http-contract.md). Nothing in
// it is trusted: every field is type- and size-checked here, and the proofs are then checked
// against the commitment on chain, never against the root the answer claims.
import type { ArtifactProof } from '../../../kernels/poc/artifacts/merkle.js';

export interface ProofsAnswer {
  readonly root: Uint8Array;
  /** In the order of the request's indices. */
  readonly proofs: ArtifactProof[];
}

export interface ExpectedAnswer {
  readonly epoch: bigint;
  /** 0 (the Sprint) when absent; an answer for round n ≥ 1 must say `"round": n`. */
  readonly round?: number;
  readonly className: string;
  readonly count: bigint;
  /** The requested indices, ascending, distinct. */
  readonly indices: readonly number[];
}

/** The answer does not follow the contract: retried, then UNAVAILABLE (it proves no wrong work). */
export class MalformedProofsError extends Error {
  override name = 'MalformedProofsError';
}

/** Longest inclusion path: a tree of ≤ 2^64 leaves. */
export const MAX_PATH = 64;

/**
 * The most bytes a well-formed answer for `n` proofs of `outputBytes`-byte outputs can take:
 * base64 outputs, full-length hex paths, generous room for keys, numbers and whitespace.
 */
export function maxAnswerBytes(n: number, outputBytes: number): number {
  const perProof = 4 * Math.ceil(outputBytes / 3) + MAX_PATH * (64 + 4) + 256;
  return 1024 + n * perProof;
}

const U64 = /^(0|[1-9][0-9]{0,19})$/;
const HASH_HEX = /^[0-9a-fA-F]{64}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function fail(what: string): never {
  throw new MalformedProofsError(what);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function u64(v: unknown, what: string): bigint {
  if (typeof v !== 'string' || !U64.test(v)) fail(`${what} is not a u64 decimal string`);
  const n = BigInt(v);
  if (n >= 1n << 64n) fail(`${what} is over u64`);
  return n;
}

function hash(v: unknown, what: string): Uint8Array {
  if (typeof v !== 'string' || !HASH_HEX.test(v)) fail(`${what} is not a 32-byte hex hash`);
  return new Uint8Array(Buffer.from(v, 'hex'));
}

/** Parses and checks an answer; throws MalformedProofsError on anything off-contract. */
export function parseProofsAnswer(
  json: unknown,
  expected: ExpectedAnswer,
  outputBytes: number,
): ProofsAnswer {
  if (!isRecord(json)) fail('answer is not a JSON object');
  if (u64(json.epoch, 'epoch') !== expected.epoch) fail('answer is for another epoch');
  if ((json.round ?? 0) !== (expected.round ?? 0)) fail('answer is for another round');
  if (json.class !== expected.className) fail('answer is for another class');
  if (u64(json.count, 'count') !== expected.count) fail('answer is against another count');
  const root = hash(json.root, 'root');
  const proofs = json.proofs;
  if (!Array.isArray(proofs)) fail('proofs is not an array');
  if (proofs.length !== expected.indices.length) {
    fail(`${proofs.length} proofs for ${expected.indices.length} indices`);
  }
  const wanted = new Map<number, number>(expected.indices.map((index, pos) => [index, pos]));
  const ordered: (ArtifactProof | undefined)[] = new Array(expected.indices.length);
  // Base64 longer than the output could ever need is refused before decoding it.
  const maxBase64 = 4 * Math.ceil(outputBytes / 3) + 4;
  for (const [i, p] of proofs.entries()) {
    if (!isRecord(p)) fail(`proof ${i} is not an object`);
    const index = p.index;
    if (typeof index !== 'number' || !Number.isSafeInteger(index))
      fail(`proof ${i}: index is not an integer`);
    const pos = wanted.get(index);
    if (pos === undefined) fail(`proof ${i}: index ${index} was not requested`);
    if (ordered[pos]) fail(`proof ${i}: index ${index} repeated`);
    const nonce = u64(p.nonce, `proof ${i}: nonce`);
    const output = p.output;
    if (typeof output !== 'string' || output.length > maxBase64 || !BASE64.test(output)) {
      fail(`proof ${i}: output is not base64 of at most ${outputBytes} bytes`);
    }
    const path = p.path;
    if (!Array.isArray(path) || path.length > MAX_PATH)
      fail(`proof ${i}: path is not an array of ≤ ${MAX_PATH}`);
    ordered[pos] = {
      index,
      nonce,
      output: new Uint8Array(Buffer.from(output, 'base64')),
      path: path.map((h, k) => hash(h, `proof ${i}: path[${k}]`)),
    };
  }
  return { root, proofs: ordered as ArtifactProof[] };
}
