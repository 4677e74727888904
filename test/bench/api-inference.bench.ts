// Paid inference overhead (issue 14, acceptance 6): tokens/s of streamed chat completions through
// the API node (the `openai` client → TA → executor role → ML node over HTTP → back as SSE),
// 4 concurrent, ÷ tokens/s of the same Executor called directly with 4 concurrent requests run
// one at a time, as the ML node runs them. Goal ≥ 0.9. Also the time to first token of a
// single request, both ways, and the difference (what the API path adds). The ML node runs in its
// own process as deployed; "ML node alone" (its client, no API node) separates its share. The chain is a fake
// view and the broadcaster a sink: the chain's own cost per inference is the settle bench's.
// Runs alternate between the variants; medians reported.
// Run: npx tsc -p tsconfig.json && node dist/test/bench/api-inference.bench.js
// (BENCH_RUNS, BENCH_TOKENS, BENCH_CONCURRENCY to change the sizes.)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { mlNodeBackend } from '../../app/api/openai/protocol.js';
import { promptText } from '../../app/api/openai/ta.js';
import { MlNodeClient } from '../../app/ml/client.js';
import { repoPath } from '../../app/paths.js';
import { DEMO_ARTIFACT_HASH, Executor } from '../../kernels/executor/index.js';
import { inferenceSeed } from '../../x/inference/seed.js';
import { keyOf, MODEL, startNode } from '../integration/api-openai-helpers.js';
import { printTable } from './harness.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TOKENS = Number(process.env.BENCH_TOKENS ?? 128);
const CONC = Number(process.env.BENCH_CONCURRENCY ?? 4);
const messages = [{ role: 'user' as const, content: 'Write a long story about a benchmark.' }];

const dir = mkdtempSync(join(tmpdir(), 'api-inference-bench-'));
const ex = await Executor.load('demo', { log: { info: () => {}, warn: () => {} } });
const served = { artifactHash: DEMO_ARTIFACT_HASH };
// The ML node is its own process, as deployed (`gonkad ml start --model demo`).
const ml = spawn(
  process.execPath,
  [
    repoPath('dist', 'app', 'cli', 'main.js'),
    'ml',
    'start',
    '--model',
    'demo',
    '--listen',
    '127.0.0.1:0',
    '--workers',
    '1',
  ],
  { stdio: ['ignore', 'pipe', 'ignore'] },
);
const mlUrl = await new Promise<string>((resolve, reject) => {
  let out = '';
  ml.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    const line = out.split('\n').find((l) => l.includes('"url"'));
    if (line) resolve((JSON.parse(line) as { url: string }).url);
  });
  ml.once('exit', (c) => reject(new Error(`ML node exited with ${c}`)));
});
const mlClient = new MlNodeClient(mlUrl);
const node = await startNode({
  backend: mlNodeBackend(mlClient),
  artifactHex: served.artifactHash,
  payloadDir: join(dir, 'payloads'),
  idleTimeoutMs: 60_000,
  startTimeoutMs: 600_000,
});
const dev = keyOf('bench developer');
node.view.addKey('sk-bench', dev.address, node.address, 10n ** 18n);
node.view.balances.set(dev.address, 10n ** 18n);
const client = new OpenAI({ baseURL: `${node.url}/v1`, apiKey: 'sk-bench', maxRetries: 0, timeout: 600_000 });
const promptTokens = ex.tokenizer.encode(promptText(ex.tokenizer, messages));
let serial = 0;

/** Direct generations queue one after another, as the ML node runs them (one ORT session per
 *  model, one request at a time): the baseline is the executor's own rate, so the ratio is what
 *  the HTTP hops, the TA and the SSE cost. `directParallel` lets ORT interleave the 4 (not what an
 *  ML node does), reported for reference. */
let tail: Promise<unknown> = Promise.resolve();
function direct(t0: number): Promise<[number, number]> {
  const p = tail.then(() => directParallel(t0));
  tail = p.catch(() => {});
  return p;
}

