// Issue 12 acceptance 5, second half: per validator, verification CPU ÷ mining CPU at s = 200,
// N = 4 participants, 60 s generation (goal ≤ 1%), also as s·N/M.
//  - mining CPU: process CPU time (all threads) of PocMiner mining into an ArtifactStore for a
//    short run, per nonce; a 60 s generation keeps its W workers busy, so mining CPU = 60 s × W and
//    M = that ÷ CPU per nonce (the machine is shared, so wall-clock rates are shown but not used);
//  - verification CPU: process CPU time of computeSprintVotes over N participants × s samples
//    (sign, fetch, proof check, ORT recompute) against local participant servers in a child
//    process (their serving CPU is theirs). "cold" includes opening and self-checking the ORT
//    session (once per epoch and class); "warm" reuses it.
// Run: npx tsc -p tsconfig.json && node dist/test/bench/poc-verify.bench.js [--seconds 10] [--classes tiny,devnet]
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Secp256k1, sha256 } from '@cosmjs/crypto';
import { pino } from 'pino';
import { computeSprintVotes, type PocValidatorDeps, Recomputer } from '../../app/api/validator/index.js';
import { ArtifactStore } from '../../kernels/poc/artifacts/store.js';
import { toHex } from '../../kernels/poc/bytes.js';
import { outputBytes, POC_CLASSES, type PocClass, type PocClassName } from '../../kernels/poc/classes.js';
import { PocMiner } from '../../kernels/poc/mining/miner.js';
import { Params, type PocCommit, SprintState, Verdict } from '../../proto/gen/gonka/poc/v1/poc.js';
import { printTable } from './harness.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const MINE_SECONDS = Number(arg('seconds', '10'));
const CLASSES = arg('classes', 'tiny,devnet').split(',') as PocClassName[];
const S = 200;
const N = 4;
const GENERATION_S = 60;
const WORKERS = Math.max(1, availableParallelism());
const BLOCK_HASH = new Uint8Array(32).fill(7);
const VALIDATION_HASH = new Uint8Array(32).fill(9);
const EPOCH = 1n;

const validatorPriv = new Uint8Array(32).fill(0x11);
const minerPub = Secp256k1.compressPubkey(Secp256k1.makeKeypair(new Uint8Array(32).fill(0x22)).pubkey);

const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

interface Mined {
  dir: string;
  count: number;
  cpuMsPerNonce: number;
  wallRate: number;
}

async function mine(cls: PocClass, root: string): Promise<Mined> {
  const dir = join(root, cls.name);
  const store = ArtifactStore.create(dir, {
    class: cls.name,
    blockHash: toHex(BLOCK_HASH),
    pubkey: toHex(minerPub),
    outputBytes: outputBytes(cls),
  });
  const miner = await PocMiner.start({ cls, blockHash: BLOCK_HASH, pubkey: minerPub, workers: WORKERS });
  // Measured from the first range on: the workers' session self-checks are a once-per-epoch cost.
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await miner.mine(store, { stop: () => performance.now() - t0 > MINE_SECONDS * 1000 });
  store.flush();
  const cpu = cpuMs(process.cpuUsage(cpu0));
  const wall = (performance.now() - t0) / 1000;
  const count = store.count;
  await miner.close();
  store.close();
  return { dir, count, cpuMsPerNonce: cpu / count, wallRate: count / wall };
}

async function serve(m: Mined, cls: PocClass): Promise<{ urls: string[]; stop: () => Promise<void> }> {
  const script = fileURLToPath(new URL('./poc-verify-server.js', import.meta.url));
  const child = spawn(process.execPath, [script, m.dir, cls.name, String(N)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`proof server exited with ${code}`)));
  });
  const { urls } = JSON.parse(first) as { urls: string[] };
  return {
    urls,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}

