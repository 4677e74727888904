// Issue 5 acceptance 3 for x/collateral, x/poc and consensus params: every error path through the
// real tx pipeline (CheckTx's stateless checks and FinalizeBlock's handlers) or InitChain, with
// the codespace and code a client sees.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MsgUpdateParams as ConsensusMsgUpdateParams } from 'cosmjs-types/cosmos/consensus/v1/tx';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { CheckTxType } from 'cosmjs-types/tendermint/abci/types';
import { parseDec } from '../../app/runtime/decimal.js';
import * as collateralPb from '../../proto/gen/gonka/collateral/v1/tx.js';
import * as pocPb from '../../proto/gen/gonka/poc/v1/tx.js';
import { typeUrl } from '../../proto/gonka/registry.js';
import { defaultCollateralParams } from '../../x/collateral/params.js';
import { consensusKey, GOV_ADDRESS, PocChain, runAsAuthority } from './poc-chain.js';

const coin = (amount: string, denom = 'ngonka') => ({ denom, amount });
const any = (
  codec: { $type: string; encode(m: any): { finish(): Uint8Array }; fromPartial(m: any): unknown },
  value: unknown,
): Any => ({
  typeUrl: typeUrl(codec),
  value: codec.encode(codec.fromPartial(value)).finish(),
});
const consensusAny = (m: Partial<ConsensusMsgUpdateParams>): Any => ({
  typeUrl: '/cosmos.consensus.v1.MsgUpdateParams',
  value: ConsensusMsgUpdateParams.encode(ConsensusMsgUpdateParams.fromPartial(m)).finish(),
});
const goodConsensus = (authority: string): Partial<ConsensusMsgUpdateParams> => ({
  authority,
  block: { maxBytes: 22020096n, maxGas: 50_000_000n },
  evidence: { maxAgeNumBlocks: 100000n, maxAgeDuration: { seconds: 172800n, nanos: 0 }, maxBytes: 1048576n },
  validator: { pubKeyTypes: ['ed25519'] },
});

