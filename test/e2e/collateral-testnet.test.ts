// Issue 5 acceptance 2 (e2e) and the genesis validator set on a real network: a 3-validator
// testnet with unequal weights [50, 30, 20], where CometBFT's /validators reports powers equal to
// the genesis weights and x/poc's participants; then a validator operator deposits collateral,
// withdraws part of it with CosmJS, and the unbonding entry is paid out when its epoch starts —
// with the bank supply unchanged throughout and over-withdrawal refused. The CLI reads the result.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { DirectSecp256k1HdWallet, Registry } from '@cosmjs/proto-signing';
import {
  defaultRegistryTypes,
  GasPrice,
  QueryClient,
  SigningStargateClient,
  setupBankExtension,
} from '@cosmjs/stargate';
import { connectComet } from '@cosmjs/tendermint-rpc';
import { defaultAppState } from '../../app/app.js';
import { repoPath } from '../../app/paths.js';
import type { ProtoCodec } from '../../app/runtime/router.js';
import {
  QueryCollateralRequest,
  QueryCollateralResponse,
  QueryUnbondingRequest,
  QueryUnbondingResponse,
} from '../../proto/gen/gonka/collateral/v1/query.js';
import { MsgDepositCollateral, MsgWithdrawCollateral } from '../../proto/gen/gonka/collateral/v1/tx.js';
import {
  QueryEpochRequest,
  QueryEpochResponse,
  QueryParticipantsRequest,
  QueryParticipantsResponse,
} from '../../proto/gen/gonka/poc/v1/query.js';
import { gonkaRegistryTypes, typeUrl } from '../../proto/gonka/registry.js';
import { OPERATOR_MNEMONIC_FILE } from '../../testnet/config.js';
import { initTestnet, Testnet } from '../../testnet/index.js';
import { waitFor } from './helpers/rpc.js';

const WEIGHTS = [50, 30, 20];
const EPOCH_LENGTH = 10; // shorter than the fast profile's 24 so a release fits the e2e budget
const DENOM = 'ngonka';
/**
 * Simulated gas × 2: a simulation from CosmJS carries no fee, so it skips the fee transfer that the
 * real tx pays for (about 10k gas), more than CosmJS's default 1.4 margin covers for small msgs.
 */
const FEE_AUTO = 2;
const cli = repoPath('dist', 'app', 'cli', 'main.js');

