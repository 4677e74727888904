// The gRPC server with the pinned grpcurl (issue 3 acceptance 3): services listed by reflection
// (from our own .proto files), bank Balance, auth Account (an Any that grpcurl resolves by
// reflection), tx Simulate, BroadcastTx and GetTx, tendermint GetNodeInfo, and the
// x-cosmos-block-height header.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { repoPath, toolPath } from '../../app/paths.js';
import { sendMsg, signTx, TestKey } from '../integration/tx-harness.js';
import { TestNode } from './helpers/node.js';
import { waitFor } from './helpers/rpc.js';

/** grpcurl [flags] host <verb args>: the last `verbArgs` entries go after the host. */
function grpcurl(
  port: number,
  args: string[],
  verbArgs = 1,
): { out: string; err: string; status: number | null } {
  const flags = args.slice(0, args.length - verbArgs);
  const verb = args.slice(args.length - verbArgs);
  const r = spawnSync(toolPath('grpcurl'), ['-plaintext', ...flags, `127.0.0.1:${port}`, ...verb], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { out: r.stdout, err: r.stderr, status: r.status };
}

function call(port: number, method: string, body: unknown, extra: string[] = []): any {
  const r = grpcurl(port, [...extra, '-d', JSON.stringify(body), method]);
  assert.equal(r.status, 0, `${method}: ${r.err}`);
  return JSON.parse(r.out);
}

describe('gRPC server through grpcurl', () => {
  let node: TestNode;
  const key = TestKey.fromSeed('grpc-e2e');
  const friend = TestKey.fromSeed('grpc-e2e-friend');
  let port: number;

  before(async () => {
    node = await TestNode.create();
    const r = spawnSync(
      process.execPath,
      [
        repoPath('dist', 'app', 'cli', 'main.js'),
        'genesis',
        'add-account',
        key.address,
        '1000000000ngonka',
        '--home',
        node.home,
      ],
      { encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    node.start();
    await node.waitForHeight(2, 60_000);
    port = node.ports.grpc;
    await waitFor('gRPC listening', async () => grpcurl(port, ['list']).status === 0, 20_000);
  });
  after(async () => node?.destroy());

  it('lists the services by reflection', () => {
    // grpcurl asks grpc.reflection.v1 first and falls back to v1alpha; both are registered.
    const r = grpcurl(port, ['list']);
    const services = r.out.trim().split('\n');
    for (const s of [
      'cosmos.auth.v1beta1.Query',
      'cosmos.bank.v1beta1.Query',
      'cosmos.tx.v1beta1.Service',
      'cosmos.base.tendermint.v1beta1.Service',
      'cosmos.gov.v1.Query',
      'cosmos.gov.v1beta1.Query',
      'gonka.poc.v1.Query',
      'gonka.collateral.v1.Query',
      'gonka.auth.v1.Query',
      'gonka.auth.v1.Msg',
    ]) {
      assert.ok(services.includes(s), `${s} in ${services}`);
    }
    const d = grpcurl(port, ['describe', 'cosmos.bank.v1beta1.QueryBalanceRequest'], 2);
    assert.equal(d.status, 0, d.err);
    assert.match(d.out, /string denom = 2;/);
    // MsgUpdateLimits, generated from proto/gonka/governance/v1/tx.proto, is visible too.
    assert.ok(services.includes('gonka.governance.v1.Msg'), `gonka.governance.v1.Msg in ${services}`);
    const methods = grpcurl(port, ['list', 'gonka.governance.v1.Msg'], 2);
    assert.equal(methods.status, 0, methods.err);
    assert.match(methods.out, /gonka\.governance\.v1\.Msg\.UpdateLimits/);
    const limits = grpcurl(port, ['describe', 'gonka.governance.v1.MsgUpdateLimits'], 2);
    assert.equal(limits.status, 0, limits.err);
    assert.match(limits.out, /uint64 max_messages = 2;/);
    assert.match(limits.out, /uint64 max_open_proposals = 6;/);
  });

  it('answers governance, PoC, collateral and gonka auth queries', () => {
    const gov = call(port, 'cosmos.gov.v1.Query/Params', {});
    assert.ok(gov.params?.quorum ?? gov.params?.votingPeriod ?? gov.votingParams, JSON.stringify(gov));
    const proposals = call(port, 'cosmos.gov.v1beta1.Query/Proposals', {});
    assert.ok(proposals, 'v1beta1 proposals answer');
    const epoch = call(port, 'gonka.poc.v1.Query/Epoch', {});
    assert.ok(epoch && Object.keys(epoch).length > 0, JSON.stringify(epoch));
    const participants = call(port, 'gonka.poc.v1.Query/Participants', {});
    assert.equal(participants.participants?.length, 1, 'the single validator is a participant');
    const collateral = call(port, 'gonka.collateral.v1.Query/Params', {});
    assert.ok(collateral.params, JSON.stringify(collateral));
    const auth = call(port, 'gonka.auth.v1.Query/Params', {});
    assert.equal(auth.params?.min_gas_price, '0.1', JSON.stringify(auth));
  });

  it('answers bank Balance and auth Account, with x-cosmos-block-height', () => {
    const v = grpcurl(port, [
      '-v',
      '-d',
      JSON.stringify({ address: key.address, denom: 'ngonka' }),
      'cosmos.bank.v1beta1.Query/Balance',
    ]);
    assert.equal(v.status, 0, v.err);
    assert.match(v.out, /x-cosmos-block-height: \d+/);
    const bal = call(port, 'cosmos.bank.v1beta1.Query/Balance', { address: key.address, denom: 'ngonka' });
    assert.deepEqual(bal.balance, { denom: 'ngonka', amount: '1000000000' });
    const acct = call(port, 'cosmos.auth.v1beta1.Query/Account', { address: key.address });
    assert.equal(acct.account['@type'], '/cosmos.auth.v1beta1.BaseAccount');
    assert.equal(acct.account.address, key.address);
    const pinned = call(
      port,
      'cosmos.bank.v1beta1.Query/Balance',
      { address: key.address, denom: 'ngonka' },
      ['-H', 'x-cosmos-block-height: 1'],
    );
    assert.equal(pinned.balance.amount, '1000000000');
    const missing = grpcurl(port, [
      '-d',
      JSON.stringify({ address: friend.address }),
      'cosmos.auth.v1beta1.Query/Account',
    ]);
    assert.notEqual(missing.status, 0);
    assert.match(missing.err, /NotFound/);
  });

  it('simulates, broadcasts and finds a tx; reports the node info', async () => {
    const acct = call(port, 'cosmos.auth.v1beta1.Query/Account', { address: key.address }).account;
    const opts = {
      msgs: [sendMsg(key.address, friend.address, 777n)],
      sequence: BigInt(acct.sequence ?? 0),
      accountNumber: BigInt(acct.account_number ?? 0),
      chainId: 'gonka-e2e',
    };
    const sim = call(port, 'cosmos.tx.v1beta1.Service/Simulate', {
      tx_bytes: Buffer.from(signTx(key, { ...opts, unsigned: true })).toString('base64'),
    });
    assert.ok(Number(sim.gas_info.gas_used) > 0, JSON.stringify(sim));
    const sent = call(port, 'cosmos.tx.v1beta1.Service/BroadcastTx', {
      tx_bytes: Buffer.from(signTx(key, opts)).toString('base64'),
      mode: 'BROADCAST_MODE_SYNC',
    });
    assert.equal(sent.tx_response.code ?? 0, 0, JSON.stringify(sent));
    const hash = sent.tx_response.txhash as string;
    const got = await waitFor(
      'tx indexed',
      async () => {
        const r = grpcurl(port, ['-d', JSON.stringify({ hash }), 'cosmos.tx.v1beta1.Service/GetTx']);
        return r.status === 0 ? JSON.parse(r.out) : undefined;
      },
      20_000,
      150,
    );
    assert.equal(got.tx_response.txhash, hash);
    assert.equal(
      Number(got.tx_response.gas_used),
      Number(sim.gas_info.gas_used),
      'Simulate predicted the delivered gas',
    );
    assert.equal(got.tx.body.messages[0]['@type'], '/cosmos.bank.v1beta1.MsgSend');
    const bal = call(port, 'cosmos.bank.v1beta1.Query/Balance', { address: friend.address, denom: 'ngonka' });
    assert.equal(bal.balance.amount, '777');
    const info = call(port, 'cosmos.base.tendermint.v1beta1.Service/GetNodeInfo', {});
    assert.equal(info.default_node_info.network, 'gonka-e2e');
    assert.equal(info.application_version.app_name, 'gonkad');
    const latest = call(port, 'cosmos.base.tendermint.v1beta1.Service/GetLatestBlock', {});
    assert.ok(Number(latest.block.header.height) > 1);
    assert.match(latest.sdk_block.header.proposer_address, /^gonkavalcons1/);
  });
});
