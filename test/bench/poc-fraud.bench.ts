// Issue 13 acceptance 5: FinalizeBlock + Commit time of one fraud proof per class (tiny, devnet),
// and of k per block; the block interval with k proofs ÷ without at the default k.
//  - in-process app on a real persistent store (test/integration/poc-chain.ts), signed txs, the
//    production x/poc handler: ante (signature), checks, recomputation, consequences;
//  - "forgery": a proven forged leaf (FraudRecord, slash, event), one participant each;
//    "honest leaf": a proof that recomputes and fails with poc 25 — same recomputation, and the
//    case an attacker can repeat (it is what fills a block with k proofs here);
//  - block interval model for a single node: timeout_commit + FinalizeBlock + Commit (consensus
//    rounds and gossip are the same with and without proofs and left out), for the devnet
//    profile (timeout_commit 1 s) and the fast test profile (150 ms). The block's cost is the
//    process CPU time of FinalizeBlock + Commit (what it takes on an otherwise idle core: the
//    shared dev machine's wall times swing with its load, shown beside it).
// Run: npx tsc -p tsconfig.json && node dist/test/bench/poc-fraud.bench.js [--runs 7] [--k 3]
import assert from 'node:assert/strict';
import { loadavg } from 'node:os';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import type { Params } from '../../proto/gen/gonka/poc/v1/poc.js';
import {
  DEFAULT_FRAUD_PROOFS_PER_BLOCK,
  FRAUD_PROOF_GAS_DEVNET,
  FRAUD_PROOF_GAS_TINY,
  fraudProvableClasses,
} from '../../x/poc/params.js';
import { PocChain } from '../integration/poc-chain.js';
import { buildTree, commitTree, flipped, fraudProof, type Tree } from '../integration/poc-fraud-helpers.js';
import { ok, sprintOf, sprintParams, update, withSprint } from '../integration/poc-sprint-helpers.js';
import { printTable } from './harness.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const RUNS = Number(arg('runs', '7'));
const K = Number(arg('k', String(DEFAULT_FRAUD_PROOFS_PER_BLOCK)));
const TINY = 1;
const DEVNET = 2;
/** Forging participants (one forgery proof per class each), then the honest one and the prover. */
const FORGERS = RUNS;
const HONEST = FORGERS;
const PROVER = FORGERS + 1;
const EPOCH_LENGTH = 200; // a long window: [validation_start 195, 401)
const GAS = 2_000_000n;
const TIMEOUT_COMMIT_MS = { devnet: 1000, fast: 150 };

