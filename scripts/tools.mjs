// Pinned external tools, built from the Go module proxy into .tools/bin (git-ignored).
// Never `@latest`: CometBFT's newest release line (v1.x) speaks another ABCI wire protocol.
import { spawnSync } from 'node:child_process';
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

/** Installs each pinned tool that is missing or of the wrong version; returns seconds per tool. */
export function ensureTools(log) {
  const timings = {};
  mkdirSync(toolsBin, { recursive: true });
  for (const tool of pinnedTools) {
    if (installedOk(tool)) continue;
    const go = spawnSync('go', ['version'], { encoding: 'utf8' });
    if (go.status !== 0) {
      log(`cannot install ${tool.name}: the Go toolchain (go) is not on PATH; install Go ≥ 1.22 and retry`);
      process.exit(1);
    }
    const started = Date.now();
    log(`installing ${tool.name} ${tool.version} with go install (first time only, about a minute)…`);
    const r = spawnSync('go', ['install', '-v', `${tool.module}@${tool.version}`], {
      stdio: ['ignore', 2, 2],
      env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-trimpath', GOBIN: toolsBin },
    });
    if (r.status !== 0 || !installedOk(tool)) {
      log(`go install of ${tool.name}@${tool.version} failed (see above)`);
      process.exit(1);
    }
    timings[tool.name] = (Date.now() - started) / 1000;
    log(`${tool.name} ${tool.version} installed in ${timings[tool.name].toFixed(1)} s`);
  }
  return timings;
}
