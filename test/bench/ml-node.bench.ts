// ML node throughput (issue 12): nonces/s mined through `gonkad ml start` (a child process, as in
// production) and MlNodeClient, appended in nonce order into an ArtifactStore the way an API node
// does, divided by PocMiner straight into an ArtifactStore (what `gonkad poc mine` runs): same
// class, workers, batch and seconds. Rounds alternate direct / ML node so the shared machine's load
// swings hit both alike; session start-up is outside the timed window on both sides.
// Run: npx tsc -p tsconfig.json && node dist/test/bench/ml-node.bench.js [--class devnet]
//      [--workers N] [--seconds S] [--rounds R]
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
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
/** Nonces per mine request; two requests in flight so the node never waits for the next one. */
const CHUNK = 20_000;
const BLOCK_HASH = sha256(Uint8Array.of(0x62));
const PUBKEY = Uint8Array.from(
  Buffer.from('0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798', 'hex'),
);
const scratch = mkdtempSync(join(tmpdir(), 'gonka-ml-bench-'));
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

async function throughNode(client: MlNodeClient): Promise<number> {
  const store = newStore();
  const appender = new OrderedAppender(store);
  let next = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const lane = async () => {
    while (performance.now() < deadline) {
      const start = next;
      next += CHUNK;
      await client.mine(
        { blockHash: BLOCK_HASH, cls: cls.name as PocClassName, pubkey: PUBKEY, start, end: next },
        (first, outputs) => appender.add(first, outputs),
      );
    }
  };
  const timer = setTimeout(() => void client.stop(), seconds * 1000);
  await Promise.all([lane(), lane()]);
  clearTimeout(timer);
  // What reached the store in order; a stopped range leaves a gap the next request would fill.
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
  // Open the ML node's session (and warm both paths) outside the timed windows.
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
    const b = await throughNode(client);
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
    `ML node + client ÷ PocMiner → ArtifactStore: class ${cls.name}, ${workers} workers, batch ${BATCH}, ${seconds} s per run`,
    ['round', 'PocMiner → store (nonces/s)', 'ML node → client → store (nonces/s)', 'ratio', 'load 1 min'],
    rows,
  );
  const mean = ratios.reduce((s, x) => s + x, 0) / ratios.length;
  process.stdout.write(`\nmean ratio: ${mean.toFixed(3)}\n`);
} finally {
  await miner.close();
  child.kill('SIGTERM');
  rmSync(scratch, { recursive: true, force: true });
}
