// Confirmation rounds, pure parts: the trigger is a function of (height, previous block hash)
// only, pinned by golden values (recomputed independently with Python's hashlib when written);
// the eligible window keeps boundary_margin on both sides and ends the round before the next
// Sprint; the params validate, round-trip through genesis JSON, and stay out of the default genesis.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { ConfirmationParams } from '../../../proto/gen/gonka/poc/v1/poc.js';
import { SLASH_DOWNTIME } from '../../../x/collateral/keeper.js';
import { SLASH_REASON_DOWNTIME } from '../../../x/poc/confirmation.js';
import { confirmationProfile, roundLength } from '../../../x/poc/confirmationParams.js';
import { eligibleWindow, planRound, triggers, triggerValue } from '../../../x/poc/confirmationTrigger.js';
import { defaultPocGenesis } from '../../../x/poc/genesis.js';
import {
  pocParamsFromJson,
  pocParamsToJson,
  sprintParams,
  validatePocParams,
} from '../../../x/poc/params.js';

const hashOf = (h: bigint) => createHash('sha256').update(`block-${h}`).digest();
const fast = confirmationProfile('fast');

describe('confirmation trigger (pure)', () => {
  it('r = u64 BE of SHA-256("gonka/poc/confirmation" ‖ u64 BE h ‖ last_block_hash): golden values', () => {
    assert.equal(triggerValue(43n, hashOf(42n)), 3636814401390373730n);
    assert.equal(triggerValue(100n, hashOf(99n)), 5625344819396341766n);
    assert.equal(triggerValue(1n, new Uint8Array(32)), 14058095657845655127n);
    // Same inputs, same answer; another previous hash, another answer.
    assert.equal(triggerValue(43n, hashOf(42n)), triggerValue(43n, hashOf(42n)));
    assert.notEqual(triggerValue(43n, hashOf(41n)), triggerValue(43n, hashOf(42n)));
  });

  it('the window keeps the margins and ends every round before the next Sprint', () => {
    // epoch [41, 81), next Sprint's poc_start 71, round 3+2+2, margin 2
    const w = eligibleWindow(41n, 71n, fast)!;
    assert.deepEqual(w, { first: 43n, last: 62n });
    assert.equal(planRound(1n, 1, w.last, fast).resultHeight, 71n - fast.boundaryMargin);
    assert.equal(eligibleWindow(41n, 41n + 2n * 2n + roundLength(fast) - 1n, fast), undefined);
  });

  it('triggers only inside the window, with r mod window_len < expected (golden heights)', () => {
    const w = eligibleWindow(41n, 71n, fast)!;
    const fired = (expected: number) => {
      const out: bigint[] = [];
      for (let h = 30n; h <= 80n; h++) if (triggers(h, hashOf(h - 1n), w, expected)) out.push(h);
      return out;
    };
    assert.deepEqual(fired(1), [62n]);
    assert.deepEqual(
      fired(20),
      Array.from({ length: 20 }, (_, i) => 43n + BigInt(i)),
    ); // expected ≥ window length: every eligible height
    assert.deepEqual(fired(0), []);
    assert.equal(triggers(43n, hashOf(42n), undefined, 1000), false);
  });

  it('round stage heights follow the Sprint: generation, commits, validation, results', () => {
    const r = planRound(3n, 2, 50n, fast);
    assert.deepEqual(
      [r.start, r.commitStart, r.validationStart, r.resultHeight, r.round, r.finished],
      [50n, 53n, 55n, 57n, 2, false],
    );
  });
});

describe('confirmation params', () => {
  const withRounds = (c: Partial<ConfirmationParams>) => ({
    ...sprintParams('fast'),
    confirmation: ConfirmationParams.fromPartial({ ...fast, ...c }),
  });

  it('profiles validate and round-trip through genesis JSON', () => {
    for (const p of ['fast', 'devnet', 'mainnet'] as const) {
      const params = validatePocParams(sprintParams(p, true));
      assert.deepEqual(pocParamsFromJson(JSON.parse(JSON.stringify(pocParamsToJson(params)))), params);
    }
  });

  it('off by default: the default genesis has no confirmation key and profiles opt in', () => {
    assert.equal('confirmation' in defaultPocGenesis().params, false);
    assert.equal(sprintParams('fast').confirmation, undefined);
    assert.equal(sprintParams('mainnet', true).confirmation?.expectedPerEpoch, 1);
  });

  it("INACTIVE slashes with x/collateral's downtime reason (its fraction is a param)", () => {
    assert.equal(SLASH_REASON_DOWNTIME, SLASH_DOWNTIME);
  });

  it('refuses bad values', () => {
    const bad: [Partial<ConfirmationParams>, RegExp][] = [
      [{ generationBlocks: 0n }, /generation_blocks/],
      [{ boundaryMargin: 0n }, /boundary_margin/],
      [{ sampleSize: 0 }, /sample_size/],
      [{ alpha: '1.5' }, /alpha/],
      [{ alpha: 'x' }, /alpha/],
      [{ rateTolerance: '0' }, /rate_tolerance/],
      [{ expectedPerEpoch: 10_001 }, /expected_per_epoch/],
      [{ generationBlocks: 12n }, /does not fit/], // 24-block epoch, 10 for the Sprint
    ];
    for (const [c, re] of bad) assert.throws(() => validatePocParams(withRounds(c)), re);
    assert.throws(() => validatePocParams({ ...withRounds({}), generationBlocks: 0n }), /need the Sprint/);
    validatePocParams(withRounds({ expectedPerEpoch: 0, generationBlocks: 0n })); // off: not read
  });
});
