// Incremental TypeScript build used by `npm run build`, the `gonkad` shim and the set-up step.
// It rebuilds only when a source file is newer than the last successful build's stamp, so the
// shim costs a directory walk (a few ms) when nothing changed.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = dirname(dirname(fileURLToPath(import.meta.url)));
const sourceDirs = ['abci', 'app', 'x', 'kernels', 'testnet', 'test', 'proto'];
const stampPath = join(repoRoot, 'dist', '.stamp');

function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (/\.(ts|json)$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

export function isBuildStale() {
  if (!existsSync(stampPath)) return true;
  const stamp = statSync(stampPath).mtimeMs;
  const inputs = [join(repoRoot, 'tsconfig.json'), join(repoRoot, 'package.json')];
  let newest = Math.max(...inputs.map((p) => statSync(p).mtimeMs));
  for (const dir of sourceDirs) newest = Math.max(newest, newestMtime(join(repoRoot, dir)));
  return newest > stamp;
}

/** Builds when stale. Progress goes to stderr; a failed build exits the process non-zero. */
export function buildIfStale({ quiet = false } = {}) {
  if (!isBuildStale()) return false;
  const started = Date.now();
  if (!quiet) process.stderr.write('[build] compiling TypeScript (tsc, incremental)…\n');
  const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  if (!existsSync(tsc)) {
    process.stderr.write(
      '[build] typescript is not installed: run `npm ci` (or `npm start`, which does it)\n',
    );
    process.exit(1);
  }
  const result = spawnSync(process.execPath, [tsc, '-p', join(repoRoot, 'tsconfig.json')], {
    cwd: repoRoot,
    stdio: ['ignore', 2, 2],
  });
  if (result.status !== 0) {
    process.stderr.write('[build] TypeScript compilation failed (see errors above)\n');
    process.exit(1);
  }
  writeFileSync(stampPath, `${new Date().toISOString()}\n`);
  if (!quiet) process.stderr.write(`[build] done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--force')) {
    try {
      writeFileSync(stampPath, '');
      statSync(stampPath);
    } catch {}
  }
  buildIfStale();
}
