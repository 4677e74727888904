// Every x/governance error path, through the real tx pipeline of an in-process chain (ante +
// message branch), asserting the (codespace, code) a wallet sees; plus params and genesis
// validation. Acceptance 3 of issue 5 for governance.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import {
  QueryParamsRequest,
  QueryParamsResponse,
  QueryProposalRequest,
  QueryProposalResponse,
} from 'cosmjs-types/cosmos/gov/v1/query';
import { MsgCancelProposal, MsgUpdateParams } from 'cosmjs-types/cosmos/gov/v1/tx';
import type { ExecTxResult } from 'cosmjs-types/tendermint/abci/types';
import { RequestInitChain } from 'cosmjs-types/tendermint/abci/types';
import { pino } from 'pino';
import { appStoreNames, createApp, defaultAppState } from '../../app/app.js';
import { PersistentMultiStore } from '../../app/runtime/store/index.js';
import { MsgUpdateLimits } from '../../proto/gen/gonka/governance/v1/tx.js';
import { typeUrl } from '../../proto/gonka/registry.js';
import { applyGovProfile } from '../../x/governance/genesis.js';
import {
  defaultGovParams,
  devnetGovParams,
  fastGovParams,
  govParamsFromJson,
  govParamsToJson,
  validateGovParams,
} from '../../x/governance/params.js';
import {
  ABSTAIN,
  advance,
  any,
  deliver,
  depositMsg,
  GOV_ADDRESS,
  govAppState,
  MIN_DEPOSIT,
  NO,
  proposalIdOf,
  submitMsg,
  voteMsg,
  weightedMsg,
  YES,
} from './gov-helpers.js';
import { DENOM, TestChain, TestKey } from './tx-harness.js';

const keys = [0, 1, 2, 3, 4].map((i) => TestKey.fromSeed(`goverr-${i}`));

function expectCode(r: ExecTxResult, codespace: string, code: number, log?: RegExp) {
  assert.equal(`${r.codespace}:${r.code}`, `${codespace}:${code}`, r.log);
  if (log) assert.match(r.log, log);
}

const cancelMsg = (id: bigint, proposer: string) =>
  any('/cosmos.gov.v1.MsgCancelProposal', MsgCancelProposal, { proposalId: id, proposer });
const send = (from: string) =>
  any('/cosmos.bank.v1beta1.MsgSend', MsgSend, {
    fromAddress: from,
    toAddress: keys[4]!.address,
    amount: [{ denom: DENOM, amount: '1' }],
  });

