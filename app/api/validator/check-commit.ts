// One (participant, class) commit: sign the sample doc, derive the sample, fetch its proofs with
// bounded retries, check each against the commitment on chain, recompute each output, decide.
// Verdict rules (README "Validator"):
//   INVALID      a well-formed answer that contradicts the commitment: another root, nonce ≠
//                index, wrong output length, a path that does not reach the root, or an output
//                that differs from the recomputed one (one differing byte is proof of wrong work).
//   UNAVAILABLE  no well-formed answer after the retries: down, timeout, non-200, oversized, not
//                JSON, off-contract JSON (missing or extra proofs, wrong types), or no api_url.
//                It withholds weight and never slashes, so anything that cannot be pinned on the
//                participant's work lands here.
//   VALID        every sampled proof checks and recomputes byte for byte.
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type ArtifactProof,
  checkArtifactProof,
  verifyInclusion,
} from '../../../kernels/poc/artifacts/merkle.js';
import { bytesEqual } from '../../../kernels/poc/bytes.js';
import { outputBytes, type PocClass } from '../../../kernels/poc/classes.js';
import { leafHash } from '../../../kernels/poc/leaf.js';
import { Verdict } from '../../../proto/gen/gonka/poc/v1/poc.js';
import { SAMPLE_SIG_BYTES, sampleIndices, sampleSignBytes } from '../../../x/poc/sample.js';
import { fetchProofsHttp, ProofFetchError } from './proofs-http.js';
import {
  MalformedProofsError,
  maxAnswerBytes,
  type ProofsAnswer,
  parseProofsAnswer,
} from './proofs-response.js';
import type { Recomputer } from './recompute.js';
import type {
  CommitOutcome,
  OutcomeReason,
  PocCommit,
  PocValidatorDeps,
  ProofsRequestBody,
  ValidationTarget,
} from './types.js';

export interface CommitContext {
  readonly deps: PocValidatorDeps;
  readonly target: ValidationTarget;
  readonly recomputer: Recomputer;
}

/** The validator itself cannot decide this commit (aborted, no engine): no vote. */
export class CommitSkipped extends Error {
  override name = 'CommitSkipped';
}

const COMPRESSED_PUBKEY_BYTES = 33;

