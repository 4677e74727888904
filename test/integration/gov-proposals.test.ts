// x/governance in process, through the ABCI handlers: proposals voted by PoC weight (50/30/20),
// tallies equal to the weights, execution all or nothing through the router with the governance
// account as authority, deposits refunded or burned by outcome with the supply invariant holding,
// expedited proposals, the deposit period, cancel, and genesis export/import (acceptance 4).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { QuerySupplyOfRequest, QuerySupplyOfResponse } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { MsgSend, MsgSetSendEnabled } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { MsgUpdateParams as ConsensusMsgUpdateParams } from 'cosmjs-types/cosmos/consensus/v1/tx';
import { type Proposal, ProposalStatus } from 'cosmjs-types/cosmos/gov/v1/gov';
import {
  QueryParamsRequest,
  QueryParamsResponse,
  QueryProposalRequest,
  QueryProposalResponse,
  QueryTallyResultRequest,
  QueryTallyResultResponse,
} from 'cosmjs-types/cosmos/gov/v1/query';
import { MsgCancelProposal, MsgUpdateParams } from 'cosmjs-types/cosmos/gov/v1/tx';
import * as q0 from 'cosmjs-types/cosmos/gov/v1beta1/query';
import { RequestInitChain } from 'cosmjs-types/tendermint/abci/types';
import type { ConsensusParams } from 'cosmjs-types/tendermint/types/params';
import { pino } from 'pino';
import { appStoreNames, createApp } from '../../app/app.js';
import { PersistentMultiStore } from '../../app/runtime/store/index.js';
import {
  QueryParamsRequest as CQReq,
  QueryParamsResponse as CQRes,
} from '../../proto/gen/gonka/collateral/v1/query.js';
import { MsgUpdateParams as CollateralMsgUpdateParams } from '../../proto/gen/gonka/collateral/v1/tx.js';
import { MsgUpdateLimits } from '../../proto/gen/gonka/governance/v1/tx.js';
import { typeUrl } from '../../proto/gonka/registry.js';
import { dumpStores } from '../sim/chain-sim.js';
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
  VETO,
  voteMsg,
  weightedMsg,
  YES,
} from './gov-helpers.js';
import { balanceOf, DENOM, TestChain, TestKey } from './tx-harness.js';

const supply = (c: TestChain) =>
  BigInt(
    c.query('/cosmos.bank.v1beta1.Query/SupplyOf', QuerySupplyOfRequest, QuerySupplyOfResponse, {
      denom: DENOM,
    }).amount!.amount,
  );
const proposal = (c: TestChain, id: bigint): Proposal =>
  c.query('/cosmos.gov.v1.Query/Proposal', QueryProposalRequest, QueryProposalResponse, { proposalId: id })
    .proposal!;
const setSendEnabled = (denom: string) =>
  any(
    '/cosmos.bank.v1beta1.MsgSetSendEnabled',
    MsgSetSendEnabled,
    MsgSetSendEnabled.fromPartial({ authority: GOV_ADDRESS, sendEnabled: [{ denom, enabled: false }] }),
  );

const keys = [0, 1, 2, 3, 4].map((i) => TestKey.fromSeed(`gov-${i}`));
const newChain = (extra?: (s: Record<string, any>) => void) =>
  TestChain.create({
    accounts: 5,
    seed: 'gov',
    appState: (s) => {
      govAppState(keys)(s);
      extra?.(s);
    },
  });

function invariantsHold(c: TestChain) {
  assert.deepEqual(c.app.checkInvariants(), []);
}

