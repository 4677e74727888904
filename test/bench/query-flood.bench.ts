// Query flood vs block production (issue 10 acceptance 4): one real validator (gonkad start, fast
// profile) whose genesis holds BENCH_BALANCES balances (default 1,000,000, one account each).
// Block interval idle, then under a bounded flood of BENCH_QUERY_CONCURRENCY (default 2,000)
// concurrent heaviest queries — paginated lists with count_total, DenomOwners, Accounts with a deep
// offset, the invariants scan — over gRPC and CometBFT RPC abci_query. Prints the mean-interval
// ratio (goal ≤ 1.1), longest gap ÷ idle interval (goal ≤ 2) and the longest single query the node
// ran (its gonka_query_max_duration_seconds gauge; goal ≤ 20 ms), with the machine, commit and
// load average. Block times are the header times of consecutive blocks. To tell a query's own cost
// from preemption on a shared machine it also prints the most CPU the node used during one query,
// the cores the node, CometBFT and this client used while flooding, and how many consensus ABCI
// requests took over 100 ms; the node's `slow query` lines carry ms, cpuMs and gcMs.
// BENCH_NODE_FLAGS passes Node.js flags to the node (e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`).

import { createReadStream, createWriteStream, readFileSync, renameSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import * as grpc from '@grpc/grpc-js';
import { QueryAccountsRequest } from 'cosmjs-types/cosmos/auth/v1beta1/query';
import {
  QueryAllBalancesRequest,
  QueryDenomOwnersRequest,
  QueryTotalSupplyRequest,
} from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { PageRequest } from 'cosmjs-types/cosmos/base/query/v1beta1/pagination';
import { homePaths } from '../../app/node/home.js';
import { addressString } from '../../app/runtime/address.js';
import { INVARIANTS_QUERY } from '../../app/runtime/baseApp.js';
import { QueryParticipantsRequest } from '../../proto/gen/gonka/poc/v1/query.js';
import { TestNode } from '../e2e/helpers/node.js';
import { waitFor } from '../e2e/helpers/rpc.js';
import { printTable } from './harness.js';

const BALANCES = Number(process.env.BENCH_BALANCES ?? 1_000_000);
const CONCURRENCY = Number(process.env.BENCH_QUERY_CONCURRENCY ?? 2000);
/** Share of the flood sent as RPC abci_query (CometBFT caps RPC connections at 900 by default). */
const RPC_WORKERS = Number(process.env.BENCH_RPC_WORKERS ?? Math.min(400, Math.floor(CONCURRENCY / 4)));
const WARMUP_BLOCKS = Number(process.env.BENCH_WARMUP_BLOCKS ?? 30);
const IDLE_BLOCKS = Number(process.env.BENCH_IDLE_BLOCKS ?? 30);
const FLOOD_BLOCKS = Number(process.env.BENCH_FLOOD_BLOCKS ?? 30);
/** A flood phase ends after this long even if blocks stall (then the open gap is counted). */
const FLOOD_MAX_S = Number(process.env.BENCH_FLOOD_MAX_S ?? 120);
const SETUP_TIMEOUT_MS = Number(process.env.BENCH_SETUP_TIMEOUT_MS ?? 30 * 60_000);
const DENOM = 'ngonka';
/** Node.js flags for the node only, space-separated (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`). */
const RPC_FIRST = process.env.BENCH_RPC_FIRST === '1';
const NODE_FLAGS = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean);

const page = (p: Partial<PageRequest>) => PageRequest.fromPartial(p);
const holder = (i: number) => {
  const b = Buffer.alloc(20);
  b.write('flood', 0);
  b.writeUInt32BE(i, 16);
  return addressString(b);
};

