// Genesis edits the e2e tests share: funding accounts through `gonkad genesis add-account` (the
// operator's path, so the CLI is exercised too) and governance params for a test's time scale.
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

/** Deposit/voting periods as genesis JSON durations, e.g. '20s'. */
export interface GovPeriods {
  maxDeposit: string;
  voting: string;
  expedited: string;
}

/**
 * Genesis governance params with a min deposit of `deposit` `denom` (twice that expedited) and the
 * given periods; every other param as in `params`.
 */
export function testGovParams(
  params: Record<string, unknown>,
  denom: string,
  deposit: bigint,
  periods: GovPeriods,
): Record<string, unknown> {
  return {
    ...params,
    min_deposit: [{ denom, amount: deposit.toString() }],
    expedited_min_deposit: [{ denom, amount: (2n * deposit).toString() }],
    max_deposit_period: periods.maxDeposit,
    voting_period: periods.voting,
    expedited_voting_period: periods.expedited,
  };
}
