// Issue 15 acceptance 2: CosmJS SigningStargateClient with an Amino-only signer
// (Secp256k1HdWallet from @cosmjs/amino, what Ledger and Keplr's Amino path look like to a
// client) sends a bank tx, submits a proposal and votes on it on a real 1-validator testnet
// (CometBFT), and the committed txs carry SIGN_MODE_LEGACY_AMINO_JSON in their auth_info. Over
// gRPC, GetBlockWithTxs returns that tx decoded and TxEncodeAmino / TxDecodeAmino round-trip it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
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
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { MsgSubmitProposal } from 'cosmjs-types/cosmos/gov/v1/tx';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import {
  GetBlockWithTxsRequest,
  GetBlockWithTxsResponse,
  TxDecodeAminoRequest,
  TxDecodeAminoResponse,
  TxEncodeAminoRequest,
  TxEncodeAminoResponse,
} from 'cosmjs-types/cosmos/tx/v1beta1/service';
import { AuthInfo, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { defaultAppState } from '../../app/app.js';
import { repoPath } from '../../app/paths.js';
import { aminoAnyCodec, gonkaAminoConverters } from '../../proto/gonka/amino.js';
import { gonkaRegistryTypes } from '../../proto/gonka/registry.js';
import { initTestnet, Testnet } from '../../testnet/index.js';
import { RawGrpcClient } from '../integration/grpc-client.js';
import { castVote, proposalIdOf, testGovParams } from './helpers/gov.js';

const DENOM = 'ngonka';
const DEPOSIT = 1_000_000n;

describe('an Amino-only CosmJS signer on a real testnet', () => {
  let dir: string;
  let net: Testnet;
  let client: SigningStargateClient;
  let operator: string;
  let grpc: RawGrpcClient;
  let sent: { hash: string; height: number } | undefined;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gonka-amino-'));
    const appState = defaultAppState() as Record<string, any>;
    appState.governance.params = testGovParams(appState.governance.params, DENOM, DEPOSIT, {
      maxDeposit: '20s',
      voting: '20s',
      expedited: '10s',
    });
    const manifest = await initTestnet({ dir, validators: 1, chainId: 'gonka-amino-e2e', appState });
    net = Testnet.open(dir);
    await net.start();
    await net.waitForHeight(2, 90_000);
    const mnemonic = readFileSync(join(manifest.validators[0]!.home, 'operator-mnemonic.txt'), 'utf8').trim();
    const wallet = await Secp256k1HdWallet.fromMnemonic(mnemonic, { prefix: 'gonka' });
    operator = (await wallet.getAccounts())[0]!.address;
    grpc = new RawGrpcClient(manifest.validators[0]!.ports.grpc);
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
    grpc?.close();
    await net?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function signModeOf(hash: string): Promise<SignMode | undefined> {
    const tx = await client.getTx(hash);
    assert.ok(tx, `tx ${hash} found`);
    const authInfo = AuthInfo.decode(TxRaw.decode(tx.tx).authInfoBytes);
    return authInfo.signerInfos[0]?.modeInfo?.single?.mode;
  }

  it('finds the chain-registry files gonkad init wrote in the node home', () => {
    const home = net.nodes[0]!.entry.home;
    const chain = JSON.parse(readFileSync(join(home, 'chain-registry', 'chain.json'), 'utf8'));
    const keplr = JSON.parse(readFileSync(join(home, 'chain-registry', 'keplr-suggest-chain.json'), 'utf8'));
    assert.equal(chain.chain_id, 'gonka-amino-e2e');
    assert.equal(keplr.chainId, 'gonka-amino-e2e');
    assert.equal(keplr.rpc, net.nodes[0]!.rpc.url);
    assert.ok(readFileSync(join(home, 'chain-registry', 'assetlist.json'), 'utf8').includes('"ngonka"'));
  });

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
    sent = { hash: res.transactionHash, height: res.height };
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
    const id = proposalIdOf(submit);

    const vote = await castVote(client, operator, id, 1);
    assert.equal(vote.code, 0, vote.rawLog);
    assert.equal(await signModeOf(vote.transactionHash), SignMode.SIGN_MODE_LEGACY_AMINO_JSON);
    const q = QueryClient.withExtensions(await connectComet(net.nodes[0]!.rpc.url), setupGovExtension);
    const stored = await q.gov.vote(id.toString(), operator);
    assert.equal(stored.vote.voter, operator);
    assert.equal(stored.vote.options[0]?.option ?? stored.vote.option, 1);
  });

  it('serves GetBlockWithTxs and TxEncodeAmino / TxDecodeAmino over gRPC', async () => {
    assert.ok(sent, 'the bank tx of the first test');
    const call = async <T>(method: string, req: Uint8Array, codec: { decode(b: Uint8Array): T }) => {
      const r = await grpc.call(`/cosmos.tx.v1beta1.Service/${method}`, req);
      if (r.err) throw r.err;
      return codec.decode(r.value!);
    };
    const block = await call(
      'GetBlockWithTxs',
      GetBlockWithTxsRequest.encode({ height: BigInt(sent.height) }).finish(),
      GetBlockWithTxsResponse,
    );
    assert.equal(block.block?.header?.height, BigInt(sent.height));
    assert.equal(block.pagination?.total, BigInt(block.block!.data!.txs.length));
    const mine = block.txs.find((t) => t.body?.memo === 'amino <&>');
    assert.ok(mine, 'the amino-signed send is in its block');
    assert.equal(mine.authInfo?.signerInfos[0]?.modeInfo?.single?.mode, SignMode.SIGN_MODE_LEGACY_AMINO_JSON);
    const beyond = await grpc.call(
      '/cosmos.tx.v1beta1.Service/GetBlockWithTxs',
      GetBlockWithTxsRequest.encode({
        height: BigInt(sent.height),
        pagination: { offset: 1000n, limit: 1n, key: new Uint8Array(), countTotal: false, reverse: false },
      }).finish(),
    );
    assert.equal(beyond.err?.code, 3, 'INVALID_ARGUMENT past the last tx');

    // The committed tx as a legacy StdTx: JSON → amino binary → the same JSON.
    const send = mine.body!.messages[0]!;
    const stdTx = JSON.stringify({
      type: 'cosmos-sdk/StdTx',
      value: {
        msg: [aminoAnyCodec.toAmino(send)],
        fee: { amount: mine.authInfo!.fee!.amount, gas: mine.authInfo!.fee!.gasLimit.toString() },
        signatures: [
          {
            pub_key: {
              type: 'tendermint/PubKeySecp256k1',
              value: Buffer.from(PubKey.decode(mine.authInfo!.signerInfos[0]!.publicKey!.value).key).toString(
                'base64',
              ),
            },
            signature: Buffer.from(mine.signatures[0]!).toString('base64'),
          },
        ],
        memo: mine.body!.memo,
        timeout_height: '0',
      },
    });
    const enc = await call(
      'TxEncodeAmino',
      TxEncodeAminoRequest.encode({ aminoJson: stdTx }).finish(),
      TxEncodeAminoResponse,
    );
    assert.equal(Buffer.from(enc.aminoBinary.subarray(0, 4)).toString('hex'), '282816a9');
    const dec = await call(
      'TxDecodeAmino',
      TxDecodeAminoRequest.encode({ aminoBinary: enc.aminoBinary }).finish(),
      TxDecodeAminoResponse,
    );
    assert.deepEqual(JSON.parse(dec.aminoJson), JSON.parse(stdTx));
    const bad = await grpc.call(
      '/cosmos.tx.v1beta1.Service/TxDecodeAmino',
      TxDecodeAminoRequest.encode({ aminoBinary: Uint8Array.of(1, 2, 3) }).finish(),
    );
    assert.equal(bad.err?.code, 3, 'INVALID_ARGUMENT for bytes that are no StdTx');
  });

  it('gonkad status shows height, sync, peers, epoch, power and jail state (text and --output json)', () => {
    const run = (...args: string[]) =>
      spawnSync(
        process.execPath,
        [repoPath('dist', 'app', 'cli', 'main.js'), 'status', '--node', net.nodes[0]!.rpc.url, ...args],
        {
          encoding: 'utf8',
          timeout: 30_000,
        },
      );
    const j = run('--output', 'json');
    assert.equal(j.status, 0, j.stderr);
    const s = JSON.parse(j.stdout);
    assert.equal(s.chainId, 'gonka-amino-e2e');
    assert.ok(Number(s.height) >= 2);
    assert.equal(s.catchingUp, false);
    assert.equal(s.peers, 0);
    assert.ok(s.epoch && Number(s.epoch.epoch) >= 0, JSON.stringify(s));
    assert.ok(Number(s.validator.power) > 0);
    assert.ok(s.validator.participant?.startsWith('gonka1'), JSON.stringify(s));
    assert.equal(s.validator.jailed, false);
    const t = run();
    assert.equal(t.status, 0, t.stderr);
    for (const label of ['chain', 'height', 'peers', 'epoch', 'validator', 'operator'])
      assert.match(t.stdout, new RegExp(`^${label} `, 'm'));
    assert.ok(t.stdout.split('\n').length <= 24, 'one screen');
    const bad = spawnSync(
      process.execPath,
      [repoPath('dist', 'app', 'cli', 'main.js'), 'status', '--node', 'http://127.0.0.1:9'],
      {
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /cannot reach/);
  });
});
