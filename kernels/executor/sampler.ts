// The seeded sampler and log-probability helpers. Pure functions over one logits row; the
// executor calls them per generated token and the validator's sampler check calls them again on
// the replayed rows, so both sides pick tokens by exactly the same rule:
//   temperature 0 → argmax (lowest id on exact ties);
//   otherwise     → Gumbel-max over the top-p nucleus of softmax(logits / temperature), with the
//                   Gumbel noise of (step, token) drawn from the request seed (prng.ts).
// Gumbel-max samples exactly from the nucleus distribution and makes "which token wins" a
// comparison of scores, so float noise only matters when two scores nearly tie.
import type { SeededUniforms } from './prng.js';
import type { SamplingParams, TokenLogprobs, TopLogprob } from './types.js';

export const MAX_TOP_LOGPROBS = 20;

export function checkSamplingParams(p: SamplingParams): void {
  if (!(Number.isFinite(p.temperature) && p.temperature >= 0 && p.temperature <= 100)) {
    throw new RangeError(`temperature must be in [0, 100], got ${p.temperature}`);
  }
  if (!(Number.isFinite(p.topP) && p.topP > 0 && p.topP <= 1))
    throw new RangeError(`top_p must be in (0, 1], got ${p.topP}`);
  if (p.seed < 0n || p.seed >= 1n << 64n) throw new RangeError('seed must be an unsigned 64-bit integer');
}

export function argmax(row: ArrayLike<number>): number {
  let best = 0;
  let bestV = -Infinity;
  for (let i = 0; i < row.length; i++) {
    const v = row[i] as number;
    if (v > bestV) {
      bestV = v;
      best = i;
    }
  }
  return best;
}

/** log softmax in float64. */
export function logSoftmax(row: ArrayLike<number>): Float64Array {
  const n = row.length;
  let max = -Infinity;
  for (let i = 0; i < n; i++) if ((row[i] as number) > max) max = row[i] as number;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.exp((row[i] as number) - max);
  const lse = max + Math.log(sum);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = (row[i] as number) - lse;
  return out;
}

/** The k largest entries, largest first; equal values keep the lower id first. O(n·k) worst case,
 *  O(n) typical (most entries fail the threshold test). */
export function topK(values: ArrayLike<number>, k: number): TopLogprob[] {
  const top: TopLogprob[] = [];
  if (k <= 0) return top;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (top.length === k && v <= (top[k - 1] as TopLogprob).logprob) continue;
    let at = top.length;
    while (at > 0 && (top[at - 1] as TopLogprob).logprob < v) at--;
    top.splice(at, 0, { token: i, logprob: v });
    if (top.length > k) top.pop();
  }
  return top;
}

/** Log-probability of `token` and the top-k alternatives under the raw (temperature 1) model distribution. */
export function tokenLogprobs(row: ArrayLike<number>, token: number, k: number): TokenLogprobs {
  const lp = logSoftmax(row);
  return { token, logprob: lp[token] as number, top: topK(lp, k) };
}

/** Probabilities of softmax(row / temperature), float64. */
function temperedProbs(row: ArrayLike<number>, temperature: number): Float64Array {
  const n = row.length;
  const out = new Float64Array(n);
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = (row[i] as number) / temperature;
    out[i] = v;
    if (v > max) max = v;
  }
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.exp((out[i] as number) - max);
    out[i] = e;
    sum += e;
  }
  for (let i = 0; i < n; i++) out[i] = (out[i] as number) / sum;
  return out;
}

/** For each token, the probability mass of the tokens ranked above it (higher probability, or
 *  equal probability and lower id). A token is in the top-p nucleus iff its mass-above < topP.
 *  Only tokens with p ≥ (1 − topP) / (2·vocab) are ranked: every token below that has more than
 *  1 − (1 − topP)/2 > topP of the mass above it, so it gets +∞ (outside the nucleus). The ranked
 *  tokens' values are the same sums a full sort would give, since everything ranked above a
 *  ranked token is itself ranked. */