describe('error paths: x/collateral, x/poc, consensus params', () => {
  let chain: PocChain;
  let alice: string;
  before(async () => {
    chain = await PocChain.create({ weights: [10], extraAccounts: 1, balance: 10_000_000n });
    alice = chain.keys[0]!.address;
    await chain.block();
  });
  after(() => chain.close());

  /** Delivers one tx and returns its (codespace, code). */
  const deliver = async (msg: Any, from = 0) => {
    const r = (await chain.block([chain.tx(from, [msg])])).txResults[0]!;
    return [r.codespace, r.code, r.log] as const;
  };
  /** CheckTx of one tx (ValidateBasic-level checks); does not consume the sequence on failure. */
  const check = (msg: Any, from = 0) => {
    const key = chain.keys[from]!.address;
    const r = chain.app.checkTx({ tx: chain.tx(from, [msg]), type: CheckTxType.NEW });
    if (r.code !== 0) chain.sequences.set(key, chain.sequences.get(key)! - 1n);
    return [r.codespace, r.code] as const;
  };

  it('MsgUpdateParams from anyone but the governance account is unauthorized (sdk 4)', async () => {
    const collateralParams = defaultCollateralParams();
    assert.deepEqual(
      (
        await deliver(any(collateralPb.MsgUpdateParams, { authority: alice, params: collateralParams }))
      ).slice(0, 2),
      ['sdk', 4],
    );
    assert.deepEqual(
      (await deliver(any(pocPb.MsgUpdateParams, { authority: alice, params: { epochLength: 20n } }))).slice(
        0,
        2,
      ),
      ['sdk', 4],
    );
    assert.deepEqual((await deliver(consensusAny(goodConsensus(alice)))).slice(0, 2), ['sdk', 4]);
    // and nothing changed
    assert.equal(chain.read((ctx) => chain.poc.getParams(ctx)).epochLength, 8n);
  });

  it('invalid params are refused on set (CheckTx and the authority path alike)', () => {
    const bad: [string, Record<string, unknown>][] = [
      ['slash_fraction_invalid above 1', { slashFractionInvalid: '1.5' }],
      ['slash_fraction_downtime not a decimal', { slashFractionDowntime: '0.1e1' }],
      ['base_weight_ratio with 19 decimals', { baseWeightRatio: '0.1234567890123456789' }],
      ['collateral_per_weight_unit zero', { collateralPerWeightUnit: '0' }],
      ['unbonding_period_epochs zero', { unbondingPeriodEpochs: 0n }],
      ['unbonding_period_epochs above the bound', { unbondingPeriodEpochs: 1001n }],
      ['slash_fraction_double_sign above 1', { slashFractionDoubleSign: '1.01' }],
      ['slash_fraction_double_sign missing', { slashFractionDoubleSign: '' }],
      ['min_signed_per_window above 1', { minSignedPerWindow: '2' }],
      ['signed_blocks_window zero', { signedBlocksWindow: 0n }],
      ['signed_blocks_window above the bound', { signedBlocksWindow: 100_001n }],
      ['downtime_jail_blocks above the bound', { downtimeJailBlocks: 40_000_001n }],
      ['max_evidence_age_blocks zero', { maxEvidenceAgeBlocks: 0n }],
    ];
    for (const [what, patch] of bad) {
      const msg = any(collateralPb.MsgUpdateParams, {
        authority: GOV_ADDRESS,
        params: { ...defaultCollateralParams(), ...patch },
      });
      assert.deepEqual(check(msg), ['collateral', 5], what);
    }
    assert.deepEqual(
      check(any(collateralPb.MsgUpdateParams, { authority: GOV_ADDRESS })),
      ['collateral', 5],
      'params missing',
    );
    assert.deepEqual(
      check(any(pocPb.MsgUpdateParams, { authority: GOV_ADDRESS, params: { epochLength: 3n } })),
      ['poc', 2],
      'epoch_length 3',
    );
    assert.deepEqual(
      check(any(pocPb.MsgUpdateParams, { authority: GOV_ADDRESS })),
      ['poc', 2],
      'poc params missing',
    );
    const g = goodConsensus(GOV_ADDRESS);
    const consensusBad: [string, Partial<ConsensusMsgUpdateParams>][] = [
      ['evidence missing', { ...g, evidence: undefined }],
      ['max_gas below -1', { ...g, block: { maxBytes: 1000n, maxGas: -2n } }],
      ['max_bytes 0', { ...g, block: { maxBytes: 0n, maxGas: -1n } }],
      ['max_bytes above 100 MiB', { ...g, block: { maxBytes: 104_857_601n, maxGas: -1n } }],
      ['evidence bigger than a block', { ...g, evidence: { ...g.evidence!, maxBytes: 22020097n } }],
      ['evidence age 0', { ...g, evidence: { ...g.evidence!, maxAgeNumBlocks: 0n } }],
      ['no ed25519', { ...g, validator: { pubKeyTypes: ['secp256k1'] } }],
      ['unknown key type', { ...g, validator: { pubKeyTypes: ['ed25519', 'rsa'] } }],
      ['vote extensions moved', { ...g, abci: { voteExtensionsEnableHeight: 100n } }],
    ];
    for (const [what, m] of consensusBad) assert.deepEqual(check(consensusAny(m)), ['sdk', 18], what);
    // The authority path (a passed proposal) validates the same way.
    chain.at(chain.height + 1n, (ctx, c) => {
      assert.throws(
        () =>
          runAsAuthority(
            c,
            ctx,
            typeUrl(collateralPb.MsgUpdateParams),
            collateralPb.MsgUpdateParams.encode({
              authority: GOV_ADDRESS,
              params: { ...defaultCollateralParams(), slashFractionInvalid: '2' },
            }).finish(),
          ),
        (e: any) => e.codespace === 'collateral' && e.code === 5,
      );
    });
  });

  it('deposit and withdraw errors', async () => {
    assert.deepEqual(
      check(any(collateralPb.MsgDepositCollateral, { participant: alice, amount: coin('0') })),
      ['collateral', 3],
      'zero deposit',
    );
    assert.deepEqual(
      check(any(collateralPb.MsgDepositCollateral, { participant: alice })),
      ['collateral', 3],
      'no amount',
    );
    assert.deepEqual(
      check(any(collateralPb.MsgDepositCollateral, { participant: alice, amount: coin('5', 'uatom') })),
      ['collateral', 2],
      'wrong denom',
    );
    assert.deepEqual(
      check(any(collateralPb.MsgWithdrawCollateral, { participant: 'gonka1bad', amount: coin('5') })),
      ['sdk', 7],
      'bad address',
    );
    assert.deepEqual(
      (
        await deliver(
          any(collateralPb.MsgDepositCollateral, { participant: alice, amount: coin('999999999999') }),
        )
      ).slice(0, 2),
      ['sdk', 5],
      'more than the balance',
    );
    assert.deepEqual(
      (
        await deliver(any(collateralPb.MsgWithdrawCollateral, { participant: alice, amount: coin('1') }))
      ).slice(0, 2),
      ['collateral', 4],
      'nothing deposited',
    );
    assert.deepEqual(
      (
        await deliver(any(collateralPb.MsgDepositCollateral, { participant: alice, amount: coin('100') }))
      ).slice(0, 2),
      ['', 0],
    );
    const [cs, code, log] = await deliver(
      any(collateralPb.MsgWithdrawCollateral, { participant: alice, amount: coin('101') }),
    );
    assert.deepEqual([cs, code], ['collateral', 4], 'withdrawing more than deposited');
    assert.match(log, /has 100ngonka deposited, asked for 101ngonka/);
    // Signing for someone else's collateral: the signer must be the participant.
    const r = (
      await chain.block([
        chain.tx(1, [any(collateralPb.MsgWithdrawCollateral, { participant: alice, amount: coin('1') })]),
      ])
    ).txResults[0]!;
    assert.deepEqual(
      [r.codespace, r.code],
      ['sdk', 8],
      "bob's key does not match the signer the msg names (alice)",
    );
    assert.deepEqual(chain.invariants(), []);
  });

  it('slash refuses fractions outside (0, 1] and malformed reasons', async () => {
    chain.at(chain.height + 1n, (ctx, c) => {
      const is6 = (e: any) => e.codespace === 'collateral' && e.code === 6;
      assert.throws(() => c.collateral.slash(ctx, alice, 0n, 'invalid'), is6);
      assert.throws(() => c.collateral.slash(ctx, alice, parseDec('1.01'), 'invalid'), is6);
      assert.throws(() => c.collateral.slash(ctx, alice, parseDec('0.1'), ''), is6);
      assert.throws(() => c.collateral.slash(ctx, alice, parseDec('0.1'), 'Bad Reason'), is6);
      assert.throws(() => c.collateral.slashFraction(ctx, 'other'), is6);
      assert.throws(
        () => c.poc.setNextWeight(ctx, c.keys[1]!.address, 5n),
        (e: any) => e.codespace === 'poc' && e.code === 3,
      );
    });
    await chain.block();
  });
});

