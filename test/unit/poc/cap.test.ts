// The per-participant power cap (x/poc/cap.ts) must reproduce Gonka's capping exactly, so the
// worked examples below carry Gonka's own numbers. Sources (gonka-ai/gonka):
//  [R]  proposals/early-network-protection/README.md, "Power Capping Algorithm Example"
//  [M]  inference-chain/x/inference/module/power_capping_test.go (TestApplyPowerCapping_*)
//  [K]  inference-chain/x/inference/keeper/bitcoin_rewards_test.go (TestApplyPowerCappingForWeights_*,
//       added by the fix of issue #1395, https://github.com/gonka-ai/gonka/issues/1395)
//  [C]  inference-chain/x/inference/keeper/bitcoin_rewards_cap_test.go (inputs only: Gonka logs
//       those outputs without asserting them; ours are worked out by hand from the same formula)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ONE, parseDec } from '../../../app/runtime/decimal.js';
import { InvariantError } from '../../../app/runtime/invariants.js';
import { capWeights, smallNetworkFraction } from '../../../x/poc/cap.js';

const pct = (s: string): bigint => parseDec(s);

/** Caps plain numbers (addresses p0, p1, …) and returns the capped numbers, input order. */
function cap(weights: readonly (number | bigint)[], fraction: bigint): bigint[] {
  const input = weights.map((w, i) => ({ address: `p${i}`, weight: BigInt(w) }));
  const out = capWeights(input, fraction);
  assert.deepEqual(
    out.map((e) => e.address),
    input.map((e) => e.address),
    'same addresses, input order',
  );
  return out.map((e) => e.weight);
}

const big = (xs: readonly number[]): bigint[] => xs.map((x) => BigInt(x));

describe('x/poc cap: Gonka worked examples', () => {
  it('[R][M] 1000/2000/4000/8000 at 30% -> 1000/2000/2250/2250 (total 7500, top = 30%)', () => {
    // [R]: sum_prev 3000, weighted total 11 000, threshold 3300 < 4000, x = 900 / 0.40 = 2250.
    assert.deepEqual(cap([1000, 2000, 4000, 8000], pct('0.30')), big([1000, 2000, 2250, 2250]));
    // Input order is kept whatever it is.
    assert.deepEqual(cap([8000, 1000, 4000, 2000], pct('0.30')), big([2250, 1000, 2250, 2000]));
  });

  it('[K] a zero-weight bystander: 0/10238/34658/36806 -> 0/10238/20476/20476 (3 hosts: 40%)', () => {
    // [K] ZeroWeightBystanderKeepsCappingEffective: the limit is chosen from the 3 positive
    // weights (40%), cap = 0.40 × 10238 / (1 − 0.40 × 2) = 20476, new total 51190.
    assert.deepEqual(cap([0, 10238, 34658, 36806], pct('0.30')), big([0, 10238, 20476, 20476]));
    // The same with this chain's default 25%: 3 participants still get the 40% exception.
    assert.deepEqual(cap([0, 10238, 34658, 36806], pct('0.25')), big([0, 10238, 20476, 20476]));
  });

  it('[K] one positive weight among zeros is not capped and not zeroed', () => {
    // [K] SinglePositiveAmongZeros.
    assert.deepEqual(cap([0, 0, 12345], pct('0.30')), big([0, 0, 12345]));
  });

  it('[M] equal shares under the limit, one participant, no participants: unchanged', () => {
    assert.deepEqual(cap([2500, 2500, 2500, 2500], pct('0.30')), big([2500, 2500, 2500, 2500]));
    assert.deepEqual(cap([1000], pct('0.30')), big([1000]));
    assert.deepEqual(cap([], pct('0.30')), []);
  });

  it('[M] a zero fraction means no cap (Gonka: "not set or 0 disables capping")', () => {
    // [M] TestApplyPowerCapping_ZeroPercentage_NoLimitApplied.
    assert.deepEqual(cap([1000, 2000, 9000], 0n), big([1000, 2000, 9000]));
  });

  it('[M][K] three participants at 30% are capped at the 40% exception', () => {
    // [M] Basic / PowerConservation assert only 7000 -> less; exact: 0.40 × 3000 / 0.60 = 2000.
    assert.deepEqual(cap([1000, 2000, 7000], pct('0.30')), big([1000, 2000, 2000]));
    // [K] the rewards test (1000/2000/1000, "should be capped"): 0.40 × 2000 / 0.60 = 1333.33 -> 1333.
    assert.deepEqual(cap([1000, 2000, 1000], pct('0.30')), big([1000, 1333, 1000]));
  });

  it('[C] the inputs of Gonka cap_test, outputs from the formula', () => {
    // 300 trips at k = 2: 0.30 × 300 / 0.40 = 225.
    assert.deepEqual(cap([100, 200, 300, 400], pct('0.30')), big([100, 200, 225, 225]));
    // 3 participants: the 40% exception; 0.40 × 100 / 0.60 = 66.67 -> 66.
    assert.deepEqual(cap([50, 50, 900], pct('0.30')), big([50, 50, 66]));
    assert.deepEqual(cap([100, 100, 100, 100], pct('0.30')), big([100, 100, 100, 100]));
    // 2 participants at 50%: the larger is brought down to the smaller.
    assert.deepEqual(cap([600, 400], pct('0.50')), big([400, 400]));
    assert.deepEqual(cap([800, 200], pct('0.50')), big([200, 200]));
    // 0.30 × 30 / 0.70 = 12.86 -> 12.
    assert.deepEqual(cap([10, 10, 10, 970], pct('0.30')), big([10, 10, 10, 12]));
    // 0.30 × 3 / 0.70 = 1.29 -> 1.
    assert.deepEqual(cap([1, 1, 1, 97], pct('0.30')), big([1, 1, 1, 1]));
    assert.deepEqual(
      cap([1_000_000, 2_000_000, 3_000_000, 4_000_000], pct('0.30')),
      big([1_000_000, 2_000_000, 2_250_000, 2_250_000]),
    );
    // 0.30 × 90 / 0.70 = 38.57 -> 38.
    assert.deepEqual(
      cap([10, 10, 10, 10, 10, 10, 10, 10, 10, 900], pct('0.30')),
      big([10, 10, 10, 10, 10, 10, 10, 10, 10, 38]),
    );
    assert.deepEqual(cap([500, 500], pct('0.30')), big([500, 500]));
    assert.deepEqual(cap([700, 200, 100], pct('0.40')), big([200, 200, 100]));
  });
});