describe('3 validators of unequal weight: validator set and collateral unbonding', () => {
  let dir: string;
  let net: Testnet;
  let rpcUrl: string;
  let query: QueryClient & ReturnType<typeof setupBankExtension>;
  let disconnect: () => void;

  const abci = async <Req, Res>(
    path: string,
    req: ProtoCodec<Req>,
    res: ProtoCodec<Res>,
    value: Req,
  ): Promise<Res> => res.decode((await query.queryAbci(path, req.encode(value).finish())).value);
  const epoch = () => abci('/gonka.poc.v1.Query/Epoch', QueryEpochRequest, QueryEpochResponse, {});
  const supply = async () => BigInt((await query.bank.supplyOf(DENOM)).amount);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gonka-collateral-e2e-'));
    await initTestnet({
      dir,
      validators: 3,
      weights: WEIGHTS,
      epochLength: EPOCH_LENGTH,
      chainId: 'gonka-collateral-e2e',
      appState: defaultAppState(),
    });
    net = Testnet.open(dir);
    await net.start();
    await net.waitForHeight(2, 60_000);
    rpcUrl = net.nodes[0]!.rpc.url;
    const comet = await connectComet(rpcUrl);
    query = QueryClient.withExtensions(comet, setupBankExtension);
    disconnect = () => comet.disconnect();
  });
  after(async () => {
    disconnect?.();
    await net?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("CometBFT's validator powers equal the genesis weights and x/poc's participants", async () => {
    const vals = await net.nodes[0]!.rpc.call<{
      validators: { pub_key: { value: string }; voting_power: string }[];
    }>('validators', { height: 2 });
    const comet = new Map(vals.validators.map((v) => [v.pub_key.value, Number(v.voting_power)]));
    const participants = await abci(
      '/gonka.poc.v1.Query/Participants',
      QueryParticipantsRequest,
      QueryParticipantsResponse,
      {},
    );
    assert.equal(participants.totalWeight, 100n);
    assert.equal(comet.size, 3);
    const manifest = net.manifest.validators;
    for (const [i, v] of manifest.entries()) {
      const key = JSON.parse(readFileSync(join(v.home, 'config', 'priv_validator_key.json'), 'utf8')).pub_key
        .value as string;
      assert.equal(comet.get(key), WEIGHTS[i], `validator ${i}'s CometBFT power`);
      const p = participants.participants.find((x) => x.address === v.operator);
      assert.ok(p, `validator ${i}'s operator is a participant`);
      assert.equal(Buffer.from(p.consensusPubkey).toString('base64'), key);
      assert.equal(p.weight, BigInt(WEIGHTS[i]!));
    }
  });

  it('deposits, withdraws, and releases the unbonding entry when its epoch starts; over-withdrawal fails', async () => {
    const home = net.manifest.validators[0]!.home;
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(
      readFileSync(join(home, OPERATOR_MNEMONIC_FILE), 'utf8').trim(),
      { prefix: 'gonka' },
    );
    const address = (await wallet.getAccounts())[0]!.address;
    const registry = new Registry([...defaultRegistryTypes, ...gonkaRegistryTypes]);
    const client = await SigningStargateClient.connectWithSigner(rpcUrl, wallet, {
      registry,
      gasPrice: GasPrice.fromString(`0.1${DENOM}`),
      broadcastPollIntervalMs: 150,
      broadcastTimeoutMs: 20_000,
    });
    try {
      const supply0 = await supply();
      const coin = (amount: string) => ({ denom: DENOM, amount });
      const dep = await client.signAndBroadcast(
        address,
        [
          {
            typeUrl: typeUrl(MsgDepositCollateral),
            value: { participant: address, amount: coin('1000000') },
          },
        ],
        FEE_AUTO,
      );
      assert.equal(dep.code, 0, dep.rawLog);
      const held = await abci(
        '/gonka.collateral.v1.Query/Collateral',
        QueryCollateralRequest,
        QueryCollateralResponse,
        { participant: address },
      );
      assert.equal(held.amount?.amount, '1000000');

      const tooMuch = await client.signAndBroadcast(
        address,
        [
          {
            typeUrl: typeUrl(MsgWithdrawCollateral),
            value: { participant: address, amount: coin('2000000') },
          },
        ],
        {
          amount: [coin('30000')],
          gas: '300000',
        },
      );
      assert.equal(tooMuch.code, 4, 'collateral 4: withdrawal exceeds deposited collateral');

      const wd = await client.signAndBroadcast(
        address,
        [
          {
            typeUrl: typeUrl(MsgWithdrawCollateral),
            value: { participant: address, amount: coin('400000') },
          },
        ],
        FEE_AUTO,
      );
      assert.equal(wd.code, 0, wd.rawLog);
      const entries = (
        await abci('/gonka.collateral.v1.Query/Unbonding', QueryUnbondingRequest, QueryUnbondingResponse, {
          participant: address,
        })
      ).entries;
      assert.equal(entries.length, 1);
      const completion = entries[0]!.completionEpoch;
      assert.equal(entries[0]!.amount, '400000');
      assert.equal(completion, (await epoch()).epoch + 1n, 'unbonding_period_epochs = 1');
      assert.equal(await supply(), supply0, 'deposits and withdrawals move coins, never mint or burn');

      const before = BigInt((await client.getBalance(address, DENOM)).amount);
      await waitFor('the completion epoch', async () => (await epoch()).epoch >= completion, 60_000);
      const after = BigInt((await client.getBalance(address, DENOM)).amount);
      assert.equal(after - before, 400000n, 'the unbonding amount came back');
      const left = await abci(
        '/gonka.collateral.v1.Query/Unbonding',
        QueryUnbondingRequest,
        QueryUnbondingResponse,
        { participant: address },
      );
      assert.deepEqual(left.entries, []);
      assert.equal(await supply(), supply0);

      // The CLI reads the same state.
      const { stdout } = await promisify(execFile)(process.execPath, [
        cli,
        'query',
        'collateral',
        'deposit',
        address,
        '--node',
        rpcUrl,
      ]);
      assert.equal(JSON.parse(stdout).amount.amount, '600000');
      const ep = JSON.parse(
        (await promisify(execFile)(process.execPath, [cli, 'query', 'poc', 'epoch', '--node', rpcUrl]))
          .stdout,
      );
      assert.ok(BigInt(ep.epoch) >= completion);
      assert.equal(ep.epochLength, String(EPOCH_LENGTH));
    } finally {
      client.disconnect();
    }
  });
});