async function verify(cls: PocClass, m: Mined, urls: string[], recomputer?: Recomputer): Promise<number> {
  const participants = urls.map((url, i) => ({ address: `gonka1participant${i}`, url }));
  const commits: PocCommit[] = participants.map((p) => ({
    participant: p.address,
    epoch: EPOCH,
    classId: cls.id,
    count: BigInt(m.count),
    root: rootOf(m.dir),
    height: 1n,
    round: 0,
  }));
  const sprint = SprintState.fromPartial({
    epoch: EPOCH,
    seed: BLOCK_HASH,
    validationHash: VALIDATION_HASH,
    params: Params.fromPartial({
      sampleSize: S,
      classes: [{ classId: cls.id, coefficient: '1', maxCount: 1n << 40n }],
    }),
  });
  const deps: PocValidatorDeps = {
    chainId: 'gonka-bench',
    sprintCommits: async () => commits,
    participant: async (address) => {
      const p = participants.find((q) => q.address === address);
      return p && { apiUrl: p.url, kernelPubkey: minerPub };
    },
    signer: {
      address: 'gonka1validator',
      signSample: async (bytes) =>
        Secp256k1.createSignature(sha256(bytes), validatorPriv).toFixedLength().slice(0, 64),
    },
    broadcast: async () => {},
    log: pino({ level: 'silent' }),
    ...(recomputer ? { recomputer } : {}),
  };
  const cpu0 = process.cpuUsage();
  const result = await computeSprintVotes(deps, sprint);
  const cpu = cpuMs(process.cpuUsage(cpu0));
  assert.equal(result.outcomes.length, N);
  for (const o of result.outcomes) {
    assert.equal(o.verdict, Verdict.VERDICT_VALID, `${o.participant}: ${o.reason} ${o.detail ?? ''}`);
    assert.equal(o.indices.length, S);
  }
  return cpu;
}

const roots = new Map<string, Uint8Array>();
function rootOf(dir: string): Uint8Array {
  let r = roots.get(dir);
  if (!r) {
    const store = ArtifactStore.open(dir);
    r = store.rootAt(store.count);
    store.close();
    roots.set(dir, r);
  }
  return r;
}

const scratch = mkdtempSync(join(tmpdir(), 'gonka-poc-verify-bench-'));
const rows: (string | number)[][] = [];
try {
  for (const name of CLASSES) {
    const cls = POC_CLASSES[name];
    const loadBefore = loadavg()[0] as number;
    const m = await mine(cls, scratch);
    const miningCpuS = GENERATION_S * WORKERS;
    const M = (miningCpuS * 1000) / m.cpuMsPerNonce;
    const server = await serve(m, cls);
    let cold: number;
    let warm: number;
    const recomputer = new Recomputer();
    try {
      cold = await verify(cls, m, server.urls);
      await verify(cls, m, server.urls, recomputer); // opens the session
      warm = await verify(cls, m, server.urls, recomputer);
    } finally {
      await recomputer.release();
      await server.stop();
    }
    const pct = (ms: number) => `${((100 * ms) / (miningCpuS * 1000)).toFixed(3)}%`;
    rows.push([
      name,
      WORKERS,
      m.cpuMsPerNonce.toFixed(3),
      Math.round(m.wallRate),
      Math.round(M),
      miningCpuS,
      Math.round(cold),
      Math.round(warm),
      pct(cold),
      pct(warm),
      `${((100 * S * N) / M).toFixed(3)}%`,
      `${loadBefore.toFixed(1)}/${(loadavg()[0] as number).toFixed(1)}`,
    ]);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

printTable(
  `PoC verification ÷ mining CPU per validator (s = ${S}, N = ${N}, ${GENERATION_S} s generation; mining measured over ${MINE_SECONDS} s)`,
  [
    'class',
    'workers W',
    'mining CPU ms/nonce',
    'mined/s (wall, this run)',
    `M (${GENERATION_S} s × W busy)`,
    'mining CPU s',
    'verify CPU ms cold',
    'verify CPU ms warm',
    'ratio cold',
    'ratio warm',
    's·N/M',
    'load 1m before/after',
  ],
  rows,
);