/** The heaviest reads a client can ask for, each as (path, request bytes). */
function heavyQueries(): [string, Uint8Array][] {
  const acc = (p: Partial<PageRequest>) => QueryAccountsRequest.encode({ pagination: page(p) }).finish();
  return [
    ['/cosmos.auth.v1beta1.Query/Accounts', acc({ limit: 1n, countTotal: true })],
    ['/cosmos.auth.v1beta1.Query/Accounts', acc({ limit: 1000n, countTotal: true })],
    ['/cosmos.auth.v1beta1.Query/Accounts', acc({ offset: 10_000n, limit: 1000n })],
    [
      '/cosmos.bank.v1beta1.Query/DenomOwners',
      QueryDenomOwnersRequest.encode({
        denom: DENOM,
        pagination: page({ limit: 1n, countTotal: true }),
      }).finish(),
    ],
    [
      '/cosmos.bank.v1beta1.Query/DenomOwners',
      QueryDenomOwnersRequest.encode({
        denom: DENOM,
        pagination: page({ limit: 1000n, countTotal: true }),
      }).finish(),
    ],
    [
      '/cosmos.bank.v1beta1.Query/AllBalances',
      QueryAllBalancesRequest.encode({
        address: holder(7),
        resolveDenom: false,
        pagination: page({ countTotal: true }),
      }).finish(),
    ],
    [
      '/cosmos.bank.v1beta1.Query/TotalSupply',
      QueryTotalSupplyRequest.encode({ pagination: page({ countTotal: true }) }).finish(),
    ],
    [
      '/gonka.poc.v1.Query/Participants',
      QueryParticipantsRequest.encode({ pagination: page({ countTotal: true }) }).finish(),
    ],
    [INVARIANTS_QUERY, new Uint8Array(0)],
  ];
}

/** Streams genesis.json with BALANCES balances spliced into app_state.bank.balances (no 100 MB object graph). */
async function writeBigGenesis(path: string): Promise<number> {
  const genesis = JSON.parse(readFileSync(path, 'utf8')) as { app_state: { bank: { balances: unknown[] } } };
  if (genesis.app_state.bank.balances.length !== 0) throw new Error('expected an empty genesis balance list');
  const marker = '"__BALANCES__"';
  (genesis.app_state.bank as unknown as { balances: string }).balances = '__BALANCES__';
  const [head, tail] = JSON.stringify(genesis).split(marker) as [string, string];
  const tmp = `${path}.tmp`;
  const out = createWriteStream(tmp);
  const write = (s: string) =>
    out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r()));
  await write(`${head}[`);
  let chunk = '';
  for (let i = 0; i < BALANCES; i++) {
    chunk += `${i ? ',' : ''}{"address":"${holder(i)}","coins":[{"denom":"${DENOM}","amount":"1000"}]}`;
    if (chunk.length > 1 << 20) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(`${chunk}]${tail}`);
  await new Promise<void>((r) => out.end(() => r()));
  renameSync(tmp, path);
  let bytes = 0;
  for await (const b of createReadStream(path)) bytes += (b as Buffer).length;
  return bytes;
}

interface Tally {
  sent: number;
  byOutcome: Map<string, number>;
}

function count(t: Tally, outcome: string): void {
  t.byOutcome.set(outcome, (t.byOutcome.get(outcome) ?? 0) + 1);
}

function grpcCall(client: grpc.Client, path: string, data: Uint8Array): Promise<string> {
  return new Promise((resolve) =>
    client.makeUnaryRequest(
      path,
      (b: Buffer) => b,
      (b: Buffer) => b,
      Buffer.from(data),
      { deadline: Date.now() + 60_000 },
      (err) => resolve(err ? `grpc ${grpc.status[err.code] ?? err.code}` : 'grpc OK'),
    ),
  );
}

function rpcQuery(agent: Agent, port: number, path: string, data: Uint8Array): Promise<string> {
  const qs = `path=${encodeURIComponent(JSON.stringify(path))}&data=0x${Buffer.from(data).toString('hex')}`;
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path: `/abci_query?${qs}`, agent, timeout: 60_000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (body += d));
        res.on('end', () => {
          const m = /"code":\s*(\d+)/.exec(body);
          resolve(res.statusCode === 200 ? `rpc code ${m ? m[1] : '0'}` : `rpc http ${res.statusCode}`);
        });
      },
    );
    req.on('error', (e) => resolve(`rpc ${(e as NodeJS.ErrnoException).code ?? 'error'}`));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

async function headerTimes(node: TestNode, from: number, to: number): Promise<number[]> {
  const times: number[] = [];
  for (let lo = from; lo <= to; lo += 20) {
    const hi = Math.min(to, lo + 19);
    const r = await node.rpc.call<{ block_metas: { header: { height: string; time: string } }[] }>(
      'blockchain',
      { minHeight: lo, maxHeight: hi },
      30_000,
    );
    for (const m of r.block_metas) times[Number(m.header.height) - from] = Date.parse(m.header.time);
  }
  return times;
}

