// Executor throughput on the demo model against a bare onnxruntime greedy loop over the same
// session (the floor: feeds, run, argmax, nothing else), and validator replay + checks against
// generation of the same output. Runs alternate between variants and report medians of wall time
// and of process CPU time (user + system, all threads): on a shared machine the CPU time is the
// steadier measure of how much work each variant does, so the overhead is quoted on both.
// Run: npx tsc -p tsconfig.json && node dist/test/bench/executor.bench.js
import * as ort from 'onnxruntime-node';
import {
  argmax,
  chooseToken,
  Executor,
  SeededUniforms,
  tokenLogprobs,
} from '../../kernels/executor/index.js';
import { printTable } from './harness.js';

const TOKENS = Number(process.env.BENCH_TOKENS ?? 256);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

const ex = await Executor.load('demo', { threads: 1, log: { info: () => {}, warn: () => {} } });
const { session, shape } = ex.decoder;
const prompt = ex.encodePrompt('Benchmark prompt: ');

/** Greedy decoding written directly against onnxruntime, as lean as a caller can make it. */
async function bareLoop(): Promise<number[]> {
  const { layers, kvHeads, headDim, vocabSize } = shape;
  const past: Record<string, ort.Tensor> = {};
  for (let l = 0; l < layers; l++) {
    past[`past_key_values.${l}.key`] = new ort.Tensor('float32', new Float32Array(0), [
      1,
      kvHeads,
      0,
      headDim,
    ]);
    past[`past_key_values.${l}.value`] = new ort.Tensor('float32', new Float32Array(0), [
      1,
      kvHeads,
      0,
      headDim,
    ]);
  }
  let ids = prompt.map(BigInt);
  let length = 0;
  const out: number[] = [];
  for (let i = 0; i < TOKENS; i++) {
    const s = ids.length;
    const res = await session.run({
      input_ids: new ort.Tensor('int64', BigInt64Array.from(ids), [1, s]),
      attention_mask: new ort.Tensor('int64', new BigInt64Array(length + s).fill(1n), [1, length + s]),
      position_ids: new ort.Tensor(
        'int64',
        BigInt64Array.from({ length: s }, (_, j) => BigInt(length + j)),
        [1, s],
      ),
      ...past,
    });
    const logits = (res.logits as ort.Tensor).data as Float32Array;
    const token = argmax(logits.subarray((s - 1) * vocabSize, s * vocabSize));
    out.push(token);
    for (let l = 0; l < layers; l++) {
      past[`past_key_values.${l}.key`] = res[`present.${l}.key`] as ort.Tensor;
      past[`past_key_values.${l}.value`] = res[`present.${l}.value`] as ort.Tensor;
    }
    length += s;
    ids = [BigInt(token)];
  }
  return out;
}

const greedy = { temperature: 0, topP: 1, seed: 0n, stopAtEos: false, maxTokens: TOKENS };
const sampled = { temperature: 0.8, topP: 0.95, seed: 7n, stopAtEos: false, maxTokens: TOKENS };
const variants: Record<string, () => Promise<unknown>> = {
  'bare onnxruntime loop (greedy)': bareLoop,
  'executor greedy, 0 logprobs': () => ex.generate({ ...greedy, promptTokens: prompt, topLogprobs: 0 }),
  'executor greedy, top-5 logprobs': () => ex.generate({ ...greedy, promptTokens: prompt, topLogprobs: 5 }),
  'executor T=0.8 top-p 0.95, top-5': () => ex.generate({ ...sampled, promptTokens: prompt, topLogprobs: 5 }),
};

// Same tokens from both greedy paths, or the comparison is meaningless.
const bareTokens = await bareLoop();
const exTokens = (await ex.generate({ ...greedy, promptTokens: prompt, topLogprobs: 0 })).tokens;
if (bareTokens.join() !== exTokens.join())
  throw new Error('bare loop and executor disagree on greedy tokens');

