// Issue 10 acceptance 7 (e2e) on a real 4-validator testnet (equal weights, signed_blocks_window
// 10): (a) a validator whose processes are killed is jailed for downtime and drops out of
// CometBFT's validator set; restarted, it unjails with MsgUnjail signed by its operator key once
// downtime_jail_blocks have passed (earlier is refused) and regains its power. (b) a twin of
// another validator — a second CometBFT + app with a copy of its priv_validator_key.json and a
// fresh priv_validator_state, joined to the others through harness-owned relays, with a 1 ms
// timeout_propose so it prevotes nil where the original prevotes the block — makes CometBFT
// commit DuplicateVoteEvidence, and the validator is jailed and tombstoned.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DirectSecp256k1HdWallet, Registry } from '@cosmjs/proto-signing';
import { defaultRegistryTypes, GasPrice, SigningStargateClient } from '@cosmjs/stargate';
import { parse, stringify } from 'smol-toml';
import { defaultAppState } from '../../app/app.js';
import { writeCometConfig } from '../../app/node/cometConfig.js';
import { homePaths, readNodeConfig } from '../../app/node/home.js';
import { initHome } from '../../app/node/init.js';
import type { ProtoCodec } from '../../app/runtime/router.js';
import {
  QueryJailedRequest,
  QueryJailedResponse,
  QuerySigningInfoRequest,
  QuerySigningInfoResponse,
} from '../../proto/gen/gonka/collateral/v1/query.js';
import { MsgUnjail } from '../../proto/gen/gonka/collateral/v1/tx.js';
import { gonkaRegistryTypes, typeUrl } from '../../proto/gonka/registry.js';
import { OPERATOR_MNEMONIC_FILE } from '../../testnet/config.js';
import { initTestnet, Testnet } from '../../testnet/index.js';
import { TestnetNode } from '../../testnet/node.js';
import { freePorts } from '../../testnet/ports.js';
import { LinkRelay } from '../../testnet/relay.js';
import { waitFor } from './helpers/rpc.js';

const WINDOW = 10;
const JAIL_BLOCKS = 8;
const DENOM = 'ngonka';
const CHAIN_ID = 'gonka-evidence-e2e';

/** An evidence entry of CometBFT's /block JSON. */
interface CometEvidence {
  type: string;
  value: { vote_a: { validator_address: string } };
}