describe('x/poc cap: rules and edge cases', () => {
  it('small-network exceptions: 100% / 50% / 40% for 1 / 2 / 3 positive weights, none from 4', () => {
    assert.equal(smallNetworkFraction(1), ONE);
    assert.equal(smallNetworkFraction(2), pct('0.5'));
    assert.equal(smallNetworkFraction(3), pct('0.4'));
    assert.equal(smallNetworkFraction(4), 0n);
    assert.equal(smallNetworkFraction(0), 0n);
    // An exception only ever raises the limit: 60% with 2 participants stays 60%.
    assert.deepEqual(cap([700, 300], pct('0.6')), big([450, 300]));
  });

  it('the issue-12 testnet: throttles 800/400/200/100 at 50% keep their order', () => {
    // 800 > 0.5 × (700 + 800): cap = 0.5 × 700 / 0.5 = 700.
    assert.deepEqual(cap([800, 400, 200, 100], pct('0.5')), big([700, 400, 200, 100]));
  });

  it('all zero, and zeros among capped weights, stay zero', () => {
    assert.deepEqual(cap([0, 0, 0, 0], pct('0.25')), big([0, 0, 0, 0]));
    assert.deepEqual(
      cap([0, 1000, 0, 2000, 4000, 8000, 0], pct('0.30')),
      big([0, 1000, 0, 2000, 2250, 2250, 0]),
    );
  });

  it('ties are capped alike, whatever their order', () => {
    // 90 trips at k = 3: 0.25 × 30 / (1 − 0.25 × 2) = 15.
    assert.deepEqual(cap([10, 90, 90, 10, 10], pct('0.25')), big([10, 15, 15, 10, 10]));
    assert.deepEqual(cap([90, 10, 10, 90, 10], pct('0.25')), big([15, 10, 10, 15, 10]));
  });

  it('a fraction of 1 or more is no cap', () => {
    assert.deepEqual(cap([1, 2, 1000], ONE), big([1, 2, 1000]));
    assert.deepEqual(cap([1, 2, 3, 1000], 2n * ONE), big([1, 2, 3, 1000]));
  });

  it('an infeasible fraction (fraction × positive count < 1) leaves the weights alone, as Gonka does', () => {
    // Gonka's cap <= 0 guard (#1395): 5 participants can't all hold ≤ 10%.
    assert.deepEqual(cap([1, 2, 3, 4, 5], pct('0.1')), big([1, 2, 3, 4, 5]));
    // 4 participants at exactly 25% is feasible: all equal.
    assert.deepEqual(cap([1, 2, 3, 4], pct('0.25')), big([1, 1, 1, 1]));
  });

  it('huge weights (up to 2^50) are exact', () => {
    const t = 2n ** 50n;
    assert.deepEqual(cap([t, 1n, 1n, 1n, 1n], pct('0.25')), [1n, 1n, 1n, 1n, 1n]);
    // 2^50 trips at k = 3: 0.30 × 2^50 / (1 − 0.30 × 2) = 3·2^48, exactly 30% of 10·2^48.
    const q = 2n ** 48n;
    assert.deepEqual(cap([t, q, t, 2n * q, q], pct('0.3')), [3n * q, q, 3n * q, 2n * q, q]);
    assert.deepEqual(cap([t - 1n, t, t - 2n, t - 3n], pct('0.25')), [t - 3n, t - 3n, t - 3n, t - 3n]);
  });

  it('does not mutate its input and returns fresh entries', () => {
    const input = [
      { address: 'a', weight: 8000n },
      { address: 'b', weight: 1000n },
      { address: 'c', weight: 2000n },
      { address: 'd', weight: 4000n },
    ];
    const copy = input.map((e) => ({ ...e }));
    const out = capWeights(input, pct('0.30'));
    assert.deepEqual(input, copy);
    assert.notEqual(out[0], input[0]);
  });

  it('refuses a negative weight or fraction (a caller bug, not a user input)', () => {
    assert.throws(() => capWeights([{ address: 'a', weight: -1n }], pct('0.25')), InvariantError);
    assert.throws(() => capWeights([{ address: 'a', weight: 1n }], -1n), InvariantError);
  });
});

