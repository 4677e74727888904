// Sprint nonces/s on a real one-validator devnet ÷ `gonkad poc mine` (issue 12 acceptance 5, first
// half). Starts `gonkad devnet` (chain node + ML node + API node, fresh temp home, free loopback
// ports, devnet profile ≈ 1 s blocks) with a long generation stage, follows the first Sprint, then
// stops the devnet; `gonkad poc mine` with the same class, workers, batch and seconds runs before
// and after it, and the ratio divides by the mean of the two (load drifts on a shared machine).
//
// The devnet's figure (the ratio's numerator) is the count the API node committed on chain for the
// epoch ÷ the generation window measured by block times: what the Sprint turns into weight, with
// every cost of a real epoch included (the ML node opening a session for the new seed, polls,
// periodic commits and flushes, the chain node's blocks on the same cores). The window runs from
// block P+1's header time to block commit_start+1's: CometBFT stamps block H with the time H−1
// was committed, so these are when the driver could first see the seed (P) and the commit stage.
// A second row is the steady rate from the API node's /v1/status, sampled between the second and
// the last generation blocks (session start-up left out), to show what start-up costs.
// `gonkad poc mine` times from after its sessions are open, so it has no start-up in it.
//
// Run: npx tsc -p tsconfig.json && npm run bench -- devnet-sprint
//      (node dist/test/bench/devnet-sprint.bench.js [--class devnet] [--workers 2]
//       [--generation-blocks 35])
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pocClass } from '../../kernels/poc/classes.js';
import {
  QueryCommitsRequest,
  QueryCommitsResponse,
  QueryStageRequest,
  QueryStageResponse,
} from '../../proto/gen/gonka/poc/v1/query.js';
import { gonkadEntry } from '../e2e/helpers/entries.js';
import { freePorts } from '../e2e/helpers/ports.js';
import { CometRpc, waitFor } from '../e2e/helpers/rpc.js';
import { printTable } from './harness.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

const cls = pocClass(arg('class', 'devnet'));
const workers = Number(arg('workers', '2'));
const generationBlocks = Number(arg('generation-blocks', '35'));
const BATCH = 64; // the default of both `gonkad ml start` and `gonkad poc mine`
const home = mkdtempSync(join(tmpdir(), 'gonka-devnet-bench-'));
const load = () => loadavg()[0]!.toFixed(1);

interface Sample {
  at: number;
  height: number;
  count: number | undefined;
  cpu: number;
}

/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these ticks. */
const TICKS_PER_S = 100;

/**
 * CPU seconds (user + system, every thread) that `root` and all its descendants have used so far,
 * from /proc (Linux). Nonces per CPU-second is what a busy shared machine cannot skew much: wall
 * rates there follow the share of the cores a process tree gets, which grows with its thread count.
 */
function treeCpuSeconds(root: number): number {
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const st = readFileSync(`/proc/${d}/stat`, 'utf8');
      // Fields after the parenthesised command name: state ppid … utime(14) stime(15).
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(d), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
    } catch {} // exited meanwhile
  }
  let ticks = 0;
  const todo = [root];
  while (todo.length > 0) {
    const pid = todo.pop()!;
    ticks += stats.get(pid)?.ticks ?? 0;
    for (const [child, s] of stats) if (s.ppid === pid) todo.push(child);
  }
  return ticks / TICKS_PER_S;
}

/** RFC 3339 with nanoseconds (CometBFT) → ms since the epoch, keeping sub-millisecond digits. */
function blockTimeMs(t: string): number {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(t);
  if (!m) throw new Error(`unexpected block time ${t}`);
  return Date.parse(`${m[1]}Z`) + Number(`0.${m[2] ?? '0'}`) * 1000;
}