export function massAbove(probs: Float64Array, topP: number): Float64Array {
  const floor = (1 - topP) / (2 * probs.length);
  const out = new Float64Array(probs.length).fill(Number.POSITIVE_INFINITY);
  const ranked: number[] = [];
  for (let i = 0; i < probs.length; i++) if ((probs[i] as number) >= floor) ranked.push(i);
  ranked.sort((a, b) => (probs[b] as number) - (probs[a] as number) || a - b);
  let acc = 0;
  for (const i of ranked) {
    out[i] = acc;
    acc += probs[i] as number;
  }
  return out;
}

/** Gumbel-perturbed score of token j at this step: log p_j(T) + g(step, j). */
function score(probs: Float64Array, uniforms: SeededUniforms, step: number, j: number): number {
  return Math.log(probs[j] as number) + uniforms.gumbel(step, j);
}

/** The token the seeded sampler picks at generation step `step` from this logits row. */
export function chooseToken(
  row: ArrayLike<number>,
  p: SamplingParams,
  uniforms: SeededUniforms,
  step: number,
): number {
  if (p.temperature === 0) return argmax(row);
  const probs = temperedProbs(row, p.temperature);
  const above = p.topP < 1 ? massAbove(probs, p.topP) : undefined;
  let best = -1;
  let bestScore = -Infinity;
  for (let j = 0; j < probs.length; j++) {
    if ((probs[j] as number) === 0) continue;
    if (above && (above[j] as number) >= p.topP) continue;
    const s = score(probs, uniforms, step, j);
    if (s > bestScore) {
      bestScore = s;
      best = j;
    }
  }
  return best < 0 ? argmax(row) : best;
}

/** Float tolerances of the sampler check: differences below these are treated as near-ties that
 *  either side could resolve either way (different CPU kernels, thread counts, providers). */
export interface SamplerTolerance {
  /** On Gumbel scores (log-probability units) and on raw logits for greedy. */
  score: number;
  /** On the nucleus boundary (probability mass). */
  mass: number;
}

export const DEFAULT_SAMPLER_TOLERANCE: SamplerTolerance = { score: 1e-3, mass: 1e-4 };

export type PositionVerdict = 'exact' | 'near-tie' | 'mismatch';

/** Is `claimed` the token the seeded sampler picks from this (replayed) row, up to float near-ties? */
export function checkChoice(
  row: ArrayLike<number>,
  claimed: number,
  p: SamplingParams,
  uniforms: SeededUniforms,
  step: number,
  tol: SamplerTolerance = DEFAULT_SAMPLER_TOLERANCE,
): PositionVerdict {
  if (!(Number.isInteger(claimed) && claimed >= 0 && claimed < row.length)) return 'mismatch';
  const expected = chooseToken(row, p, uniforms, step);
  if (expected === claimed) return 'exact';
  if (p.temperature === 0)
    return (row[claimed] as number) >= (row[expected] as number) - tol.score ? 'near-tie' : 'mismatch';
  const probs = temperedProbs(row, p.temperature);
  if ((probs[claimed] as number) === 0) return 'mismatch';
  const above = p.topP < 1 ? massAbove(probs, p.topP) : undefined;
  // The claimed token may sit just outside our nucleus; the winner must be compared only with
  // tokens that are inside the nucleus on every side of the tolerance.
  if (above && (above[claimed] as number) >= p.topP + tol.mass) return 'mismatch';
  let best = -Infinity;
  for (let j = 0; j < probs.length; j++) {
    if ((probs[j] as number) === 0 || j === claimed) continue;
    if (above && (above[j] as number) >= p.topP - tol.mass) continue;
    best = Math.max(best, score(probs, uniforms, step, j));
  }
  return score(probs, uniforms, step, claimed) >= best - tol.score ? 'near-tie' : 'mismatch';
}
