// The node's periodic invariant check (`gonkad start --check-invariants-every N`): runs only at
// multiples of N, and a broken invariant is logged at fatal level naming it, then thrown (the
// Commit fails, so the node halts). The flag's value is bounded.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import {
  InvariantsBroken,
  parseInvariantPeriod,
  periodicInvariantCheck,
} from '../../app/node/invariantCheck.js';

describe('periodic invariant check', () => {
  it('checks at multiples of N only, and halts loudly naming the broken invariant', () => {
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (s: string) => lines.push(s) });
    const checkedAt: number[] = [];
    let broken: string[] = [];
    let height = 0;
    const check = periodicInvariantCheck(
      () => {
        checkedAt.push(height);
        return broken;
      },
      3,
      log,
    );
    for (height = 1; height <= 7; height++) check(height);
    assert.deepEqual(checkedAt, [3, 6]);
    broken = ['poc: sum of weights 100 != stored total weight 101'];
    assert.throws(
      () => check(9),
      (e: unknown) =>
        e instanceof InvariantsBroken && /INVARIANT BROKEN at height 9: poc: sum of weights/.test(e.message),
    );
    const fatal = JSON.parse(lines.at(-1)!);
    assert.equal(fatal.level, 60);
    assert.deepEqual(fatal.invariants, broken);
    assert.match(fatal.msg, /INVARIANT BROKEN.*halting the node/);
  });

  it('is off at 0 and refuses values out of range', () => {
    let calls = 0;
    const checker = () => {
      calls++;
      return ['x'];
    };
    const check = periodicInvariantCheck(checker, 0, pino({ level: 'silent' }));
    check(1);
    assert.equal(calls, 0);
    assert.equal(parseInvariantPeriod('10', 'flag'), 10);
    assert.equal(parseInvariantPeriod(0, 'flag'), 0);
    for (const bad of ['-1', '1.5', 'abc', '', '2000000', '1e3'])
      assert.throws(() => parseInvariantPeriod(bad, 'flag'), /flag must be a whole number/);
  });
});
