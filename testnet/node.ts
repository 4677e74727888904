// One validator of the testnet as child processes: `gonkad start` (our app) and the CometBFT it
// spawns (pid from <home>/cometbft.pid). Every signal goes to a pid this harness started or that
// its child recorded; nothing is ever looked up by name.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CHAIN_NODE_V8_FLAGS } from '../app/node/nodeFlags.js';
import { repoPath } from '../app/paths.js';
import type { ValidatorEntry } from './manifest.js';
import { NodeRpc, waitFor } from './rpc.js';

/** The product gonkad entry, what a node runs unless the launcher is given another. */
export const gonkadEntry = repoPath('dist', 'app', 'cli', 'main.js');

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export class TestnetNode {
  readonly rpc: NodeRpc;
  private proc: ChildProcess | undefined;
  private comet: number | undefined;
  paused = false;

  constructor(
    readonly index: number,
    readonly entry: ValidatorEntry,
    private readonly env: Record<string, string>,
    private readonly script: string = gonkadEntry,
  ) {
    this.rpc = new NodeRpc(`http://127.0.0.1:${entry.ports.rpc}`);
  }

  get running(): boolean {
    return this.proc !== undefined && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  get appPid(): number | undefined {
    return this.running ? this.proc?.pid : undefined;
  }

  /** CometBFT's pid for the current run (read once its pid file appears). */
  cometPid(): number | undefined {
    if (this.comet !== undefined) return this.comet;
    const f = join(this.entry.home, 'cometbft.pid');
    if (!existsSync(f)) return undefined;
    this.comet = Number(readFileSync(f, 'utf8'));
    return this.comet;
  }

  /** The last lines of this node's app log (where startup failures show). */
  logTail(lines = 15): string {
    const f = join(this.entry.home, 'gonkad.log');
    return existsSync(f)
      ? readFileSync(f, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
      : '(no log)';
  }

  start(): void {
    if (this.running) throw new Error(`${this.entry.name} is already running`);
    const cometLeft = this.comet;
    if (cometLeft !== undefined && pidAlive(cometLeft))
      throw new Error(`${this.entry.name}: CometBFT ${cometLeft} from the last run is still alive`);
    // A stale pid file would name the previous run's CometBFT.
    rmSync(join(this.entry.home, 'cometbft.pid'), { force: true });
    this.comet = undefined;
    this.paused = false;
    const log = openSync(join(this.entry.home, 'gonkad.log'), 'a');
    const proc = spawn(
      process.execPath,
      [...CHAIN_NODE_V8_FLAGS, this.script, 'start', '--home', this.entry.home],
      {
        stdio: ['ignore', log, log],
        env: { ...process.env, GONKA_LOG_LEVEL: 'warn', ...this.env },
      },
    );
    closeSync(log);
    this.proc = proc;
  }

  async waitStarted(timeoutMs = 30_000): Promise<void> {
    await waitFor(
      `${this.entry.name} CometBFT pid file`,
      async () => this.cometPid() !== undefined || !this.running,
      timeoutMs,
    );
    if (!this.running)
      throw new Error(`${this.entry.name} exited during start; see ${join(this.entry.home, 'gonkad.log')}`);
  }

  /** Sends a signal to the app and/or CometBFT pid. */
  signal(sig: NodeJS.Signals, which: 'app' | 'comet' | 'both'): void {
    const pids = [which !== 'comet' ? this.appPid : undefined, which !== 'app' ? this.cometPid() : undefined];
    for (const pid of pids) if (pid !== undefined && pidAlive(pid)) process.kill(pid, sig);
  }

  pause(): void {
    this.signal('SIGSTOP', 'both');
    this.paused = true;
  }

  resume(): void {
    this.signal('SIGCONT', 'both');
    this.paused = false;
  }

  /** Waits (bounded) until both processes are gone; SIGKILLs what outlives the deadline. */
  async waitDown(timeoutMs = 20_000): Promise<void> {
    const comet = this.cometPid();
    try {
      await waitFor(
        `${this.entry.name} to exit`,
        async () => !this.running && (comet === undefined || !pidAlive(comet)),
        timeoutMs,
        50,
      );
    } catch {
      this.signal('SIGKILL', 'both');
      await waitFor(
        `${this.entry.name} to die`,
        async () => !this.running && (comet === undefined || !pidAlive(comet)),
        5000,
        50,
      );
    }
  }

  /** kill -9 of the app or of CometBFT; the other one notices and exits by itself. */
  async kill9(which: 'app' | 'comet'): Promise<void> {
    if (this.paused) this.resume();
    this.signal('SIGKILL', which);
    await this.waitDown();
  }

  /** Graceful stop (SIGTERM to the app, which stops CometBFT). */
  async stop(): Promise<void> {
    if (!this.running) return this.waitDown();
    if (this.paused) this.resume();
    this.signal('SIGTERM', 'app');
    await this.waitDown();
  }

  async restart(): Promise<void> {
    await this.stop();
    this.start();
    await this.waitStarted();
  }
}
