// Store commit cost vs state size (issue 2, acceptance 7): blocks of 1,000 writes (half inserts of
// new keys, half updates of existing ones) on states of 10k, 100k and 1M keys. Per block we time
// the writes (through a branch, as txs do), workingHash() (dirty-path rehash) and commit() (snapshot
// + the synced classic-level batch); the table shows medians over several blocks, the 1M/10k ratio
// of the total, and the time to load each state at start (open()).
// Sizes: GONKA_BENCH_STORE_SIZES=10000,100000 to run fewer.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PersistentMultiStore } from '../../app/runtime/store/index.js';
import { printTable } from './harness.js';

const sizes = (process.env.GONKA_BENCH_STORE_SIZES ?? '10000,100000,1000000').split(',').map(Number);
const BLOCKS = 9;
const WRITES = 1000;
const STORES = ['bank', 'acc'];

let seed = 12345;
function rand(n: number): number {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed % n;
}
const keyOf = (i: number) => Buffer.from(`balances/gonka1${i.toString(16).padStart(38, '0')}`);
const valueOf = (i: number, v: number) => Buffer.from(`{"denom":"ngonka","amount":"${i * 1000 + v}"}`);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}
const ms = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;
const gc = (globalThis as { gc?: () => void }).gc;

const rows: (string | number)[][] = [];
const totals = new Map<number, number>();
for (const size of sizes) {
  const dir = mkdtempSync(join(tmpdir(), 'gonka-store-bench-'));
  try {
    // Build without history (keepRecent 1), so the load below rebuilds only the timed blocks' versions.
    let cms = await PersistentMultiStore.open(dir, STORES, { keepRecent: 1 });
    const buildStart = process.hrtime.bigint();
    const chunk = 100_000;
    for (let i = 0; i < size; i++) {
      cms.getStore(STORES[i % 2] as string).set(keyOf(i), valueOf(i, 0));
      if ((i + 1) % chunk === 0 || i === size - 1) await cms.commit();
    }
    const buildMs = ms(buildStart);
    await cms.close();
    gc?.();
    cms = await PersistentMultiStore.open(dir, STORES);

    let next = size;
    const writes: number[] = [];
    const hashes: number[] = [];
    const commits: number[] = [];
    const total: number[] = [];
    for (let b = 0; b < BLOCKS; b++) {
      gc?.();
      const t0 = process.hrtime.bigint();
      const block = cms.branch();
      for (let w = 0; w < WRITES; w++) {
        const i = w % 2 === 0 ? next++ : rand(size);
        block.getStore(STORES[i % 2] as string).set(keyOf(i), valueOf(i, b + 1));
      }
      block.write();
      const t1 = process.hrtime.bigint();
      cms.workingHash();
      const t2 = process.hrtime.bigint();
      await cms.commit();
      const t3 = process.hrtime.bigint();
      writes.push(Number(t1 - t0) / 1e6);
      hashes.push(Number(t2 - t1) / 1e6);
      commits.push(Number(t3 - t2) / 1e6);
      total.push(Number(t3 - t0) / 1e6);
    }
    await cms.close();
    // Load at start: the whole state plus the retained versions of the timed blocks.
    gc?.();
    const loadStart = process.hrtime.bigint();
    cms = await PersistentMultiStore.open(dir, STORES);
    const loadMs = ms(loadStart);
    await cms.close();
    totals.set(size, median(total));
    const mem = process.memoryUsage().heapUsed / 2 ** 20;
    rows.push([
      size.toLocaleString('en-US'),
      median(writes).toFixed(1),
      median(hashes).toFixed(1),
      median(commits).toFixed(1),
      median(total).toFixed(1),
      (buildMs / 1000).toFixed(1),
      (loadMs / 1000).toFixed(2),
      mem.toFixed(0),
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

printTable(
  `Store: ${WRITES} writes per block (half new keys), median of ${BLOCKS} blocks, ms`,
  ['keys', 'writes', 'workingHash', 'commit (batch, sync)', 'total', 'build state (s)', 'load at start (s)', 'heap MiB'],
  rows,
);
const small = totals.get(10_000);
const large = totals.get(1_000_000);
if (small !== undefined && large !== undefined) {
  process.stdout.write(`\n1M/10k total ratio: ${(large / small).toFixed(2)} (goal < 3)\n`);
}
