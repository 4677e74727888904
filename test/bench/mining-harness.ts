// Shared frame of the benchmarks that divide mining through an ML node (a `gonkad ml start` child,
// as in production) by PocMiner straight into an ArtifactStore (what `gonkad poc mine` runs): the
// command line, the child, the warm-up outside the timed windows, the alternating rounds (so the
// shared machine's load swings hit both sides alike) and the table. Each bench supplies only how
// its side reaches the ML node.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { MlNodeClient } from '../../app/ml/client.js';
import { repoPath } from '../../app/paths.js';
import { ArtifactStore } from '../../kernels/poc/artifacts/store.js';
import { sha256, toHex } from '../../kernels/poc/bytes.js';
import { outputBytes, type PocClass, type PocClassName, pocClass } from '../../kernels/poc/classes.js';
import { PocMiner } from '../../kernels/poc/mining/miner.js';
import { printTable } from './harness.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

const BATCH = 64;
const PUBKEY = Uint8Array.from(
  Buffer.from('0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798', 'hex'),
);

/** What a bench's ML-node side gets: the session's inputs, the node's client and fresh stores. */
export interface MiningRun {
  cls: PocClass;
  clsName: PocClassName;
  workers: number;
  seconds: number;
  batch: number;
  blockHash: Uint8Array;
  pubkey: Uint8Array;
  client: MlNodeClient;
  newStore(): ArtifactStore;
}

export interface MiningComparison {
  /** Seed byte of the block hash, so two benches never mine the same session. */
  blockSeed: number;
  /** Prefix of the scratch folder under the OS temp dir. */
  scratchPrefix: string;
  /** Table title; the common "class …, N workers, batch …, S s per run" is appended. */
  title: string;
  /** Header of the ML-node column (nonces/s). */
  nodeColumn: string;
  /** Mines for run.seconds through the ML node into a fresh store; returns nonces/s in the store. */
  viaNode(run: MiningRun): Promise<number>;
}

async function startMlNode(workers: number): Promise<{ child: ChildProcess; url: string }> {
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

/** Direct-miner baseline: PocMiner into a fresh store for run.seconds; nonces/s in the store. */
async function direct(miner: PocMiner, run: MiningRun): Promise<number> {
  const store = run.newStore();
  const started = performance.now();
  await miner.mine(store, { stop: () => performance.now() - started >= run.seconds * 1000 });
  const rate = store.count / ((performance.now() - started) / 1000);
  store.close();
  return rate;
}

/** Runs the comparison from the command line ([--class devnet] [--workers N] [--seconds S] [--rounds R]). */
export async function compareWithDirectMiner(bench: MiningComparison): Promise<void> {
  const cls = pocClass(arg('class', 'devnet'));
  const workers = Number(arg('workers', String(Math.max(1, availableParallelism()))));
  const seconds = Number(arg('seconds', '10'));
  const rounds = Number(arg('rounds', '2'));
  const blockHash = sha256(Uint8Array.of(bench.blockSeed));
  const scratch = mkdtempSync(join(tmpdir(), bench.scratchPrefix));
  let stores = 0;
  const newStore = () =>
    ArtifactStore.create(join(scratch, `s${stores++}`), {
      class: cls.name,
      blockHash: toHex(blockHash),
      pubkey: toHex(PUBKEY),
      outputBytes: outputBytes(cls),
    });

  const { child, url } = await startMlNode(workers);
  const client = new MlNodeClient(url);
  const clsName = cls.name as PocClassName;
  const run: MiningRun = {
    cls,
    clsName,
    workers,
    seconds,
    batch: BATCH,
    blockHash,
    pubkey: PUBKEY,
    client,
    newStore,
  };
  const miner = await PocMiner.start({ cls, blockHash, pubkey: PUBKEY, workers, batch: BATCH });
  try {
    // Open the ML node's session (and warm both paths) outside the timed windows.
    await client.mine({ blockHash, cls: clsName, pubkey: PUBKEY, start: 0, end: BATCH * workers }, () => {});
    const warm = newStore();
    await miner.mine(warm, { stop: () => false, maxCount: BATCH * workers });
    warm.close();
    const rows: (string | number)[][] = [];
    const ratios: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const loadBefore = loadavg()[0]!.toFixed(1);
      const a = await direct(miner, run);
      const b = await bench.viaNode(run);
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
      `${bench.title}: class ${cls.name}, ${workers} workers, batch ${BATCH}, ${seconds} s per run`,
      ['round', 'PocMiner → store (nonces/s)', bench.nodeColumn, 'ratio', 'load 1 min'],
      rows,
    );
    const mean = ratios.reduce((s, x) => s + x, 0) / ratios.length;
    process.stdout.write(`\nmean ratio: ${mean.toFixed(3)}\n`);
  } finally {
    await miner.close();
    child.kill('SIGTERM');
    rmSync(scratch, { recursive: true, force: true });
  }
}