/** splitmix64 over bigint: a fixed-seed generator for the property test. */
function rng(seed: bigint): () => bigint {
  let s = seed;
  const M = (1n << 64n) - 1n;
  return () => {
    s = (s + 0x9e3779b97f4a7c15n) & M;
    let z = s;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M;
    return z ^ (z >> 31n);
  };
}

/** The largest cap c with c ≤ limit × Σ min(w, c), found by scanning down (small weights only). */
function referenceCap(ws: readonly bigint[], limit: bigint): bigint[] {
  const positive = ws.filter((w) => w > 0n);
  if (positive.length <= 1 || limit >= ONE) return [...ws];
  let max = 0n;
  for (const w of positive) if (w > max) max = w;
  for (let c = max; c > 0n; c--) {
    let sum = 0n;
    for (const w of positive) sum += w < c ? w : c;
    if (c * ONE <= limit * sum) return ws.map((w) => (w > c ? c : w));
  }
  return [...ws]; // infeasible: no positive cap works
}

describe('x/poc cap: properties (fixed seed)', () => {
  it('nobody ends above the limit share of the capped total; the cap is the largest such; order kept', () => {
    const next = rng(12n);
    const fractions = ['0.25', '0.3', '0.34', '0.5', '0.1', '0.9'].map(pct);
    let cappedRounds = 0;
    for (let round = 0; round < 400; round++) {
      const n = Number(next() % 12n);
      const bits = [7n, 20n, 50n][round % 3]!;
      const ws = Array.from({ length: n }, () => (next() % 5n === 0n ? 0n : next() % (1n << bits)));
      const f = fractions[round % fractions.length]!;
      const out = cap(ws, f);

      const positive = ws.filter((w) => w > 0n).length;
      const exception = smallNetworkFraction(positive);
      const limit = exception > f ? exception : f;
      let total = 0n;
      for (const w of out) total += w;

      for (let i = 0; i < n; i++) {
        assert.ok(out[i]! <= ws[i]! && out[i]! >= 0n, 'never raised, never negative');
        if (ws[i] === 0n) assert.equal(out[i], 0n);
        for (let j = 0; j < n; j++) if (ws[i]! <= ws[j]!) assert.ok(out[i]! <= out[j]!, 'ranking kept');
      }
      const feasible = limit * BigInt(positive) >= ONE;
      if (positive >= 2 && feasible) {
        for (const w of out) assert.ok(w * ONE <= limit * total, `share over the limit: ${w}/${total}`);
      }
      const capped = out.filter((w, i) => w < ws[i]!);
      if (capped.length > 0) {
        cappedRounds++;
        // Everyone capped ends at one value c, and c + 1 would put them over the limit.
        const c = capped[0]!;
        for (const w of capped) assert.equal(w, c);
        let others = 0n;
        let m = 0n;
        for (let i = 0; i < n; i++) {
          if (ws[i]! > c) m++;
          else others += ws[i]!;
        }
        assert.ok((c + 1n) * ONE > limit * (others + m * (c + 1n)), 'the cap is the largest that fits');
      }
      if (bits === 7n) assert.deepEqual(out, referenceCap(ws, limit), `reference for ${ws.join(',')}`);
    }
    assert.ok(cappedRounds > 100, `the generator must exercise the cap (${cappedRounds} rounds capped)`);
  });
});