export async function checkCommit(
  ctx: CommitContext,
  commit: PocCommit,
  cls: PocClass,
): Promise<CommitOutcome> {
  const { deps, target } = ctx;
  const sampleSig = await deps.signer.signSample(
    sampleSignBytes({
      chainId: deps.chainId,
      epoch: target.epoch,
      participant: commit.participant,
      classId: commit.classId,
      validationHash: target.validationHash,
      round: target.round,
    }),
  );
  if (sampleSig.length !== SAMPLE_SIG_BYTES) {
    throw new Error(`signSample returned ${sampleSig.length} bytes, want ${SAMPLE_SIG_BYTES}`);
  }
  const indices = sampleIndices(sampleSig, commit.count, target.sampleSize);
  const base = {
    participant: commit.participant,
    classId: commit.classId,
    count: commit.count,
    indices,
    sampleSig,
  };
  const decide = (
    verdict: Verdict,
    reason: OutcomeReason,
    attempts: number,
    detail?: string,
    forged?: ArtifactProof,
  ): CommitOutcome => ({
    ...base,
    verdict,
    reason,
    attempts,
    ...(detail === undefined ? {} : { detail }),
    ...(forged === undefined ? {} : { forged }),
  });

  // The chain bounds count by the class's max_count; a count no proof index can address is wrong.
  if (commit.count > BigInt(Number.MAX_SAFE_INTEGER)) {
    return decide(Verdict.VERDICT_INVALID, 'wrong-commitment', 0, 'count is beyond any tree');
  }
  if (indices.length === 0) return decide(Verdict.VERDICT_VALID, 'empty-commit', 0);

  const info = await deps.participant(commit.participant);
  if (!info || info.apiUrl === '' || info.kernelPubkey.length !== COMPRESSED_PUBKEY_BYTES) {
    return decide(Verdict.VERDICT_UNAVAILABLE, 'no-api-url', 0, 'no api_url or kernel key on chain');
  }

  const count = Number(commit.count);
  const outBytes = outputBytes(cls);
  const wanted = indices.map(Number);
  const fetched = await fetchWithRetries(ctx, info.apiUrl, commit, cls, wanted, outBytes);
  if (!('answer' in fetched)) {
    return decide(Verdict.VERDICT_UNAVAILABLE, fetched.reason, fetched.attempts, fetched.detail);
  }
  const { answer, attempts } = fetched;

  if (!bytesEqual(answer.root, commit.root)) {
    return decide(
      Verdict.VERDICT_INVALID,
      'wrong-commitment',
      attempts,
      'answer root differs from the committed root',
    );
  }
  for (const proof of answer.proofs) {
    const check = checkArtifactProof(commit.root, count, proof, outBytes);
    if (!check.ok) {
      // A committed leaf carrying another nonce is a forgery the chain can check too.
      const provable =
        check.reason === 'nonce-mismatch' && committedLeaf(commit.root, count, proof, outBytes);
      return decide(
        Verdict.VERDICT_INVALID,
        check.reason,
        attempts,
        `index ${proof.index}`,
        provable ? proof : undefined,
      );
    }
  }
  let recomputed: Uint8Array[];
  try {
    recomputed = await ctx.recomputer.outputs(
      cls,
      target.seed,
      info.kernelPubkey,
      answer.proofs.map((p) => p.nonce),
    );
  } catch (err) {
    throw new CommitSkipped(
      `cannot recompute ${cls.name}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  for (const [i, proof] of answer.proofs.entries()) {
    if (!bytesEqual(proof.output, recomputed[i] as Uint8Array)) {
      return decide(Verdict.VERDICT_INVALID, 'output-mismatch', attempts, `index ${proof.index}`, proof);
    }
  }
  return decide(Verdict.VERDICT_VALID, 'ok', attempts);
}

/** Whether the proof's (nonce, output) leaf is in the committed tree at its index, whatever the nonce. */
function committedLeaf(root: Uint8Array, count: number, proof: ArtifactProof, outBytes: number): boolean {
  if (proof.output.length !== outBytes || proof.nonce >= 1n << 64n || proof.nonce < 0n) return false;
  return verifyInclusion(proof.index, count, leafHash(proof.nonce, proof.output), proof.path, root);
}

type Fetched =
  | { answer: ProofsAnswer; attempts: number }
  | { reason: 'unreachable' | 'malformed-response'; attempts: number; detail: string };

async function fetchWithRetries(
  ctx: CommitContext,
  apiUrl: string,
  commit: PocCommit,
  cls: PocClass,
  indices: number[],
  outBytes: number,
): Promise<Fetched> {
  const { deps, target } = ctx;
  const retries = deps.retries ?? 3;
  const backoffMs = deps.backoffMs ?? 500;
  const timeoutMs = deps.timeoutMs ?? 10_000;
  const fetchProofs = deps.fetchProofs ?? fetchProofsHttp;
  // Round 0 asks exactly as before the rounds existed (no `round` key), so older API nodes answer.
  const body: ProofsRequestBody = {
    epoch: target.epoch.toString(),
    class: cls.name,
    indices,
    count: commit.count.toString(),
    ...(target.round === 0 ? {} : { round: target.round }),
  };
  const maxBytes = maxAnswerBytes(indices.length, outBytes);
  const expected = {
    epoch: target.epoch,
    round: target.round,
    className: cls.name,
    count: commit.count,
    indices,
  };
  let last: Extract<Fetched, { reason: string }> = {
    reason: 'unreachable',
    attempts: 0,
    detail: 'not tried',
  };
  for (let attempt = 1; attempt <= retries + 1; attempt++) {
    if (deps.signal?.aborted) throw new CommitSkipped('validation aborted');
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = deps.signal ? AbortSignal.any([deps.signal, timeout]) : timeout;
    let retryable = true;
    try {
      const json = await fetchProofs(apiUrl, body, signal, maxBytes);
      return { answer: parseProofsAnswer(json, expected, outBytes), attempts: attempt };
    } catch (err) {
      if (deps.signal?.aborted) throw new CommitSkipped('validation aborted');
      const malformed = err instanceof MalformedProofsError;
      if (err instanceof ProofFetchError) retryable = err.retryable;
      const detail = timeout.aborted
        ? `timed out after ${timeoutMs} ms`
        : err instanceof Error
          ? err.message
          : String(err);
      last = { reason: malformed ? 'malformed-response' : 'unreachable', attempts: attempt, detail };
      deps.log.debug(
        { participant: commit.participant, class: cls.name, attempt, err: detail },
        'proof fetch failed',
      );
    }
    if (!retryable || attempt > retries) break;
    // Exponential backoff with jitter, so many validators do not retry a slow node in lockstep.
    const delay = backoffMs * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5);
    try {
      await sleep(delay, undefined, deps.signal ? { signal: deps.signal } : {});
    } catch {
      throw new CommitSkipped('validation aborted');
    }
  }
  return last;
}