describe('governance: proposals voted by PoC weight (50/30/20)', () => {
  let chain: TestChain;
  before(async () => {
    chain = await newChain();
  });
  after(async () => chain?.close());

  it('passes a collateral param change: tally equals the weights, the change takes effect, the deposit is refunded', async () => {
    const params = chain.query('/gonka.collateral.v1.Query/Params', CQReq, CQRes, {}).params!;
    const changed = { ...params, unbondingPeriodEpochs: params.unbondingPeriodEpochs + 2n };
    const msg = any('/gonka.collateral.v1.MsgUpdateParams', CollateralMsgUpdateParams, {
      authority: GOV_ADDRESS,
      params: changed,
    });
    const before = balanceOf(chain, keys[3]!.address);
    const sub = await deliver(chain, 3, [submitMsg(keys[3]!.address, [msg], MIN_DEPOSIT)]);
    assert.equal(sub.code, 0, sub.log);
    const id = proposalIdOf(sub);
    assert.equal(proposal(chain, id).status, ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD);
    assert.equal((await deliver(chain, 0, [voteMsg(id, keys[0]!.address, YES)])).code, 0);
    assert.equal((await deliver(chain, 1, [voteMsg(id, keys[1]!.address, NO)])).code, 0);
    const live = chain.query(
      '/cosmos.gov.v1.Query/TallyResult',
      QueryTallyResultRequest,
      QueryTallyResultResponse,
      { proposalId: id },
    ).tally!;
    assert.deepEqual(live, { yesCount: '50', abstainCount: '0', noCount: '30', noWithVetoCount: '0' });
    const legacy = chain.query(
      '/cosmos.gov.v1beta1.Query/TallyResult',
      q0.QueryTallyResultRequest,
      q0.QueryTallyResultResponse,
      { proposalId: id },
    ).tally!;
    assert.deepEqual(legacy, { yes: '50', abstain: '0', no: '30', noWithVeto: '0' });
    await advance(chain, 10);
    const p = proposal(chain, id);
    assert.equal(p.status, ProposalStatus.PROPOSAL_STATUS_PASSED, p.failedReason);
    assert.deepEqual(p.finalTallyResult, {
      yesCount: '50',
      abstainCount: '0',
      noCount: '30',
      noWithVetoCount: '0',
    });
    assert.equal(
      chain.query('/gonka.collateral.v1.Query/Params', CQReq, CQRes, {}).params!.unbondingPeriodEpochs,
      changed.unbondingPeriodEpochs,
    );
    // Fees went to the fee collector; the deposit came back in full.
    const fee = 200_000n;
    assert.equal(balanceOf(chain, keys[3]!.address), before - fee);
    assert.equal(balanceOf(chain, GOV_ADDRESS), 0n);
    invariantsHold(chain);
  });

  it('rejects a proposal that misses quorum (20 of 100 < 0.25) and refunds its deposit', async () => {
    const sub = await deliver(chain, 3, [
      submitMsg(keys[3]!.address, [setSendEnabled('quorumcoin')], MIN_DEPOSIT),
    ]);
    const id = proposalIdOf(sub);
    await deliver(chain, 2, [voteMsg(id, keys[2]!.address, YES)]);
    const supplyBefore = supply(chain);
    await advance(chain, 10);
    const p = proposal(chain, id);
    assert.equal(p.status, ProposalStatus.PROPOSAL_STATUS_REJECTED);
    assert.deepEqual(p.finalTallyResult, {
      yesCount: '20',
      abstainCount: '0',
      noCount: '0',
      noWithVetoCount: '0',
    });
    assert.equal(supply(chain), supplyBefore, 'nothing burned');
    assert.equal(balanceOf(chain, GOV_ADDRESS), 0n);
    invariantsHold(chain);
  });

  it('vetoes a proposal (50 veto of 80) and burns its deposit: supply shrinks by the deposit', async () => {
    const sub = await deliver(chain, 3, [
      submitMsg(keys[3]!.address, [setSendEnabled('vetocoin')], MIN_DEPOSIT),
    ]);
    const id = proposalIdOf(sub);
    await deliver(chain, 4, [depositMsg(id, keys[4]!.address, 500n)]);
    await deliver(chain, 0, [voteMsg(id, keys[0]!.address, VETO)]);
    await deliver(chain, 1, [voteMsg(id, keys[1]!.address, YES)]);
    const supplyBefore = supply(chain);
    await advance(chain, 10);
    const p = proposal(chain, id);
    assert.equal(p.status, ProposalStatus.PROPOSAL_STATUS_REJECTED);
    assert.deepEqual(p.finalTallyResult, {
      yesCount: '30',
      abstainCount: '0',
      noCount: '0',
      noWithVetoCount: '50',
    });
    assert.equal(supply(chain), supplyBefore - MIN_DEPOSIT - 500n);
    assert.equal(balanceOf(chain, GOV_ADDRESS), 0n);
    invariantsHold(chain);
  });

  it('splits weighted votes exactly and counts abstain out of the threshold', async () => {
    const sub = await deliver(chain, 3, [
      submitMsg(keys[3]!.address, [setSendEnabled('splitcoin')], MIN_DEPOSIT),
    ]);
    const id = proposalIdOf(sub);
    await deliver(chain, 0, [
      weightedMsg(id, keys[0]!.address, [
        [YES, '0.3'],
        [NO, '0.7'],
      ]),
    ]); // 15 yes, 35 no
    await deliver(chain, 1, [voteMsg(id, keys[1]!.address, ABSTAIN)]);
    await deliver(chain, 2, [voteMsg(id, keys[2]!.address, YES)]);
    await advance(chain, 10);
    const p = proposal(chain, id);
    // yes 35 / (100 − 30 abstain) = 0.5, not > 0.5: rejected.
    assert.deepEqual(p.finalTallyResult, {
      yesCount: '35',
      abstainCount: '30',
      noCount: '35',
      noWithVetoCount: '0',
    });
    assert.equal(p.status, ProposalStatus.PROPOSAL_STATUS_REJECTED);
  });

  it('executes all or nothing: a failing second message undoes the first and records the failure', async () => {
    const send = any('/cosmos.bank.v1beta1.MsgSend', MsgSend, {
      fromAddress: GOV_ADDRESS,
      toAddress: keys[4]!.address,
      amount: [{ denom: DENOM, amount: '999999999999999' }],
    });
    const sub = await deliver(chain, 3, [
      submitMsg(keys[3]!.address, [setSendEnabled('atomiccoin'), send], MIN_DEPOSIT),
    ]);
    const id = proposalIdOf(sub);
    await deliver(chain, 0, [voteMsg(id, keys[0]!.address, YES)]);
    const res = await advance(chain, 10);
    const p = proposal(chain, id);
    assert.equal(p.status, ProposalStatus.PROPOSAL_STATUS_FAILED);
    assert.match(p.failedReason, /insufficient funds/);
    const r = chain.rawQuery('/cosmos.bank.v1beta1.Query/SendEnabled', new Uint8Array(0));
    assert.equal(r.code, 0);
    const body = (await import('cosmjs-types/cosmos/bank/v1beta1/query')).QuerySendEnabledResponse.decode(
      r.value,
    );
    assert.ok(!body.sendEnabled.some((s) => s.denom === 'atomiccoin'), 'first message rolled back');
    const ev = res.events.find((e) => e.type === 'active_proposal');
    assert.ok(ev?.attributes.some((a) => a.key === 'proposal_result' && a.value === 'proposal_failed'));
    invariantsHold(chain);
  });

  it('changes consensus params through a proposal: FinalizeBlock returns the update', async () => {
    const msg = any('/cosmos.consensus.v1.MsgUpdateParams', ConsensusMsgUpdateParams, {
      authority: GOV_ADDRESS,
      block: { maxBytes: 22020096n, maxGas: 123_456_789n },
      evidence: {
        maxAgeNumBlocks: 100000n,
        maxAgeDuration: { seconds: 172800n, nanos: 0 },
        maxBytes: 1048576n,
      },
      validator: { pubKeyTypes: ['ed25519'] },
    });
    const sub = await deliver(chain, 3, [submitMsg(keys[3]!.address, [msg], MIN_DEPOSIT)]);
    assert.equal(sub.code, 0, sub.log);
    const id = proposalIdOf(sub);
    await deliver(chain, 0, [voteMsg(id, keys[0]!.address, YES)]);
    let update: ConsensusParams | undefined;
    for (let i = 0; i < 12 && !update; i++) update = (await chain.block([])).consensusParamUpdates;
    assert.equal(
      proposal(chain, id).status,
      ProposalStatus.PROPOSAL_STATUS_PASSED,
      proposal(chain, id).failedReason,
    );
    assert.equal(update?.block?.maxGas, 123_456_789n);
  });

  it('expedited: misses the 0.667 threshold, becomes a regular proposal and passes at the regular end', async () => {
    const sub = await deliver(chain, 3, [
      submitMsg(keys[3]!.address, [setSendEnabled('fastcoin')], 2n * MIN_DEPOSIT, { expedited: true }),
    ]);
    const id = proposalIdOf(sub);
    let p = proposal(chain, id);
    assert.equal(p.votingEndTime!.seconds - p.votingStartTime!.seconds, 5n);
    await deliver(chain, 0, [voteMsg(id, keys[0]!.address, YES)]);
    await deliver(chain, 1, [voteMsg(id, keys[1]!.address, NO)]); // 50/80 = 0.625
    await advance(chain, 4);
    p = proposal(chain, id);
    assert.equal(p.status, ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD);
    assert.equal(p.expedited, false);
    assert.equal(p.votingEndTime!.seconds - p.votingStartTime!.seconds, 10n);
    await advance(chain, 6);
    assert.equal(proposal(chain, id).status, ProposalStatus.PROPOSAL_STATUS_PASSED);
  });

  it('drops a proposal whose deposit period ends below the minimum and refunds; a later deposit starts voting', async () => {
    const sub = await deliver(chain, 3, [submitMsg(keys[3]!.address, [], 100n)]);
    const id = proposalIdOf(sub);
    assert.equal(proposal(chain, id).status, ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD);
    const sub2 = await deliver(chain, 3, [submitMsg(keys[3]!.address, [], 100n)]);
    const id2 = proposalIdOf(sub2);
    const dep = await deliver(chain, 4, [depositMsg(id2, keys[4]!.address, MIN_DEPOSIT)]);
    assert.equal(dep.code, 0, dep.log);
    assert.equal(proposal(chain, id2).status, ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD);
    await advance(chain, 10);
    assert.equal(
      chain.rawQuery(
        '/cosmos.gov.v1.Query/Proposal',
        QueryProposalRequest.encode({ proposalId: id }).finish(),
      ).code,
      22,
      'dropped proposals are deleted',
    );
    assert.equal(balanceOf(chain, GOV_ADDRESS), 0n);
    invariantsHold(chain);
  });

  it("changes governance's own params and limits through a proposal", async () => {
    const current = chain.query('/cosmos.gov.v1.Query/Params', QueryParamsRequest, QueryParamsResponse, {
      paramsType: '',
    }).params!;
    const update = any('/cosmos.gov.v1.MsgUpdateParams', MsgUpdateParams, {
      authority: GOV_ADDRESS,
      params: { ...current, quorum: '0.4' },
    });
    const limits = any(
      typeUrl(MsgUpdateLimits),
      MsgUpdateLimits,
      MsgUpdateLimits.fromPartial({
        authority: GOV_ADDRESS,
        maxMessages: 4n,
        maxTitleLength: 100n,
        maxMetadataLength: 100n,
        maxSummaryLength: 1000n,
        maxOpenProposals: 50n,
      }),
    );
    const id = proposalIdOf(
      await deliver(chain, 3, [submitMsg(keys[3]!.address, [update, limits], MIN_DEPOSIT)]),
    );
    await deliver(chain, 0, [voteMsg(id, keys[0]!.address, YES)]);
    await advance(chain, 10);
    assert.equal(
      proposal(chain, id).status,
      ProposalStatus.PROPOSAL_STATUS_PASSED,
      proposal(chain, id).failedReason,
    );
    const after = chain.query('/cosmos.gov.v1.Query/Params', QueryParamsRequest, QueryParamsResponse, {
      paramsType: '',
    }).params!;
    assert.equal(after.quorum, '0.400000000000000000');
    const five = Array.from({ length: 5 }, () => setSendEnabled('limitcoin'));
    const r = await deliver(chain, 3, [submitMsg(keys[3]!.address, five, MIN_DEPOSIT)]);
    assert.equal(`${r.codespace}:${r.code}`, 'gov:101', r.log);
  });

  it('cancel by the proposer burns proposal_cancel_ratio (0.5) of the deposit and refunds the rest', async () => {
    const sub = await deliver(chain, 3, [submitMsg(keys[3]!.address, [], MIN_DEPOSIT)]);
    const id = proposalIdOf(sub);
    const supplyBefore = supply(chain);
    const cancel = any('/cosmos.gov.v1.MsgCancelProposal', MsgCancelProposal, {
      proposalId: id,
      proposer: keys[3]!.address,
    });
    const r = await deliver(chain, 3, [cancel]);
    assert.equal(r.code, 0, r.log);
    assert.equal(supply(chain), supplyBefore - MIN_DEPOSIT / 2n);
    assert.equal(balanceOf(chain, GOV_ADDRESS), 0n);
    invariantsHold(chain);
  });
});

