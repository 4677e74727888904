// Issue 10 acceptance 4b (governance part), on a real single-validator node with CosmJS: proposal
// A escrows a deposit; proposal B passes and sends everything the gov account holds to a third
// account. Deposits sit in their own module account (gov_deposits), so B spends only the gov
// account's own funds; A ends (no votes: quorum missed, deposit refunded) and its refund goes
// through; the chain keeps making blocks past those heights and after a restart, with balances
// exact. The node runs with invariants checked after every commit (config key
// checkInvariantsEvery = 1); at the end a deliberately broken invariant (the testkv fixture's)
// halts it loudly: exit code 1 and a log line naming the invariant.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DirectSecp256k1HdWallet, Registry } from '@cosmjs/proto-signing';
import {
  defaultRegistryTypes,
  GasPrice,
  QueryClient,
  SigningStargateClient,
  setupBankExtension,
  setupGovExtension,
} from '@cosmjs/stargate';
import { connectComet } from '@cosmjs/tendermint-rpc';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { MsgSubmitProposal } from 'cosmjs-types/cosmos/gov/v1/tx';
import { ProposalStatus } from 'cosmjs-types/cosmos/gov/v1beta1/gov';
import { moduleAddress } from '../../app/runtime/address.js';
import { GOV_DEPOSITS_MODULE, GOV_MODULE } from '../../x/governance/keys.js';
import { BREAK_INVARIANT_KEY, encodeTestTx } from '../fixtures/testkv.js';
import { addGenesisAccount } from './helpers/genesisAccounts.js';
import { castVote, proposalIdOf, testGovParams } from './helpers/gov.js';
import { TestNode } from './helpers/node.js';
import { waitFor } from './helpers/rpc.js';

const DENOM = 'ngonka';
const FUNDS = 10_000_000_000n;
const DEPOSIT = 1_000_000n;
const GOV_FUNDS = 4_321n;
const GOV = moduleAddress(GOV_MODULE);
const ESCROW = moduleAddress(GOV_DEPOSITS_MODULE);

