// The golden scenario: ≥ 200 blocks of signed Cosmos txs over every module from a fixed genesis —
// sends that create accounts, multi-sends, collateral deposits and withdrawals maturing across
// epochs, governance (deposit, vote, weighted vote, veto burn, quorum miss, expiry, cancel,
// expedited, failed execution; param changes of bank, collateral, poc, gov, consensus, limits),
// and every failure code the ante handler and the modules produce from a tx. Outcomes are not
// asserted: this records what the chain does. It must keep going when an outcome changes, so
// every tx is signed from the committed state and proposal ids are read from results.
import { createHash } from 'node:crypto';
import {
  MsgUpdateParams as BankUpdateParams,
  MsgMultiSend,
  MsgSend,
  MsgSetSendEnabled,
} from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { MsgUpdateParams as ConsensusUpdateParams } from 'cosmjs-types/cosmos/consensus/v1/tx';
import { VoteOption } from 'cosmjs-types/cosmos/gov/v1/gov';
import {
  QueryParamsRequest as GovParamsReq,
  QueryParamsResponse as GovParamsRes,
  QueryProposalRequest,
  QueryProposalResponse,
} from 'cosmjs-types/cosmos/gov/v1/query';
import {
  MsgUpdateParams as GovUpdateParams,
  MsgCancelProposal,
  MsgDeposit,
  MsgSubmitProposal,
  MsgVote,
  MsgVoteWeighted,
} from 'cosmjs-types/cosmos/gov/v1/tx';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { type ExecTxResult, MisbehaviorType } from 'cosmjs-types/tendermint/abci/types';
import { defaultAppState } from '../../app/app.js';
import { moduleAddress } from '../../app/runtime/address.js';
import {
  QueryParamsRequest as CollateralParamsReq,
  QueryParamsResponse as CollateralParamsRes,
} from '../../proto/gen/gonka/collateral/v1/query.js';
import {
  MsgUpdateParams as CollateralUpdateParams,
  MsgDepositCollateral,
  MsgWithdrawCollateral,
} from '../../proto/gen/gonka/collateral/v1/tx.js';
import { MsgUpdateLimits } from '../../proto/gen/gonka/governance/v1/tx.js';
import {
  QueryParamsRequest as PocParamsReq,
  QueryParamsResponse as PocParamsRes,
} from '../../proto/gen/gonka/poc/v1/query.js';
import { MsgUpdateParams as PocUpdateParams } from '../../proto/gen/gonka/poc/v1/tx.js';
import { typeUrl } from '../../proto/gonka/registry.js';
import { GOV_MODULE } from '../../x/governance/keys.js';
import { prng, TestKey } from '../integration/tx-harness.js';
import { Driver } from './driver.js';

export const GOLDEN_CHAIN_ID = 'gonka-golden-1';
const N = 'ngonka';
const ATOM = 'uatom';
const GOV = moduleAddress(GOV_MODULE);
const MIN_DEPOSIT = 1000n;
const {
  VOTE_OPTION_YES: YES,
  VOTE_OPTION_NO: NO,
  VOTE_OPTION_ABSTAIN: ABSTAIN,
  VOTE_OPTION_NO_WITH_VETO: VETO,
} = VoteOption;

const vals = [0, 1, 2, 3].map((i) => TestKey.fromSeed(`golden-validator-${i}`));
const users = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => TestKey.fromSeed(`golden-user-${i}`));
const fresh = Array.from({ length: 24 }, (_, i) => TestKey.fromSeed(`golden-new-${i}`));
const stranger = TestKey.fromSeed('golden-never-funded');
// Totals of 1000 make the tally's exact boundaries reachable (quorum 0.25, veto 0.334, threshold 0.5).
const WEIGHTS = [400n, 250n, 250n, 100n];

const any = (typeUrl: string, codec: { encode(m: any): { finish(): Uint8Array } }, value: unknown): Any => ({
  typeUrl,
  value: codec.encode(value).finish(),
});
const coin = (amount: bigint | string, denom = N) => ({ denom, amount: amount.toString() });
const send = (from: TestKey | string, to: string, coins: { denom: string; amount: string }[]) =>
  any('/cosmos.bank.v1beta1.MsgSend', MsgSend, {
    fromAddress: typeof from === 'string' ? from : from.address,
    toAddress: to,
    amount: coins,
  });
const multiSend = (
  inputs: [string, { denom: string; amount: string }[]][],
  outputs: [string, { denom: string; amount: string }[]][],
) =>
  any('/cosmos.bank.v1beta1.MsgMultiSend', MsgMultiSend, {
    inputs: inputs.map(([address, coins]) => ({ address, coins })),
    outputs: outputs.map(([address, coins]) => ({ address, coins })),
  });
const depositCol = (k: TestKey, c: { denom: string; amount: string }) =>
  any(typeUrl(MsgDepositCollateral), MsgDepositCollateral, { participant: k.address, amount: c });