async function directParallel(t0: number): Promise<[number, number]> {
  let first = 0;
  const r = await ex.generate({
    promptTokens,
    maxTokens: TOKENS,
    temperature: 1,
    topP: 1,
    seed: inferenceSeed(`inf-bench-${serial++}`),
    topLogprobs: 5,
    onToken: () => {
      if (first === 0) first = performance.now() - t0;
    },
  });
  return [r.tokens.length, first];
}

/** One generation on the ML node through its own client (no API node): the ML node's share. */
async function viaMlNode(t0: number): Promise<[number, number]> {
  let first = 0;
  const done = await mlClient.generate(
    {
      model: MODEL,
      artifactHash: served.artifactHash,
      promptTokens,
      maxTokens: TOKENS,
      temperature: 1,
      topP: 1,
      seed: inferenceSeed(`inf-bench-${serial++}`),
      topLogprobs: 5,
    },
    () => {
      if (first === 0) first = performance.now() - t0;
    },
  );
  return [done.completion_tokens, first];
}

/** One streamed completion through the API; resolves with [tokens, ms to first token]. */
async function viaApi(t0: number): Promise<[number, number]> {
  let first = 0;
  let tokens = 0;
  const s = await client.chat.completions.create({
    model: MODEL,
    messages,
    max_tokens: TOKENS,
    stream: true,
    stream_options: { include_usage: true },
  });
  for await (const c of s) {
    if (first === 0 && c.choices[0]?.delta.content !== undefined && c.choices[0].delta.role === undefined)
      first = performance.now() - t0;
    if (c.usage) tokens = c.usage.completion_tokens;
  }
  return [tokens, first];
}

async function throughput(fn: (t0: number) => Promise<[number, number]>): Promise<number> {
  const t0 = performance.now();
  const rs = await Promise.all(Array.from({ length: CONC }, () => fn(t0)));
  const tokens = rs.reduce((n, [t]) => n + t, 0);
  return (tokens / (performance.now() - t0)) * 1000;
}

async function ttft(fn: (t0: number) => Promise<[number, number]>): Promise<number> {
  return (await fn(performance.now()))[1];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
await throughput(direct); // warm-up both paths (ORT, JIT, sockets)
await throughput(viaApi);
await throughput(viaMlNode);
const d: number[] = [];
const a: number[] = [];
const dp: number[] = [];
const m: number[] = [];
const mt: number[] = [];
const dt: number[] = [];
const at: number[] = [];
for (let i = 0; i < RUNS; i++) {
  d.push(await throughput(direct));
  dp.push(await throughput(directParallel));
  m.push(await throughput(viaMlNode));
  mt.push(await ttft(viaMlNode));
  a.push(await throughput(viaApi));
  dt.push(await ttft(direct));
  at.push(await ttft(viaApi));
}
const ratios = d.map((x, i) => (a[i] ?? 0) / x);
printTable(
  `Paid inference: streamed /v1/chat/completions (${CONC} concurrent, max_tokens ${TOKENS}, prompt ${promptTokens.length} tokens) vs Executor alone, demo model, median of ${RUNS}`,
  ['path', 'tokens/s', 'time to first token (ms)'],
  [
    [
      'Executor alone, one request at a time (as the ML node runs them)',
      median(d).toFixed(1),
      median(dt).toFixed(2),
    ],
    ['Executor alone, 4 interleaved in one session (reference)', median(dp).toFixed(1), ''],
    ['ML node alone (its HTTP client; separate process)', median(m).toFixed(1), median(mt).toFixed(2)],
    ['API node → ML node (SSE, openai client)', median(a).toFixed(1), median(at).toFixed(2)],
    [
      'API ÷ ML node alone (median of per-run ratios)',
      median(a.map((x, i) => x / (m[i] ?? 1))).toFixed(3),
      '',
    ],
    ['API ÷ Executor (median of per-run ratios; goal ≥ 0.9)', median(ratios).toFixed(3), ''],
    ['added time to first token', '', (median(at) - median(dt)).toFixed(2)],
  ],
);
await node.app.close();
ml.kill('SIGTERM');
await ex.close();
rmSync(dir, { recursive: true, force: true });
