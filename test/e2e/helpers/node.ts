// Starts a real single-validator node (gonkad start: our ABCI app + a CometBFT child) in a fresh
// temporary home on free loopback ports, with the fast timing profile. Shared by the e2e tests.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHAIN_NODE_V8_FLAGS } from '../../../app/node/nodeFlags.js';
import { gonkadEntry, testNodeEntry } from './entries.js';
import { freePorts } from './ports.js';
import { CometRpc, waitFor } from './rpc.js';

export interface TestNodeOptions {
  /** 'testkv': run the test entry (gonkad plus the testkv module) instead of gonkad. */
  fixtures?: 'testkv';
  env?: Record<string, string>;
  /** More `gonkad init` arguments (a later listener flag replaces the helper's own). */
  initArgs?: string[];
  /** Node.js flags for the node process (e.g. --cpu-prof, which NODE_OPTIONS refuses). */
  nodeArgs?: string[];
}

export class TestNode {
  proc: ChildProcess | undefined;
  output = '';
  private exitPromise: Promise<number | null> | undefined;

  private constructor(
    readonly home: string,
    readonly ports: { rpc: number; p2p: number; grpc: number; metrics: number; rest: number },
    readonly rpc: CometRpc,
    private readonly opts: TestNodeOptions,
  ) {}

  static async create(opts: TestNodeOptions = {}): Promise<TestNode> {
    const home = mkdtempSync(join(tmpdir(), 'gonka-e2e-'));
    const [rpc, p2p, grpc, metrics, rest] = (await freePorts(5)) as [number, number, number, number, number];
    const r = spawnSync(
      process.execPath,
      [
        gonkadEntry,
        'init',
        '--home',
        home,
        '--profile',
        'fast',
        '--chain-id',
        'gonka-e2e',
        '--rpc-laddr',
        `127.0.0.1:${rpc}`,
        '--p2p-laddr',
        `127.0.0.1:${p2p}`,
        '--grpc-address',
        `127.0.0.1:${grpc}`,
        '--rest-address',
        `127.0.0.1:${rest}`,
        '--comet-metrics-address',
        'off',
        '--metrics-address',
        `127.0.0.1:${metrics}`,
        // ABCI: the default private unix socket, <home>/abci.sock.
        ...(opts.initArgs ?? []),
      ],
      { encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`gonkad init failed: ${r.stderr}`);
    return new TestNode(
      home,
      { rpc, p2p, grpc, metrics, rest },
      new CometRpc(`http://127.0.0.1:${rpc}`),
      opts,
    );
  }

  /** Starts `gonkad start`; env adds variables for this run only (e.g. a failpoint), args flags. */
  start(env: Record<string, string> = {}, args: string[] = []): void {
    if (this.proc && this.proc.exitCode === null && this.proc.signalCode === null)
      throw new Error('node already running');
    this.output = '';
    const entry = this.opts.fixtures === 'testkv' ? testNodeEntry : gonkadEntry;
    const proc = spawn(
      process.execPath,
      [...CHAIN_NODE_V8_FLAGS, ...(this.opts.nodeArgs ?? []), entry, 'start', '--home', this.home, ...args],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          GONKA_LOG_LEVEL: 'warn',
          ...this.opts.env,
          ...env,
        },
      },
    );
    proc.stdout.on('data', (d) => (this.output += d));
    proc.stderr.on('data', (d) => (this.output += d));
    this.exitPromise = new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
    this.proc = proc;
  }

  /** Pid of the CometBFT child, from the pid file the node writes. */
  cometPid(): number | undefined {
    const f = join(this.home, 'cometbft.pid');
    return existsSync(f) ? Number(readFileSync(f, 'utf8')) : undefined;
  }

  /** The last lines of CometBFT's log, for failure messages. */
  cometLogTail(lines = 30): string {
    const f = join(this.home, 'cometbft.log');
    return existsSync(f) ? readFileSync(f, 'utf8').split('\n').slice(-lines).join('\n') : '(no cometbft.log)';
  }

  appPid(): number | undefined {
    return this.proc?.pid;
  }

  async waitForHeight(h: number, timeoutMs = 30_000): Promise<number> {
    return waitFor(
      `height ${h}`,
      async () => {
        const height = await this.rpc.height();
        return height >= h ? height : undefined;
      },
      timeoutMs,
    );
  }

  /** Waits for the node process (app) to exit; returns its exit code (null if killed by a signal). */
  async exited(timeoutMs = 20_000): Promise<number | null> {
    if (!this.exitPromise) return null;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>(
      (_, rej) =>
        (timer = setTimeout(() => rej(new Error(`node did not exit in ${timeoutMs} ms`)), timeoutMs)),
    );
    try {
      return await Promise.race([this.exitPromise, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Waits until a pid no longer exists (CometBFT exits by itself when the app dies). */
  async pidGone(pid: number, timeoutMs = 20_000): Promise<void> {
    await waitFor(
      `pid ${pid} to exit`,
      async () => {
        try {
          process.kill(pid, 0);
          return false;
        } catch {
          return true;
        }
      },
      timeoutMs,
      50,
    );
  }

  /** Graceful stop (SIGTERM), then wait for both processes. */
  async stop(): Promise<void> {
    const comet = this.cometPid();
    if (this.proc && this.proc.exitCode === null && this.proc.signalCode === null) {
      this.proc.kill('SIGTERM');
      await this.exited();
    }
    if (comet) await this.pidGone(comet).catch(() => undefined);
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.home, { recursive: true, force: true });
  }

  genesis(): { chain_id: string; genesis_time: string; app_state: Record<string, unknown> } {
    return JSON.parse(readFileSync(join(this.home, 'config', 'genesis.json'), 'utf8'));
  }
}
