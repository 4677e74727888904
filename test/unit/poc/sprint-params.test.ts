// x/poc Sprint params, stage arithmetic and the registration proof of possession, without a chain.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseClasses, readConsensusKey } from '../../../app/cli/commands/pocSprint.js';
import { Params } from '../../../proto/gen/gonka/poc/v1/poc.js';
import { setSprintParams } from '../../../x/poc/genesisValidators.js';
import {
  defaultPocParams,
  pocParamsFromJson,
  pocParamsToJson,
  sprintParams,
  validatePocParams,
} from '../../../x/poc/params.js';
import { ed25519PublicKey, signPop, verifyPop } from '../../../x/poc/registration.js';
import { commitOpen, planSprint, stageAt, validationOpen } from '../../../x/poc/stages.js';

const ok = sprintParams('fast');
const bad = (patch: Partial<Params>, re: RegExp) =>
  assert.throws(() => validatePocParams(Params.fromPartial({ ...ok, ...patch })), re);

describe('x/poc Sprint params', () => {
  it('the profiles are valid and the default keeps the Sprint off with the old encoding', () => {
    for (const p of ['fast', 'devnet', 'mainnet'] as const) validatePocParams(sprintParams(p));
    assert.deepEqual(pocParamsToJson(defaultPocParams()), { epoch_length: '60' });
    assert.deepEqual(
      Params.encode(defaultPocParams()).finish(),
      Params.encode({ ...Params.fromPartial({}), epochLength: 60n }).finish(),
    );
  });

  it('refuses a Sprint leaving < 10 free blocks, bad sample sizes, fractions, classes', () => {
    bad({ epochLength: 19n }, /leaves less than 10/); // 2+2+2+2+2 + 10 = 20
    validatePocParams(Params.fromPartial({ ...ok, epochLength: 20n }));
    bad({ sampleSize: 0 }, /sample_size/);
    bad({ sampleSize: 1001 }, /sample_size/);
    bad({ maxParticipants: 0 }, /max_participants/);
    bad({ maxParticipants: 100_001 }, /max_participants/);
    bad({ maxPowerFraction: '0' }, /max_power_fraction/);
    bad({ maxPowerFraction: '1.01' }, /max_power_fraction/);
    bad({ maxPowerFraction: 'x' }, /max_power_fraction/);
    bad({ classes: [] }, /classes/);
    bad({ classes: [ok.classes[1]!, ok.classes[0]!] }, /sorted/);
    bad({ classes: [ok.classes[0]!, ok.classes[0]!] }, /sorted/);
    bad({ classes: [{ ...ok.classes[0]!, coefficient: '0' }] }, /positive/);
    bad({ classes: [{ ...ok.classes[0]!, coefficient: '-1' }] }, /decimal/);
    bad({ classes: [{ ...ok.classes[0]!, maxCount: 0n }] }, /max_count/);
    bad({ commitBlocks: 0n }, /commit_blocks/);
    // generation 0: the Sprint is off and the rest is not read
    validatePocParams(Params.fromPartial({ epochLength: 8n, sampleSize: 0 }));
  });

  it('setSprintParams turns the Sprint on in a genesis (opt-in) and refuses stages that do not fit', () => {
    const g: { app_state?: Record<string, unknown> } = {};
    setSprintParams(g, 'fast');
    assert.deepEqual(
      pocParamsFromJson((g.app_state!.poc as { params: unknown }).params),
      sprintParams('fast'),
    );
    setSprintParams(g, 'fast', 40n);
    assert.equal((g.app_state!.poc as { params: { epoch_length: string } }).params.epoch_length, '40');
    assert.throws(() => setSprintParams(g, 'devnet', 30n), /leaves less than 10/);
  });

  it('JSON round trip', () => {
    for (const p of ['fast', 'devnet', 'mainnet'] as const)
      assert.deepEqual(
        pocParamsFromJson(JSON.parse(JSON.stringify(pocParamsToJson(sprintParams(p))))),
        sprintParams(p),
      );
    assert.throws(
      () => pocParamsFromJson({ epoch_length: '24', generation_blocks: '-1' }),
      /not an unsigned integer/,
    );
  });
});

describe('x/poc stages', () => {
  it('P = B − (gen + commit + validation + dkg + 2); windows', () => {
    const s = planSprint(1n, 25n, ok);
    assert.deepEqual(
      [s.pocStart, s.commitStart, s.validationStart, s.weightsFinal, s.setHeight],
      [15n, 17n, 19n, 21n, 23n],
    );
    assert.deepEqual(
      [14n, 15n, 16n, 17n, 19n, 21n, 22n, 25n].map((h) => stageAt(s, h)),
      ['idle', 'generation', 'generation', 'commit', 'validation', 'weights_final', 'dkg', 'idle'],
    );
    assert.deepEqual(
      [15n, 16n, 18n, 19n].map((h) => commitOpen(s, h)),
      [false, true, true, false],
    );
    assert.deepEqual(
      [18n, 19n, 20n, 21n].map((h) => validationOpen(s, h)),
      [false, true, true, false],
    );
  });
});

describe('registration proof of possession', () => {
  const seed = new Uint8Array(32).fill(7);
  const pub = ed25519PublicKey(seed);
  it('verifies only for the signed chain id, participant and key', () => {
    const pop = signPop('c', 'gonka1x', seed);
    assert.equal(verifyPop('c', 'gonka1x', pub, pop), true);
    assert.equal(verifyPop('d', 'gonka1x', pub, pop), false);
    assert.equal(verifyPop('c', 'gonka1y', pub, pop), false);
    assert.equal(verifyPop('c', 'gonka1x', ed25519PublicKey(new Uint8Array(32).fill(8)), pop), false);
    assert.equal(verifyPop('c', 'gonka1x', pub, pop.subarray(1)), false);
    assert.equal(verifyPop('c', 'gonka1x', new Uint8Array(32), pop), false);
  });

  it('the CLI reads priv_validator_key.json and class names', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gonka-pvk-'));
    try {
      const file = join(dir, 'priv_validator_key.json');
      writeFileSync(
        file,
        JSON.stringify({
          pub_key: { type: 'tendermint/PubKeyEd25519', value: Buffer.from(pub).toString('base64') },
          priv_key: {
            type: 'tendermint/PrivKeyEd25519',
            value: Buffer.concat([seed, pub]).toString('base64'),
          },
        }),
      );
      const k = readConsensusKey(file);
      assert.deepEqual(k.pubkey, pub);
      assert.equal(verifyPop('c', 'a', k.pubkey, signPop('c', 'a', k.seed)), true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assert.deepEqual(parseClasses('tiny,devnet'), [1, 2]);
    assert.deepEqual(parseClasses('3'), [3]);
    assert.throws(() => parseClasses('huge'), /unknown class/);
  });
});
