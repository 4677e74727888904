// The executor on the built-in demo model: KV cache vs full recomputation, seeded determinism,
// stop/stream behaviour, and the validation checks against honest output and three cheats.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  chooseToken,
  DEMO_SHAPE,
  Executor,
  ensureDemoModelDir,
  SeededUniforms,
  type TokenLogprobs,
  tokenLogprobs,
} from '../../kernels/executor/index.js';
import { sized } from '../profile.js';

const quiet = { info: () => {}, warn: () => {} };
const OUTPUT_TOKENS = 160; // ≥ 128 positions for the similarity check
const K = 5;

/** Deterministic test inputs (xorshift32). */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

let ex: Executor;
before(async () => {
  ex = await Executor.load('demo', { log: quiet });
});
after(async () => {
  await ex?.close();
});

describe('executor on the demo model', () => {
  it('is peaked: median top-1 probability ≥ 0.3 over sampled outputs', async (t) => {
    const top1: number[] = [];
    for (const prompt of ['Hello', 'The quick brown fox', '{"a": 1}', 'Once upon a time']) {
      const r = await ex.generate({
        promptTokens: ex.encodePrompt(prompt),
        maxTokens: 128,
        temperature: 1,
        topP: 1,
        seed: 11n,
        topLogprobs: 1,
        stopAtEos: false,
      });
      for (const lp of r.logprobs) top1.push(Math.exp(lp.top[0]!.logprob));
    }
    top1.sort((a, b) => a - b);
    const median = top1[top1.length >> 1]!;
    t.diagnostic(`demo model median top-1 probability ${median.toFixed(3)} over ${top1.length} positions`);
    assert.ok(median >= 0.3, `median top-1 ${median}`);
  });

  it('KV-cache logprobs match full recomputation within 1e-4 at every position (50 prompts)', async () => {
    const next = rng(1234);
    const forced = sized(32, 128);
    let worst = 0;
    for (let p = 0; p < 50; p++) {
      const prompt = Array.from({ length: 1 + Math.floor(next() * 40) }, () => Math.floor(next() * 256));
      const tokens = Array.from({ length: forced }, () => Math.floor(next() * DEMO_SHAPE.vocabSize));
      const full = await ex.replay(prompt, tokens, 20, 'single-pass');
      const cached = await ex.replay(prompt, tokens, 20, 'kv-cache');
      for (let i = 0; i < tokens.length; i++) {
        const a = full.logprobs[i]!;
        const b = cached.logprobs[i]!;
        worst = Math.max(worst, Math.abs(a.logprob - b.logprob));
        assert.equal(a.top.length, 20);
        for (let j = 0; j < 20; j++) {
          // Alternatives are compared by token: near-equal ones may swap places.
          const other = b.top.find((x) => x.token === a.top[j]!.token);
          const lp = other?.logprob ?? b.logprob;
          if (other) worst = Math.max(worst, Math.abs(a.top[j]!.logprob - lp));
        }
      }
    }
    assert.ok(worst <= 1e-4, `worst |Δ logprob| ${worst}`);
  });

  it('generation logprobs equal the replay of its own tokens', async () => {
    const req = {
      promptTokens: ex.encodePrompt('abc'),
      maxTokens: 64,
      temperature: 0.7,
      topP: 0.9,
      seed: 5n,
      topLogprobs: 20,
      stopAtEos: false,
    };
    const r = await ex.generate(req);
    const replay = await ex.replay(req.promptTokens, r.tokens, 20);
    for (let i = 0; i < r.tokens.length; i++)
      assert.ok(Math.abs(r.logprobs[i]!.logprob - replay.logprobs[i]!.logprob) <= 1e-4);
  });

  it('the same seed gives byte-identical output; a different seed differs', async () => {
    const run = (seed: bigint) =>
      ex.generate({
        promptTokens: ex.encodePrompt('seeded'),
        maxTokens: 128,
        temperature: 1,
        topP: 0.95,
        seed,
        topLogprobs: K,
        stopAtEos: false,
      });
    const a = await run(77n);
    const b = await run(77n);
    const c = await run(78n);
    assert.equal(JSON.stringify(b), JSON.stringify(a));
    assert.equal(Buffer.from(b.text).equals(Buffer.from(a.text)), true);
    assert.notDeepEqual(c.tokens, a.tokens);
  });

  it('streams one event per token whose deltas add up to the text, and stops at a stop sequence', async () => {
    const events: string[] = [];
    const r = await ex.generate({
      promptTokens: ex.encodePrompt('stream'),
      maxTokens: 100,
      temperature: 0,
      topP: 1,
      seed: 0n,
      topLogprobs: 0,
      stopAtEos: false,
      onToken: (e) => events.push(e.textDelta),
    });
    assert.equal(events.length, r.tokens.length);
    assert.equal(events.join(''), r.text);
    // Pick a stop string from the middle of the greedy output: generation must end right before it.
    const stop = r.text.slice(40, 43);
    const first = r.text.indexOf(stop);
    const streamed: string[] = [];
    const s = await ex.generate({
      promptTokens: ex.encodePrompt('stream'),
      maxTokens: 100,
      temperature: 0,
      topP: 1,
      seed: 0n,
      topLogprobs: 0,
      stopAtEos: false,
      stop: [stop],
      onToken: (e) => streamed.push(e.textDelta),
    });
    assert.equal(s.finishReason, 'stop');
    assert.equal(s.text, r.text.slice(0, first));
    assert.equal(streamed.join(''), s.text);
    assert.ok(s.tokens.length < r.tokens.length);
  });

  it('keeps the event loop free while the model runs', async () => {
    let ticks = 0;
    let running = true;
    const spin = () => {
      ticks++;
      if (running) setImmediate(spin);
    };
    setImmediate(spin);
    const r = await ex.generate({
      promptTokens: ex.encodePrompt('loop'),
      maxTokens: 64,
      temperature: 0,
      topP: 1,
      seed: 0n,
      topLogprobs: 0,
      stopAtEos: false,
    });
    running = false;
    assert.ok(ticks >= r.tokens.length / 2, `${ticks} event-loop turns during ${r.tokens.length} tokens`);
  });

  it('rejects bad requests with clear errors', async () => {
    await assert.rejects(
      Executor.load('/definitely/not/a/model', { log: quiet }),
      /model directory not found/,
    );
    assert.throws(() => ex.encodePrompt(''), /prompt is empty/);
    const base = {
      promptTokens: [1, 2, 3],
      maxTokens: 10,
      temperature: 0,
      topP: 1,
      seed: 0n,
      topLogprobs: 0,
    };
    await assert.rejects(ex.generate({ ...base, promptTokens: [] }), /prompt is empty/);
    await assert.rejects(
      ex.generate({ ...base, maxTokens: DEMO_SHAPE.maxPositions }),
      /max tokens 1024 is over the limit.*at most 1021/,
    );
    await assert.rejects(ex.generate({ ...base, topLogprobs: 21 }), /top logprobs/);
    await assert.rejects(ex.generate({ ...base, promptTokens: [999] }), /outside the vocabulary/);
    await assert.rejects(ex.generate({ ...base, temperature: -1 }), /temperature/);
  });
});