const withdrawCol = (k: TestKey, c: { denom: string; amount: string }) =>
  any(typeUrl(MsgWithdrawCollateral), MsgWithdrawCollateral, { participant: k.address, amount: c });
const submit = (
  proposer: TestKey,
  messages: Any[],
  deposit: bigint,
  extra: Partial<MsgSubmitProposal> = {},
) =>
  any(
    '/cosmos.gov.v1.MsgSubmitProposal',
    MsgSubmitProposal,
    MsgSubmitProposal.fromPartial({
      messages,
      initialDeposit: deposit > 0n ? [coin(deposit)] : [],
      proposer: proposer.address,
      title: 'golden proposal',
      summary: 'recorded by the golden consensus vectors',
      ...extra,
    }),
  );
const vote = (id: bigint, voter: TestKey, option: VoteOption) =>
  any(
    '/cosmos.gov.v1.MsgVote',
    MsgVote,
    MsgVote.fromPartial({ proposalId: id, voter: voter.address, option }),
  );
const weighted = (id: bigint, voter: TestKey, options: [VoteOption, string][]) =>
  any(
    '/cosmos.gov.v1.MsgVoteWeighted',
    MsgVoteWeighted,
    MsgVoteWeighted.fromPartial({
      proposalId: id,
      voter: voter.address,
      options: options.map(([option, weight]) => ({ option, weight })),
    }),
  );
const govDeposit = (id: bigint, k: TestKey, c: { denom: string; amount: string }[]) =>
  any(
    '/cosmos.gov.v1.MsgDeposit',
    MsgDeposit,
    MsgDeposit.fromPartial({ proposalId: id, depositor: k.address, amount: c }),
  );
const cancel = (id: bigint, k: TestKey) =>
  any('/cosmos.gov.v1.MsgCancelProposal', MsgCancelProposal, { proposalId: id, proposer: k.address });
const consensusUpdate = (authority: string, maxGas: bigint, full = true) =>
  any(
    '/cosmos.consensus.v1.MsgUpdateParams',
    ConsensusUpdateParams,
    ConsensusUpdateParams.fromPartial({
      authority,
      block: { maxBytes: 22_020_096n, maxGas },
      ...(full
        ? {
            evidence: {
              maxAgeNumBlocks: 100_000n,
              maxAgeDuration: { seconds: 172_800n, nanos: 0 },
              maxBytes: 1_048_576n,
            },
            validator: { pubKeyTypes: ['ed25519'] },
          }
        : {}),
    }),
  );

/** The proposal id from a MsgSubmitProposal result (0 when the submit failed: later votes then fail too). */
function proposalId(r: ExecTxResult | undefined): bigint {
  for (const e of r?.events ?? [])
    if (e.type === 'submit_proposal')
      for (const a of e.attributes) if (a.key === 'proposal_id') return BigInt(a.value);
  return 0n;
}

export function goldenGenesis(): Record<string, any> {
  const s = defaultAppState() as Record<string, any>;
  s.auth.params.max_tx_bytes = '120000';
  s.bank.balances = [
    ...vals.map((k) => ({ address: k.address, coins: [coin(1_000_000_000n)] })),
    ...users.map((k, i) => ({
      address: k.address,
      coins: i < 4 ? [coin(1_000_000_000n), coin(5_000_000n, ATOM)] : [coin(1_000_000_000n)],
    })),
  ];
  s.poc.params.epoch_length = '8';
  s.poc.participants = vals.map((k, i) => ({
    address: k.address,
    consensus_pubkey: createHash('sha256').update(`golden-consensus-${i}`).digest().toString('base64'),
    weight: WEIGHTS[i]!.toString(),
  }));
  Object.assign(s.governance.params, {
    min_deposit: [coin(MIN_DEPOSIT)],
    expedited_min_deposit: [coin(2n * MIN_DEPOSIT)],
    max_deposit_period: '10s',
    voting_period: '10s',
    expedited_voting_period: '5s',
  });
  return s;
}

const INIT_CONSENSUS_PARAMS = {
  block: { maxBytes: 22_020_096n, maxGas: -1n },
  evidence: {
    maxAgeNumBlocks: 100_000n,
    maxAgeDuration: { seconds: 172_800n, nanos: 0 },
    maxBytes: 1_048_576n,
  },
  validator: { pubKeyTypes: ['ed25519'] },
  abci: { voteExtensionsEnableHeight: 1n },
};

export const MIN_BLOCKS = 220;

