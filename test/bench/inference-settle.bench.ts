// Inferences settled per second by the chain (issue 14 acceptance 6, last part): the production
// app in process, blocks driven through ABCI FinalizeBlock + Commit with pre-signed txs. Batched:
// each block carries, from each of 4 transfer agents, one tx of BENCH_BATCH MsgStartInference
// (bearer-key escrow) and, from each of 4 executors, one tx of BENCH_BATCH MsgFinishInference for
// the inferences started in the block before — so a block settles as many as it starts, every
// Finish moves cost to the executor and refunds the rest. Unbatched (Gonka's legacy shape, one
// msg per tx): the same with single-msg txs. Signing is outside the timed part; signature checks
// in FinalizeBlock are inside it. Gonka's legacy ceiling (3 txs per inference) is ≈ 277/s.
// Run: npx tsc -p tsconfig.json && node dist/test/bench/inference-settle.bench.js
// Sizes: BENCH_INFERENCES (default 16000), BENCH_BATCH (default 250 msgs per tx); BENCH_SINGLE=0
// skips the one-msg-per-tx row.
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { InferenceStatus } from '../../proto/gen/gonka/inference/v1/inference.js';
import { inferenceParams, inferenceParamsToJson } from '../../x/inference/params.js';
import {
  demoModelJson,
  finishMsg,
  inferenceOf,
  registerKeyMsg,
  sha,
  startMsg,
} from '../integration/inference-helpers.js';
import { accountOf, signTx, TestChain } from '../integration/tx-harness.js';
import { machineLine, printTable } from './harness.js';

const TOTAL = Number(process.env.BENCH_INFERENCES ?? 16_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 250);
const LANES = 4; // transfer agents = executors = developers
const GAS_PER_MSG = 120_000n;

async function chainFor(): Promise<TestChain> {
  // keys: 0..3 transfer agents, 4..7 executors (participants), 8..11 developers
  let keys: string[] = [];
  const chain = await TestChain.create({
    accounts: 3 * LANES,
    seed: 'inference-bench',
    balance: 10n ** 15n,
    appState: (s) => {
      keys = (s.bank.balances as { address: string }[]).map((b) => b.address);
      s.poc = {
        ...(s.poc ?? {}),
        participants: keys.slice(LANES, 2 * LANES).map((address, i) => ({
          address,
          consensus_pubkey: sha(`bench-validator-${i}`).toString('base64'),
          weight: '10',
          classes: [1],
        })),
      };
      s.inference = {
        params: {
          ...inferenceParamsToJson(inferenceParams('devnet')),
          max_inference_msgs_per_block: 100_000,
        },
        models: [demoModelJson()],
      };
    },
  });
  // each developer grants its lane's transfer agent a key
  const regs: Uint8Array[] = [];
  for (let l = 0; l < LANES; l++) {
    const dev = chain.keys[2 * LANES + l]!;
    const a = accountOf(chain, dev.address);
    regs.push(
      signTx(dev, {
        msgs: [registerKeyMsg(dev.address, `bench-key-${l}`, chain.keys[l]!.address, 10n ** 14n)],
        sequence: a.sequence,
        accountNumber: a.accountNumber,
      }),
    );
  }
  const r = await chain.block(regs);
  for (const t of r.txResults) if (t.code !== 0) throw new Error(t.log);
  return chain;
}

interface Plan {
  blocks: Uint8Array[][];
  settled: number;
}

/** Pre-signs the whole run: block b starts round b and finishes round b − 1. */
function plan(chain: TestChain, perTx: number, rounds: number, tag: string): Plan {
  const seq = new Map<number, bigint>();
  const nums = new Map<number, bigint>();
  for (let i = 0; i < 2 * LANES; i++) {
    const a = accountOf(chain, chain.keys[i]!.address);
    seq.set(i, a.sequence);
    nums.set(i, a.accountNumber);
  }
  const sign = (i: number, msgs: Any[]) => {
    const s = seq.get(i)!;
    seq.set(i, s + 1n);
    const gas = GAS_PER_MSG * BigInt(msgs.length) + 100_000n;
    return signTx(chain.keys[i]!, { msgs, sequence: s, accountNumber: nums.get(i)!, gas, fee: gas / 10n });
  };
  const perLane = perTx; // inferences per lane per round
  const txsPerLane = Math.max(1, Math.floor(perLane / perTx));
  const id = (r: number, l: number, j: number) => `inf-${tag}-${r}-${l}-${j}`;
  const blocks: Uint8Array[][] = [];
  for (let r = 0; r <= rounds; r++) {
    const txs: Uint8Array[] = [];
    for (let l = 0; l < LANES; l++) {
      const ta = chain.keys[l]!.address;
      const ex = chain.keys[LANES + l]!.address;
      const dev = chain.keys[2 * LANES + l]!.address;
      for (let t = 0; t < txsPerLane; t++) {
        if (r < rounds) {
          const starts: Any[] = [];
          for (let j = t * perTx; j < (t + 1) * perTx; j++)
            starts.push(
              startMsg({
                id: id(r, l, j),
                ta,
                dev,
                executor: ex,
                prompt: 20n,
                max: 100n,
                secret: `bench-key-${l}`,
              }),
            );
          txs.push(sign(l, starts));
        }
        if (r > 0) {
          const finishes: Any[] = [];
          for (let j = t * perTx; j < (t + 1) * perTx; j++)
            finishes.push(finishMsg({ id: id(r - 1, l, j), ta, executor: ex, prompt: 20n, completion: 60n }));
          txs.push(sign(LANES + l, finishes));
        }
      }
    }
    blocks.push(txs);
  }
  return { blocks, settled: rounds * LANES * perLane };
}

