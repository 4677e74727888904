// Store commit cost vs state size (issue 2, acceptance 7): blocks of 1,000 writes (half inserts of
// new keys, half updates of existing ones) on states of 10k, 100k and 1M keys. Per block we time
// the writes (through a branch, as txs do), workingHash() (dirty-path rehash) and commit() (snapshot
// + the synced classic-level batch). All states are built first and the blocks then alternate
// between them, so load from other processes on a shared machine hits every size alike. The table
// shows medians (wall and process CPU time), the 1M/10k ratio of the total, and the time to load
// each state at start (open(), which also rebuilds the timed blocks' retained versions).
// Sizes: GONKA_BENCH_STORE_SIZES=10000,100000 to run fewer.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PersistentMultiStore } from '../../app/runtime/store/index.js';
import { printTable } from './harness.js';

const sizes = (process.env.GONKA_BENCH_STORE_SIZES ?? '10000,100000,1000000').split(',').map(Number);
const BLOCKS = 15;
const WRITES = 1000;
const STORES = ['bank', 'acc'];

let seed = 12345;
function rand(n: number): number {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed % n;
}
const keyOf = (i: number) => Buffer.from(`balances/gonka1${i.toString(16).padStart(38, '0')}`);
const balanceOf = (i: number, v: number) => Buffer.from(`{"denom":"ngonka","amount":"${i * 1000 + v}"}`);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}
const since = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;
const gc = (globalThis as { gc?: () => void }).gc;

interface Run {
  size: number;
  dir: string;
  cms: PersistentMultiStore;
  next: number;
  buildS: number;
  writes: number[];
  hash: number[];
  commit: number[];
  total: number[];
  cpu: number[];
  loadS: number;
}

const runs: Run[] = [];
for (const size of sizes) {
  const dir = mkdtempSync(join(tmpdir(), 'gonka-store-bench-'));
  // Build without history (keepRecent 1): the load measured at the end then rebuilds only the
  // timed blocks' versions, as a node restarting with a normal history would.
  let cms = await PersistentMultiStore.open(dir, STORES, { keepRecent: 1 });
  const t = process.hrtime.bigint();
  for (let i = 0; i < size; i++) {
    cms.getStore(STORES[i % 2] as string).set(keyOf(i), balanceOf(i, 0));
    if ((i + 1) % 100_000 === 0 || i === size - 1) await cms.commit();
  }
  const buildS = since(t) / 1000;
  await cms.close();
  cms = await PersistentMultiStore.open(dir, STORES);
  runs.push({
    size,
    dir,
    cms,
    next: size,
    buildS,
    writes: [],
    hash: [],
    commit: [],
    total: [],
    cpu: [],
    loadS: 0,
  });
}

for (let b = 0; b < BLOCKS; b++) {
  for (const run of runs) {
    gc?.();
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const block = run.cms.branch();
    for (let w = 0; w < WRITES; w++) {
      const i = w % 2 === 0 ? run.next++ : rand(run.size);
      block.getStore(STORES[i % 2] as string).set(keyOf(i), balanceOf(i, b + 1));
    }
    block.write();
    const t1 = process.hrtime.bigint();
    run.cms.workingHash();
    const t2 = process.hrtime.bigint();
    await run.cms.commit();
    const t3 = process.hrtime.bigint();
    const cpu = process.cpuUsage(cpu0);
    run.writes.push(Number(t1 - t0) / 1e6);
    run.hash.push(Number(t2 - t1) / 1e6);
    run.commit.push(Number(t3 - t2) / 1e6);
    run.total.push(Number(t3 - t0) / 1e6);
    run.cpu.push((cpu.user + cpu.system) / 1000);
  }
}

for (const run of runs) {
  await run.cms.close();
  gc?.();
  const t = process.hrtime.bigint();
  run.cms = await PersistentMultiStore.open(run.dir, STORES);
  run.loadS = since(t) / 1000;
  await run.cms.close();
  rmSync(run.dir, { recursive: true, force: true });
}

printTable(
  `Store: ${WRITES} writes per block (half new keys), median of ${BLOCKS} blocks per size (interleaved), ms`,
  [
    'keys',
    'writes',
    'workingHash',
    'commit (batch, sync)',
    'total',
    'total CPU',
    'build state (s)',
    'load at start (s)',
  ],
  runs.map((r) => [
    r.size.toLocaleString('en-US'),
    median(r.writes).toFixed(1),
    median(r.hash).toFixed(1),
    median(r.commit).toFixed(1),
    median(r.total).toFixed(1),
    median(r.cpu).toFixed(1),
    r.buildS.toFixed(1),
    r.loadS.toFixed(2),
  ]),
);
const small = runs.find((r) => r.size === 10_000);
const large = runs.find((r) => r.size === 1_000_000);
if (small !== undefined && large !== undefined) {
  const wall = median(large.total) / median(small.total);
  const cpu = median(large.cpu) / median(small.cpu);
  process.stdout.write(
    `\n1M/10k ratio: total wall ${wall.toFixed(2)}, total CPU ${cpu.toFixed(2)} (goal < 3)\n`,
  );
}