const wall = new Map<string, number[]>(Object.keys(variants).map((k) => [k, []]));
const cpu = new Map<string, number[]>(Object.keys(variants).map((k) => [k, []]));
for (let r = 0; r < RUNS; r++) {
  for (const [name, fn] of Object.entries(variants)) {
    const t = process.hrtime.bigint();
    const c = process.cpuUsage();
    await fn();
    const dc = process.cpuUsage(c);
    wall.get(name)?.push(Number(process.hrtime.bigint() - t) / 1e6);
    cpu.get(name)?.push((dc.user + dc.system) / 1e3);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? 0;
const bare = 'bare onnxruntime loop (greedy)';
const bareWall = median(wall.get(bare) ?? []);
const bareCpu = median(cpu.get(bare) ?? []);
const pct = (x: number, base: number) => `${((x / base - 1) * 100).toFixed(1)}%`;
const rows: (string | number)[][] = Object.keys(variants).map((name) => {
  const ms = median(wall.get(name) ?? []);
  const cms = median(cpu.get(name) ?? []);
  return [
    name,
    ((TOKENS / ms) * 1000).toFixed(0),
    ms.toFixed(1),
    pct(ms, bareWall),
    cms.toFixed(1),
    pct(cms, bareCpu),
  ];
});
printTable(
  `Executor generation, demo model (${TOKENS} tokens after a ${prompt.length}-token prompt, 1 intra-op thread, median of ${RUNS})`,
  ['variant', 'tokens/s', 'wall ms', 'wall vs bare', 'CPU ms', 'CPU vs bare'],
  rows,
);

// Validator side: replay the sampled output and run both checks.
const request = { ...sampled, promptTokens: prompt, topLogprobs: 5 };
const gen = await ex.generate(request);
const timed = async (fn: () => Promise<unknown>): Promise<[number, number]> => {
  const t = process.hrtime.bigint();
  const c = process.cpuUsage();
  await fn();
  const dc = process.cpuUsage(c);
  return [Number(process.hrtime.bigint() - t) / 1e6, (dc.user + dc.system) / 1e3];
};
const steps: Record<string, () => Promise<unknown>> = {
  'generation (T=0.8, top-p 0.95, top-5)': () => ex.generate(request),
  'replay only (single pass)': () => ex.replay(prompt, gen.tokens, 5),
  'replay + both checks (verify)': async () => {
    const v = await ex.verify(request, gen.logprobs);
    if (!v.pass) throw new Error('honest output failed verification');
  },
};
const stepWall = new Map<string, number[]>(Object.keys(steps).map((k) => [k, []]));
const stepCpu = new Map<string, number[]>(Object.keys(steps).map((k) => [k, []]));
for (let r = 0; r < RUNS; r++) {
  for (const [name, fn] of Object.entries(steps)) {
    const [w, c] = await timed(fn);
    stepWall.get(name)?.push(w);
    stepCpu.get(name)?.push(c);
  }
}
const genName = 'generation (T=0.8, top-p 0.95, top-5)';
const gW = median(stepWall.get(genName) ?? []);
const gC = median(stepCpu.get(genName) ?? []);
printTable(
  `Validation of a ${TOKENS}-token sampled output (replay with forced tokens + sampler check + top-k similarity), median of ${RUNS}`,
  ['step', 'wall ms', 'wall vs generation', 'CPU ms', 'CPU vs generation'],
  Object.keys(steps).map((name) => {
    const w = median(stepWall.get(name) ?? []);
    const c = median(stepCpu.get(name) ?? []);
    return [name, w.toFixed(1), `${(w / gW).toFixed(2)}×`, c.toFixed(1), `${(c / gC).toFixed(2)}×`];
  }),
);
// The executor's own JS work per token (sampler pick + log-softmax + top-k), timed in isolation on
// real logits rows, against the CPU time of one model step from the bare loop above.
const rowsRes = await ex.decoder.forward(prompt.concat(gen.tokens), ex.decoder.emptyCache());
const rowsForBench = gen.tokens.map((_, i) => ex.decoder.row(rowsRes, prompt.length - 1 + i));
const uniforms = new SeededUniforms(7n);
const perToken = (label: string, work: (row: Float32Array, i: number) => void): (string | number)[] => {
  const reps = 20;
  const c = process.cpuUsage();
  for (let r = 0; r < reps; r++) for (const [i, row] of rowsForBench.entries()) work(row, i);
  const dc = process.cpuUsage(c);
  const us = (dc.user + dc.system) / (reps * rowsForBench.length);
  return [label, us.toFixed(1), `${((us / ((bareCpu * 1000) / TOKENS)) * 100).toFixed(2)}%`];
};
printTable(
  'Executor JS work per token (vocabulary 257), CPU µs, against one bare model step',
  ['work', 'µs/token', 'of a model step'],
  [
    ['greedy pick + logprob (k=0)', (row: Float32Array) => tokenLogprobs(row, argmax(row), 0)] as const,
    ['greedy pick + top-5 logprobs', (row: Float32Array) => tokenLogprobs(row, argmax(row), 5)] as const,
    [
      'T=0.8 top-p 0.95 pick + top-5',
      (row: Float32Array, i: number) => tokenLogprobs(row, chooseToken(row, sampled, uniforms, i), 5),
    ] as const,
  ].map(([label, fn]) => perToken(label, fn)),
);
await ex.close();