export async function runScenario(): Promise<Driver> {
  const d = await Driver.start(GOLDEN_CHAIN_ID, goldenGenesis(), INIT_CONSENSUS_PARAMS);
  // Liveness and evidence inputs, as CometBFT would send them: validator 3 misses a stretch of
  // blocks, validator 2 is reported for a duplicate vote once.
  d.absent = (h) => (h >= 150n && h < 200n ? [3] : []);
  d.misbehavior = (h) => (h === 175n ? [{ validator: 2, type: MisbehaviorType.DUPLICATE_VOTE }] : []);
  const rand = prng(0x601de);
  const u = (i: number) => users[i]!;
  const U = { u0: u(0), u1: u(1), u2: u(2), u3: u(3), u4: u(4), u5: u(5), u6: u(6), u7: u(7) };
  const V = { v0: vals[0]!, v1: vals[1]!, v2: vals[2]!, v3: vals[3]! };

  await d.block(); // height 1

  // ---- x/auth + x/bank: account creation by send, multi-send, multi-denom ----------------------
  await d.block([
    d.tx(U.u4, [send(U.u4, fresh[0]!.address, [coin(5_000_000n)])]),
    d.tx(U.u5, [send(U.u5, fresh[1]!.address, [coin(3_000n)])]),
    d.tx(U.u6, [
      multiSend(
        [[U.u6.address, [coin(3_000_000n)]]],
        [
          [fresh[2]!.address, [coin(1_000_000n)]],
          [fresh[3]!.address, [coin(1_000_000n)]],
          [U.u7.address, [coin(1_000_000n)]],
        ],
      ),
    ]),
    d.tx(U.u0, [send(U.u0, U.u1.address, [coin(10n), coin(20n, ATOM)])]),
  ]);
  await d.block([
    d.tx(fresh[0]!, [send(fresh[0]!, U.u4.address, [coin(1_000n)])], { gas: 200_000n }),
    d.tx(fresh[2]!, [send(fresh[2]!, fresh[4]!.address, [coin(10_000n)])], { gas: 200_000n }),
    d.tx(U.u0, [send(U.u0, U.u2.address, [coin(1n)]), send(U.u0, U.u3.address, [coin(2n)])], {
      memo: 'two messages',
    }),
  ]);

  // ---- ante failures, one code each ----------------------------------------------------------
  const good = (k: TestKey) => [send(k, U.u7.address, [coin(1n)])];
  const big = 'm'.repeat(130_000);
  await d.block([
    new Uint8Array([0x0a, 0xff, 0xff, 0x01]), // sdk 2: not a TxRaw
    new Uint8Array(0), // sdk 2: empty
    d.tx(U.u1, [{ typeUrl: '/cosmos.bank.v1beta1.MsgNope', value: new Uint8Array([1, 2]) }], {
      expectAnte: false,
    }), // sdk 6
    d.tx(U.u1, [], { expectAnte: false }), // no messages
    d.tx(U.u1, [{ typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: new Uint8Array([0xff, 0xff]) }], {
      expectAnte: false,
    }), // sdk 2: bad msg bytes
    d.tx(U.u1, good(U.u1), {
      expectAnte: false,
      extensionOptions: [{ typeUrl: '/x.Ext', value: new Uint8Array() }],
    }), // sdk 31
    d.tx(U.u1, good(U.u1), {
      expectAnte: false,
      nonCriticalExtensionOptions: [{ typeUrl: '/x.Ext', value: new Uint8Array() }],
    }),
    d.tx(U.u1, good(U.u1), { expectAnte: false, unordered: true }), // sdk 37
    d.tx(U.u1, good(U.u1), { expectAnte: false, granter: U.u2.address }), // sdk 37: fee grants
    d.tx(U.u1, good(U.u1), { expectAnte: false, payer: U.u2.address }), // sdk 4: payer not a signer
    d.tx(U.u1, good(U.u1), { expectAnte: false, gas: 18_446_744_073_709_551_615n }), // sdk 41
    d.tx(U.u1, good(U.u1), { expectAnte: false, memo: big }), // sdk 21: tx too large
  ]);
  await d.block([
    d.tx(U.u1, good(U.u1), { expectAnte: false, chainId: 'another-chain' }), // sdk 4: wrong chain id
    d.tx(U.u1, good(U.u1), { expectAnte: false, signerOver: { accountNumber: 999n } }), // sdk 4: account number
    d.tx(U.u1, good(U.u1), { expectAnte: false, signerOver: { mode: SignMode.SIGN_MODE_LEGACY_AMINO_JSON } }), // sdk 4
    d.tx(U.u1, good(U.u1), { expectAnte: false, extraSignatures: [new Uint8Array(64)] }), // sdk 4: two signatures
    d.tx(U.u1, good(U.u1), { expectAnte: false, signerOver: { signWith: U.u2 } }), // sdk 4: bad signature
    d.tx(U.u1, good(U.u1), { expectAnte: false, signerOver: { announce: U.u2 } }), // sdk 8: pubkey of another key
    d.tx(fresh[5]!, good(fresh[5]!), { expectAnte: false, signerOver: { announce: 'none' } }), // sdk 9: no account
    d.tx(stranger, good(stranger), { expectAnte: false }), // sdk 9
    d.tx(U.u1, good(U.u1), { expectAnte: false, fee: [] }), // sdk 13
    d.tx(U.u1, good(U.u1), { expectAnte: false, fee: [coin(19_999n)] }), // sdk 13: one short
    d.tx(U.u1, good(U.u1), { expectAnte: false, fee: [coin(40_000n), coin(5n, ATOM)].reverse() }), // sdk 10: unsorted fee
    d.tx(fresh[1]!, good(fresh[1]!), { expectAnte: false, fee: [coin(20_000n)], gas: 200_000n }), // sdk 5: fee > balance
    d.tx(U.u1, good(U.u1), { expectAnte: false, gas: 500n }), // sdk 11 in ante
    d.tx(U.u1, good(U.u1), { expectAnte: false, memo: 'x'.repeat(257) }), // sdk 12
    d.tx(U.u1, good(U.u1), { expectAnte: false, timeoutHeight: 3n }), // sdk 30
    d.tx(U.u1, good(U.u1), { expectAnte: false, signerOver: { sequence: 99n } }), // sdk 32
    d.tx(U.u1, good(U.u1), { timeoutHeight: 1_000n, memo: 'ok: timeout in the future' }),
    // boundaries: expired by exactly one block; due this very block; memo of exactly the limit
    d.tx(U.u2, good(U.u2), { expectAnte: false, timeoutHeight: d.height }), // sdk 30
    d.tx(U.u2, good(U.u2), { timeoutHeight: d.height + 1n }),
    d.tx(U.u3, good(U.u3), { memo: 'y'.repeat(256) }),
  ]);
  // sdk 14: eight signers (limit 7); then a legitimate two-signer tx
  await d.block([
    d.multiTx(
      [...vals, U.u0, U.u1, U.u2, U.u3],
      [...vals, U.u0, U.u1, U.u2, U.u3].map((k) => send(k, U.u7.address, [coin(1n)])),
    ),
    d.multiTx([U.u2, U.u3], [send(U.u2, U.u7.address, [coin(5n)]), send(U.u3, U.u7.address, [coin(6n)])]),
  ]);

  // ---- message failures: invalid coins, addresses, bank errors ------------------------------
  const outs1001 = Array.from(
    { length: 1001 },
    () => [U.u7.address, [coin(1n)]] as [string, ReturnType<typeof coin>[]],
  );
  await d.block([
    d.tx(U.u2, [send(U.u2, U.u7.address, [coin(0n)])], { expectAnte: false }), // sdk 10: zero
    d.tx(U.u2, [send(U.u2, U.u7.address, [coin(5n, ATOM), coin(5n)])], { expectAnte: false }), // sdk 10: unsorted
    d.tx(U.u2, [send(U.u2, U.u7.address, [coin(5n), coin(5n)])], { expectAnte: false }), // sdk 10: duplicate
    d.tx(U.u2, [send(U.u2, U.u7.address, [coin(5n, 'x')])], { expectAnte: false }), // sdk 10: bad denom
    d.tx(U.u2, [send(U.u2, U.u7.address, [])], { expectAnte: false }), // sdk 10: empty
    d.tx(U.u2, [send(U.u2, U.u7.address, [coin('01')])], { expectAnte: false }),
    d.tx(U.u2, [send(U.u2, 'gonka1notanaddress', [coin(5n)])], { expectAnte: false }), // sdk 7
    d.tx(U.u2, [multiSend([[U.u2.address, [coin(5n)]]], [])], { expectAnte: false }), // bank 3
    d.tx(U.u2, [multiSend([[U.u2.address, [coin(5n)]]], [[U.u7.address, [coin(4n)]]])], {
      expectAnte: false,
    }), // bank 4
    d.tx(
      U.u2,
      [
        multiSend(
          [
            [U.u2.address, [coin(5n)]],
            [U.u3.address, [coin(5n)]],
          ],
          [[U.u7.address, [coin(10n)]]],
        ),
      ],
      { expectAnte: false },
    ), // bank 9
    d.tx(U.u2, [multiSend([[U.u2.address, [coin(1001n)]]], outs1001)], {
      expectAnte: false,
      gas: 20_000_000n,
    }), // sdk 18
    d.tx(
      U.u2,
      [
        any('/cosmos.bank.v1beta1.MsgUpdateParams', BankUpdateParams, {
          authority: GOV,
          params: {
            sendEnabled: [
              { denom: ATOM, enabled: true },
              { denom: ATOM, enabled: false },
            ],
            defaultSendEnabled: true,
          },
        }),
      ],
      { expectAnte: false },
    ), // bank 8
  ]);
  await d.block([
    d.tx(U.u3, [send(U.u3, U.u7.address, [coin(10n ** 15n)])]), // sdk 5 in the handler
    d.tx(U.u3, [send(U.u3, GOV, [coin(5n)])]), // sdk 4: module account cannot receive
    d.tx(U.u4, [send(U.u4, U.u7.address, [coin(1n)]), send(U.u4, U.u7.address, [coin(10n ** 15n)])]), // second message fails: all or nothing
    d.tx(
      U.u4,
      [
        multiSend(
          [[U.u4.address, [coin(30n)]]],
          Array.from({ length: 30 }, (_, i) => [fresh[6 + (i % 6)]!.address, [coin(1n)]]),
        ),
      ],
      { gas: 60_000n },
    ), // sdk 11 in a handler
    d.tx(U.u5, [
      any('/cosmos.bank.v1beta1.MsgUpdateParams', BankUpdateParams, {
        authority: U.u5.address,
        params: { sendEnabled: [], defaultSendEnabled: true },
      }),
    ]), // sdk 4
    d.tx(U.u5, [
      any('/cosmos.bank.v1beta1.MsgSetSendEnabled', MsgSetSendEnabled, {
        authority: U.u5.address,
        sendEnabled: [],
        useDefaultFor: [],
      }),
    ]), // sdk 4
    d.tx(U.u6, [consensusUpdate(U.u6.address, 1_000n, false)], { expectAnte: false }), // sdk 18: sections missing
    d.tx(U.u6, [consensusUpdate(U.u6.address, 1_000n)]), // sdk 4
  ]);

  // ---- x/collateral and x/poc messages --------------------------------------------------------
  await d.block([
    d.tx(V.v0, [depositCol(V.v0, coin(50_000_000n))]),
    d.tx(V.v1, [depositCol(V.v1, coin(40_000_000n))]),
    d.tx(V.v2, [depositCol(V.v2, coin(30_000_000n))]),
    d.tx(V.v3, [depositCol(V.v3, coin(20_000_000n))]),
    d.tx(U.u0, [depositCol(U.u0, coin(7_000_000n))]),
    d.tx(U.u1, [depositCol(U.u1, coin(5n, ATOM))], { expectAnte: false }), // collateral 2
    d.tx(U.u1, [depositCol(U.u1, coin(0n))], { expectAnte: false }), // collateral 3
    d.tx(U.u1, [depositCol(U.u1, coin(10n ** 15n))]), // sdk 5
    d.tx(U.u2, [withdrawCol(U.u2, coin(1n))]), // collateral 4: nothing deposited
  ]);
  const colParams = () =>
    d.query('/gonka.collateral.v1.Query/Params', CollateralParamsReq, CollateralParamsRes, {})?.params;
  const pocParams = () => d.query('/gonka.poc.v1.Query/Params', PocParamsReq, PocParamsRes, {})?.params;
  await d.block([
    d.tx(U.u0, [withdrawCol(U.u0, coin(2_000_000n))]),
    d.tx(V.v3, [withdrawCol(V.v3, coin(5_000_000n))]),
    d.tx(
      U.u1,
      [
        any(typeUrl(CollateralUpdateParams), CollateralUpdateParams, {
          authority: U.u1.address,
          params: { ...colParams(), baseWeightRatio: '2' },
        }),
      ],
      { expectAnte: false },
    ), // collateral 5
    d.tx(U.u1, [
      any(typeUrl(CollateralUpdateParams), CollateralUpdateParams, {
        authority: U.u1.address,
        params: colParams(),
      }),
    ]), // sdk 4
    d.tx(
      U.u2,
      [
        any(typeUrl(PocUpdateParams), PocUpdateParams, {
          authority: U.u2.address,
          params: { ...pocParams(), epochLength: 1n },
        }),
      ],
      { expectAnte: false },
    ), // poc 2
    d.tx(U.u2, [
      any(typeUrl(PocUpdateParams), PocUpdateParams, { authority: U.u2.address, params: pocParams() }),
    ]), // sdk 4
  ]);
  await d.block([
    d.tx(U.u0, [withdrawCol(U.u0, coin(1_000_000n))]),
    d.tx(U.u0, [withdrawCol(U.u0, coin(1_000_000n))]),
    d.tx(U.u7, [depositCol(U.u7, coin(1_000n))]),
  ]);
  await d.block([
    d.tx(U.u7, [withdrawCol(U.u7, coin(1_000n))]), // exactly everything
    d.tx(U.u7, [withdrawCol(U.u7, coin(1n))]), // collateral 4
  ]);

  // ---- governance: proposals of every module's params ----------------------------------------
  const govParams = d.query('/cosmos.gov.v1.Query/Params', GovParamsReq, GovParamsRes, {
    paramsType: '',
  })?.params;
  const A = [
    any(typeUrl(CollateralUpdateParams), CollateralUpdateParams, {
      authority: GOV,
      params: { ...colParams(), unbondingPeriodEpochs: 2n },
    }),
  ];
  const B = [
    any('/cosmos.bank.v1beta1.MsgUpdateParams', BankUpdateParams, {
      authority: GOV,
      params: { sendEnabled: [{ denom: ATOM, enabled: false }], defaultSendEnabled: true },
    }),
  ];
  const C = [
    any(typeUrl(PocUpdateParams), PocUpdateParams, {
      authority: GOV,
      params: { ...pocParams(), epochLength: 10n },
    }),
  ];
  const D = [consensusUpdate(GOV, 50_000_000n)];
  const E = [
    any(
      typeUrl(MsgUpdateLimits),
      MsgUpdateLimits,
      MsgUpdateLimits.fromPartial({
        authority: GOV,
        maxMessages: 3n,
        maxTitleLength: 255n,
        maxMetadataLength: 255n,
        maxSummaryLength: 10_200n,
        maxOpenProposals: 8n,
      }),
    ),
  ];
  const F = govParams
    ? [
        any('/cosmos.gov.v1.MsgUpdateParams', GovUpdateParams, {
          authority: GOV,
          params: { ...govParams, proposalCancelRatio: '0.400000000000000000' },
        }),
      ]
    : [];
  const sub1 = await d.block([
    d.tx(U.u0, [submit(U.u0, A, MIN_DEPOSIT)], { gas: 2_000_000n }),
    d.tx(U.u1, [submit(U.u1, B, MIN_DEPOSIT)], { gas: 2_000_000n }),
    d.tx(U.u2, [submit(U.u2, [...C, ...D], MIN_DEPOSIT)], { gas: 2_000_000n }),
    d.tx(U.u3, [submit(U.u3, [...E, ...F], 400n)], { gas: 2_000_000n }), // deposit period
  ]);
  const [pA, pB, pCD, pEF] = sub1.map(proposalId) as [bigint, bigint, bigint, bigint];
  await d.block([
    d.tx(V.v0, [vote(pA, V.v0, YES)]),
    d.tx(V.v1, [vote(pA, V.v1, NO)]),
    d.tx(V.v2, [
      weighted(pA, V.v2, [
        [YES, '0.7'],
        [ABSTAIN, '0.3'],
      ]),
    ]),
    d.tx(V.v3, [vote(pA, V.v3, NO)]),
    d.tx(U.u4, [govDeposit(pEF, U.u4, [coin(600n)])]), // reaches min deposit: voting starts
    d.tx(U.u5, [vote(pA, U.u5, YES)]), // gov 100: no weight
    d.tx(V.v0, [vote(pEF, V.v0, YES)]), // gov 3: still in deposit period (same block)
  ]);
  await d.block([
    d.tx(V.v3, [vote(pA, V.v3, YES)]), // changed vote
    d.tx(V.v0, [vote(pB, V.v0, YES), vote(pCD, V.v0, YES), vote(pEF, V.v0, YES)]),
    d.tx(V.v1, [
      weighted(pB, V.v1, [
        [YES, '0.5'],
        [NO, '0.5'],
      ]),
      vote(pCD, V.v1, YES),
      vote(pEF, V.v1, YES),
    ]),
    d.tx(V.v2, [vote(pCD, V.v2, ABSTAIN), vote(pEF, V.v2, NO)]),
    d.tx(
      V.v2,
      [
        weighted(pB, V.v2, [
          [YES, '0.5'],
          [NO, '0.4'],
        ]),
      ],
      { expectAnte: false },
    ), // gov 7: sum ≠ 1
    d.tx(
      V.v2,
      [
        weighted(pB, V.v2, [
          [YES, '0.5'],
          [YES, '0.5'],
        ]),
      ],
      { expectAnte: false },
    ), // gov 7: duplicate
    d.tx(V.v2, [vote(pB, V.v2, 0 as VoteOption)], { expectAnte: false }), // gov 7: unspecified
    d.tx(V.v2, [vote(999n, V.v2, YES)]), // gov 2
    d.tx(U.u5, [govDeposit(999n, U.u5, [coin(100n)])]), // gov 2
    d.tx(U.u5, [govDeposit(pA, U.u5, [coin(1n)])]), // gov 16: below min_deposit_ratio
    d.tx(U.u5, [govDeposit(pA, U.u5, [coin(100n, ATOM)])]), // gov 23 (u5 has no uatom: may be sdk 5 first)
    d.tx(U.u0, [govDeposit(pA, U.u0, [coin(100n, ATOM)])]), // gov 23
  ]);
  // submission failures
  await d.block([
    d.tx(U.u6, [submit(U.u6, A, MIN_DEPOSIT, { title: '  ' })], { expectAnte: false }), // gov 5
    d.tx(U.u6, [
      submit(U.u6, [{ typeUrl: '/gonka.nothing.v1.MsgNope', value: new Uint8Array() }], MIN_DEPOSIT),
    ]), // gov 10
    d.tx(U.u6, [
      submit(
        U.u6,
        [
          any(typeUrl(CollateralUpdateParams), CollateralUpdateParams, {
            authority: GOV,
            params: { ...colParams(), baseWeightRatio: '7' },
          }),
        ],
        MIN_DEPOSIT,
      ),
    ]), // gov 12
    d.tx(U.u6, [submit(U.u6, [send(U.u6, U.u7.address, [coin(1n)])], MIN_DEPOSIT)]), // gov 13
    d.tx(U.u6, [submit(U.u6, A, MIN_DEPOSIT, { metadata: 'x'.repeat(256) })]), // gov 15
    d.tx(U.u6, [submit(U.u6, A, MIN_DEPOSIT, { summary: 's'.repeat(10_201) })]), // gov 22
    d.tx(U.u6, [submit(U.u6, A, MIN_DEPOSIT, { title: 't'.repeat(256) })]), // gov 5: title too long
    d.tx(U.u6, [submit(U.u6, A, 0n, { initialDeposit: [coin(10n, ATOM)] })]), // gov 23 / sdk 5
    d.tx(U.u6, [submit(U.u6, [], MIN_DEPOSIT)]), // no messages (a text proposal)
  ]);
  // veto (burn), quorum miss, expiry, cancel, expedited, failing execution. (No proposal spends
  // from the gov account: before deposits had their own account that drained escrow and halted
  // the chain at the refund, issue 10.)
  const overspend = [send(GOV, U.u7.address, [coin(10n ** 12n)])];
  const sub2 = await d.block([
    d.tx(U.u4, [submit(U.u4, A, MIN_DEPOSIT)], { gas: 2_000_000n }), // vetoed
    d.tx(U.u5, [submit(U.u5, B, MIN_DEPOSIT)], { gas: 2_000_000n }), // quorum missed
    d.tx(U.u6, [submit(U.u6, A, 300n)], { gas: 2_000_000n }), // deposit period expires
    d.tx(U.u7, [submit(U.u7, A, MIN_DEPOSIT)], { gas: 2_000_000n }), // cancelled in voting
    d.tx(U.u0, [submit(U.u0, C, 2n * MIN_DEPOSIT, { expedited: true })], { gas: 2_000_000n }), // expedited
    d.tx(U.u1, [submit(U.u1, overspend, MIN_DEPOSIT)], { gas: 2_000_000n }), // passes, execution fails
    d.tx(
      U.u2,
      [
        submit(
          U.u2,
          F.length > 0
            ? [
                any('/cosmos.gov.v1.MsgUpdateParams', GovUpdateParams, {
                  authority: GOV,
                  params: { ...govParams, quorum: '2' },
                }),
              ]
            : A,
          MIN_DEPOSIT,
        ),
      ],
      { gas: 2_000_000n },
    ), // passes, gov 103 on execution
    d.tx(U.u3, [submit(U.u3, A, MIN_DEPOSIT)], { gas: 2_000_000n }), // yes = exactly half: rejected
    d.tx(U.u5, [submit(U.u5, A, MIN_DEPOSIT)], { gas: 2_000_000n }), // voted = exactly the quorum: passes
    d.tx(U.u6, [submit(U.u6, A, MIN_DEPOSIT)], { gas: 2_000_000n }), // veto = exactly the threshold: passes
  ]);
  const [pVeto, pQuorum, , pCancel, pExp, pFail, pBadParams, pTie, pQuorumExact, pVetoExact] = sub2.map(
    proposalId,
  ) as bigint[];
  await d.block([
    d.tx(V.v0, [
      vote(pVeto!, V.v0, VETO),
      vote(pExp!, V.v0, YES),
      vote(pFail!, V.v0, YES),
      vote(pBadParams!, V.v0, YES),
      vote(pTie!, V.v0, YES),
    ]),
    d.tx(V.v1, [
      vote(pVeto!, V.v1, VETO),
      vote(pExp!, V.v1, NO),
      vote(pFail!, V.v1, YES),
      vote(pBadParams!, V.v1, YES),
      vote(pTie!, V.v1, NO),
      vote(pQuorumExact!, V.v1, YES),
      weighted(pVetoExact!, V.v1, [
        [VETO, '0.668'],
        [YES, '0.332'],
      ]),
    ]),
    d.tx(V.v2, [
      vote(pVeto!, V.v2, YES),
      vote(pExp!, V.v2, YES),
      vote(pTie!, V.v2, NO),
      vote(pVetoExact!, V.v2, YES),
    ]),
    d.tx(V.v3, [vote(pQuorum!, V.v3, YES), vote(pTie!, V.v3, YES), vote(pExp!, V.v3, NO)]),
    d.tx(U.u6, [cancel(pCancel!, U.u6)]), // gov 18: not the proposer
    d.tx(U.u7, [cancel(pCancel!, U.u7)]),
    d.tx(U.u7, [cancel(pCancel!, U.u7)]), // gov 2: gone
  ]);
  // gov 20: a vote in the block whose time reaches the voting end (pVeto's end)
  const votingEnd = d.query('/cosmos.gov.v1.Query/Proposal', QueryProposalRequest, QueryProposalResponse, {
    proposalId: pVeto!,
  })?.proposal?.votingEndTime;
  for (let i = 0; i < 20 && votingEnd; i++) {
    const t = d.timeOf(d.height + 1n);
    if (t.seconds > votingEnd.seconds || (t.seconds === votingEnd.seconds && t.nanos >= votingEnd.nanos)) {
      await d.block([d.tx(V.v3, [vote(pVeto!, V.v3, NO)])]);
      break;
    }
    await d.block([d.tx(U.u5, [send(U.u5, fresh[(i % 8) + 8]!.address, [coin(1000n + BigInt(i))])])]);
  }
  await d.block([d.tx(V.v3, [vote(pVeto!, V.v3, NO)])]); // finished: gov 2/3

  // after MsgUpdateLimits: too many messages (101) and too many open proposals (102)
  const filler = (k: TestKey) => submit(k, A, 200n); // stays in its deposit period
  await d.block([d.tx(U.u3, [submit(U.u3, [...A, ...A, ...A, ...A], MIN_DEPOSIT)], { gas: 2_000_000n })]);
  await d.block(
    [U.u0, U.u1, U.u2, U.u3, U.u4, U.u5, U.u6, U.u7, U.u0, U.u1].map((k) =>
      d.tx(k, [filler(k)], { gas: 2_000_000n }),
    ),
  );
  // uatom after B: send disabled (bank 5) then re-enabled by a MsgSetSendEnabled proposal
  await d.block([
    d.tx(U.u0, [send(U.u0, U.u1.address, [coin(3n, ATOM)])]),
    d.tx(U.u0, [multiSend([[U.u0.address, [coin(3n, ATOM)]]], [[U.u1.address, [coin(3n, ATOM)]]])]),
  ]);
  await d.blocks_(12); // fillers expire (deposits refunded)
  const reenable = [
    any('/cosmos.bank.v1beta1.MsgSetSendEnabled', MsgSetSendEnabled, {
      authority: GOV,
      sendEnabled: [],
      useDefaultFor: [ATOM],
    }),
  ];
  const sub3 = await d.block([
    d.tx(U.u1, [submit(U.u1, reenable, MIN_DEPOSIT)], { gas: 2_000_000n }),
    d.tx(U.u2, [submit(U.u2, [consensusUpdate(GOV, 100_000_000n)], MIN_DEPOSIT)], { gas: 2_000_000n }),
  ]);
  const [pRe, pCons] = sub3.map(proposalId) as bigint[];
  await d.block([
    d.tx(V.v0, [vote(pRe!, V.v0, YES), vote(pCons!, V.v0, YES)]),
    d.tx(V.v1, [
      weighted(pRe!, V.v1, [
        [YES, '0.25'],
        [NO, '0.25'],
        [ABSTAIN, '0.25'],
        [VETO, '0.25'],
      ]),
      vote(pCons!, V.v1, YES),
    ]),
  ]);
  // a tx whose gas limit is above the block max_gas set by proposal D (50M)
  await d.block([d.tx(U.u6, [send(U.u6, U.u7.address, [coin(1n)])], { gas: 60_000_000n })]);
  await d.blocks_(11);
  await d.block([d.tx(U.u0, [send(U.u0, U.u1.address, [coin(4n, ATOM)])])]); // enabled again

  // ---- steady traffic until MIN_BLOCKS: sends, multi-sends, new accounts, collateral ---------
  const everyone = () => [...users, ...vals, ...fresh.slice(0, 12)];
  let n = 0;
  while (d.height < BigInt(MIN_BLOCKS)) {
    const txs: Uint8Array[] = [];
    const count = rand(4);
    const used = new Set<string>();
    for (let i = 0; i < count; i++) {
      const from = users[rand(users.length)]!;
      if (used.has(from.address)) continue;
      used.add(from.address);
      const pick = rand(10);
      const to = everyone()[rand(everyone().length)]!.address;
      if (pick < 5) txs.push(d.tx(from, [send(from, to, [coin(BigInt(1 + rand(100_000)))])]));
      else if (pick < 7)
        txs.push(
          d.tx(from, [
            multiSend(
              [[from.address, [coin(300n)]]],
              [
                [to, [coin(100n)]],
                [fresh[12 + rand(12)]!.address, [coin(200n)]],
              ],
            ),
          ]),
        );
      else if (pick < 8) txs.push(d.tx(from, [depositCol(from, coin(BigInt(1 + rand(1_000_000))))]));
      else if (pick < 9) txs.push(d.tx(from, [withdrawCol(from, coin(BigInt(1 + rand(500_000))))]));
      else txs.push(d.tx(from, [send(from, to, [coin(1n)])], { gas: BigInt(20_000 + rand(60_000)) })); // some run out of gas
    }
    if (n++ % 9 === 0) txs.push(d.tx(V.v3, [withdrawCol(V.v3, coin(100_000n))]));
    await d.block(txs);
  }
  return d;
}