function intervals(times: number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < times.length; i++) out.push((times[i] as number) - (times[i - 1] as number));
  return out;
}

/** Intervals between flooded blocks; when the flood ended on a stall, the open gap up to its end too. */
function floodIntervals(times: number[], stalledUntil?: number): number[] {
  const out = intervals(times);
  const last = times[times.length - 1];
  if (stalledUntil !== undefined && last !== undefined) out.push(stalledUntil - last);
  return out;
}

/** CPU seconds a process has used (utime + stime from /proc; Linux), NaN when unreadable. */
function cpuSecondsOf(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100; // clock ticks, USER_HZ = 100
  } catch {
    return Number.NaN;
  }
}

/** CPU seconds of the node, CometBFT and this client (the flooders) so far. */
function cpuNow(node: TestNode): { node: number; comet: number; client: number } {
  const u = process.cpuUsage();
  return {
    node: cpuSecondsOf(node.appPid()),
    comet: cpuSecondsOf(node.cometPid()),
    client: (u.user + u.system) / 1e6,
  };
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

interface QueryStats {
  maxMs: number;
  /** Consensus ABCI requests (FinalizeBlock, Commit, Prepare/ProcessProposal): answered / over 100 ms. */
  consensus: number;
  consensusOver100ms: number;
  /** Most CPU the node used during one query (all its threads), and queries over 20 ms of CPU. */
  cpuMaxMs: number;
  cpuOver20ms: number;
  /** The node's major (mark-compact) GCs: count and total seconds (prom-client's GC histogram). */
  majorGcs: number;
  majorGcS: number;
  /** Queries the node ran, and how many of them took over 20 ms (histogram buckets). */
  ran: number;
  over20ms: number;
}

async function queryStats(port: number): Promise<QueryStats> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const max = /^gonka_query_max_duration_seconds (\S+)$/m.exec(text);
  const bucket = (le: string) =>
    Number(
      new RegExp(
        `^gonka_query_duration_seconds_bucket\\{le="${le.replace('+', '\\+')}"\\} (\\d+)$`,
        'm',
      ).exec(text)?.[1] ?? 0,
    );
  const ran = bucket('+Inf');
  const gc = (what: string) =>
    Number(
      new RegExp(`^gonka_nodejs_gc_duration_seconds_${what}\\{kind="major"\\} (\\S+)$`, 'm').exec(
        text,
      )?.[1] ?? 0,
    );
  let consensus = 0;
  let consensusOver100ms = 0;
  for (const method of ['finalizeBlock', 'commit', 'prepareProposal', 'processProposal']) {
    const b = (le: string) =>
      Number(
        new RegExp(
          `^gonka_abci_request_duration_seconds_bucket\\{le="${le.replace('+', '\\+')}",method="${method}"\\} (\\d+)$`,
          'm',
        ).exec(text)?.[1] ?? 0,
      );
    consensus += b('+Inf');
    consensusOver100ms += b('+Inf') - b('0.1');
  }
  const cpuMax = /^gonka_query_max_cpu_seconds (\S+)$/m.exec(text);
  const cpuOver = /^gonka_query_cpu_over_20ms_total (\S+)$/m.exec(text);
  return {
    maxMs: max ? Number(max[1]) * 1000 : Number.NaN,
    consensus,
    consensusOver100ms,
    cpuMaxMs: cpuMax ? Number(cpuMax[1]) * 1000 : Number.NaN,
    cpuOver20ms: cpuOver ? Number(cpuOver[1]) : Number.NaN,
    ran,
    over20ms: ran - bucket('0.02'),
    majorGcs: gc('count'),
    majorGcS: gc('sum'),
  };
}

interface PhaseResult {
  name: string;
  idle: number[];
  flood: number[];
  loadIdle: number;
  loadFlood: number;
  floodS: number;
  /** CPU cores each process used on average during the flood. */
  cpuShare: { node: number; comet: number; client: number };
  tally: Tally;
  queries: QueryStats;
}