describe('governance escape on a real node: a passed proposal cannot drain escrowed deposits', () => {
  let node: TestNode;
  let voter: SigningStargateClient;
  let depositor: SigningStargateClient;
  let voterAddr: string;
  let depositorAddr: string;
  let thief: string;

  before(async () => {
    node = await TestNode.create({ fixtures: 'testkv' });
    const wallets = await Promise.all(
      [0, 1].map(() => DirectSecp256k1HdWallet.generate(12, { prefix: 'gonka' })),
    );
    const addrs = await Promise.all(wallets.map(async (w) => (await w.getAccounts())[0]!.address));
    voterAddr = addrs[0]!;
    depositorAddr = addrs[1]!;
    thief = (await (await DirectSecp256k1HdWallet.generate(12, { prefix: 'gonka' })).getAccounts())[0]!
      .address;
    for (const addr of [voterAddr, depositorAddr]) {
      addGenesisAccount(node.home, addr, `${FUNDS}${DENOM}`);
    }
    // The voter operates the single validator (all the voting weight); the gov account starts
    // with funds of its own (what slashed collateral would give it); periods are short.
    const genesisPath = join(node.home, 'config', 'genesis.json');
    const genesis = JSON.parse(readFileSync(genesisPath, 'utf8'));
    const state = genesis.app_state;
    state.poc.participants[0].address = voterAddr;
    state.bank.balances.push({ address: GOV, coins: [{ denom: DENOM, amount: GOV_FUNDS.toString() }] });
    state.bank.supply = [];
    state.governance.params = testGovParams(state.governance.params, DENOM, DEPOSIT, {
      maxDeposit: '20s',
      voting: '8s',
      expedited: '3s',
    });
    writeFileSync(genesisPath, JSON.stringify(genesis, null, 2));
    const configPath = join(node.home, 'config', 'gonka.json');
    const config = JSON.parse(readFileSync(configPath, 'utf8'));
    writeFileSync(configPath, JSON.stringify({ ...config, checkInvariantsEvery: 1 }, null, 2));

    node.start();
    await node.waitForHeight(2, 60_000);
    const registry = new Registry(defaultRegistryTypes);
    const connect = (w: DirectSecp256k1HdWallet) =>
      SigningStargateClient.connectWithSigner(node.rpc.url, w, {
        registry,
        gasPrice: GasPrice.fromString(`0.1${DENOM}`),
        broadcastPollIntervalMs: 150,
        broadcastTimeoutMs: 20_000,
      });
    voter = await connect(wallets[0]!);
    depositor = await connect(wallets[1]!);
  });
  after(async () => {
    voter?.disconnect();
    depositor?.disconnect();
    await node?.destroy();
  });

  it('B spends only the gov account, A is refunded in full, blocks continue through a restart; a broken invariant halts loudly', async () => {
    const comet = await connectComet(node.rpc.url);
    const q = QueryClient.withExtensions(comet, setupGovExtension, setupBankExtension);
    const balance = async (a: string) => BigInt((await q.bank.balance(a, DENOM)).amount);
    const status = async (id: bigint) => (await q.gov.proposal(id.toString())).proposal.status;
    const fee = (r: { gasWanted: bigint }) => (r.gasWanted + 9n) / 10n;
    const submit = (from: SigningStargateClient, proposer: string, p: Partial<MsgSubmitProposal>) =>
      from.signAndBroadcast(
        proposer,
        [
          {
            typeUrl: '/cosmos.gov.v1.MsgSubmitProposal',
            value: MsgSubmitProposal.fromPartial({ proposer, title: 't', summary: 's', ...p }),
          },
        ],
        'auto',
      );
    try {
      const supply0 = BigInt((await q.bank.supplyOf(DENOM)).amount);
      const dep0 = await balance(depositorAddr);

      // A: the depositor's proposal, minimum deposit, nobody votes.
      const subA = await submit(depositor, depositorAddr, {
        initialDeposit: [{ denom: DENOM, amount: DEPOSIT.toString() }],
      });
      assert.equal(subA.code, 0, subA.rawLog);
      const idA = proposalIdOf(subA);
      assert.equal(await balance(ESCROW), DEPOSIT, "A's deposit is escrowed in gov_deposits");
      assert.equal(await balance(GOV), GOV_FUNDS, 'the gov account holds only its own funds');

      // B: expedited, sends everything the gov account holds; the validator's operator votes yes.
      const voter0 = await balance(voterAddr);
      const subB = await submit(voter, voterAddr, {
        initialDeposit: [{ denom: DENOM, amount: (2n * DEPOSIT).toString() }],
        expedited: true,
        messages: [
          {
            typeUrl: '/cosmos.bank.v1beta1.MsgSend',
            value: MsgSend.encode({
              fromAddress: GOV,
              toAddress: thief,
              amount: [{ denom: DENOM, amount: (await balance(GOV)).toString() }],
            }).finish(),
          },
        ],
      });
      assert.equal(subB.code, 0, subB.rawLog);
      const idB = proposalIdOf(subB);
      const vote = await castVote(voter, voterAddr, idB, 1);
      assert.equal(vote.code, 0, vote.rawLog);

      await waitFor(
        'B to pass',
        async () => (await status(idB)) === ProposalStatus.PROPOSAL_STATUS_PASSED,
        30_000,
        200,
      );
      assert.equal(await balance(thief), GOV_FUNDS, 'B executed: it sent the gov funds');
      assert.equal(await balance(GOV), 0n);
      assert.equal(await balance(ESCROW), DEPOSIT, "A's deposit untouched by B");
      assert.equal(await balance(voterAddr), voter0 - fee(subB) - fee(vote), "B's deposit refunded");

      await waitFor(
        'A to end',
        async () => (await status(idA)) === ProposalStatus.PROPOSAL_STATUS_REJECTED,
        30_000,
        200,
      );
      assert.equal(await balance(depositorAddr), dep0 - fee(subA), "A's deposit refunded in full");
      assert.equal(await balance(ESCROW), 0n);
      assert.equal(BigInt((await q.bank.supplyOf(DENOM)).amount), supply0, 'nothing burned');

      // The chain keeps making blocks past those heights (invariants checked after each commit).
      const h = await node.rpc.height();
      await node.waitForHeight(h + 3, 30_000);

      // And it restarts.
      comet.disconnect();
      await node.stop();
      node.start();
      await node.waitForHeight(h + 6, 60_000);
      const q2 = QueryClient.withExtensions(await connectComet(node.rpc.url), setupBankExtension);
      assert.equal(BigInt((await q2.bank.balance(depositorAddr, DENOM)).amount), dep0 - fee(subA));
      assert.equal(BigInt((await q2.bank.balance(thief, DENOM)).amount), GOV_FUNDS);

      // A broken invariant halts the node loudly (exit 1, the invariant named).
      const r = await node.rpc.broadcastSync(encodeTestTx({ writes: [[BREAK_INVARIANT_KEY, '1']] }));
      assert.equal(r.code, 0, r.log);
      const code = await node.exited(30_000);
      assert.equal(code, 1, 'the node exits non-zero');
      assert.match(node.output, /INVARIANT BROKEN at height \d+: testkv: key 'invariant:broken' is present/);
    } finally {
      comet.disconnect();
    }
  });
});
