// Runs a few gonkad processes as children (the devnet's chain node, ML node and API node,
// DESIGN.md §1): each child's output goes to our stderr line by line, prefixed with its name;
// SIGINT/SIGTERM are forwarded; a child that exits on its own stops all the others and makes the
// supervisor exit non-zero with one clear line (nothing restarts itself).
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ChildSpec {
  name: string;
  args: string[];
  /** Called with each stdout line (JSON status lines); the line is also forwarded to stderr. */
  onStdout?: (line: string) => void;
  /** Node.js/V8 flags for the child (before the script). */
  nodeFlags?: readonly string[];
}

/** Grace before SIGKILL for a child that ignores SIGTERM. */
const KILL_AFTER_MS = 15_000;

export class Supervisor {
  private readonly children = new Map<string, ChildProcess>();
  private stopping = false;
  private result: { resolve: (code: number) => void; promise: Promise<number> };

  constructor(
    private readonly script: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    let resolve!: (code: number) => void;
    const promise = new Promise<number>((r) => {
      resolve = r;
    });
    this.result = { resolve, promise };
  }

  spawn(spec: ChildSpec): ChildProcess {
    const child = spawn(process.execPath, [...(spec.nodeFlags ?? []), this.script, ...spec.args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: this.env,
    });
    this.children.set(spec.name, child);
    process.stderr.write(`[devnet] ${spec.name} started (pid ${child.pid})\n`);
    const forward = (line: string) => process.stderr.write(`[${spec.name}] ${line}\n`);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      forward(line);
      spec.onStdout?.(line);
    });
    createInterface({ input: child.stderr! }).on('line', forward);
    child.on('exit', (code, signal) => {
      this.children.delete(spec.name);
      if (this.stopping) {
        if (this.children.size === 0) this.result.resolve(this.exitCode);
        return;
      }
      // Ctrl-C reaches the whole process group: a child may exit on it a moment before our own
      // SIGINT handler runs. Only an exit nobody asked for is a failure.
      setTimeout(() => {
        if (this.stopping) {
          if (this.children.size === 0) this.result.resolve(this.exitCode);
          return;
        }
        process.stderr.write(
          `[devnet] ${spec.name} exited (${signal ?? `code ${code}`}); stopping the devnet\n`,
        );
        void this.stopAll(1);
      }, 200);
    });
    child.on('error', (e) => {
      process.stderr.write(`[devnet] ${spec.name} could not start: ${e.message}\n`);
      void this.stopAll(1);
    });
    return child;
  }

  private exitCode = 0;

  /** Stops every child (SIGTERM, SIGKILL after a grace period); resolves run() with `code`. */
  async stopAll(code: number): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.exitCode = code;
    if (this.children.size === 0) {
      this.result.resolve(code);
      return;
    }
    for (const child of this.children.values()) child.kill('SIGTERM');
    const timer = setTimeout(() => {
      for (const child of this.children.values()) child.kill('SIGKILL');
    }, KILL_AFTER_MS);
    timer.unref();
  }

  /** Forwards SIGINT/SIGTERM to the children and resolves with the exit code once all have exited. */
  run(): Promise<number> {
    const onSignal = () => void this.stopAll(0);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    return this.result.promise.finally(() => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    });
  }
}
