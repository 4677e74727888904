// x/poc fraud-proof params (issue 13): bounds of k, the reward fraction and the per-class gas,
// fraud_provable only for the classes a block can recompute, the JSON genesis keys, and the
// stateless bounds of MsgPocFraudProof (poc 19) — without a chain.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ClassParams, Params } from '../../../proto/gen/gonka/poc/v1/poc.js';
import { MsgPocFraudProof } from '../../../proto/gen/gonka/poc/v1/tx.js';
import { validateMsgPocFraudProof } from '../../../x/poc/fraud.js';
import {
  CLASS_DEVNET,
  CLASS_LARGE,
  CLASS_TINY,
  defaultPocParams,
  pocParamsFromJson,
  pocParamsToJson,
  sprintParams,
  validatePocParams,
} from '../../../x/poc/params.js';

const ok = sprintParams('fast');
const bad = (patch: Partial<Params>, re: RegExp) =>
  assert.throws(() => validatePocParams(Params.fromPartial({ ...ok, ...patch })), re);
const withClass = (id: number, patch: Partial<ClassParams>) =>
  ok.classes.map((c) => (c.classId === id ? { ...c, ...patch } : c));

describe('x/poc fraud-proof params', () => {
  it('profiles make tiny and devnet fraud-provable with gas, never large; the default stays off', () => {
    for (const p of ['fast', 'devnet', 'mainnet'] as const) {
      const params = validatePocParams(sprintParams(p));
      const provable = params.classes.filter((c) => c.fraudProvable).map((c) => c.classId);
      assert.deepEqual(provable, [CLASS_TINY, CLASS_DEVNET]);
      assert.ok(params.classes.every((c) => c.fraudProvable === c.fraudProofGas > 0n));
      assert.ok(params.fraudProofsPerBlock > 0);
    }
    const d = defaultPocParams();
    assert.equal(d.fraudProofsPerBlock, 0);
    assert.equal(d.fraudRewardFraction, '');
    assert.deepEqual(pocParamsToJson(d), { epoch_length: '60' });
  });

  it('bounds k to [0, 64], the reward fraction to [0, 1] and the gas to [0, 10^9]', () => {
    validatePocParams(Params.fromPartial({ ...ok, fraudProofsPerBlock: 0 }));
    validatePocParams(Params.fromPartial({ ...ok, fraudProofsPerBlock: 64 }));
    bad({ fraudProofsPerBlock: 65 }, /fraud_proofs_per_block 65/);
    for (const f of ['0', '1', '0.25', ''])
      validatePocParams(Params.fromPartial({ ...ok, fraudRewardFraction: f }));
    bad({ fraudRewardFraction: '1.01' }, /fraud_reward_fraction/);
    bad({ fraudRewardFraction: '-0.1' }, /fraud_reward_fraction/);
    bad({ fraudRewardFraction: 'half' }, /fraud_reward_fraction/);
    validatePocParams(
      Params.fromPartial({ ...ok, classes: withClass(CLASS_TINY, { fraudProofGas: 10n ** 9n }) }),
    );
    bad({ classes: withClass(CLASS_TINY, { fraudProofGas: 10n ** 9n + 1n }) }, /fraud_proof_gas/);
    // checked even with the Sprint off
    assert.throws(
      () => validatePocParams(Params.fromPartial({ epochLength: 60n, fraudProofsPerBlock: 65 })),
      /fraud_proofs_per_block/,
    );
  });

  it('fraud_provable only for tiny and devnet (large does not recompute within a block)', () => {
    bad({ classes: withClass(CLASS_LARGE, { fraudProvable: true }) }, /class 3 cannot be fraud_provable/);
    bad(
      {
        classes: [
          ...ok.classes,
          { classId: 7, coefficient: '1', maxCount: 10n, fraudProvable: true, fraudProofGas: 1n },
        ],
      },
      /class 7 cannot be fraud_provable/,
    );
  });

  it('JSON genesis keys round-trip', () => {
    const p = Params.fromPartial({ ...ok, fraudProofsPerBlock: 3, fraudRewardFraction: '0.5' });
    const j = pocParamsToJson(p) as Record<string, any>;
    assert.equal(j.fraud_proofs_per_block, 3);
    assert.equal(j.fraud_reward_fraction, '0.5');
    assert.equal(j.classes[0].fraud_provable, true);
    assert.equal(j.classes[0].fraud_proof_gas, String(p.classes[0]!.fraudProofGas));
    assert.equal(j.classes[2].fraud_provable, undefined);
    assert.deepEqual(pocParamsFromJson(JSON.parse(JSON.stringify(j))), p);
    assert.throws(() => pocParamsFromJson({ ...j, fraud_proofs_per_block: 'x' }), /fraud_proofs_per_block/);
    assert.throws(
      () => pocParamsFromJson({ ...j, classes: [{ ...j.classes[0], fraud_provable: 'yes' }] }),
      /fraud_provable must be a boolean/,
    );
  });
});

describe('MsgPocFraudProof stateless bounds (poc 19)', () => {
  const addr = 'gonka1npxhts26yx4j23ac7ukywmh42h69aag2gqdg8l';
  const base = MsgPocFraudProof.fromPartial({
    prover: addr,
    participant: addr,
    epoch: 1n,
    classId: CLASS_TINY,
    index: 3n,
    nonce: 3n,
    output: new Uint8Array(256),
    path: [new Uint8Array(32), new Uint8Array(32)],
  });
  const code19 = (m: Partial<MsgPocFraudProof>) =>
    assert.throws(
      () => validateMsgPocFraudProof({ ...base, ...m }),
      (e: any) => e.codespace === 'poc' && e.code === 19,
    );

  it('accepts a well-formed proof and refuses each bound with poc 19', () => {
    validateMsgPocFraudProof(base);
    validateMsgPocFraudProof({ ...base, classId: CLASS_DEVNET, output: new Uint8Array(512) });
    validateMsgPocFraudProof({ ...base, path: Array.from({ length: 64 }, () => new Uint8Array(32)) });
    validateMsgPocFraudProof({ ...base, index: (1n << 48n) - 1n });
    code19({ output: new Uint8Array(255) });
    code19({ classId: CLASS_DEVNET });
    code19({ path: Array.from({ length: 65 }, () => new Uint8Array(32)) });
    code19({ path: [new Uint8Array(33)] });
    code19({ index: 1n << 48n });
    code19({ classId: 99, output: new Uint8Array(8193) });
  });
});
