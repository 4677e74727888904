// One-shot set-up behind `npm start`, `npm test` and `npm run bench`: npm dependencies, pinned
// CometBFT and grpcurl in .tools/bin, and the TypeScript build — each skipped when already done,
// each timed on stderr so cold and warm start-up can be quoted.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './build.mjs';

const log = (msg) => process.stderr.write(`[setup] ${msg}\n`);
const total = Date.now();

function ensureNodeModules() {
  const marker = join(repoRoot, 'node_modules', '.package-lock.json');
  const lock = join(repoRoot, 'package-lock.json');
  // What the last npm ci installed from: the lock's hash, so a checkout that only touched the
  // lock's mtime (a new git worktree, a rebase back and forth) does not reinstall.
  const installed = join(repoRoot, 'node_modules', '.gonka-lock-sha256');
  const lockHash = createHash('sha256').update(readFileSync(lock)).digest('hex');
  if (existsSync(installed) && readFileSync(installed, 'utf8').trim() === lockHash) return;
  if (!existsSync(installed) && existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs)
    return;
  const started = Date.now();
  log('installing npm dependencies (npm ci)…');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], {
    cwd: repoRoot,
    stdio: ['ignore', 2, 2],
    env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' },
  });
  if (r.status !== 0) {
    log('npm ci failed (see above)');
    process.exit(1);
  }
  writeFileSync(installed, `${lockHash}\n`);
  log(`npm dependencies installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

ensureNodeModules();
// Imported after npm ci: tools.mjs itself has no dependencies, but keep the order obvious.
const { ensureTools } = await import('./tools.mjs');
// `--tools=cometbft` (npm start) installs only what the devnet needs; npm test needs grpcurl too.
const toolsArg = process.argv.find((a) => a.startsWith('--tools='));
await ensureTools(log, toolsArg ? toolsArg.slice('--tools='.length).split(',') : undefined);
const { buildIfStale } = await import('./build.mjs');
buildIfStale();
// `npm test` only (no --tools): cosmpy for the REST e2e test, chromium for the explorer test.
if (!toolsArg && process.env.npm_lifecycle_event !== 'bench') {
  const { ensureChromium, ensureCosmpy } = await import('./testDeps.mjs');
  ensureCosmpy(repoRoot, log);
  ensureChromium(log);
}
const secs = (Date.now() - total) / 1000;
if (secs > 1) log(`ready in ${secs.toFixed(1)} s`);
