// Key files are readable by their owner only. The mode is set at creation, and checked again on
// every open: a file or directory another user can read (copied, restored from a backup, unpacked
// by a tool that ignores modes) is tightened to 0600 / 0700, with a warning saying it was looser.
import { chmodSync, statSync } from 'node:fs';

export type Warn = (message: string) => void;

export const KEY_FILE_MODE = 0o600;
export const KEY_DIR_MODE = 0o700;

/** Tightens `path` to `mode` if group or others have any access; returns whether it changed it. */
export function tightenMode(path: string, mode: number, warn: Warn): boolean {
  if (process.platform === 'win32') return false; // no POSIX modes to check
  const current = statSync(path).mode & 0o777;
  if ((current & 0o077) === 0) return false;
  chmodSync(path, mode);
  warn(
    `warning: ${path} had mode ${current.toString(8).padStart(4, '0')} (readable by others); ` +
      `tightened to ${mode.toString(8).padStart(4, '0')}`,
  );
  return true;
}

export const stderrWarn: Warn = (m) => process.stderr.write(`${m}\n`);
