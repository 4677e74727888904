// Issue 13 acceptance 3: PoC epochs under attack (poc-attack-sim.ts). `npm test` runs 5 Sprints
// (each adversary kind once); `npm run test:long` runs 20 with random honest participants, random
// throttles, restarts and partitions from the perturbation planner: no honest weight, collateral
// or Sprint lost, every adversary caught (counted per kind), every invariant holding.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sized } from '../profile.js';
import { simulateAttacks } from './poc-attack-sim.js';
import { ADVERSARY_KINDS } from './poc-attack-world.js';

const EPOCHS = sized(5, 20);
const PARTICIPANTS = sized(5, 7);
const SEED = 20261206;

describe('PoC under attack: simulated epochs', () => {
  it(`${EPOCHS} Sprints: every adversary caught, no honest weight lost`, async () => {
    const r = await simulateAttacks(SEED, EPOCHS, PARTICIPANTS);
    const table = ADVERSARY_KINDS.map((k) => `${k} ${r.caught[k]}/${r.armed[k]}`).join(', ');
    process.stderr.write(
      `poc attack sim: ${EPOCHS} epochs, caught/armed: ${table}; honest checks ${r.honestChecks}; ` +
        `fraud proofs landed ${r.fraudProofsLanded}; rounds ${r.rounds}; perturbations ${JSON.stringify(r.perturbations)}\n`,
    );
    assert.deepEqual(r.violations, []);
    assert.deepEqual(r.invariants, []);
    for (const k of ADVERSARY_KINDS) {
      assert.ok(r.armed[k] >= 1, `${k} was armed at least once: ${table}`);
      assert.equal(r.caught[k], r.armed[k], `every ${k} adversary caught: ${table}`);
    }
    assert.ok(r.honestChecks >= EPOCHS * (PARTICIPANTS - 1), `honest outcomes checked: ${r.honestChecks}`);
    assert.ok(r.fraudProofsLanded >= 2, 'the fabricator and the copier were proven on chain');
    assert.ok(Object.keys(r.perturbations).length >= 2, JSON.stringify(r.perturbations));
  });
});
