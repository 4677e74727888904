// Pure parts of the executor: the seeded PRNG, the sampler, and the two validation checks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkChoice,
  chooseToken,
  logSoftmax,
  SeededUniforms,
  samplerCheck,
  type TokenLogprobs,
  tokenLogprobs,
  topK,
  topkSimilarity,
} from '../../kernels/executor/index.js';

const params = (seed: bigint, temperature = 1, topP = 1) => ({ seed, temperature, topP });

describe('executor seeded uniforms', () => {
  it('are a pure function of (seed, step, token) and lie in (0, 1)', () => {
    const a = new SeededUniforms(42n);
    const b = new SeededUniforms(42n);
    const c = new SeededUniforms(43n);
    let same = 0;
    for (let step = 0; step < 50; step++) {
      for (let tok = 0; tok < 50; tok++) {
        const u = a.uniform(step, tok);
        assert.ok(u > 0 && u < 1);
        assert.equal(u, b.uniform(step, tok));
        if (u === c.uniform(step, tok)) same++;
      }
    }
    assert.equal(same, 0);
    // Order does not matter: a later draw is the same whether or not earlier ones were made.
    assert.equal(new SeededUniforms(42n).uniform(7, 3), a.uniform(7, 3));
  });

  it('are roughly uniform', () => {
    const u = new SeededUniforms(1n);
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 20000; i++) buckets[Math.floor(u.uniform(i, i % 13) * 10)]! += 1;
    for (const n of buckets) assert.ok(n > 1800 && n < 2200, `bucket ${n}`);
  });

  it('rejects seeds outside u64', () => {
    assert.throws(() => new SeededUniforms(-1n), RangeError);
    assert.throws(() => new SeededUniforms(1n << 64n), RangeError);
  });
});

describe('executor sampler', () => {
  it('greedy picks the argmax, lowest id on exact ties', () => {
    assert.equal(chooseToken([1, 3, 3, 2], params(0n, 0), new SeededUniforms(0n), 0), 1);
  });

  it('samples in proportion to softmax(logits / T)', () => {
    const logits = [Math.log(0.5), Math.log(0.3), Math.log(0.2)];
    const counts = [0, 0, 0];
    const u = new SeededUniforms(9n);
    for (let step = 0; step < 6000; step++) counts[chooseToken(logits, params(9n), u, step)]! += 1;
    assert.ok(Math.abs(counts[0]! / 6000 - 0.5) < 0.03, String(counts));
    assert.ok(Math.abs(counts[1]! / 6000 - 0.3) < 0.03, String(counts));
  });

  it('never leaves the top-p nucleus', () => {
    const logits = [Math.log(0.6), Math.log(0.25), Math.log(0.1), Math.log(0.05)];
    const u = new SeededUniforms(3n);
    const seen = new Set<number>();
    for (let step = 0; step < 2000; step++) seen.add(chooseToken(logits, params(3n, 1, 0.8), u, step));
    assert.deepEqual([...seen].sort(), [0, 1]);
  });

  it('topK sorts by value, lower id first on ties, and logSoftmax normalises', () => {
    assert.deepEqual(
      topK([1, 5, 5, 2], 3).map((t) => t.token),
      [1, 2, 3],
    );
    const lp = logSoftmax([1, 2, 3]);
    assert.ok(Math.abs([...lp].reduce((s, v) => s + Math.exp(v), 0) - 1) < 1e-12);
    const t = tokenLogprobs([0, 1, 2], 0, 2);
    assert.equal(t.top[0]?.token, 2);
    assert.equal(t.logprob, lp[0]);
  });

  it('checkChoice accepts the pick, a float near-tie, and rejects a clear miss', () => {
    const u = new SeededUniforms(5n);
    assert.equal(checkChoice([0, 2, 1], 1, params(5n, 0), u, 0), 'exact');
    assert.equal(checkChoice([0, 2, 2 - 1e-5], 2, params(5n, 0), u, 0), 'near-tie');
    assert.equal(checkChoice([0, 2, 1.9], 2, params(5n, 0), u, 0), 'mismatch');
    assert.equal(checkChoice([0, 2, 1], 7, params(5n, 0), u, 0), 'mismatch');
    // Sampled: the winner's Gumbel score ties another's within 1e-3 → accepted either way.
    const row = [0.3, 0.1, -0.2];
    const picked = chooseToken(row, params(5n), u, 4);
    assert.equal(checkChoice(row, picked, params(5n), u, 4), 'exact');
    const other = [0, 1, 2].find((t) => t !== picked)!;
    const g = (t: number) =>
      Math.log(Math.exp(row[t]!) / row.reduce((s, v) => s + Math.exp(v), 0)) + u.gumbel(4, t);
    const nudged = row.slice();
    nudged[other] = row[other]! + (g(picked) - g(other)) - 1e-4; // now 1e-4 below the winner
    assert.equal(checkChoice(nudged, other, params(5n), u, 4), 'near-tie');
    nudged[other] = row[other]! + (g(picked) - g(other)) - 0.05;
    assert.equal(checkChoice(nudged, other, params(5n), u, 4), 'mismatch');
  });

  it('samplerCheck fails on a length mismatch and counts mismatches', () => {
    const rows = [
      [0, 5, 1],
      [4, 0, 1],
    ];
    assert.equal(samplerCheck(rows, [1, 0], params(0n, 0)).pass, true);
    const bad = samplerCheck(rows, [1, 2], params(0n, 0));
    assert.equal(bad.pass, false);
    assert.deepEqual(bad.mismatches, [1]);
    assert.equal(samplerCheck(rows, [1], params(0n, 0)).pass, false);
  });
});

