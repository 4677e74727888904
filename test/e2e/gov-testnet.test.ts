// Issue 5 acceptance 1 (governance): a 3-validator testnet whose PoC weights — and so CometBFT
// powers and governance voting power — are 50/30/20. With CosmJS, unmodified, the operators
// submit and vote four proposals at once:
//   1. a collateral param change: yes 50 + 20, no 30 → passes and the param changes;
//   2. only the 20-weight validator votes: 20 of 100 < quorum 0.25 → rejected, deposit refunded;
//   3. veto 50 of 100 > 0.334 → rejected and its deposit burned (total supply drops by it);
//   4. a CometBFT consensus-param change of block.max_gas → passes, and CometBFT's RPC
//      `consensus_params` reports the new value.
// Tallies are read back through CosmJS's GovExtension (cosmos.gov.v1beta1) and equal the weights.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  decodeCosmosSdkDecFromProto,
  QueryClient,
  type SigningStargateClient,
  setupBankExtension,
  setupGovExtension,
} from '@cosmjs/stargate';
import { connectComet } from '@cosmjs/tendermint-rpc';
import { MsgUpdateParams as ConsensusMsgUpdateParams } from 'cosmjs-types/cosmos/consensus/v1/tx';
import { MsgSubmitProposal, MsgVote } from 'cosmjs-types/cosmos/gov/v1/tx';
import { ProposalStatus, VoteOption } from 'cosmjs-types/cosmos/gov/v1beta1/gov';
import { defaultAppState } from '../../app/app.js';
import { repoPath } from '../../app/paths.js';
import { moduleAddress } from '../../app/runtime/address.js';
import {
  QueryParamsRequest as CQReq,
  QueryParamsResponse as CQRes,
} from '../../proto/gen/gonka/collateral/v1/query.js';
import { MsgUpdateParams as CollateralMsgUpdateParams } from '../../proto/gen/gonka/collateral/v1/tx.js';
import { initTestnet, Testnet } from '../../testnet/index.js';
import { waitFor } from '../../testnet/rpc.js';
import { GOV_MODULE } from '../../x/governance/keys.js';
import { proposalIdsOf, testGovParams } from './helpers/gov.js';
import { connectOperators } from './helpers/operators.js';

const DENOM = 'ngonka';
const WEIGHTS = [50, 30, 20];
const DEPOSIT = 1_000_000n;
const GOV = moduleAddress(GOV_MODULE);
const { VOTE_OPTION_YES: YES, VOTE_OPTION_NO: NO, VOTE_OPTION_NO_WITH_VETO: VETO } = VoteOption;

