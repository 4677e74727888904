// Supervises the CometBFT child process. It never restarts it: if CometBFT dies on its own, the
// node reports that clearly and exits non-zero (restarting is the operator's or harness's job).
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { toolPath } from '../paths.js';

export interface CometProcess {
  child: ChildProcess;
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(timeoutMs?: number): Promise<void>;
}

export function spawnCometBFT(home: string, logFile: string | 'inherit'): CometProcess {
  let log: WriteStream | undefined;
  const stdio: ('ignore' | 'inherit' | 'pipe')[] = [
    'ignore',
    logFile === 'inherit' ? 'inherit' : 'pipe',
    logFile === 'inherit' ? 'inherit' : 'pipe',
  ];
  const child = spawn(toolPath('cometbft'), ['start', '--home', home], { stdio });
  if (logFile !== 'inherit') {
    log = createWriteStream(logFile, { flags: 'a' });
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      log?.end();
      resolve({ code, signal });
    });
  });
  const stop = async (timeoutMs = 15_000) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  };
  return { child, exited, stop };
}
