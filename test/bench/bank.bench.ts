// Bank-send throughput (issue 3 acceptance 7): pre-signed MsgSend txs from many accounts,
// (1) in process through CheckTx and FinalizeBlock + Commit, and (2) through one real CometBFT
// validator (gonkad start, fast profile) under a bounded loopback load generator, beside
// CometBFT's built-in kvstore app (`cometbft start --proxy_app=kvstore`, same profile) under the
// same generator. Sends/s counts txs committed in blocks from the first broadcast to the last commit.
// The generator shares the 2 cores with the node it measures, so it is kept cheap: each of the
// BENCH_CONCURRENCY workers owns one keep-alive HTTP/1.1 connection and POSTs pre-built
// `broadcast_tx_sync` requests on it, one at a time (fetch cost ≈ 0.7 ms of CPU per request here,
// node:http ≈ 0.15 ms). CPU seconds of each process (app, CometBFT, generator) are reported
// beside the rates, from /proc.
// Sizes: BENCH_TXS (default 6000, one tx per account) and BENCH_CONCURRENCY (default 64 in flight).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'smol-toml';
import { addGenesisAccount, parseCoinsString } from '../../app/genesisAccounts.js';
import { profiles } from '../../app/node/profiles.js';
import { toolPath } from '../../app/paths.js';
import { secp256k1Backend } from '../../app/runtime/ante/secp256k1.js';
import { TestNode } from '../e2e/helpers/node.js';
import { freePorts } from '../e2e/helpers/ports.js';
import { CometRpc, waitFor } from '../e2e/helpers/rpc.js';
import { accountOf, sendMsg, signTx, TestChain, TestKey } from '../integration/tx-harness.js';
import { printTable } from './harness.js';

const N = Number(process.env.BENCH_TXS ?? 6000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const GAS = 100_000n;
const FEE = 10_000n;

function rate(count: number, ms: number): string {
  return (count / (ms / 1000)).toFixed(0);
}

/** Wall and CPU (this process, user + system) milliseconds of an async step. */
async function timed(fn: () => Promise<void> | void): Promise<{ ms: number; cpuMs: number }> {
  const c = process.cpuUsage();
  const t = performance.now();
  await fn();
  const d = process.cpuUsage(c);
  return { ms: performance.now() - t, cpuMs: (d.user + d.system) / 1000 };
}

/** One pre-signed send per account (sequence 0), account numbers as genesis assigns them. */
function presign(keys: TestKey[], chainId: string, accountNumber: (i: number) => bigint): Uint8Array[] {
  const sink = TestKey.fromSeed('bench-sink').address;
  return keys.map((k, i) =>
    signTx(k, {
      msgs: [sendMsg(k.address, sink, 1n)],
      sequence: 0n,
      accountNumber: accountNumber(i),
      gas: GAS,
      fee: FEE,
      chainId,
    }),
  );
}

async function inProcess(): Promise<(string | number)[][]> {
  const rows: (string | number)[][] = [];
  const warm = await TestChain.create({ accounts: N, seed: 'bench' });
  const numbers = warm.keys.map((k) => accountOf(warm, k.address).accountNumber);
  const txs = presign(warm.keys, 'gonka-test', (i) => numbers[i]!);
  const check = await timed(() => {
    for (const tx of txs) {
      const r = warm.checkTx(tx);
      if (r.code !== 0) throw new Error(`CheckTx rejected a bench tx: ${r.log}`);
    }
  });
  rows.push([
    'in-process CheckTx (new txs, signature verified)',
    N,
    check.ms.toFixed(0),
    rate(N, check.ms),
    rate(N, check.cpuMs),
  ]);
  const blockSize = 2000;
  const blocks = async (chain: TestChain) => {
    for (let i = 0; i < txs.length; i += blockSize) {
      const res = await chain.block(txs.slice(i, i + blockSize));
      if (res.txResults.some((r) => r.code !== 0)) throw new Error('a bench tx failed in FinalizeBlock');
    }
  };
  const warmRun = await timed(() => blocks(warm));
  rows.push([
    `in-process FinalizeBlock + Commit, ${blockSize}-tx blocks, after CheckTx (signature cache warm)`,
    N,
    warmRun.ms.toFixed(0),
    rate(N, warmRun.ms),
    rate(N, warmRun.cpuMs),
  ]);
  await warm.close();

  const cold = await TestChain.create({ accounts: N, seed: 'bench' });
  const coldRun = await timed(() => blocks(cold));
  rows.push([
    `in-process FinalizeBlock + Commit, ${blockSize}-tx blocks, cold signature cache`,
    N,
    coldRun.ms.toFixed(0),
    rate(N, coldRun.ms),
    rate(N, coldRun.cpuMs),
  ]);
  await cold.close();
  return rows;
}

/** CPU seconds (user + system) a process has used so far, from /proc; 0 once it is gone. */
function cpuSeconds(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100/s)
  } catch {
    return 0;
  }
}

