// One off-chain process of a testnet validator (its ML node or its API node) as a child process the
// harness starts, kills and restarts by pid. Readiness is the service answering GET <url>/v1/status;
// its stdout and stderr go to a log file in the validator's home, where failures show.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { pidAlive } from './node.js';
import { waitFor } from './rpc.js';

export interface ServiceSpec {
  /** e.g. "validator-2 ml" (logs and errors). */
  name: string;
  /** Arguments after the gonkad entry script (`ml start --listen …`). */
  args: string[];
  /** The service's base URL (http://127.0.0.1:<port>); ready when /v1/status answers 200. */
  url: string;
  log: string;
  env?: Record<string, string>;
}

export class TestnetService {
  private proc: ChildProcess | undefined;

  constructor(
    readonly spec: ServiceSpec,
    private readonly script: string,
  ) {}

  get running(): boolean {
    return this.proc !== undefined && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  get pid(): number | undefined {
    return this.running ? this.proc?.pid : undefined;
  }

  start(): void {
    if (this.running) throw new Error(`${this.spec.name} is already running`);
    const log = openSync(this.spec.log, 'a');
    this.proc = spawn(process.execPath, [this.script, ...this.spec.args], {
      stdio: ['ignore', log, log],
      env: { ...process.env, GONKA_LOG_LEVEL: 'info', ...this.spec.env },
    });
    closeSync(log);
  }

  /** Until /v1/status answers, or the process exits (then throws with the log tail). */
  async waitReady(timeoutMs = 60_000): Promise<void> {
    await waitFor(
      `${this.spec.name} at ${this.spec.url}`,
      async () => {
        if (!this.running) return true;
        const res = await fetch(`${this.spec.url}/v1/status`, { signal: AbortSignal.timeout(2000) }).catch(
          () => undefined,
        );
        return res?.ok === true;
      },
      timeoutMs,
      100,
    );
    if (!this.running) throw new Error(`${this.spec.name} exited during start:\n${this.logTail()}`);
  }

  logTail(lines = 15): string {
    return existsSync(this.spec.log)
      ? readFileSync(this.spec.log, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
      : '(no log)';
  }

  /** SIGKILL, then waits until the pid is gone. */
  async kill9(): Promise<void> {
    const pid = this.pid;
    if (pid !== undefined && pidAlive(pid)) process.kill(pid, 'SIGKILL');
    await this.waitDown(pid);
  }

  /** SIGTERM, SIGKILL after the deadline. */
  async stop(timeoutMs = 15_000): Promise<void> {
    const pid = this.pid;
    if (pid === undefined) return;
    process.kill(pid, 'SIGTERM');
    try {
      await this.waitDown(pid, timeoutMs);
    } catch {
      if (pidAlive(pid)) process.kill(pid, 'SIGKILL');
      await this.waitDown(pid);
    }
  }

  private async waitDown(pid: number | undefined, timeoutMs = 10_000): Promise<void> {
    await waitFor(
      `${this.spec.name} to exit`,
      async () => !this.running && (pid === undefined || !pidAlive(pid)),
      timeoutMs,
      50,
    );
  }
}