/** IDLE_BLOCKS idle blocks, then FLOOD_BLOCKS under CONCURRENCY workers (rpcWorkers of them over RPC). */
async function phase(node: TestNode, name: string, rpcWorkers: number): Promise<PhaseResult> {
  const idleFrom = await node.rpc.height();
  await node.waitForHeight(idleFrom + IDLE_BLOCKS, 300_000);
  const loadIdle = loadavg()[0] ?? 0;
  const before = await queryStats(node.ports.metrics);

  // Each worker sends its next heavy query as soon as the last one answers.
  const queries = heavyQueries();
  const client = new grpc.Client(`127.0.0.1:${node.ports.grpc}`, grpc.credentials.createInsecure(), {
    'grpc.max_receive_message_length': 64 * 1024 * 1024,
  });
  const agent = new Agent({ keepAlive: true, maxSockets: Math.max(1, rpcWorkers) });
  const tally: Tally = { sent: 0, byOutcome: new Map() };
  let stop = false;
  const worker = async (w: number) => {
    for (let i = w; !stop; i++) {
      const [path, data] = queries[i % queries.length] as [string, Uint8Array];
      if (path === INVARIANTS_QUERY && rpcWorkers === 0) continue; // an ABCI-only path
      tally.sent++;
      const rpc = w < rpcWorkers || path === INVARIANTS_QUERY;
      count(tally, await (rpc ? rpcQuery(agent, node.ports.rpc, path, data) : grpcCall(client, path, data)));
    }
  };
  const floodFrom = (await node.rpc.height()) + 1;
  const tf = performance.now();
  const cpu0 = cpuNow(node);
  const workers = Array.from({ length: CONCURRENCY }, (_, w) => worker(w));
  // FLOOD_BLOCKS blocks, or FLOOD_MAX_S seconds when blocks stall (the open gap then counts).
  const deadline = Date.now() + FLOOD_MAX_S * 1000;
  let floodTo = floodFrom - 1;
  while (Date.now() < deadline) {
    floodTo = await node.rpc.height().catch(() => floodTo);
    if (floodTo >= floodFrom + FLOOD_BLOCKS) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  floodTo = Math.min(floodTo, floodFrom + FLOOD_BLOCKS);
  const floodEnd = Date.now();
  const loadFlood = loadavg()[0] ?? 0;
  const cpu1 = cpuNow(node);
  stop = true;
  const floodS = (performance.now() - tf) / 1000;
  await Promise.all(workers);
  client.close();
  agent.destroy();
  const after = await queryStats(node.ports.metrics);
  return {
    name,
    idle: intervals(await headerTimes(node, idleFrom, idleFrom + IDLE_BLOCKS)),
    flood: floodIntervals(
      await headerTimes(node, floodFrom - 1, floodTo),
      floodTo < floodFrom + FLOOD_BLOCKS ? floodEnd : undefined,
    ),
    loadIdle,
    loadFlood,
    floodS,
    cpuShare: {
      node: (cpu1.node - cpu0.node) / floodS,
      comet: (cpu1.comet - cpu0.comet) / floodS,
      client: (cpu1.client - cpu0.client) / floodS,
    },
    tally,
    queries: {
      maxMs: after.maxMs,
      consensus: after.consensus - before.consensus,
      consensusOver100ms: after.consensusOver100ms - before.consensusOver100ms,
      cpuMaxMs: after.cpuMaxMs,
      cpuOver20ms: after.cpuOver20ms - before.cpuOver20ms,
      ran: after.ran - before.ran,
      over20ms: after.over20ms - before.over20ms,
      majorGcs: after.majorGcs - before.majorGcs,
      majorGcS: after.majorGcS - before.majorGcS,
    },
  };
}

async function main(): Promise<void> {
  const node = await TestNode.create({ nodeArgs: NODE_FLAGS });
  try {
    const t0 = performance.now();
    const bytes = await writeBigGenesis(homePaths(node.home).genesis);
    const genesisS = (performance.now() - t0) / 1000;
    process.stderr.write(
      `[query-flood] genesis: ${BALANCES} balances, ${(bytes / 2 ** 20).toFixed(0)} MiB in ${genesisS.toFixed(0)} s; starting the node\n`,
    );
    const t1 = performance.now();
    node.start();
    await waitFor(
      `the node to commit height 2 with ${BALANCES} balances`,
      async () => (await node.rpc.height().catch(() => 0)) >= 2,
      SETUP_TIMEOUT_MS,
    );
    const initS = (performance.now() - t1) / 1000;
    process.stderr.write(`[query-flood] InitChain + first blocks in ${initS.toFixed(0)} s\n`);

    // After a big genesis the node settles (GC of InitChain's garbage) before anything is measured.
    await node.waitForHeight((await node.rpc.height()) + WARMUP_BLOCKS, 600_000);
    // BENCH_RPC_FIRST=1 runs the RPC phase first: tells a cost of the RPC door from one of the
    // node's state after a first flood (heap, caches).
    const grpcPhase = () => phase(node, 'gRPC only', 0);
    const rpcPhase = () => phase(node, `gRPC + ${RPC_WORKERS} RPC abci_query`, RPC_WORKERS);
    const phases = [];
    if (RPC_FIRST && RPC_WORKERS > 0) phases.push(await rpcPhase(), await grpcPhase());
    else {
      phases.push(await grpcPhase());
      if (RPC_WORKERS > 0) phases.push(await rpcPhase());
    }
    const rows: string[][] = [];
    const firstIdle = mean(phases[0]!.idle);
    for (const p of phases) {
      const idleMean = mean(p.idle);
      const floodMean = mean(p.flood);
      const longestGap = Math.max(...p.flood);
      const done = [...p.tally.byOutcome.values()].reduce((s, n) => s + n, 0);
      rows.push(
        [
          `**${p.name}**`,
          `load average ${p.loadIdle.toFixed(1)} idle, ${p.loadFlood.toFixed(1)} flooded`,
          '',
        ],
        ['idle mean block interval', `${idleMean.toFixed(0)} ms (${p.idle.length} intervals)`, ''],
        ['flood mean block interval', `${floodMean.toFixed(0)} ms (${p.flood.length} intervals)`, ''],
        ['mean interval ratio (flood ÷ idle)', (floodMean / idleMean).toFixed(2), '≤ 1.1'],
        ['longest gap ÷ idle interval', `${(longestGap / idleMean).toFixed(2)} (${longestGap} ms)`, '≤ 2'],
        // A later phase's idle window follows a flood, and blocks are slower for a while after
        // one (BENCHMARKS.md): also compare with the node's first, untouched idle window.
        ...(p === phases[0]
          ? []
          : [
              [
                'vs the first idle window: ratio / longest gap',
                `${(floodMean / firstIdle).toFixed(2)} / ${(longestGap / firstIdle).toFixed(2)}`,
                '≤ 1.1 / ≤ 2',
              ],
            ]),
        ['longest single query so far (node gauge)', `${p.queries.maxMs.toFixed(1)} ms`, '≤ 20 ms'],
        ['queries the node ran / over 20 ms', `${p.queries.ran} / ${p.queries.over20ms}`, ''],
        [
          'most node CPU in one query so far / queries over 20 ms of CPU',
          `${p.queries.cpuMaxMs.toFixed(1)} ms / ${p.queries.cpuOver20ms}`,
          'wall ≫ CPU: descheduled',
        ],
        [
          'consensus ABCI requests (idle + flood) / over 100 ms',
          `${p.queries.consensus} / ${p.queries.consensusOver100ms}`,
          'queue wait included',
        ],
        [
          'cores used during the flood: node / CometBFT / flood client',
          `${p.cpuShare.node.toFixed(2)} / ${p.cpuShare.comet.toFixed(2)} / ${p.cpuShare.client.toFixed(2)}`,
          '',
        ],
        [
          'node major GCs (idle + flood windows)',
          `${p.queries.majorGcs}, ${(p.queries.majorGcS * 1000).toFixed(0)} ms in all`,
          '',
        ],
        [
          'answers during the flood',
          `${done} in ${p.floodS.toFixed(0)} s (${(done / p.floodS).toFixed(0)}/s)`,
          '',
        ],
        ...[...p.tally.byOutcome].sort().map(([k, n]) => [`  ${k}`, String(n), '']),
      );
    }
    printTable(
      `Query flood at ${BALANCES.toLocaleString('en')} balances (genesis ${(bytes / 2 ** 20).toFixed(0)} MiB, InitChain + 2 blocks ${initS.toFixed(0)} s): ${CONCURRENCY} concurrent heaviest queries`,
      ['measure', 'value', 'goal'],
      rows,
    );
  } finally {
    // The node's slow-query lines (path, ms): which queries held the loop over 20 ms.
    for (const line of node.output
      .split('\n')
      .filter((l) => l.includes('slow query'))
      .slice(-30))
      process.stderr.write(`[query-flood] node: ${line}\n`);
    await node.destroy().catch(() => {});
  }
}

await main();
