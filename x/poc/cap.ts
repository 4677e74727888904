// The per-participant power cap: no participant may end an epoch with more than `maxFraction` of
// the total weight, so one big miner can't take over consensus or governance (DESIGN.md §5,
// issue 12). This follows Gonka's "universal power capping" (gonka-ai/gonka,
// proposals/early-network-protection/README.md and inference-chain/x/inference/keeper/
// bitcoin_rewards.go `ApplyPowerCappingForWeights` / `CalculateOptimalCap`, as of v0.2.5 and the
// fix of issue #1395): one common cap x for the largest weights, chosen so that each capped
// participant holds exactly the limit share of the *capped* total, everyone below x unchanged.
//
// Algorithm (sorted ascending p_0 ≤ … ≤ p_{n−1}, n = number of positive weights, f = the limit):
// at the first k with p_k > f · (S_k + p_k · (n − k)), where S_k = p_0 + … + p_{k−1} (p_k and
// everyone above it set to p_k would still leave p_k over the limit), the cap is
//   x = f · S_k / (1 − f · (n − k)),
// the x that solves x = f · (S_k + (n − k) · x). If no k trips, nobody is over and nothing changes.
// The result equals the largest integer x with x ≤ f · Σ min(w, x), which the unit test checks
// against a brute-force scan.
//
// Rules, each as Gonka has them:
// - Only weights > 0 take part ([#1395]: a zero-weight bystander once made the cap 0 and zeroed a
//   testnet); zeros stay zero. Fewer than 2 positive weights: nothing to balance, unchanged.
// - Small networks: with 2 or 3 positive weights the limit is raised to 50% / 40% (100% for 1)
//   when maxFraction is below that, since 2 hosts can't both be under 25%.
// - maxFraction = 0 means no cap (Gonka: "not set or set to 0 disables capping"); so does
//   maxFraction ≥ 1 (nobody can exceed the whole).
// - An infeasible limit (f · n < 1: n hosts can't all be ≤ f) trips at k = 0 with S_0 = 0, x = 0;
//   Gonka's cap ≤ 0 guard then leaves the weights unchanged rather than zero everyone. Same here.
//   (Param validation should keep f ≥ 0.25, so from 4 hosts on this can't happen.)
//
// Rounding: x is floored (exact bigint arithmetic on atto-unit fractions). Flooring only lowers the
// capped weights, so the capped share stays ≤ f of the new total. Gonka computes the same quotient
// with shopspring/decimal, whose Div rounds to 16 decimal places before IntPart truncates: the two
// can differ by 1 only when the exact x is within 1e-16 below an integer, which is our exact floor.
//
// Deterministic: bigint only, no floats; the sort looks at values only, so the order among equal
// weights can't change the result. O(n log n).
import { ONE } from '../../app/runtime/decimal.js';
import { assertInvariant } from '../../app/runtime/invariants.js';

export interface WeightEntry {
  address: string;
  weight: bigint;
}

/**
 * Gonka's small-network limit (atto units) for `positiveCount` participants with weight > 0:
 * 1 → 100%, 2 → 50%, 3 → 40%; 0 (no exception) otherwise. The effective limit is the larger of
 * this and the param.
 */
export function smallNetworkFraction(positiveCount: number): bigint {
  if (positiveCount === 1) return ONE;
  if (positiveCount === 2) return ONE / 2n;
  if (positiveCount === 3) return (ONE * 2n) / 5n;
  return 0n;
}

/**
 * Caps each weight so nobody holds more than `maxFraction` (atto units, 18 decimals: 0.25 =
 * 250000000000000000n) of the capped total, with Gonka's small-network exceptions. Returns new
 * entries in input order with the same addresses; the input is not modified. Weights and
 * maxFraction must be ≥ 0 (callers derive them from counts and validated params).
 */
export function capWeights(weights: readonly WeightEntry[], maxFraction: bigint): WeightEntry[] {
  assertInvariant(maxFraction >= 0n, `cap fraction ${maxFraction} is negative`);
  const sorted: bigint[] = [];
  for (const e of weights) {
    assertInvariant(e.weight >= 0n, `cap input ${e.address} has negative weight ${e.weight}`);
    if (e.weight > 0n) sorted.push(e.weight);
  }
  const unchanged = (): WeightEntry[] => weights.map((e) => ({ address: e.address, weight: e.weight }));

  const n = sorted.length;
  const exception = smallNetworkFraction(n);
  const f = exception > maxFraction ? exception : maxFraction;
  if (n <= 1 || maxFraction === 0n || f >= ONE) return unchanged();

  sorted.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let x = -1n;
  let sumPrev = 0n;
  for (let k = 0; k < n; k++) {
    const p = sorted[k]!;
    const above = BigInt(n - k);
    // p > f · (S_k + p · (n − k)), both sides scaled by ONE to stay in integers.
    if (p * ONE > f * (sumPrev + p * above)) {
      const denominator = ONE - f * above; // > 0 whenever the test above holds
      x = denominator > 0n ? (f * sumPrev) / denominator : p;
      break;
    }
    sumPrev += p;
  }
  // No one over the limit (x = −1), or an infeasible limit (x = 0): leave the weights alone.
  if (x <= 0n) return unchanged();
  const cap = x;
  return weights.map((e) => ({ address: e.address, weight: e.weight > cap ? cap : e.weight }));
}
