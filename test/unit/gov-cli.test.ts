// The proposal-file message encoding of `gonkad tx gov submit-proposal`: protobuf JSON in
// snake_case is encoded with the chain's own codecs (here a collateral and a consensus
// MsgUpdateParams, which the router then accepts), and unknown types are one clear user error.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { productionModules } from '../../app/app.js';
import { messageFromJson } from '../../app/cli/commands/gov.js';
import { MsgRouter, QueryRouter } from '../../app/runtime/router.js';

const GOV = 'gonka10d07y265gmmuvt4z0w9aw880jnsr700j2h5m33';

describe('gonkad tx gov submit-proposal: proposal file messages', () => {
  const msgs = new MsgRouter();
  for (const m of productionModules()) m.registerServices?.({ msgs, queries: new QueryRouter() });
  const roundTrip = (raw: unknown) => {
    const { route, msg } = msgs.decodeAny(messageFromJson(msgs, raw, 0));
    route.validate?.(msg);
    return msg as Record<string, any>;
  };

  it('encodes snake_case protobuf JSON with the router codecs', () => {
    const c = roundTrip({
      '@type': '/gonka.collateral.v1.MsgUpdateParams',
      authority: GOV,
      params: {
        unbonding_period_epochs: '2',
        slash_fraction_invalid: '0.2',
        slash_fraction_downtime: '0.1',
        base_weight_ratio: '0.2',
        collateral_per_weight_unit: '4.2',
        grace_period_end_epoch: '180',
        slash_fraction_double_sign: '0.05',
        signed_blocks_window: '100',
        min_signed_per_window: '0.5',
        downtime_jail_blocks: '600',
        max_evidence_age_blocks: '100000',
      },
    });
    assert.equal(c.params.unbondingPeriodEpochs, 2n);
    const k = roundTrip({
      '@type': '/cosmos.consensus.v1.MsgUpdateParams',
      authority: GOV,
      block: { max_bytes: '22020096', max_gas: '5000000' },
      evidence: {
        max_age_num_blocks: '100000',
        max_age_duration: { seconds: '172800', nanos: 0 },
        max_bytes: '1048576',
      },
      validator: { pub_key_types: ['ed25519'] },
    });
    assert.equal(k.block.maxGas, 5_000_000n);
    const a = roundTrip({
      '@type': '/gonka.auth.v1.MsgUpdateParams',
      authority: GOV,
      params: {
        max_memo_characters: '256',
        tx_sig_limit: '7',
        tx_size_cost_per_byte: '10',
        sig_verify_cost_ed25519: '590',
        sig_verify_cost_secp256k1: '1000',
        min_gas_price: '0.5',
        max_tx_bytes: '1048576',
      },
    });
    assert.equal(a.params.minGasPrice, '0.5');
    assert.equal(a.params.sigVerifyCostEd25519, 590n);
  });

  it('refuses a type the chain does not route, naming it', () => {
    assert.throws(
      () => messageFromJson(msgs, { '@type': '/cosmos.staking.v1beta1.MsgDelegate' }, 3),
      /messages\[3\].*MsgDelegate/,
    );
    assert.throws(() => messageFromJson(msgs, { authority: GOV }, 0), /"@type"/);
  });
});