/**
 * One keep-alive HTTP/1.1 connection to CometBFT's RPC that sends one request at a time and
 * reads the reply by its Content-Length (CometBFT's replies to broadcast_tx_sync are small and
 * never chunked; anything else fails the bench loudly).
 */
class RpcConnection {
  private pending: Buffer = Buffer.alloc(0);
  private waiter: { resolve(body: string): void; reject(e: Error): void } | undefined;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('error', (e) => this.fail(e));
    socket.on('close', () => this.fail(new Error('RPC connection closed')));
  }

  static open(url: URL): Promise<RpcConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: url.hostname, port: Number(url.port) });
      socket.setNoDelay(true);
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new RpcConnection(socket));
      });
    });
  }

  /** Sends one complete HTTP request; resolves with the response body. */
  send(request: Buffer): Promise<string> {
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
      this.socket.write(request);
    });
  }

  close(): void {
    this.waiter = undefined;
    this.socket.destroy();
  }

  private fail(e: Error): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.reject(e);
  }

  private onData(chunk: Buffer): void {
    this.pending = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    const headEnd = this.pending.indexOf('\r\n\r\n');
    if (headEnd < 0) return;
    const head = this.pending.subarray(0, headEnd).toString('latin1');
    const length = /\r\ncontent-length: *(\d+)/i.exec(head)?.[1];
    if (!head.startsWith('HTTP/1.1 200') || length === undefined) {
      this.fail(new Error(`unexpected RPC reply: ${head.split('\r\n')[0]}`));
      return;
    }
    const end = headEnd + 4 + Number(length);
    if (this.pending.length < end) return;
    const body = this.pending.subarray(headEnd + 4, end).toString('utf8');
    this.pending = this.pending.subarray(end);
    const w = this.waiter;
    this.waiter = undefined;
    w?.resolve(body);
  }
}

