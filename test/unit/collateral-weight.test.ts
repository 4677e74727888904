// x/collateral's pure pieces: the weight-activation function on fixed-point bigints, param parsing
// into one canonical form, and our gonka.* codecs in a CosmJS Registry (canonical bytes, round trip).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from '@cosmjs/proto-signing';
import { BinaryWriter } from 'cosmjs-types/binary';
import { parseDec } from '../../app/runtime/decimal.js';
import { QueryUnbondingResponse } from '../../proto/gen/gonka/collateral/v1/query.js';
import {
  MsgDepositCollateral,
  MsgWithdrawCollateralResponse,
} from '../../proto/gen/gonka/collateral/v1/tx.js';
import { Participant } from '../../proto/gen/gonka/poc/v1/poc.js';
import { MsgUpdateParams as PocMsgUpdateParams } from '../../proto/gen/gonka/poc/v1/tx.js';
import { gonkaRegistryTypes, typeUrl } from '../../proto/gonka/registry.js';
import {
  canonicalCollateralParams,
  collateralParamsFromJson,
  defaultCollateralParams,
  parseCollateralParams,
} from '../../x/collateral/params.js';
import { activatedWeight, mulFloor } from '../../x/collateral/weight.js';

describe('weight activation: base + min(potential − base, collateral / collateral_per_weight_unit)', () => {
  const ratio = parseDec('0.2');
  const unit = parseDec('4.2');
  it('gives the free base share without collateral', () => {
    assert.equal(activatedWeight(1000n, 0n, ratio, unit), 200n);
    assert.equal(activatedWeight(7n, 0n, ratio, unit), 1n, 'floor(7 × 0.2)');
  });
  it('activates floor(collateral / unit) more, up to the potential', () => {
    assert.equal(activatedWeight(1000n, 42n, ratio, unit), 210n);
    assert.equal(activatedWeight(1000n, 46n, ratio, unit), 210n, 'floor(46 / 4.2) = 10');
    assert.equal(activatedWeight(1000n, 3360n, ratio, unit), 1000n, '800 × 4.2 = 3360 activates all');
    assert.equal(activatedWeight(1000n, 10n ** 30n, ratio, unit), 1000n, 'never above the potential');
  });
  it('handles the edges: zero potential, ratio 1 and 0', () => {
    assert.equal(activatedWeight(0n, 100n, ratio, unit), 0n);
    assert.equal(activatedWeight(1000n, 0n, parseDec('1'), unit), 1000n);
    assert.equal(activatedWeight(1000n, 0n, 0n, unit), 0n);
    assert.throws(() => activatedWeight(1000n, 1n, ratio, 0n));
  });
  it('slashes by floor(amount × fraction)', () => {
    assert.equal(mulFloor(999n, parseDec('0.2')), 199n);
    assert.equal(mulFloor(5n, parseDec('0.1')), 0n);
    assert.equal(mulFloor(10n ** 27n, parseDec('1')), 10n ** 27n);
  });
});

describe('collateral params', () => {
  it('defaults are gonka.md §7 values', () => {
    const p = parseCollateralParams(defaultCollateralParams());
    assert.equal(p.unbondingPeriodEpochs, 1n);
    assert.equal(p.slashFractionInvalid, parseDec('0.2'));
    assert.equal(p.slashFractionDowntime, parseDec('0.1'));
    assert.equal(p.baseWeightRatio, parseDec('0.2'));
    assert.equal(p.collateralPerWeightUnit, parseDec('4.2'));
    assert.equal(p.gracePeriodEndEpoch, 180n);
  });
  it('one canonical form for equal decimals (state bytes do not depend on spelling)', () => {
    const a = canonicalCollateralParams({
      ...defaultCollateralParams(),
      slashFractionInvalid: '0.200',
      collateralPerWeightUnit: '4.20',
    });
    assert.deepEqual(a, canonicalCollateralParams(defaultCollateralParams()));
    assert.deepEqual(collateralParamsFromJson({ slash_fraction_invalid: '0.20' }), a);
  });
});

describe('gonka.* codecs', () => {
  const registry = new Registry(gonkaRegistryTypes);
  it('a CosmJS Registry encodes and decodes our messages', () => {
    const value = { participant: 'gonka1xyz', amount: { denom: 'ngonka', amount: '5' } };
    const bytes = registry.encode({ typeUrl: typeUrl(MsgDepositCollateral), value });
    assert.deepEqual(registry.decode({ typeUrl: typeUrl(MsgDepositCollateral), value: bytes }), value);
    const any = registry.encodeAsAny({
      typeUrl: typeUrl(PocMsgUpdateParams),
      value: { authority: 'a', params: { epochLength: 30n } },
    });
    assert.equal(any.typeUrl, '/gonka.poc.v1.MsgUpdateParams');
    assert.deepEqual(PocMsgUpdateParams.decode(any.value).params?.epochLength, 30n);
  });
  it('encodes canonically: field order, defaults omitted, sub-messages kept, unknown fields skipped', () => {
    assert.deepEqual(
      MsgWithdrawCollateralResponse.encode({ completionEpoch: 0n }).finish(),
      new Uint8Array(0),
    );
    assert.deepEqual(
      [...MsgWithdrawCollateralResponse.encode({ completionEpoch: 300n }).finish()],
      [0x08, 0xac, 0x02],
    );
    const p = {
      address: 'gonka1a',
      consensusPubkey: new Uint8Array(32).fill(7),
      weight: 50n,
      apiUrl: '',
      classes: [],
    };
    const bytes = Participant.encode(p).finish();
    assert.deepEqual(Participant.decode(bytes), p);
    // An unknown field 9 (varint) is skipped by decode, so the strict decoder's re-encode differs.
    const w = BinaryWriter.create();
    w.uint32((9 << 3) | 0).uint64(1n);
    const withUnknown = new Uint8Array([...bytes, ...w.finish()]);
    assert.deepEqual(Participant.decode(withUnknown), p);
    assert.notDeepEqual(Participant.encode(Participant.decode(withUnknown)).finish(), withUnknown);
    const list = {
      entries: [
        { participant: 'a', completionEpoch: 2n, amount: '9' },
        { participant: 'b', completionEpoch: 0n, amount: '' },
      ],
    };
    assert.deepEqual(QueryUnbondingResponse.decode(QueryUnbondingResponse.encode(list).finish()), list);
  });
});