describe('evidence and liveness on a 4-validator testnet', () => {
  let dir: string;
  let net: Testnet;
  let twin: TestnetNode | undefined;
  const twinRelays: LinkRelay[] = [];

  const rpc = () => net.nodes[0]!.rpc;
  const abci = async <Req, Res>(path: string, req: ProtoCodec<Req>, res: ProtoCodec<Res>, value: Req) => {
    const r = await rpc().abciQuery(path, req.encode(value).finish());
    if (r.code) throw new Error(`${path}: code ${r.code}`);
    return res.decode(Buffer.from(r.value ?? '', 'base64'));
  };
  const signingInfo = (address: string) =>
    abci('/gonka.collateral.v1.Query/SigningInfo', QuerySigningInfoRequest, QuerySigningInfoResponse, {
      address,
    }).then((r) => r.info!);
  const jailed = async () =>
    (await abci('/gonka.collateral.v1.Query/Jailed', QueryJailedRequest, QueryJailedResponse, {}))
      .participants;
  const pubKeyOf = (i: number) =>
    JSON.parse(readFileSync(homePaths(net.manifest.validators[i]!.home).privValidatorKey, 'utf8')).pub_key
      .value as string;
  /** CometBFT's current validator set, pubkey (base64) → power. */
  const cometValidators = async () => {
    const r = await rpc().call<{ validators: { pub_key: { value: string }; voting_power: string }[] }>(
      'validators',
    );
    return new Map(r.validators.map((v) => [v.pub_key.value, Number(v.voting_power)]));
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gonka-evidence-e2e-'));
    const appState = defaultAppState() as Record<string, any>;
    Object.assign(appState.collateral.params, {
      signed_blocks_window: String(WINDOW),
      min_signed_per_window: '0.5',
      downtime_jail_blocks: String(JAIL_BLOCKS),
    });
    await initTestnet({ dir, validators: 4, chainId: CHAIN_ID, appState, epochLength: 1000 });
    net = Testnet.open(dir);
    await net.start();
    await net.waitForHeight(3, 60_000);
  });
  after(async () => {
    await twin?.stop();
    for (const r of twinRelays) await r.cut();
    await net?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a stopped validator is jailed for downtime, restarts, unjails with MsgUnjail and regains its power', async () => {
    const v = net.manifest.validators[3]!;
    const operator = v.operator!;
    assert.equal((await cometValidators()).get(pubKeyOf(3)), 10);
    await net.kill9App(3);

    await waitFor('validator 3 jailed for downtime', async () => (await jailed()).includes(operator), 90_000);
    const info = await signingInfo(operator);
    assert.equal(info.tombstoned, false);
    assert.ok(info.jailedUntil > 0n);
    await waitFor(
      'validator 3 out of CometBFT set',
      async () => !(await cometValidators()).has(pubKeyOf(3)),
      30_000,
    );

    await net.startNode(3);
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(
      readFileSync(join(v.home, OPERATOR_MNEMONIC_FILE), 'utf8').trim(),
      { prefix: 'gonka' },
    );
    const client = await SigningStargateClient.connectWithSigner(rpc().url, wallet, {
      registry: new Registry([...defaultRegistryTypes, ...gonkaRegistryTypes]),
      gasPrice: GasPrice.fromString(`0.1${DENOM}`),
      broadcastPollIntervalMs: 150,
      broadcastTimeoutMs: 20_000,
    });
    const unjail = { typeUrl: typeUrl(MsgUnjail), value: { participant: operator } };
    const fee = { amount: [{ denom: DENOM, amount: '30000' }], gas: '300000' };
    try {
      if ((await rpc().height()) + 2 < Number(info.jailedUntil)) {
        const early = await client.signAndBroadcast(operator, [unjail], fee);
        assert.equal(early.code, 9, `collateral 9 before jailed_until: ${early.rawLog}`);
      }
      await waitFor(
        'jailed_until',
        async () => (await rpc().height()) + 1 >= Number(info.jailedUntil),
        60_000,
      );
      const ok = await client.signAndBroadcast(operator, [unjail], fee);
      assert.equal(ok.code, 0, ok.rawLog);
    } finally {
      client.disconnect();
    }
    assert.ok(!(await jailed()).includes(operator));
    await waitFor(
      'validator 3 back in CometBFT set with its power',
      async () => (await cometValidators()).get(pubKeyOf(3)) === 10,
      30_000,
    );
    // It signs again: its window restarted, nothing missed since.
    await waitFor(
      'validator 3 signing',
      async () => (await net.nodes[3]!.rpc.height()) >= (await rpc().height()) - 1,
      60_000,
    );
  });

  it("a twin of a validator's key double-signs: the evidence is committed and the validator jailed and tombstoned", async () => {
    const k = 2;
    const v = net.manifest.validators[k]!;
    const home = join(dir, 'twin');
    const [rpcPort, p2p, grpc, ...relayPorts] = await freePorts(3 + 3);
    initHome({
      home,
      chainId: CHAIN_ID,
      moniker: 'twin',
      profile: 'fast',
      listen: {
        rpc: `tcp://127.0.0.1:${rpcPort!}`,
        p2p: `tcp://127.0.0.1:${p2p!}`,
        grpc: `127.0.0.1:${grpc!}`,
        rest: 'off',
        metrics: 'off',
        cometMetrics: 'off',
      },
      appState: {},
      peers: { localNetwork: true },
    });
    copyFileSync(homePaths(v.home).genesis, homePaths(home).genesis);
    copyFileSync(homePaths(v.home).privValidatorKey, homePaths(home).privValidatorKey);
    // The twin dials every other validator through relays this test owns (as the harness's links).
    const peers = [0, 1, 3].map((j, n) => {
      const relay = new LinkRelay(relayPorts[n]!, net.manifest.validators[j]!.ports.p2p);
      twinRelays.push(relay);
      return `${net.manifest.validators[j]!.nodeId}@127.0.0.1:${relay.listenPort}`;
    });
    for (const r of twinRelays) await r.open();
    writeCometConfig(home, readNodeConfig(home), { persistentPeers: peers, localNetwork: true });
    // Prevote nil as soon as a round starts, before the real proposal arrives: the original
    // prevotes the block, so the two signatures conflict.
    const cfgPath = homePaths(home).cometConfig;
    const toml = parse(readFileSync(cfgPath, 'utf8')) as Record<string, Record<string, unknown>>;
    toml.consensus!.timeout_propose = '1ms';
    toml.consensus!.timeout_propose_delta = '0ms';
    writeFileSync(cfgPath, stringify(toml));

    const operator = v.operator!;
    twin = new TestnetNode(
      net.nodes.length,
      { name: 'twin', home, nodeId: '', ports: { rpc: rpcPort!, p2p: p2p!, grpc: grpc! } },
      {},
    );
    twin.start();
    await twin.waitStarted();
    await waitFor(
      `validator ${k} tombstoned for double signing`,
      async () => (await signingInfo(operator).catch(() => undefined))?.tombstoned === true,
      90_000,
    );
    assert.ok((await jailed()).includes(operator));
    // The jail came from evidence CometBFT committed in a block, naming validator k's key.
    const top = await rpc().height();
    let evidence: CometEvidence | undefined;
    for (let h = top; h > Math.max(0, top - 60) && !evidence; h--) {
      const b = await rpc().call<{ block: { evidence: { evidence: CometEvidence[] } } }>('block', {
        height: h,
      });
      evidence = (b.block.evidence.evidence ?? []).find((e) => e.type === 'tendermint/DuplicateVoteEvidence');
    }
    assert.ok(evidence, 'a committed block carries DuplicateVoteEvidence');
    assert.equal(
      evidence.value.vote_a.validator_address,
      JSON.parse(readFileSync(homePaths(v.home).privValidatorKey, 'utf8')).address,
    );
    await waitFor(
      `validator ${k} out of CometBFT set`,
      async () => !(await cometValidators()).has(pubKeyOf(k)),
      30_000,
    );
    // The chain goes on with the others.
    const h = await rpc().height();
    await net.waitForHeight(h + 3, 30_000, [0, 1, 3]);
  });
});
