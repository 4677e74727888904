// Inference through the ML node against Executor.generate alone, demo model: tokens/s of 4
// concurrent streams through a `gonkad ml start --model demo` child process (HTTP ndjson over
// loopback, MlNodeClient checking every line) against the same 4 requests run one after another
// on an Executor in this process (the node runs them one at a time too: one ORT session per
// model), and the time to first token each way for a single request. Rounds alternate between the
// two so machine load hits both alike; medians. CPU time per token (this process, plus the node's
// from /proc on Linux) is reported too: on a shared machine it is steadier than wall time. The API node's figures (through /v1/chat/completions)
// are api-infer's bench.
// Run: npx tsc -p tsconfig.json && node dist/test/bench/ml-inference.bench.js
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { type InferenceRequest, MlNodeClient } from '../../app/ml/client.js';
import { DEMO_MODEL_ID } from '../../app/ml/inference.js';
import { repoPath } from '../../app/paths.js';
import { DEMO_ARTIFACT_HASH } from '../../kernels/executor/artifactHash.js';
import { Executor } from '../../kernels/executor/executor.js';
import { printTable } from './harness.js';

const TOKENS = Number(process.env.BENCH_TOKENS ?? 256);
const ROUNDS = Number(process.env.BENCH_RUNS ?? 5);
const STREAMS = 4;

const ex = await Executor.load('demo', { threads: 1, log: { info: () => {}, warn: () => {} } });
const prompt = ex.encodePrompt('Benchmark prompt: ');
const req = (seed: number, maxTokens = TOKENS): InferenceRequest => ({
  model: DEMO_MODEL_ID,
  artifactHash: DEMO_ARTIFACT_HASH,
  promptTokens: prompt,
  maxTokens,
  temperature: 0.8,
  topP: 0.95,
  seed: BigInt(seed),
  topLogprobs: 5, // what an executor always records
  vocabSize: ex.info.vocabSize,
});

const child = spawn(
  process.execPath,
  [
    repoPath('dist', 'app', 'cli', 'main.js'),
    'ml',
    'start',
    '--listen',
    '127.0.0.1:0',
    '--workers',
    '1',
    '--model',
    'demo',
  ],
  { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, GONKA_LOG_LEVEL: 'warn' } },
);
const url = await new Promise<string>((resolve, reject) => {
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
    if (out.includes('\n')) resolve((JSON.parse(out.split('\n')[0] as string) as { url: string }).url);
  });
  child.once('exit', (code) => reject(new Error(`ML node exited (${code})`)));
});
const client = new MlNodeClient(url);

/** CPU ms used so far by the ML node child (Linux /proc; NaN elsewhere). */
function childCpuMs(): number {
  try {
    const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime, USER_HZ = 100
  } catch {
    return Number.NaN;
  }
}
const selfCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e3;
};

async function direct(r: InferenceRequest): Promise<{ tokens: number; ttftMs: number }> {
  const t0 = performance.now();
  let ttft = 0;
  const res = await ex.generate({
    ...r,
    onToken: (e) => {
      if (e.index === 0) ttft = performance.now() - t0;
    },
  });
  return { tokens: res.tokens.length, ttftMs: ttft };
}

async function viaNode(r: InferenceRequest): Promise<{ tokens: number; ttftMs: number }> {
  const t0 = performance.now();
  let ttft = 0;
  const done = await client.generate(r, (l) => {
    if (l.index === 0) ttft = performance.now() - t0;
  });
  return { tokens: done.completion_tokens, ttftMs: ttft };
}

// Same seeds both ways: the same tokens (the integration test checks equality), so the same work.
const directRate: number[] = [];
const nodeRate: number[] = [];
const directTtft: number[] = [];
const nodeTtft: number[] = [];
const directCpu: number[] = [];
const nodeCpu: number[] = [];
await viaNode(req(0, 8)); // warm the node's session and the connection
for (let round = 0; round < ROUNDS; round++) {
  let t = performance.now();
  let c = selfCpuMs();
  let tokens = 0;
  for (let s = 0; s < STREAMS; s++) tokens += (await direct(req(s))).tokens;
  directRate.push((tokens / (performance.now() - t)) * 1000);
  directCpu.push(((selfCpuMs() - c) / tokens) * 1000);

  t = performance.now();
  c = selfCpuMs() + childCpuMs();
  const results = await Promise.all(Array.from({ length: STREAMS }, (_, s) => viaNode(req(s))));
  tokens = results.reduce((a, b) => a + b.tokens, 0);
  nodeRate.push((tokens / (performance.now() - t)) * 1000);
  nodeCpu.push(((selfCpuMs() + childCpuMs() - c) / tokens) * 1000);

  // Time to first token of a lone request (no queue wait), each way.
  directTtft.push((await direct(req(100 + round, 4))).ttftMs);
  nodeTtft.push((await viaNode(req(100 + round, 4))).ttftMs);
}
child.kill('SIGTERM');
await ex.close();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? 0;
const dr = median(directRate);
const nr = median(nodeRate);
const dt = median(directTtft);
const nt = median(nodeTtft);
printTable(
  `Inference through the ML node vs Executor alone, demo model (${STREAMS} requests × ${TOKENS} tokens, T=0.8, top-p 0.95, top-5 logprobs, ${prompt.length}-token prompt, median of ${ROUNDS} rounds)`,
  ['path', 'tokens/s', 'CPU ms per 1000 tokens', 'time to first token ms'],
  [
    [
      'Executor.generate, 4 requests one after another',
      dr.toFixed(0),
      median(directCpu).toFixed(0),
      dt.toFixed(2),
    ],
    [
      `ML node child process, ${STREAMS} concurrent streams (node + client CPU)`,
      nr.toFixed(0),
      median(nodeCpu).toFixed(0),
      nt.toFixed(2),
    ],
  ],
);
process.stdout.write(
  `\nthrough the node ÷ alone: ${(nr / dr).toFixed(3)} tokens/s, ${(median(nodeCpu) / median(directCpu)).toFixed(3)} CPU per token; added time to first token: ${(nt - dt).toFixed(2)} ms\n`,
);
process.stdout.write(
  `per round (alone / node tokens/s): ${directRate.map((d, i) => `${d.toFixed(0)}/${(nodeRate[i] ?? 0).toFixed(0)}`).join(', ')}\n`,
);