describe('invalid genesis is refused at InitChain', () => {
  const cases: [string, (s: Record<string, any>) => void, RegExp][] = [
    [
      'collateral param out of range',
      (s) => (s.collateral.params.slash_fraction_downtime = '3'),
      /slash_fraction_downtime 3 is above 1/,
    ],
    [
      'collateral unbonding_period_epochs 0',
      (s) => (s.collateral.params.unbonding_period_epochs = '0'),
      /unbonding_period_epochs 0/,
    ],
    [
      'collateral not held by the module account',
      (s) => (s.collateral.collateral = [{ participant: s.poc.participants[0].address, amount: '5' }]),
      /module account balance/,
    ],
    ['poc epoch_length 1', (s) => (s.poc.params.epoch_length = '1'), /epoch_length 1 is outside/],
    ['poc epoch_length not a number', (s) => (s.poc.params.epoch_length = 'x'), /not an unsigned integer/],
    [
      'duplicate participant',
      (s) =>
        s.poc.participants.push({
          ...s.poc.participants[0],
          consensus_pubkey: consensusKey(9).toString('base64'),
        }),
      /listed twice/,
    ],
    [
      'shared consensus key',
      (s) => s.poc.participants.push({ ...s.poc.participants[0], address: GOV_ADDRESS }),
      /used by another participant/,
    ],
    [
      'short consensus key',
      (s) => (s.poc.participants[0].consensus_pubkey = Buffer.alloc(31).toString('base64')),
      /32-byte ed25519/,
    ],
    ['no weight at all', (s) => (s.poc.participants[0].weight = '0'), /no weight/],
    [
      'epoch ending before it starts',
      (s) => (s.poc.epoch = { epoch: '0', start_height: '5', next_start_height: '5' }),
      /ends/,
    ],
    [
      'power for a non-participant',
      (s) => (s.poc.validator_powers = [{ address: GOV_ADDRESS, power: '1' }]),
      /unknown participant/,
    ],
  ];
  for (const [what, edit, message] of cases) {
    it(what, async () => {
      await assert.rejects(PocChain.create({ weights: [10], appState: edit }), message);
    });
  }
});
