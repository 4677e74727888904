// Issue 15 acceptance 2: CosmJS SigningStargateClient with an Amino-only signer
// (Secp256k1HdWallet from @cosmjs/amino, what Ledger and Keplr's Amino path look like to a
// client) sends a bank tx, submits a proposal and votes on it on a real 1-validator testnet
// (CometBFT), and the committed txs carry SIGN_MODE_LEGACY_AMINO_JSON in their auth_info.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Secp256k1HdWallet } from '@cosmjs/amino';
import { Registry } from '@cosmjs/proto-signing';
import {
  AminoTypes,
  createDefaultAminoConverters,
  defaultRegistryTypes,
  GasPrice,
  QueryClient,
  SigningStargateClient,
  setupGovExtension,
} from '@cosmjs/stargate';
import { connectComet } from '@cosmjs/tendermint-rpc';
import { MsgSubmitProposal, MsgVote } from 'cosmjs-types/cosmos/gov/v1/tx';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { AuthInfo, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { defaultAppState } from '../../app/app.js';
import { gonkaAminoConverters } from '../../proto/gonka/amino.js';
import { gonkaRegistryTypes } from '../../proto/gonka/registry.js';
import { initTestnet, Testnet } from '../../testnet/index.js';

const DENOM = 'ngonka';
const DEPOSIT = 1_000_000n;

describe('an Amino-only CosmJS signer on a real testnet', () => {
  let dir: string;
  let net: Testnet;
  let client: SigningStargateClient;
  let operator: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gonka-amino-'));
    const appState = defaultAppState() as Record<string, any>;
    appState.governance.params = {
      ...appState.governance.params,
      min_deposit: [{ denom: DENOM, amount: DEPOSIT.toString() }],
      expedited_min_deposit: [{ denom: DENOM, amount: (2n * DEPOSIT).toString() }],
      max_deposit_period: '20s',
      voting_period: '20s',
      expedited_voting_period: '10s',
    };
    const manifest = await initTestnet({ dir, validators: 1, chainId: 'gonka-amino-e2e', appState });
    net = Testnet.open(dir);
    await net.start();
    await net.waitForHeight(2, 90_000);
    const mnemonic = readFileSync(join(manifest.validators[0]!.home, 'operator-mnemonic.txt'), 'utf8').trim();
    const wallet = await Secp256k1HdWallet.fromMnemonic(mnemonic, { prefix: 'gonka' });
    operator = (await wallet.getAccounts())[0]!.address;
    client = await SigningStargateClient.connectWithSigner(net.nodes[0]!.rpc.url, wallet, {
      registry: new Registry([...defaultRegistryTypes, ...gonkaRegistryTypes]),
      aminoTypes: new AminoTypes({ ...createDefaultAminoConverters(), ...gonkaAminoConverters }),
      gasPrice: GasPrice.fromString(`0.1${DENOM}`),
      broadcastPollIntervalMs: 200,
      broadcastTimeoutMs: 30_000,
    });
  });
  after(async () => {
    client?.disconnect();
    await net?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function signModeOf(hash: string): Promise<SignMode | undefined> {
    const tx = await client.getTx(hash);
    assert.ok(tx, `tx ${hash} found`);
    const authInfo = AuthInfo.decode(TxRaw.decode(tx.tx).authInfoBytes);
    return authInfo.signerInfos[0]?.modeInfo?.single?.mode;
  }

  it('sends a bank tx signed in amino JSON', async () => {
    const to = (await (await Secp256k1HdWallet.generate(12, { prefix: 'gonka' })).getAccounts())[0]!.address;
    const res = await client.sendTokens(
      operator,
      to,
      [{ denom: DENOM, amount: '4242' }],
      'auto',
      'amino <&>',
    );
    assert.equal(res.code, 0, res.rawLog);
    assert.equal((await client.getBalance(to, DENOM)).amount, '4242');
    assert.equal(await signModeOf(res.transactionHash), SignMode.SIGN_MODE_LEGACY_AMINO_JSON);
  });

  it('submits a proposal and votes on it (gov v1) in amino JSON', async () => {
    const submit = await client.signAndBroadcast(
      operator,
      [
        {
          typeUrl: '/cosmos.gov.v1.MsgSubmitProposal',
          value: MsgSubmitProposal.fromPartial({
            messages: [],
            initialDeposit: [{ denom: DENOM, amount: DEPOSIT.toString() }],
            proposer: operator,
            title: 'amino text proposal',
            summary: 'signed with Secp256k1HdWallet',
          }),
        },
      ],
      'auto',
    );
    assert.equal(submit.code, 0, submit.rawLog);
    assert.equal(await signModeOf(submit.transactionHash), SignMode.SIGN_MODE_LEGACY_AMINO_JSON);
    const id = submit.events
      .find((e) => e.type === 'submit_proposal' && e.attributes.some((a) => a.key === 'proposal_id'))!
      .attributes.find((a) => a.key === 'proposal_id')!.value;

    const vote = await client.signAndBroadcast(
      operator,
      [
        {
          typeUrl: '/cosmos.gov.v1.MsgVote',
          value: MsgVote.fromPartial({ proposalId: BigInt(id), voter: operator, option: 1 }),
        },
      ],
      'auto',
    );
    assert.equal(vote.code, 0, vote.rawLog);
    assert.equal(await signModeOf(vote.transactionHash), SignMode.SIGN_MODE_LEGACY_AMINO_JSON);
    const q = QueryClient.withExtensions(await connectComet(net.nodes[0]!.rpc.url), setupGovExtension);
    const stored = await q.gov.vote(id, operator);
    assert.equal(stored.vote.voter, operator);
    assert.equal(stored.vote.options[0]?.option ?? stored.vote.option, 1);
  });
});
