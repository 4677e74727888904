// Funding genesis accounts through `gonkad genesis add-account` (the operator's path, so the CLI is
// exercised too), as the e2e tests on a single TestNode do.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { repoPath } from '../../../app/paths.js';

/** `gonkad genesis add-account <address> <coins> --home <home>`; fails the test on a non-zero exit. */
export function addGenesisAccount(home: string, address: string, coins: string): void {
  const r = spawnSync(
    process.execPath,
    [repoPath('dist', 'app', 'cli', 'main.js'), 'genesis', 'add-account', address, coins, '--home', home],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
}