async function runDevnet(): Promise<{
  epoch: bigint;
  committed: number;
  windowS: number;
  steady: number;
  steadyPerCpu: number;
  loads: string;
}> {
  const [rpcPort, p2p, grpc, api, ml] = (await freePorts(5)) as [number, number, number, number, number];
  const proc: ChildProcess = spawn(
    process.execPath,
    [
      gonkadEntry,
      'devnet',
      '--home',
      home,
      '--profile',
      'devnet',
      '--generation-blocks',
      String(generationBlocks),
      '--classes',
      cls.name,
      '--ml-workers',
      String(workers),
      '--rpc-laddr',
      `127.0.0.1:${rpcPort}`,
      '--p2p-laddr',
      `127.0.0.1:${p2p}`,
      '--grpc-address',
      `127.0.0.1:${grpc}`,
      '--rest-address',
      'off',
      '--metrics-address',
      'off',
      '--comet-metrics-address',
      'off',
      '--api-listen',
      `127.0.0.1:${api}`,
      '--ml-listen',
      `127.0.0.1:${ml}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GONKA_LOG_LEVEL: 'warn' } },
  );
  let log = '';
  const keep = (d: Buffer) => {
    log = (log + d.toString()).slice(-20_000);
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  let sampling = true;
  const samples: Sample[] = [];
  try {
    const rpc = new CometRpc(`http://127.0.0.1:${rpcPort}`);
    const operator = await waitFor(
      'the API node key',
      async () =>
        (JSON.parse(readFileSync(join(home, 'api', 'key.json'), 'utf8')) as { address: string }).address,
      60_000,
      250,
    );
    const stage = async () => {
      const r = await rpc.abciQuery('/gonka.poc.v1.Query/Stage', QueryStageRequest.encode({}).finish());
      if (r.code) throw new Error(`Stage query: code ${r.code} ${r.log ?? ''}`);
      return QueryStageResponse.decode(Buffer.from(r.value ?? '', 'base64'));
    };
    // The first Sprint of the chain (epoch 1): its stage heights exist once block P is committed.
    const sprint = await waitFor(
      'the first Sprint (block P)',
      async () => (await stage()).sprint,
      120_000,
      250,
    );
    const P = Number(sprint.pocStart);
    const commitStart = Number(sprint.commitStart);
    const loadStart = load();
    // /v1/status every 250 ms until the commit stage: the steady-state row.
    const apiStatus = `http://127.0.0.1:${api}/v1/status`;
    const sampler = (async () => {
      while (sampling) {
        try {
          const s = (await (await fetch(apiStatus, { signal: AbortSignal.timeout(2000) })).json()) as {
            height: string;
            mining: { epoch: string; class: string; count: number }[];
          };
          const m = s.mining.find((x) => x.epoch === sprint.epoch.toString() && x.class === cls.name);
          samples.push({
            at: performance.now(),
            height: Number(s.height),
            count: m?.count,
            cpu: treeCpuSeconds(proc.pid!),
          });
        } catch {} // the API node may not be listening yet
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    // The final commit: the operator's commit for the epoch landed after commit_start.
    const commit = await waitFor(
      'the final commit of the first Sprint',
      async () => {
        const r = await rpc.abciQuery(
          '/gonka.poc.v1.Query/Commits',
          QueryCommitsRequest.encode(QueryCommitsRequest.fromPartial({ epoch: sprint.epoch })).finish(),
        );
        if (r.code) return undefined;
        const all = QueryCommitsResponse.decode(Buffer.from(r.value ?? '', 'base64')).commits;
        return all.find(
          (c) => c.participant === operator && c.classId === cls.id && Number(c.height) > commitStart,
        );
      },
      (generationBlocks + 60) * 2000,
      500,
    );
    sampling = false;
    await sampler;
    const loadEnd = load();
    const t0 = blockTimeMs((await rpc.block(P + 1)).header.time);
    const t1 = blockTimeMs((await rpc.block(commitStart + 1)).header.time);
    const inWindow = samples.filter(
      (s) => s.count !== undefined && s.height >= P + 1 && s.height < commitStart,
    );
    const first = inWindow[0];
    const last = inWindow[inWindow.length - 1];
    if (!first || !last || last.at - first.at < 5000)
      throw new Error(`too few /v1/status samples in the generation window (${inWindow.length})`);
    return {
      epoch: sprint.epoch,
      committed: Number(commit.count),
      windowS: (t1 - t0) / 1000,
      steady: (last.count! - first.count!) / ((last.at - first.at) / 1000),
      steadyPerCpu: (last.count! - first.count!) / (last.cpu - first.cpu),
      loads: `${loadStart} → ${loadEnd}`,
    };
  } catch (e) {
    process.stderr.write(`devnet log (tail):\n${log.slice(-6000)}\n`);
    throw e;
  } finally {
    sampling = false;
    if (proc.exitCode === null) proc.kill('SIGTERM');
    await exited;
  }
}

/** `gonkad poc mine` as a user runs it: its own nonces_per_second line. */
async function pocMine(
  seconds: number,
  tag: string,
): Promise<{ count: number; rate: number; perCpu: number; loads: string }> {
  const loadStart = load();
  const child = spawn(
    process.execPath,
    [
      gonkadEntry,
      'poc',
      'mine',
      '--class',
      cls.name,
      '--workers',
      String(workers),
      '--batch',
      String(BATCH),
      '--seconds',
      String(seconds),
      '--store',
      join(home, `poc-mine-${tag}`),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  // Its progress line (about once a second) gives the count; CPU is sampled as each one arrives.
  const ticks: { count: number; cpu: number }[] = [];
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => {
    err = (err + d).slice(-4000);
    const counts = [...String(d).matchAll(/\| (\d+) nonces \|/g)];
    const c = Number(counts[counts.length - 1]?.[1] ?? 0);
    if (c > 0 && child.exitCode === null) ticks.push({ count: c, cpu: treeCpuSeconds(child.pid!) });
  });
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  if (code !== 0) throw new Error(`gonkad poc mine exited ${code}: ${err}`);
  const count = Number(/^count: (\d+)$/m.exec(out)?.[1]);
  const rate = Number(/^nonces_per_second: ([\d.]+)$/m.exec(out)?.[1]);
  if (!(rate > 0)) throw new Error(`no nonces_per_second in: ${out}`);
  const a = ticks[0];
  const b = ticks[ticks.length - 1];
  const perCpu = a && b && b.cpu > a.cpu ? (b.count - a.count) / (b.cpu - a.cpu) : Number.NaN;
  return { count, rate, perCpu, loads: `${loadStart} → ${load()}` };
}

try {
  // `poc mine` before and after the devnet: the shared machine's load drifts over the minutes a
  // run takes, and the mean of the two brackets the devnet's window.
  const before = await pocMine(generationBlocks, 'before');
  const d = await runDevnet();
  const seconds = Math.max(1, Math.round(d.windowS));
  const after = await pocMine(seconds, 'after');
  const mineRate = (before.rate + after.rate) / 2;
  const sprintRate = d.committed / d.windowS;
  const ratio = (r: number) => (r / mineRate).toFixed(3);
  const minePerCpu = (before.perCpu + after.perCpu) / 2;
  const mineRow = (m: typeof before, s: number, when: string) => [
    `gonkad poc mine (${when})`,
    s,
    m.count,
    m.rate.toFixed(0),
    ratio(m.rate),
    m.perCpu.toFixed(0),
    (m.perCpu / minePerCpu).toFixed(3),
    m.loads,
  ];
  printTable(
    `Sprint through API node + ML node on a one-validator devnet ÷ gonkad poc mine (mean of before and after): ` +
      `class ${cls.name}, ${workers} workers, batch ${BATCH}, ${generationBlocks} generation blocks (epoch ${d.epoch})`,
    [
      'measure',
      'seconds',
      'nonces',
      'nonces/s',
      'ratio to poc mine',
      'nonces/CPU-s (steady)',
      'ratio',
      'load 1 min',
    ],
    [
      mineRow(before, generationBlocks, 'before'),
      [
        'devnet Sprint: committed count ÷ block-time window',
        d.windowS.toFixed(1),
        d.committed,
        sprintRate.toFixed(0),
        ratio(sprintRate),
        '',
        '',
        d.loads,
      ],
      [
        'devnet Sprint: /v1/status steady (2nd → last generation block)',
        '',
        '',
        d.steady.toFixed(0),
        ratio(d.steady),
        d.steadyPerCpu.toFixed(0),
        (d.steadyPerCpu / minePerCpu).toFixed(3),
        d.loads,
      ],
      mineRow(after, seconds, 'after'),
    ],
  );
  process.stdout.write(
    `\nratio (acceptance 5, ≥ 0.85): ${ratio(sprintRate)} (nonces/s); per CPU-second, steady: ` +
      `${(d.steadyPerCpu / minePerCpu).toFixed(3)} (devnet: chain node, CometBFT, API and ML nodes together)\n`,
  );
} finally {
  rmSync(home, { recursive: true, force: true });
}