/** The complete HTTP request bytes of a broadcast_tx_sync call. */
function broadcastRequest(url: URL, tx: Uint8Array): Buffer {
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'broadcast_tx_sync',
    params: { tx: Buffer.from(tx).toString('base64') },
  });
  return Buffer.from(
    `POST / HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

interface LoadResult {
  accepted: number;
  rejected: number;
  ms: number;
  /** CPU seconds over the run: the app process (gonkad only), CometBFT, this generator. */
  cpu: { app: number; comet: number; gen: number };
}

/** Bounded load: CONCURRENCY workers, each broadcasting its share one tx at a time. */
async function load(
  rpcUrl: string,
  txs: Uint8Array[],
  pids: { app?: number; comet?: number },
): Promise<LoadResult> {
  const rpc = new CometRpc(rpcUrl);
  const startHeight = await rpc.height();
  const url = new URL(rpcUrl);
  // Requests are built before the clock starts, as the txs are signed before it.
  const requests = txs.map((tx) => broadcastRequest(url, tx));
  const connections = await Promise.all(Array.from({ length: CONCURRENCY }, () => RpcConnection.open(url)));
  let next = 0;
  let accepted = 0;
  let rejected = 0;
  const cpu0 = { app: cpuSeconds(pids.app), comet: cpuSeconds(pids.comet), gen: process.cpuUsage() };
  const t0 = performance.now();
  const worker = async (conn: RpcConnection) => {
    while (next < requests.length) {
      const reply = JSON.parse(await conn.send(requests[next++]!)) as { result?: { code: number } };
      if (reply.result && reply.result.code === 0) accepted++;
      else rejected++;
    }
  };
  try {
    await Promise.all(connections.map(worker));
  } finally {
    for (const c of connections) c.close();
  }
  // Count committed txs block by block until every accepted tx is in a block.
  let committed = 0;
  let scanned = startHeight;
  await waitFor(
    'all accepted txs committed',
    async () => {
      const h = await rpc.height();
      while (scanned < h) {
        const to = Math.min(h, scanned + 20);
        const r = await rpc.call<{ block_metas: { num_txs: string }[] }>('blockchain', {
          minHeight: scanned + 1,
          maxHeight: to,
        });
        for (const m of r.block_metas) committed += Number(m.num_txs);
        scanned = to;
      }
      return committed >= accepted ? true : undefined;
    },
    120_000,
    20,
  );
  const ms = performance.now() - t0;
  const gen = process.cpuUsage(cpu0.gen);
  return {
    accepted,
    rejected,
    ms,
    cpu: {
      app: cpuSeconds(pids.app) - cpu0.app,
      comet: cpuSeconds(pids.comet) - cpu0.comet,
      gen: (gen.user + gen.system) / 1e6,
    },
  };
}

/** "app 3.1 + CometBFT 2.0 + generator 0.8 = 5.9 s (0.98 ms/tx)" */
function cpuCell(r: LoadResult): string {
  const total = r.cpu.app + r.cpu.comet + r.cpu.gen;
  const parts = [
    ...(r.cpu.app > 0 ? [`app ${r.cpu.app.toFixed(1)}`] : []),
    `CometBFT ${r.cpu.comet.toFixed(1)}`,
    `generator ${r.cpu.gen.toFixed(1)}`,
  ];
  return `${parts.join(' + ')} = ${total.toFixed(1)} s (${((total / r.accepted) * 1000).toFixed(2)} ms/tx)`;
}

async function throughGonkad(): Promise<(string | number)[]> {
  const node = await TestNode.create();
  try {
    const keys = Array.from({ length: N }, (_, i) => TestKey.fromSeed(`bench-node-${i}`));
    const genesisPath = join(node.home, 'config', 'genesis.json');
    const genesis = JSON.parse(readFileSync(genesisPath, 'utf8'));
    for (const k of keys)
      addGenesisAccount(genesis.app_state, k.address, parseCoinsString('1000000000ngonka'));
    writeFileSync(genesisPath, JSON.stringify(genesis));
    const txs = presign(keys, genesis.chain_id, (i) => BigInt(i)); // genesis accounts first, numbered in order
    node.start();
    await node.waitForHeight(2, 60_000);
    const r = await load(node.rpc.url, txs, { app: node.appPid(), comet: node.cometPid() });
    if (r.rejected > 0) process.stderr.write(`gonkad: ${r.rejected} txs rejected by CheckTx\n`);
    return [
      'gonkad (x/bank MsgSend) behind CometBFT',
      r.accepted,
      r.ms.toFixed(0),
      rate(r.accepted, r.ms),
      cpuCell(r),
    ];
  } finally {
    await node.destroy();
  }
}

async function throughKvstore(): Promise<(string | number)[]> {
  const home = mkdtempSync(join(tmpdir(), 'gonka-kvstore-'));
  const [rpcPort, p2pPort] = (await freePorts(2)) as [number, number];
  let proc: ChildProcess | undefined;
  try {
    const init = spawnSync(toolPath('cometbft'), ['init', '--home', home], { encoding: 'utf8' });
    if (init.status !== 0) throw new Error(init.stderr);
    const cfgPath = join(home, 'config', 'config.toml');
    const toml = parse(readFileSync(cfgPath, 'utf8')) as Record<string, any>;
    toml.rpc.laddr = `tcp://127.0.0.1:${rpcPort}`;
    toml.p2p.laddr = `tcp://127.0.0.1:${p2pPort}`;
    toml.tx_index.indexer = 'kv';
    toml.instrumentation.prometheus = false;
    Object.assign(toml.consensus, profiles.fast);
    writeFileSync(cfgPath, stringify(toml));
    proc = spawn(toolPath('cometbft'), ['start', '--home', home, '--proxy_app=kvstore'], { stdio: 'ignore' });
    const rpcUrl = `http://127.0.0.1:${rpcPort}`;
    await waitFor(
      'kvstore height 2',
      async () => ((await new CometRpc(rpcUrl).height()) >= 2 ? true : undefined),
      60_000,
    );
    // kvstore txs of about the size of a signed MsgSend (≈ 300 bytes).
    const txs = Array.from({ length: N }, (_, i) => new TextEncoder().encode(`bench${i}=${'v'.repeat(280)}`));
    const r = await load(rpcUrl, txs, { comet: proc.pid });
    return [
      'CometBFT built-in kvstore app (baseline)',
      r.accepted,
      r.ms.toFixed(0),
      rate(r.accepted, r.ms),
      cpuCell(r),
    ];
  } finally {
    if (proc?.pid) {
      proc.kill('SIGTERM');
      await new Promise((resolve) => proc!.once('exit', resolve));
    }
    rmSync(home, { recursive: true, force: true });
  }
}

// BENCH_ONLY=node skips the in-process rows (to repeat the CometBFT comparison quickly).
const rows = process.env.BENCH_ONLY === 'node' ? [] : await inProcess();
const loadBefore = (await import('node:os')).loadavg()[0]!.toFixed(1);
const kv = await throughKvstore();
const ours = await throughGonkad();
rows.push(kv, ours, [
  'gonkad / kvstore',
  '',
  '',
  `${((Number(ours[3]) / Number(kv[3])) * 100).toFixed(0)}%`,
  '',
]);
const loadAvg = (await import('node:os')).loadavg()[0]!.toFixed(1);
printTable(
  `Bank sends: ${N} pre-signed MsgSend txs, ${CONCURRENCY} in flight over loopback (fast profile, timeout_commit 150 ms); secp256k1 via ${secp256k1Backend}; load average before the CometBFT runs ${loadBefore}, at the end ${loadAvg}`,
  ['path', 'txs', 'wall ms', 'txs/s (wall)', 'in process: txs per CPU-s; through CometBFT: CPU seconds'],
  rows,
);