describe('validation checks on demo-model outputs (≥ 128 tokens)', () => {
  const request = {
    temperature: 0.9,
    topP: 0.95,
    seed: 2024n,
    topLogprobs: K,
    maxTokens: OUTPUT_TOKENS,
    stopAtEos: false,
  };
  const prompt = () => ex.encodePrompt('Validate me: ');

  it('an honest output passes both checks', async () => {
    const honest = await ex.generate({ ...request, promptTokens: prompt() });
    assert.ok(honest.tokens.length >= 128);
    const v = await ex.verify({ ...request, promptTokens: prompt() }, honest.logprobs);
    assert.equal(v.sampler.pass, true, JSON.stringify(v.sampler));
    assert.ok(v.similarity > ex.info.validationThreshold, `similarity ${v.similarity}`);
    assert.equal(v.pass, true);
  });

  it('an output sampled with a different seed fails the sampler check', async (t) => {
    const cheat = await ex.generate({ ...request, seed: request.seed + 1n, promptTokens: prompt() });
    const v = await ex.verify({ ...request, promptTokens: prompt() }, cheat.logprobs);
    t.diagnostic(
      `other seed: ${v.sampler.mismatchCount}/${v.sampler.positions} sampler mismatches, similarity ${v.similarity.toFixed(4)}`,
    );
    assert.equal(v.sampler.pass, false);
    assert.equal(v.pass, false);
  });

  it('an output from perturbed logits fails', async (t) => {
    // The cheat samples (with the right seed) from logits + noise and reports those logprobs.
    const { decoder } = ex;
    const noise = rng(99);
    const uniforms = new SeededUniforms(request.seed);
    let step = await decoder.forward(prompt(), decoder.emptyCache());
    const claimed: TokenLogprobs[] = [];
    for (let i = 0; i < OUTPUT_TOKENS; i++) {
      const row = Float32Array.from(decoder.row(step, step.rows - 1), (v) => v + (noise() - 0.5) * 2);
      const token = chooseToken(row, request, uniforms, i);
      claimed.push(tokenLogprobs(row, token, K));
      step = await decoder.forward([token], step.cache);
    }
    const v = await ex.verify({ ...request, promptTokens: prompt() }, claimed);
    t.diagnostic(
      `perturbed logits: ${v.sampler.mismatchCount} sampler mismatches, similarity ${v.similarity.toFixed(4)}`,
    );
    assert.equal(v.pass, false, `sampler ${v.sampler.mismatchCount} mismatches, similarity ${v.similarity}`);
    assert.ok(!v.sampler.pass || !v.similarityPass);
  });

  it("a pre-filled output (another model's tokens, scored by this one) passes similarity but fails the sampler check", async (t) => {
    const cheapDir = ensureDemoModelDir(
      { ...DEMO_SHAPE, hidden: 64, heads: 4, layers: 2, ffn: 256 },
      'a cheaper model',
    );
    const cheap = await Executor.load(cheapDir, { log: quiet });
    try {
      const draft = await cheap.generate({ ...request, promptTokens: prompt() });
      // The cheat scores the cheap tokens with the real model, so its logprobs are genuine.
      const scored = await ex.replay(prompt(), draft.tokens, K);
      const v = await ex.verify({ ...request, promptTokens: prompt() }, scored.logprobs);
      t.diagnostic(
        `pre-fill: ${v.sampler.mismatchCount}/${v.sampler.positions} sampler mismatches, similarity ${v.similarity.toFixed(4)}`,
      );
      assert.ok(
        v.similarityPass,
        `similarity ${v.similarity}: the logprob comparison alone cannot see this cheat`,
      );
      assert.equal(v.sampler.pass, false);
      assert.equal(v.pass, false);
    } finally {
      await cheap.close();
    }
  });
});