describe('governance genesis: export → import reproduces every store', () => {
  it('round-trips open proposals, deposits and votes; re-export is byte-identical; two imports share an app hash', async () => {
    const chain = await newChain();
    try {
      const s1 = await deliver(chain, 3, [
        submitMsg(keys[3]!.address, [setSendEnabled('gencoin')], MIN_DEPOSIT),
      ]);
      const id = proposalIdOf(s1);
      await deliver(chain, 0, [
        weightedMsg(id, keys[0]!.address, [
          [YES, '0.25'],
          [VETO, '0.75'],
        ]),
      ]);
      await deliver(chain, 4, [depositMsg(id, keys[4]!.address, 700n)]);
      await deliver(chain, 3, [submitMsg(keys[3]!.address, [], 10n, { metadata: 'ipfs://x' })]);
      const exported = JSON.stringify(chain.app.exportGenesis());
      const want = dumpStores(chain.store);
      const imports = [];
      for (let i = 0; i < 2; i++) {
        const dir = mkdtempSync(join(tmpdir(), 'gonka-govgen-'));
        const store = await PersistentMultiStore.open(dir, appStoreNames(), { keepRecent: 2 });
        const app = createApp(store, pino({ level: 'silent' }), 'test');
        const res = app.initChain(
          RequestInitChain.fromPartial({
            chainId: 'gonka-test',
            time: { seconds: 1n, nanos: 0 },
            appStateBytes: new TextEncoder().encode(exported),
            initialHeight: 1n,
          }),
        );
        await app.commit(); // exportGenesis reads the last committed state
        imports.push({ dir, store, app, hash: Buffer.from(res.appHash).toString('hex') });
      }
      const got = dumpStores(imports[0]!.store);
      for (const name of Object.keys(want)) assert.deepEqual(got[name], want[name], `store ${name}`);
      assert.equal(JSON.stringify(imports[0]!.app.exportGenesis()), exported);
      assert.equal(imports[0]!.hash, imports[1]!.hash);
      for (const x of imports) {
        await x.store.close();
        rmSync(x.dir, { recursive: true, force: true });
      }
    } finally {
      await chain.close();
    }
  });
});