async function run(chain: TestChain, p: Plan, tag: string): Promise<{ ms: number; cpuMs: number }> {
  const c = process.cpuUsage();
  const t = performance.now();
  for (const txs of p.blocks) {
    const res = await chain.block(txs);
    for (const r of res.txResults) if (r.code !== 0) throw new Error(`${tag}: tx failed: ${r.log}`);
  }
  const ms = performance.now() - t;
  const d = process.cpuUsage(c);
  return { ms, cpuMs: (d.user + d.system) / 1000 };
}

const rows: (string | number)[][] = [];
{
  const chain = await chainFor();
  // warm-up: a few rounds so the JIT and the store caches are in steady state
  await run(chain, plan(chain, BATCH, 2, 'warm'), 'warm-up');
  const rounds = Math.max(1, Math.round(TOTAL / (LANES * BATCH)));
  const p = plan(chain, BATCH, rounds, 'batched');
  const r = await run(chain, p, 'batched');
  const last = inferenceOf(chain, `inf-batched-${rounds - 1}-0-0`);
  if (last.status !== InferenceStatus.INFERENCE_STATUS_COMPLETED)
    throw new Error('last inference not settled');
  rows.push([
    `batched: ${BATCH} msgs/tx, ${2 * LANES} txs/block`,
    p.settled,
    r.ms.toFixed(0),
    (p.settled / (r.ms / 1000)).toFixed(0),
    (p.settled / (r.cpuMs / 1000)).toFixed(0),
  ]);
  await chain.close();
}
if (process.env.BENCH_SINGLE !== '0') {
  const chain = await chainFor();
  const perBlock = 250; // inferences per lane per block, one msg per tx
  const rounds = Math.max(1, Math.round(Math.min(TOTAL, 4000) / (LANES * perBlock)));
  // one msg per tx: plan with perTx = 1 and perLane = perBlock
  const seqPlan = planSingle(chain, perBlock, rounds);
  const r = await run(chain, seqPlan, 'single');
  rows.push([
    '1 msg/tx (legacy shape: Start tx + Finish tx)',
    seqPlan.settled,
    r.ms.toFixed(0),
    (seqPlan.settled / (r.ms / 1000)).toFixed(0),
    (seqPlan.settled / (r.cpuMs / 1000)).toFixed(0),
  ]);
  await chain.close();
}

function planSingle(chain: TestChain, perLane: number, rounds: number): Plan {
  // Same as plan() but every msg is its own tx.
  const seq = new Map<number, bigint>();
  const nums = new Map<number, bigint>();
  for (let i = 0; i < 2 * LANES; i++) {
    const a = accountOf(chain, chain.keys[i]!.address);
    seq.set(i, a.sequence);
    nums.set(i, a.accountNumber);
  }
  const sign = (i: number, m: Any) => {
    const s = seq.get(i)!;
    seq.set(i, s + 1n);
    const gas = GAS_PER_MSG + 100_000n;
    return signTx(chain.keys[i]!, {
      msgs: [m],
      sequence: s,
      accountNumber: nums.get(i)!,
      gas,
      fee: gas / 10n,
    });
  };
  const id = (r: number, l: number, j: number) => `inf-single-${r}-${l}-${j}`;
  const blocks: Uint8Array[][] = [];
  for (let r = 0; r <= rounds; r++) {
    const txs: Uint8Array[] = [];
    for (let l = 0; l < LANES; l++) {
      const ta = chain.keys[l]!.address;
      const ex = chain.keys[LANES + l]!.address;
      const dev = chain.keys[2 * LANES + l]!.address;
      for (let j = 0; j < perLane; j++) {
        if (r < rounds)
          txs.push(
            sign(
              l,
              startMsg({
                id: id(r, l, j),
                ta,
                dev,
                executor: ex,
                prompt: 20n,
                max: 100n,
                secret: `bench-key-${l}`,
              }),
            ),
          );
        if (r > 0)
          txs.push(
            sign(
              LANES + l,
              finishMsg({ id: id(r - 1, l, j), ta, executor: ex, prompt: 20n, completion: 60n }),
            ),
          );
      }
    }
    blocks.push(txs);
  }
  return { blocks, settled: rounds * LANES * perLane };
}

printTable(
  `x/inference: inferences settled per second, in process (FinalizeBlock + Commit, signed txs) — ${machineLine()}`,
  ['shape', 'inferences settled', 'wall ms', 'settled/s (wall)', 'settled/s (CPU)'],
  rows,
);
process.stdout.write(`goal ≥ 1,000/s (≥ 3.6× Gonka's legacy ≈ 277/s)\n`);
