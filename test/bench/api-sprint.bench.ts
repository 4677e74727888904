// Sprint mining throughput through the API node (issue 12 acceptance 5, first half): nonces/s
// that the API node's scheduler (app/api/mining.ts: dynamic chunks, two requests in flight per ML
// node) appends in nonce order into an ArtifactStore from a `gonkad ml start` child, divided by
// PocMiner straight into an ArtifactStore (what `gonkad poc mine` runs): same class, workers,
// batch and seconds. Rounds alternate so the shared machine's load swings hit both alike; session
// start-up is outside the timed windows. The chain is not involved: a devnet's Sprint adds only
// polls and a commit every 10 s on the API node's side.
// Run: npx tsc -p tsconfig.json && node dist/test/bench/api-sprint.bench.js [--class devnet]
//      [--workers N] [--seconds S] [--rounds R]
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { mineWithNodes } from '../../app/api/mining.js';
import { MlNodeClient } from '../../app/ml/client.js';
import { repoPath } from '../../app/paths.js';
import { OrderedAppender } from '../../kernels/poc/artifacts/appender.js';
import { ArtifactStore } from '../../kernels/poc/artifacts/store.js';
import { sha256, toHex } from '../../kernels/poc/bytes.js';
import { outputBytes, type PocClassName, pocClass } from '../../kernels/poc/classes.js';
import { PocMiner } from '../../kernels/poc/mining/miner.js';
import { printTable } from './harness.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

const cls = pocClass(arg('class', 'devnet'));
const workers = Number(arg('workers', String(Math.max(1, availableParallelism()))));
const seconds = Number(arg('seconds', '10'));
const rounds = Number(arg('rounds', '2'));
const BATCH = 64;
const BLOCK_HASH = sha256(Uint8Array.of(0x61));
const PUBKEY = Uint8Array.from(
  Buffer.from('0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798', 'hex'),
);
const scratch = mkdtempSync(join(tmpdir(), 'gonka-api-bench-'));
let stores = 0;

function newStore(): ArtifactStore {
  return ArtifactStore.create(join(scratch, `s${stores++}`), {
    class: cls.name,
    blockHash: toHex(BLOCK_HASH),
    pubkey: toHex(PUBKEY),
    outputBytes: outputBytes(cls),
  });
}

async function direct(miner: PocMiner): Promise<number> {
  const store = newStore();
  const started = performance.now();
  await miner.mine(store, { stop: () => performance.now() - started >= seconds * 1000 });
  const rate = store.count / ((performance.now() - started) / 1000);
  store.close();
  return rate;
}

async function throughApiScheduler(client: MlNodeClient): Promise<number> {
  const store = newStore();
  const stop = new AbortController();
  const started = performance.now();
  const flush = setInterval(() => store.flush(), 2000); // as the Sprint driver's commits do
  const timer = setTimeout(() => stop.abort(), seconds * 1000);
  await mineWithNodes([client], {
    blockHash: BLOCK_HASH,
    cls: cls.name as PocClassName,
    pubkey: PUBKEY,
    appender: new OrderedAppender(store),
    maxCount: Number.MAX_SAFE_INTEGER,
    signal: stop.signal,
  });
  clearTimeout(timer);
  clearInterval(flush);
  const rate = store.count / ((performance.now() - started) / 1000);
  store.close();
  return rate;
}

async function startNode(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      repoPath('dist', 'app', 'cli', 'main.js'),
      'ml',
      'start',
      '--listen',
      '127.0.0.1:0',
      '--workers',
      String(workers),
      '--batch',
      String(BATCH),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, GONKA_LOG_LEVEL: 'warn' } },
  );
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve((JSON.parse(out.split('\n')[0]!) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`gonkad ml start exited (${code})`)));
  });
  return { child, url };
}

const { child, url } = await startNode();
const client = new MlNodeClient(url);
const miner = await PocMiner.start({ cls, blockHash: BLOCK_HASH, pubkey: PUBKEY, workers, batch: BATCH });
try {
  await client.mine(
    { blockHash: BLOCK_HASH, cls: cls.name as PocClassName, pubkey: PUBKEY, start: 0, end: BATCH * workers },
    () => {},
  );
  const warm = newStore();
  await miner.mine(warm, { stop: () => false, maxCount: BATCH * workers });
  warm.close();
  const rows: (string | number)[][] = [];
  const ratios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const loadBefore = loadavg()[0]!.toFixed(1);
    const a = await direct(miner);
    const b = await throughApiScheduler(client);
    ratios.push(b / a);
    rows.push([
      r + 1,
      a.toFixed(0),
      b.toFixed(0),
      (b / a).toFixed(3),
      `${loadBefore} → ${loadavg()[0]!.toFixed(1)}`,
    ]);
  }
  printTable(
    `API node scheduler + ML node ÷ PocMiner → ArtifactStore: class ${cls.name}, ${workers} workers, batch ${BATCH}, ${seconds} s per run`,
    ['round', 'PocMiner → store (nonces/s)', 'API node ← ML node → store (nonces/s)', 'ratio', 'load 1 min'],
    rows,
  );
  const mean = ratios.reduce((s, x) => s + x, 0) / ratios.length;
  process.stdout.write(`\nmean ratio: ${mean.toFixed(3)}\n`);
} finally {
  await miner.close();
  child.kill('SIGTERM');
  rmSync(scratch, { recursive: true, force: true });
}