describe('executor top-k similarity', () => {
  const pos = (token: number, lps: [number, number][]): TokenLogprobs => ({
    token,
    logprob: lps.find(([t]) => t === token)?.[1] ?? -9,
    top: lps.map(([t, lp]) => ({ token: t, logprob: lp })),
  });
  const seq = (n: number, shift = 0) =>
    Array.from({ length: n }, (_, i) =>
      pos(i % 3, [
        [i % 3, -0.5 + shift],
        [(i + 1) % 3, -1.5 + shift],
        [(i + 2) % 3, -2.5 + shift],
      ]),
    );

  it('is 1 for identical logprobs and 0 when tokens differ', () => {
    assert.equal(topkSimilarity(seq(128), seq(128)), 1);
    const other = seq(128);
    other[5] = pos(0, [[0, -0.5]]); // seq has token 2 at position 5
    assert.equal(topkSimilarity(seq(128), other), 0);
    assert.equal(topkSimilarity(seq(128), seq(127)), 0);
  });

  it("follows Gonka's formula", () => {
    // Every logprob off by 0.1: per entry |Δ| / (|a| + |b|) / 2, averaged over max(100, n)·k.
    const a = seq(200);
    const b = seq(200, -0.1);
    const expected =
      1 -
      (200 * (0.1 / (0.5 + 0.6 + 1e-6) / 2 + 0.1 / (1.5 + 1.6 + 1e-6) / 2 + 0.1 / (2.5 + 2.6 + 1e-6) / 2)) /
        (200 * 3);
    assert.ok(Math.abs(topkSimilarity(a, b) - expected) < 1e-12);
  });

  it('imputes tokens missing from the executor list below its two lowest', () => {
    const exec = [
      pos(0, [
        [0, -0.5],
        [1, -1.5],
      ]),
    ];
    const val = [
      pos(0, [
        [0, -0.5],
        [1, -1.5],
        [2, -2.5],
      ]),
    ];
    // Imputed −2.5 for token 2 (−1.5 − (−0.5 − −1.5)) → exact match.
    assert.equal(topkSimilarity(exec, val), 1);
  });
});
