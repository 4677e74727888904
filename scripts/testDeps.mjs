// Test-only dependencies outside npm, installed by `npm test`'s set-up when missing; each is
// skipped with a message (and its tests skip, saying why) where it cannot be installed:
// - cosmpy (PyPI, pinned) in a project-local virtualenv .venv-py, for the REST e2e test;
// - Debian's chromium (driven by playwright-core) for the explorer's browser test.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

// 0.12: CometBFT 0.38 / SDK 0.50 protos (string event attributes, as we answer); 0.9 has bytes.
export const COSMPY_VERSION = '0.12.2';

export function venvPython(root) {
  return join(root, '.venv-py', 'bin', 'python');
}

/** Creates .venv-py and installs cosmpy==COSMPY_VERSION when it is not there yet. */
export function ensureCosmpy(root, log) {
  const py = venvPython(root);
  const check = `from importlib.metadata import version; assert version('cosmpy') == '${COSMPY_VERSION}'`;
  const has = () => existsSync(py) && spawnSync(py, ['-c', check], { stdio: 'ignore' }).status === 0;
  if (has()) return true;
  const started = Date.now();
  log(`installing cosmpy==${COSMPY_VERSION} into .venv-py (python3 -m venv + pip)…`);
  const venv = spawnSync('python3', ['-m', 'venv', join(root, '.venv-py')], { stdio: ['ignore', 2, 2] });
  if (venv.status !== 0) {
    log('python3 -m venv failed: the cosmpy REST test will be skipped');
    return false;
  }
  const pip = spawnSync(
    join(root, '.venv-py', 'bin', 'pip'),
    ['install', '--disable-pip-version-check', '-q', `cosmpy==${COSMPY_VERSION}`],
    { stdio: ['ignore', 2, 2], timeout: 600_000 },
  );
  if (pip.status !== 0 || !has()) {
    log('pip could not install cosmpy (no package index reachable?): the cosmpy REST test will be skipped');
    return false;
  }
  log(`cosmpy installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

export const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

export function chromiumPath() {
  return CHROMIUM_CANDIDATES.find((p) => existsSync(p));
}

/** Installs Debian's chromium with apt-get (as root, or through passwordless sudo) when missing. */
export function ensureChromium(log) {
  if (chromiumPath()) return true;
  log('installing chromium (apt-get install -y chromium) for the explorer browser test…');
  const root = process.getuid?.() === 0;
  const run = (args) =>
    spawnSync(root ? args[0] : 'sudo', root ? args.slice(1) : ['-n', ...args], {
      stdio: ['ignore', 2, 2],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      timeout: 900_000,
    });
  if (run(['apt-get', 'install', '-y', '--no-install-recommends', 'chromium']).status !== 0) {
    run(['apt-get', 'update']);
    run(['apt-get', 'install', '-y', '--no-install-recommends', 'chromium']);
  }
  if (chromiumPath()) return true;
  log('chromium could not be installed: the explorer browser test will be skipped');
  return false;
}
