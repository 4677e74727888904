// The two validation checks a validator runs on an executor's output after replaying it with the
// executor's tokens forced. Both are pure and deterministic given their inputs.
//
// 1. Sampler check: every output token must be the token the request's seeded sampler picks from
//    the replayed distribution at that step (sampler.ts), allowing only float near-ties under
//    DEFAULT_SAMPLER_TOLERANCE. This is what catches pre-filled outputs (tokens produced by a
//    cheaper model and then scored honestly by the real one), a wrong seed, or tampered logits.
// 2. Top-k logprob similarity (Gonka's formula): for each position and each of the validator's
//    top-k tokens, d = |lp_val − lp_exec| / (|lp_val| + |lp_exec| + 1e-6) / 2, where a token
//    missing from the executor's list is imputed by extending the executor's two lowest top-k
//    logprobs linearly; similarity = 1 − Σd / (max(100, n) · k), clamped at 0, and 0 when the
//    token sequences differ. It passes when similarity > the model's threshold.
import { SeededUniforms } from './prng.js';
import { checkChoice, DEFAULT_SAMPLER_TOLERANCE, type SamplerTolerance } from './sampler.js';
import type { SamplingParams, TokenLogprobs } from './types.js';

/** Gonka compares at least this many positions before judging an output. */
export const MIN_SIMILARITY_POSITIONS = 128;

export interface SamplerCheckResult {
  pass: boolean;
  positions: number;
  exact: number;
  nearTies: number;
  /** Positions (output indices) whose token is not the sampler's choice; at most 16 listed. */
  mismatches: number[];
  mismatchCount: number;
}

export function samplerCheck(
  replayedLogits: ArrayLike<number>[],
  tokens: number[],
  params: SamplingParams,
  tol: SamplerTolerance = DEFAULT_SAMPLER_TOLERANCE,
): SamplerCheckResult {
  const uniforms = new SeededUniforms(params.seed);
  const res: SamplerCheckResult = {
    pass: false,
    positions: tokens.length,
    exact: 0,
    nearTies: 0,
    mismatches: [],
    mismatchCount: 0,
  };
  if (replayedLogits.length !== tokens.length) {
    res.mismatchCount = Math.abs(replayedLogits.length - tokens.length) || 1;
    return res;
  }
  for (let i = 0; i < tokens.length; i++) {
    const v = checkChoice(
      replayedLogits[i] as ArrayLike<number>,
      tokens[i] as number,
      params,
      uniforms,
      i,
      tol,
    );
    if (v === 'exact') res.exact++;
    else if (v === 'near-tie') res.nearTies++;
    else {
      res.mismatchCount++;
      if (res.mismatches.length < 16) res.mismatches.push(i);
    }
  }
  res.pass = res.mismatchCount === 0;
  return res;
}

function imputedLogprob(original: TokenLogprobs): number {
  const lps = original.top.map((t) => t.logprob).sort((a, b) => a - b);
  const lowest = lps[0];
  const second = lps[1];
  if (lowest === undefined) return original.logprob;
  if (second === undefined) return lowest - 1;
  return lowest - (second - lowest);
}

function executorLogprob(original: TokenLogprobs, token: number): number {
  for (const t of original.top) if (t.token === token) return t.logprob;
  if (original.token === token) return original.logprob;
  return imputedLogprob(original);
}

/** Gonka's top-k similarity in [0, 1] between the executor's reported logprobs and the replay's. */
export function topkSimilarity(executor: TokenLogprobs[], replayed: TokenLogprobs[]): number {
  if (executor.length !== replayed.length || executor.length === 0) return 0;
  for (let i = 0; i < executor.length; i++) if (executor[i]?.token !== replayed[i]?.token) return 0;
  const k = Math.max(...replayed.map((r) => r.top.length));
  if (k === 0) return 0;
  let distance = 0;
  for (let i = 0; i < replayed.length; i++) {
    const orig = executor[i] as TokenLogprobs;
    for (const { token, logprob: lpV } of (replayed[i] as TokenLogprobs).top) {
      const lpO = executorLogprob(orig, token);
      distance += Math.abs(lpV - lpO) / (Math.abs(lpV) + Math.abs(lpO) + 1e-6) / 2;
    }
  }
  return Math.max(0, 1 - distance / (Math.max(100, replayed.length) * k));
}

export interface VerificationInput {
  params: SamplingParams;
  /** What the executor returned: its tokens with the logprobs it reported. */
  claimed: TokenLogprobs[];
  /** The validator's replay of those tokens. */
  replayedLogits: ArrayLike<number>[];
  replayedLogprobs: TokenLogprobs[];
  /** The model's similarity threshold (ModelInfo.validationThreshold). */
  threshold: number;
  tolerance?: SamplerTolerance;
}

export interface Verification {
  pass: boolean;
  sampler: SamplerCheckResult;
  similarity: number;
  similarityPass: boolean;
}

export function verifyOutput(v: VerificationInput): Verification {
  const tokens = v.claimed.map((c) => c.token);
  const sampler = samplerCheck(v.replayedLogits, tokens, v.params, v.tolerance);
  const similarity = topkSimilarity(v.claimed, v.replayedLogprobs);
  const similarityPass = similarity > v.threshold;
  return { pass: sampler.pass && similarityPass, sampler, similarity, similarityPass };
}