describe('governance on a 3-validator testnet of unequal weight (CosmJS)', () => {
  let dir: string;
  let net: Testnet;
  const clients: SigningStargateClient[] = [];
  const operators: string[] = [];
  const mnemonics: string[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gonka-govnet-'));
    const appState = defaultAppState() as Record<string, any>;
    appState.governance.params = testGovParams(appState.governance.params, DENOM, DEPOSIT, {
      maxDeposit: '20s',
      voting: '15s',
      expedited: '8s',
    });
    const manifest = await initTestnet({
      dir,
      validators: 3,
      weights: WEIGHTS,
      chainId: 'gonka-gov-e2e',
      appState,
    });
    net = Testnet.open(dir);
    await net.start();
    await net.waitForHeight(2, 90_000);
    const ops = await connectOperators(manifest.validators, net.nodes[0]!.rpc.url, DENOM);
    mnemonics.push(...ops.mnemonics);
    operators.push(...ops.addresses);
    clients.push(...ops.clients);
  });
  after(async () => {
    for (const c of clients) c.disconnect();
    await net?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('passes, misses quorum, vetoes (burning the deposit) and changes block.max_gas, with tallies equal to the weights', async () => {
    const comet = await connectComet(net.nodes[0]!.rpc.url);
    const q = QueryClient.withExtensions(comet, setupGovExtension, setupBankExtension);
    try {
      const collateral = CQRes.decode(
        await q
          .queryAbci('/gonka.collateral.v1.Query/Params', CQReq.encode({}).finish())
          .then((r) => r.value),
      ).params!;
      // CometBFT can answer "could not find consensus params for height" for the newest height
      // for a moment after a commit (its state is saved just after the block): poll.
      const cometParams = await waitFor('consensus_params', async () => {
        return (await net.nodes[0]!.rpc.call<any>('consensus_params')).consensus_params;
      });
      const newMaxGas = 77_000_000n;
      const msgs = [
        {
          typeUrl: '/gonka.collateral.v1.MsgUpdateParams',
          value: CollateralMsgUpdateParams.encode({
            authority: GOV,
            params: { ...collateral, unbondingPeriodEpochs: collateral.unbondingPeriodEpochs + 3n },
          }).finish(),
        },
        {
          typeUrl: '/cosmos.bank.v1beta1.MsgSetSendEnabled',
          value: (await import('cosmjs-types/cosmos/bank/v1beta1/tx')).MsgSetSendEnabled.encode({
            authority: GOV,
            sendEnabled: [{ denom: 'quorumcoin', enabled: false }],
            useDefaultFor: [],
          }).finish(),
        },
        {
          typeUrl: '/cosmos.bank.v1beta1.MsgSetSendEnabled',
          value: (await import('cosmjs-types/cosmos/bank/v1beta1/tx')).MsgSetSendEnabled.encode({
            authority: GOV,
            sendEnabled: [{ denom: 'vetocoin', enabled: false }],
            useDefaultFor: [],
          }).finish(),
        },
        {
          typeUrl: '/cosmos.consensus.v1.MsgUpdateParams',
          value: ConsensusMsgUpdateParams.encode(
            ConsensusMsgUpdateParams.fromPartial({
              authority: GOV,
              block: { maxBytes: BigInt(cometParams.block.max_bytes), maxGas: newMaxGas },
              evidence: {
                maxAgeNumBlocks: BigInt(cometParams.evidence.max_age_num_blocks),
                maxAgeDuration: {
                  seconds: BigInt(cometParams.evidence.max_age_duration) / 1_000_000_000n,
                  nanos: Number(BigInt(cometParams.evidence.max_age_duration) % 1_000_000_000n),
                },
                maxBytes: BigInt(cometParams.evidence.max_bytes),
              },
              validator: { pubKeyTypes: cometParams.validator.pub_key_types },
            }),
          ).finish(),
        },
      ];
      // The 20-weight operator proposes all four in one tx.
      const proposer = operators[2]!;
      const supplyBefore = BigInt((await q.bank.supplyOf(DENOM)).amount);
      const submit = await clients[2]!.signAndBroadcast(
        proposer,
        msgs.map((m, i) => ({
          typeUrl: '/cosmos.gov.v1.MsgSubmitProposal',
          value: MsgSubmitProposal.fromPartial({
            messages: [m],
            initialDeposit: [{ denom: DENOM, amount: DEPOSIT.toString() }],
            proposer,
            title: `proposal ${i + 1}`,
            summary: 'e2e',
          }),
        })),
        'auto',
      );
      assert.equal(submit.code, 0, submit.rawLog);
      const ids = proposalIdsOf(submit);
      assert.equal(ids.length, 4);
      const [pass, quorum, veto, maxGas] = ids as [bigint, bigint, bigint, bigint];
      for (const id of ids)
        assert.equal(
          (await q.gov.proposal(id.toString())).proposal.status,
          ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD,
        );

      const votes: [number, bigint, VoteOption][] = [
        [0, pass, YES],
        [1, pass, NO],
        [2, pass, YES],
        [2, quorum, YES],
        [0, veto, VETO],
        [1, veto, YES],
        [2, veto, NO],
        [0, maxGas, YES],
        [1, maxGas, YES],
      ];
      await Promise.all(
        [0, 1, 2].map(async (v) => {
          const mine = votes
            .filter(([who]) => who === v)
            .map(([, proposalId, option]) => ({
              typeUrl: '/cosmos.gov.v1.MsgVote',
              value: MsgVote.fromPartial({ proposalId, voter: operators[v]!, option: option as number }),
            }));
          const r = await clients[v]!.signAndBroadcast(operators[v]!, mine, 'auto');
          assert.equal(r.code, 0, r.rawLog);
        }),
      );
      // The rest of CosmJS's GovExtension reads the same state.
      const tallying = (await q.gov.params('tallying')).tallyParams;
      assert.equal(decodeCosmosSdkDecFromProto(tallying.quorum).toString(), '0.25');
      assert.equal(decodeCosmosSdkDecFromProto(tallying.vetoThreshold).toString(), '0.334');
      assert.equal((await q.gov.params('deposit')).depositParams.minDeposit[0]!.amount, DEPOSIT.toString());
      assert.equal((await q.gov.votes(pass.toString())).votes.length, 3);
      assert.equal((await q.gov.vote(veto.toString(), operators[0]!)).vote.options[0]!.option, VETO);
      assert.equal(
        (await q.gov.deposit(pass.toString(), proposer)).deposit.amount[0]!.amount,
        DEPOSIT.toString(),
      );
      assert.equal(
        (await q.gov.proposals(ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD, '', '')).proposals.length,
        4,
      );
      // While voting: the live tally (v1beta1, as CosmJS reads it) is the weights exactly.
      assert.deepEqual((await q.gov.tally(pass.toString())).tally, {
        yes: '70',
        abstain: '0',
        no: '30',
        noWithVeto: '0',
      });

      const done = await waitFor(
        'all four proposals to finish',
        async () => {
          const ps = await Promise.all(ids.map(async (id) => (await q.gov.proposal(id.toString())).proposal));
          return ps.every((p) => p.status !== ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD) && ps;
        },
        60_000,
        500,
      );
      const tally = (i: number) => done[i]!.finalTallyResult;
      assert.equal(done[0]!.status, ProposalStatus.PROPOSAL_STATUS_PASSED);
      assert.deepEqual(tally(0), { yes: '70', abstain: '0', no: '30', noWithVeto: '0' });
      assert.equal(done[1]!.status, ProposalStatus.PROPOSAL_STATUS_REJECTED);
      assert.deepEqual(tally(1), { yes: '20', abstain: '0', no: '0', noWithVeto: '0' });
      assert.equal(done[2]!.status, ProposalStatus.PROPOSAL_STATUS_REJECTED);
      assert.deepEqual(tally(2), { yes: '30', abstain: '0', no: '20', noWithVeto: '50' });
      assert.equal(done[3]!.status, ProposalStatus.PROPOSAL_STATUS_PASSED);
      assert.deepEqual(tally(3), { yes: '80', abstain: '0', no: '0', noWithVeto: '0' });

      // 1: the collateral param changed.
      const after = CQRes.decode(
        (await q.queryAbci('/gonka.collateral.v1.Query/Params', CQReq.encode({}).finish())).value,
      ).params!;
      assert.equal(after.unbondingPeriodEpochs, collateral.unbondingPeriodEpochs + 3n);
      // 3: only the vetoed deposit was burned (the others came back); the gov account is empty.
      assert.equal(BigInt((await q.bank.supplyOf(DENOM)).amount), supplyBefore - DEPOSIT);
      assert.equal(BigInt((await q.bank.balance(GOV, DENOM)).amount), 0n);
      // 4: every CometBFT node applied the new block.max_gas.
      await waitFor(
        'consensus_params to report the new block.max_gas on every node',
        async () => {
          const all = await Promise.all(net.nodes.map((n) => n.rpc.call<any>('consensus_params')));
          return all.every((r) => r.consensus_params.block.max_gas === newMaxGas.toString());
        },
        20_000,
      );
    } finally {
      comet.disconnect();
    }
  });
  it('the gonkad CLI: submit-proposal from a JSON file, deposit, vote (plain and weighted), query proposal and tally', async () => {
    const home = join(dir, 'cli-home');
    const cli = (args: string[], input?: string) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const needsHome = ['keys', 'tx'].includes(args[0]!);
        const p = spawn(
          process.execPath,
          [
            repoPath('dist', 'app', 'cli', 'main.js'),
            ...args,
            ...(needsHome ? ['--home', home] : []),
            ...(args[0] === 'keys' ? [] : ['--node', net.nodes[1]!.rpc.url]),
          ],
          {
            env: { ...process.env, GONKA_KEYRING_PASSPHRASE: 'gov e2e passphrase' },
          },
        );
        let stdout = '';
        let stderr = '';
        p.stdout.on('data', (d) => (stdout += d));
        p.stderr.on('data', (d) => (stderr += d));
        p.on('close', (status) => resolve({ status, stdout, stderr }));
        p.stdin.end(input ?? '');
      });
    const ok = async (args: string[], input?: string) => {
      const r = await cli(args, input);
      assert.equal(r.status, 0, `gonkad ${args.join(' ')}: ${r.stderr} ${r.stdout}`);
      return JSON.parse(r.stdout);
    };
    for (const i of [0, 1])
      assert.equal(
        (await ok(['keys', 'add', `op${i}`, '--recover'], `${mnemonics[i]}\n`)).address,
        operators[i],
      );
    const authority = (await ok(['query', 'gov', 'authority'])).authority;
    assert.equal(authority, GOV);
    const file = join(dir, 'proposal.json');
    writeFileSync(
      file,
      JSON.stringify({
        messages: [
          {
            '@type': '/cosmos.bank.v1beta1.MsgSetSendEnabled',
            authority,
            send_enabled: [{ denom: 'clicoin', enabled: false }],
            use_default_for: [],
          },
        ],
        deposit: `${DEPOSIT / 2n}${DENOM}`,
        title: 'disable clicoin sends',
        summary: 'from the CLI',
      }),
    );
    const submitted = await ok(['tx', 'gov', 'submit-proposal', 'op0', file]);
    assert.equal(submitted.code, 0, submitted.raw_log);
    const id = submitted.proposal_ids[0] as string;
    assert.equal(
      (await ok(['query', 'gov', 'proposal', id])).proposal.status,
      'PROPOSAL_STATUS_DEPOSIT_PERIOD',
    );
    assert.equal((await ok(['tx', 'gov', 'deposit', 'op1', id, `${DEPOSIT / 2n}${DENOM}`])).code, 0);
    assert.equal(
      (await ok(['query', 'gov', 'proposal', id])).proposal.status,
      'PROPOSAL_STATUS_VOTING_PERIOD',
    );
    assert.equal((await ok(['tx', 'gov', 'vote', 'op0', id, 'yes'])).code, 0);
    assert.equal((await ok(['tx', 'gov', 'vote', 'op1', id, 'yes=0.5,no=0.5'])).code, 0);
    assert.deepEqual((await ok(['query', 'gov', 'tally', id])).tally, {
      yesCount: '65',
      abstainCount: '0',
      noCount: '15',
      noWithVetoCount: '0',
    });
    const bad = await cli(['tx', 'gov', 'vote', 'op0', id, 'maybe']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /yes, no, abstain or no_with_veto/);
    const final = await waitFor(
      'the CLI proposal to pass',
      async () => {
        const p = (await ok(['query', 'gov', 'proposal', id])).proposal;
        return p.status !== 'PROPOSAL_STATUS_VOTING_PERIOD' && p;
      },
      40_000,
      1000,
    );
    assert.equal(final.status, 'PROPOSAL_STATUS_PASSED', final.failedReason);
    assert.deepEqual(final.finalTallyResult, {
      yesCount: '65',
      abstainCount: '0',
      noCount: '15',
      noWithVetoCount: '0',
    });
  });
});