function params(): Params {
  return {
    ...sprintParams(EPOCH_LENGTH),
    classes: fraudProvableClasses(),
    fraudProofsPerBlock: K,
    fraudRewardFraction: '0.1',
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function main(): Promise<void> {
  const chain = await PocChain.create({
    weights: Array.from({ length: FORGERS + 1 }, () => 10),
    extraAccounts: 1,
    epochLength: EPOCH_LENGTH,
    appState: withSprint(params()),
  });
  const a = chain.keys.map((k) => k.address);
  try {
    await chain.block();
    await ok(
      chain,
      a.slice(0, FORGERS + 1).map((x, i) => chain.tx(i, [update(x, [TINY, DEVNET])])),
    );
    await chain.runTo(191); // P = next_start 201 − (2 + 2 + 2 + 2 + 2)
    const seed = sprintOf(chain, 1n)!.seed;
    const trees = new Map<string, Tree>();
    for (let i = 0; i <= HONEST; i++)
      for (const [cls, n] of [
        [TINY, 8],
        [DEVNET, 4],
      ] as const)
        trees.set(
          `${i}/${cls}`,
          buildTree(
            cls,
            seed,
            chain.keys[i]!.pubKey,
            n,
            i === HONEST ? undefined : (l, j) => (j === 0 ? flipped(l) : l),
          ),
        );
    await ok(
      chain,
      [...trees].map(([id, t]) => {
        const [i, cls] = id.split('/').map(Number) as [number, number];
        return chain.tx(i, [commitTree(a[i]!, 1n, cls, t)]);
      }),
    );
    await chain.runTo(sprintOf(chain, 1n)!.validationStart);
    const proof = (i: number, cls: number, index: number): Any =>
      fraudProof(trees.get(`${i}/${cls}`)!, {
        prover: a[PROVER]!,
        participant: a[i]!,
        epoch: 1n,
        classId: cls,
        index,
      });
    /** One block of `proofs` (FinalizeBlock + Commit): wall ms and process CPU ms; checks codes. */
    const timed = async (proofs: Any[], code: number): Promise<{ wall: number; cpu: number }> => {
      const txs = proofs.map((p) => chain.tx(PROVER, [p], GAS));
      const c = process.cpuUsage();
      const t = process.hrtime.bigint();
      const r = await chain.block(txs);
      const wall = Number(process.hrtime.bigint() - t) / 1e6;
      const used = process.cpuUsage(c);
      for (const x of r.txResults) assert.equal(x.code, code, x.log);
      return { wall, cpu: (used.user + used.system) / 1000 };
    };
    // warm the JIT and the epoch cache (first proof of a class derives its weights)
    await timed([proof(HONEST, TINY, 1)], 25);
    await timed([proof(HONEST, DEVNET, 1)], 25);
    const rows: (string | number)[][] = [];
    const series: Record<string, number> = {};
    const measure = async (name: string, make: (run: number) => Any[], code: number) => {
      const wall: number[] = [];
      const cpu: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const m = await timed(make(run), code);
        wall.push(m.wall);
        cpu.push(m.cpu);
      }
      series[name] = median(cpu);
      rows.push([
        name,
        make(0).length,
        median(cpu).toFixed(1),
        Math.min(...cpu).toFixed(1),
        Math.max(...cpu).toFixed(1),
        median(wall).toFixed(1),
      ]);
    };
    await measure('empty block', () => [], 0);
    await measure('1 tiny forgery', (run) => [proof(run, TINY, 0)], 0);
    await measure('1 devnet forgery', (run) => [proof(run, DEVNET, 0)], 0);
    await measure('1 tiny honest leaf (poc 25)', (run) => [proof(HONEST, TINY, 1 + (run % 7))], 25);
    await measure('1 devnet honest leaf (poc 25)', (run) => [proof(HONEST, DEVNET, 1 + (run % 3))], 25);
    const kOf = (cls: number, n: number) => () =>
      Array.from({ length: K }, (_, j) => proof(HONEST, cls, 1 + (j % (n - 1))));
    await measure(`k = ${K} tiny (poc 25)`, kOf(TINY, 8), 25);
    await measure(`k = ${K} devnet (poc 25)`, kOf(DEVNET, 4), 25);
    printTable(
      `Fraud proofs: FinalizeBlock + Commit per block, in-process app, ${RUNS} blocks each (gas: tiny ${FRAUD_PROOF_GAS_TINY}, devnet ${FRAUD_PROOF_GAS_DEVNET})`,
      ['block', 'proofs', 'CPU median ms', 'CPU min ms', 'CPU max ms', 'wall median ms'],
      rows,
    );
    const base = series['empty block']!;
    const ratioRows = (['devnet', 'fast'] as const).flatMap((profile) => {
      const tc = TIMEOUT_COMMIT_MS[profile];
      return (['tiny', 'devnet'] as const).map((cls) => {
        const withK = series[`k = ${K} ${cls} (poc 25)`]!;
        return [
          profile,
          tc,
          cls,
          K,
          (tc + base).toFixed(0),
          (tc + withK).toFixed(0),
          ((tc + withK) / (tc + base)).toFixed(2),
        ];
      });
    });
    process.stdout.write(
      `load average at the end: ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}\n`,
    );
    printTable(
      `Block interval model (single node): timeout_commit + CPU of FinalizeBlock + Commit, k = ${K} proofs ÷ none (goal ≤ 1.5 at the default k)`,
      ['profile', 'timeout_commit ms', 'class', 'k', 'without ms', 'with k ms', 'ratio'],
      ratioRows,
    );
  } finally {
    await chain.close();
  }
}

await main();