describe('governance error paths', () => {
  let chain: TestChain;
  let sdkParams: MsgUpdateParams['params'];
  const addr = (i: number) => keys[i]!.address;
  before(async () => {
    chain = await TestChain.create({
      accounts: 5,
      seed: 'goverr',
      appState: (s) => {
        govAppState(keys)(s);
        s.governance.params.max_open_proposals = '6';
      },
    });
    sdkParams = chain.query('/cosmos.gov.v1.Query/Params', QueryParamsRequest, QueryParamsResponse, {
      paramsType: '',
    }).params!;
  });
  after(async () => chain?.close());

  it('MsgUpdateParams from anyone but the governance account: sdk 4', async () => {
    const msg = any('/cosmos.gov.v1.MsgUpdateParams', MsgUpdateParams, {
      authority: addr(0),
      params: sdkParams,
    });
    expectCode(await deliver(chain, 0, [msg]), 'sdk', 4, /invalid authority/);
    const limits = any(
      typeUrl(MsgUpdateLimits),
      MsgUpdateLimits,
      MsgUpdateLimits.fromPartial({
        authority: addr(0),
        maxMessages: 2n,
        maxTitleLength: 10n,
        maxMetadataLength: 10n,
        maxSummaryLength: 10n,
        maxOpenProposals: 1n,
      }),
    );
    expectCode(await deliver(chain, 0, [limits]), 'sdk', 4);
  });

  it('invalid params are refused on set (gov 103) and in genesis (gov 8)', async () => {
    // The authority is the gov account, which cannot sign: drive the handler directly on a branch.
    const { Context } = await import('../../app/runtime/context.js');
    const ctx = new Context(
      'finalize',
      {
        chainId: 'gonka-test',
        height: 99n,
        time: { seconds: 1n, nanos: 0 },
        hash: new Uint8Array(0),
        proposerAddress: new Uint8Array(0),
      },
      chain.store.branch(),
      chain.app.modules.stores,
    );
    const route = chain.app.msgs.route('/cosmos.gov.v1.MsgUpdateParams');
    const bad = [
      { ...sdkParams, threshold: '1.5' },
      { ...sdkParams, quorum: 'lots' },
      { ...sdkParams, expeditedVotingPeriod: { seconds: 3600n, nanos: 0 } },
      { ...sdkParams, expeditedThreshold: '0.4' },
      { ...sdkParams, minDeposit: [] },
      { ...sdkParams, votingPeriod: { seconds: 10n, nanos: 5 } },
    ];
    for (const params of bad) {
      assert.throws(
        () => route.handle(ctx, { authority: GOV_ADDRESS, params }),
        (e: any) => e.codespace === 'gov' && e.code === 103,
        JSON.stringify(params, (_, v) => (typeof v === 'bigint' ? String(v) : v)).slice(0, 80),
      );
    }
    route.handle(ctx, { authority: GOV_ADDRESS, params: { ...sdkParams, quorum: '0.4' } });
    const limits = chain.app.msgs.route(typeUrl(MsgUpdateLimits));
    assert.throws(
      () =>
        limits.handle(ctx, {
          authority: GOV_ADDRESS,
          maxMessages: 0n,
          maxTitleLength: 1n,
          maxMetadataLength: 1n,
          maxSummaryLength: 1n,
          maxOpenProposals: 1n,
        }),
      (e: any) => e.code === 103,
    );

    const dir = mkdtempSync(join(tmpdir(), 'gonka-goverr-'));
    const store = await PersistentMultiStore.open(dir, appStoreNames(), { keepRecent: 2 });
    try {
      const app = createApp(store, pino({ level: 'silent' }), 'test');
      const state = defaultAppState() as Record<string, any>;
      state.governance.params.voting_period = '0s';
      assert.throws(
        () =>
          app.initChain(
            RequestInitChain.fromPartial({
              chainId: 'x',
              time: { seconds: 1n, nanos: 0 },
              appStateBytes: new TextEncoder().encode(JSON.stringify(state)),
              initialHeight: 1n,
            }),
          ),
        (e: any) => e.codespace === 'gov' && e.code === 8 && /voting_period must be positive/.test(e.message),
      );
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('submit: unroutable (10), not signed by gov (13), too many messages (101), long metadata (15) / summary (22), empty title (5), unknown denom (23)', async () => {
    expectCode(
      await deliver(chain, 3, [
        submitMsg(addr(3), [{ typeUrl: '/nope.v1.MsgNothing', value: new Uint8Array(0) }], MIN_DEPOSIT),
      ]),
      'gov',
      10,
    );
    expectCode(await deliver(chain, 3, [submitMsg(addr(3), [send(addr(3))], MIN_DEPOSIT)]), 'gov', 13);
    expectCode(
      await deliver(chain, 3, [
        submitMsg(
          addr(3),
          Array.from({ length: 17 }, () => send(GOV_ADDRESS)),
          MIN_DEPOSIT,
        ),
      ]),
      'gov',
      101,
    );
    expectCode(
      await deliver(chain, 3, [submitMsg(addr(3), [], MIN_DEPOSIT, { metadata: 'x'.repeat(256) })]),
      'gov',
      15,
    );
    expectCode(
      await deliver(chain, 3, [submitMsg(addr(3), [], MIN_DEPOSIT, { summary: 'x'.repeat(10_201) })]),
      'gov',
      22,
    );
    expectCode(await deliver(chain, 3, [submitMsg(addr(3), [], MIN_DEPOSIT, { title: '' })]), 'gov', 5);
    const wrongDenom = submitMsg(addr(3), [], 0n, { initialDeposit: [{ denom: 'uatom', amount: '5' }] });
    expectCode(await deliver(chain, 3, [wrongDenom]), 'gov', 23);
  });

  it('votes: unknown proposal (2), deposit period (3), no weight (100), bad options (7), after the voting period (20), finished (3)', async () => {
    expectCode(await deliver(chain, 0, [voteMsg(999n, addr(0), YES)]), 'gov', 2);
    const pending = proposalIdOf(await deliver(chain, 3, [submitMsg(addr(3), [], 10n)]));
    expectCode(
      await deliver(chain, 0, [voteMsg(pending, addr(0), YES)]),
      'gov',
      3,
      /not in its voting period/,
    );
    const id = proposalIdOf(await deliver(chain, 3, [submitMsg(addr(3), [], MIN_DEPOSIT)]));
    expectCode(await deliver(chain, 4, [voteMsg(id, addr(4), YES)]), 'gov', 100);
    expectCode(
      await deliver(chain, 0, [
        weightedMsg(id, addr(0), [
          [YES, '0.5'],
          [NO, '0.4'],
        ]),
      ]),
      'gov',
      7,
      /sum/,
    );
    expectCode(
      await deliver(chain, 0, [
        weightedMsg(id, addr(0), [
          [YES, '0.5'],
          [YES, '0.5'],
        ]),
      ]),
      'gov',
      7,
      /duplicate/,
    );
    expectCode(await deliver(chain, 0, [voteMsg(id, addr(0), 9 as never)]), 'gov', 7);
    assert.equal((await deliver(chain, 1, [voteMsg(id, addr(1), ABSTAIN)])).code, 0);
    // The block whose time reaches voting_end_time runs its txs before the end blocker closes the
    // proposal: a vote there is after the period (gov 20); one block later the proposal is finished.
    const end = chain.query('/cosmos.gov.v1.Query/Proposal', QueryProposalRequest, QueryProposalResponse, {
      proposalId: id,
    }).proposal!.votingEndTime!.seconds;
    const nextBlockTime = () => 1_700_000_000n + chain.height + 1n; // TestChain: one second per block
    while (nextBlockTime() < end) await advance(chain, 1);
    expectCode(await deliver(chain, 0, [voteMsg(id, addr(0), YES)]), 'gov', 20);
    expectCode(await deliver(chain, 0, [voteMsg(id, addr(0), YES)]), 'gov', 3);
  });

  it('deposits: unknown proposal (2), finished (3), below min_deposit_ratio (16), unknown denom (23), insufficient funds (sdk 5)', async () => {
    expectCode(await deliver(chain, 4, [depositMsg(999n, addr(4), 100n)]), 'gov', 2);
    const id = proposalIdOf(await deliver(chain, 3, [submitMsg(addr(3), [], MIN_DEPOSIT)]));
    expectCode(await deliver(chain, 4, [depositMsg(id, addr(4), 9n)]), 'gov', 16);
    expectCode(await deliver(chain, 4, [depositMsg(id, addr(4), 100n, 'uatom')]), 'gov', 23);
    expectCode(await deliver(chain, 4, [depositMsg(id, addr(4), 10n ** 15n)]), 'sdk', 5);
    await advance(chain, 10);
    expectCode(await deliver(chain, 4, [depositMsg(id, addr(4), 100n)]), 'gov', 3, /finished/);
  });

  it('cancel: unknown proposal (2), wrong proposer (18), finished (3)', async () => {
    expectCode(await deliver(chain, 3, [cancelMsg(999n, addr(3))]), 'gov', 2);
    const id = proposalIdOf(await deliver(chain, 3, [submitMsg(addr(3), [], MIN_DEPOSIT)]));
    expectCode(await deliver(chain, 4, [cancelMsg(id, addr(4))]), 'gov', 18);
    await advance(chain, 10);
    expectCode(await deliver(chain, 3, [cancelMsg(id, addr(3))]), 'gov', 3);
  });

  it('open proposals are bounded by max_open_proposals (102)', async () => {
    let last: ExecTxResult | undefined;
    for (let i = 0; i < 8 && (!last || last.code === 0); i++)
      last = await deliver(chain, 3, [submitMsg(addr(3), [], 10n)]);
    expectCode(last!, 'gov', 102);
  });
});

describe('governance params', () => {
  it('defaults are mainnet-like and every profile validates; JSON round-trips exactly', () => {
    const d = defaultGovParams();
    assert.equal(d.votingPeriodSeconds, 172_800n);
    assert.equal(govParamsToJson(d).quorum, '0.250000000000000000');
    assert.equal(d.minDeposit[0]!.amount, 25_000_000n);
    for (const p of [d, devnetGovParams(), fastGovParams()]) {
      validateGovParams(p);
      assert.deepEqual(govParamsFromJson(govParamsToJson(p)), p);
    }
    assert.equal(devnetGovParams().votingPeriodSeconds, 30n);
    // ≤ 1% of the devnet's funded 10^15 ngonka.
    assert.ok(devnetGovParams().minDeposit[0]!.amount * 100n <= 10n ** 15n);
  });

  it('applyGovProfile sets the devnet/test periods unless the caller changed governance params', () => {
    const state = defaultAppState() as Record<string, any>;
    applyGovProfile(state, devnetGovParams());
    assert.equal(state.governance.params.voting_period, '30s');
    assert.equal(state.governance.params.max_deposit_period, '30s');
    const custom = defaultAppState() as Record<string, any>;
    custom.governance.params.voting_period = '15s';
    custom.governance.params.expedited_voting_period = '5s';
    applyGovProfile(custom, fastGovParams());
    assert.equal(custom.governance.params.voting_period, '15s');
  });

  it('rejects bad genesis params with the field named', () => {
    assert.throws(() => govParamsFromJson({ quorum: '1.01' }), /quorum/);
    assert.throws(() => govParamsFromJson({ voting_period: '10m' }), /voting_period/);
    assert.throws(() => govParamsFromJson({ max_messages: '0' }), /max_messages/);
    assert.throws(
      () => govParamsFromJson({ expedited_min_deposit: [{ denom: DENOM, amount: '1' }] }),
      /expedited_min_deposit/,
    );
    assert.throws(() => govParamsFromJson({ burn_vote_veto: 'yes' as never }), /burn_vote_veto/);
  });
});
