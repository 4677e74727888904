// Pinned external tools, built from the Go module proxy into .tools/bin (git-ignored).
// Never `@latest`: CometBFT's newest release line (v1.x) speaks another ABCI wire protocol.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './build.mjs';

export const toolsBin = join(repoRoot, '.tools', 'bin');

export const pinnedTools = [
  {
    name: 'cometbft',
    module: 'github.com/cometbft/cometbft/cmd/cometbft',
    version: 'v0.38.25',
    versionArgs: ['version'],
    expect: (out) => out.trim() === '0.38.25',
  },
  {
    name: 'grpcurl',
    module: 'github.com/fullstorydev/grpcurl/cmd/grpcurl',
    version: 'v1.9.3',
    versionArgs: ['--version'],
    expect: (out) => out.includes('v1.9.3') || out.includes('dev build'),
  },
];

export function toolPath(name) {
  return join(toolsBin, name);
}

function installedOk(tool) {
  const path = toolPath(tool.name);
  if (!existsSync(path)) return false;
  const r = spawnSync(path, tool.versionArgs, { encoding: 'utf8' });
  return r.status === 0 && tool.expect(`${r.stdout}${r.stderr}`);
}

/**
 * Installs each pinned tool (of `names`) that is missing or of the wrong version, all at once in
 * parallel (their downloads and compiles overlap); resolves to the seconds each install took.
 */
export async function ensureTools(log, names = pinnedTools.map((t) => t.name)) {
  mkdirSync(toolsBin, { recursive: true });
  const missing = pinnedTools.filter((t) => names.includes(t.name) && !installedOk(t));
  if (missing.length === 0) return {};
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.status !== 0) {
    log(
      'cannot install ' +
        missing.map((t) => t.name).join(', ') +
        ': the Go toolchain (go) is not on PATH; install Go >= 1.22 and retry',
    );
    process.exit(1);
  }
  const timings = {};
  await Promise.all(
    missing.map(
      (tool) =>
        new Promise((resolve) => {
          const started = Date.now();
          log(
            `installing ${tool.name} ${tool.version} with go install (first time only, one to three minutes)…`,
          );
          const child = spawn('go', ['install', `${tool.module}@${tool.version}`], {
            stdio: ['ignore', 'ignore', 'pipe'],
            env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-trimpath', GOBIN: toolsBin },
          });
          let errors = '';
          child.stderr.on('data', (d) => {
            errors += d;
          });
          // A heartbeat, since go install prints nothing while it compiles.
          const beat = setInterval(
            () => log(`… still building ${tool.name} (${Math.round((Date.now() - started) / 1000)} s)`),
            20_000,
          );
          child.on('exit', (code) => {
            clearInterval(beat);
            if (code !== 0 || !installedOk(tool)) {
              log(`go install of ${tool.name}@${tool.version} failed:\n${errors}`);
              process.exit(1);
            }
            timings[tool.name] = (Date.now() - started) / 1000;
            log(`${tool.name} ${tool.version} installed in ${timings[tool.name].toFixed(1)} s`);
            resolve();
          });
        }),
    ),
  );
  return timings;
}
