// gRPC hardening on a real node (issue 10 acceptance 4b): a 600 KB signed tx (thousands of bank
// sends) broadcasts through gRPC BroadcastTx (proxied to CometBFT by JSON-RPC POST; a hex GET URL
// failed beyond ≈ 512 KB); heights 2^63−1, 2^63 and 2^64 in x-cosmos-block-height and in
// GetBlockByHeight / GetValidatorSetByHeight answer clean errors (never INTERNAL or UNAVAILABLE);
// malformed proxied requests answer INVALID_ARGUMENT and leave no stack trace in the node's log.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { status as Status } from '@grpc/grpc-js';
import { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { QueryAccountRequest, QueryAccountResponse } from 'cosmjs-types/cosmos/auth/v1beta1/query';
import { QueryBalanceRequest, QueryBalanceResponse } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import {
  GetBlockByHeightResponse,
  GetValidatorSetByHeightRequest,
  GetValidatorSetByHeightResponse,
} from 'cosmjs-types/cosmos/base/tendermint/v1beta1/query';
import {
  BroadcastMode,
  BroadcastTxRequest,
  BroadcastTxResponse,
  GetTxRequest,
  GetTxResponse,
  GetTxsEventRequest,
  GetTxsEventResponse,
  SimulateRequest,
  SimulateResponse,
} from 'cosmjs-types/cosmos/tx/v1beta1/service';
import { repoPath } from '../../app/paths.js';
import { field1Varint, RawGrpcClient } from '../integration/grpc-client.js';
import { sendMsg, signTx, TestKey } from '../integration/tx-harness.js';
import { TestNode } from './helpers/node.js';
import { waitFor } from './helpers/rpc.js';

const TX = '/cosmos.tx.v1beta1.Service';
const TM = '/cosmos.base.tendermint.v1beta1.Service';
const INT64_MAX = (1n << 63n) - 1n;

describe('gRPC hardening on a real node', () => {
  let node: TestNode;
  let client: RawGrpcClient;
  const key = TestKey.fromSeed('grpc-hardening');
  const friend = TestKey.fromSeed('grpc-hardening-friend');

  before(async () => {
    // Debug logs on, so caller errors are logged: the test checks they carry no stack trace.
    node = await TestNode.create({ env: { GONKA_LOG_LEVEL: 'debug' } });
    const r = spawnSync(
      process.execPath,
      [
        repoPath('dist', 'app', 'cli', 'main.js'),
        'genesis',
        'add-account',
        key.address,
        '1000000000000ngonka',
        '--home',
        node.home,
      ],
      { encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    node.start();
    await node.waitForHeight(2, 60_000);
    client = new RawGrpcClient(node.ports.grpc);
    await waitFor(
      'gRPC listening',
      async () => (await client.call(`${TM}/GetSyncing`, new Uint8Array(0))).err === null,
      20_000,
    );
  });
  after(async () => {
    client?.close();
    await node?.destroy();
  });

  const ok = async (path: string, bytes: Uint8Array, headers?: Record<string, string>) => {
    const r = await client.call(path, bytes, headers);
    assert.equal(r.err, null, `${path}: ${r.err?.details}`);
    return r.value!;
  };

  it('broadcasts a 600 KB signed tx through gRPC BroadcastTx', async () => {
    const acct = BaseAccount.decode(
      QueryAccountResponse.decode(
        await ok(
          '/cosmos.auth.v1beta1.Query/Account',
          QueryAccountRequest.encode({ address: key.address }).finish(),
        ),
      ).account!.value,
    );
    const msgs: ReturnType<typeof sendMsg>[] = [];
    const build = (gas: bigint, unsigned: boolean) =>
      signTx(key, {
        msgs,
        sequence: acct.sequence,
        accountNumber: acct.accountNumber,
        chainId: 'gonka-e2e',
        gas,
        fee: gas / 10n + 1n,
        unsigned,
      });
    while (build(0n, true).length < 600 * 1024) msgs.push(sendMsg(key.address, friend.address, 1n));
    const sim = SimulateResponse.decode(
      await ok(`${TX}/Simulate`, SimulateRequest.encode({ txBytes: build(0n, true) }).finish()),
    );
    const tx = build((sim.gasInfo!.gasUsed * 13n) / 10n, false);
    assert.ok(tx.length >= 600 * 1024, `tx is ${tx.length} bytes`);
    const sent = BroadcastTxResponse.decode(
      await ok(
        `${TX}/BroadcastTx`,
        BroadcastTxRequest.encode({ txBytes: tx, mode: BroadcastMode.BROADCAST_MODE_SYNC }).finish(),
      ),
    ).txResponse!;
    assert.equal(sent.code, 0, sent.rawLog);
    const got = await waitFor(
      'the 600 KB tx committed',
      async () => {
        const r = await client.call(`${TX}/GetTx`, GetTxRequest.encode({ hash: sent.txhash }).finish());
        return r.err === null ? GetTxResponse.decode(r.value!) : undefined;
      },
      45_000,
      250,
    );
    assert.equal(got.txResponse!.code, 0, got.txResponse!.rawLog);
    const bal = QueryBalanceResponse.decode(
      await ok(
        '/cosmos.bank.v1beta1.Query/Balance',
        QueryBalanceRequest.encode({ address: friend.address, denom: 'ngonka' }).finish(),
      ),
    );
    assert.equal(bal.balance!.amount, String(msgs.length));
    // The other proxied calls, through the same POST client: search, blocks, validator sets.
    const found = GetTxsEventResponse.decode(
      await ok(
        `${TX}/GetTxsEvent`,
        GetTxsEventRequest.encode(
          GetTxsEventRequest.fromPartial({ query: `tx.hash='${sent.txhash}'`, page: 1n, limit: 5n }),
        ).finish(),
      ),
    );
    assert.equal(found.txResponses[0]?.txhash, sent.txhash);
    assert.equal(found.txs[0]?.body?.messages.length, msgs.length);
    const block = GetBlockByHeightResponse.decode(
      await ok(`${TM}/GetBlockByHeight`, field1Varint(got.txResponse!.height)),
    );
    assert.equal(block.block!.data!.txs[0]!.length, tx.length);
    const vals = GetValidatorSetByHeightResponse.decode(
      await ok(`${TM}/GetValidatorSetByHeight`, field1Varint(1n)),
    );
    assert.equal(vals.validators.length, 1);
  });

  it('answers heights 2^63−1, 2^63 and 2^64 with clean errors', async () => {
    const balance = '/cosmos.bank.v1beta1.Query/Balance';
    const req = QueryBalanceRequest.encode({ address: key.address, denom: 'ngonka' }).finish();
    const header: [bigint, Status][] = [
      [INT64_MAX, Status.INVALID_ARGUMENT],
      [1n << 63n, Status.OUT_OF_RANGE],
      [1n << 64n, Status.OUT_OF_RANGE],
    ];
    for (const [h, code] of header) {
      const r = await client.call(balance, req, { 'x-cosmos-block-height': h.toString() });
      assert.equal(r.err?.code, code, `header ${h}: ${r.err?.details}`);
      assert.match(r.err!.details, new RegExp(h.toString()), 'the height is reported exactly');
    }
    for (const path of [`${TM}/GetBlockByHeight`, `${TM}/GetValidatorSetByHeight`]) {
      for (const h of [INT64_MAX, 1n << 63n, 1n << 64n]) {
        const r = await client.call(path, field1Varint(h));
        assert.equal(r.err?.code, Status.INVALID_ARGUMENT, `${path} ${h}: ${r.err?.details}`);
      }
    }
    const pastEnd = await client.call(
      `${TM}/GetValidatorSetByHeight`,
      GetValidatorSetByHeightRequest.encode(
        GetValidatorSetByHeightRequest.fromPartial({
          height: 1n,
          pagination: { offset: 1n << 40n, limit: 10n },
        }),
      ).finish(),
    );
    assert.equal(pastEnd.err?.code, Status.INVALID_ARGUMENT, pastEnd.err?.details);
  });

  it('answers malformed proxied requests INVALID_ARGUMENT without a stack trace in the log', async () => {
    const malformed: [string, Uint8Array][] = [
      [`${TX}/BroadcastTx`, Uint8Array.from([0x0a, 0x7f, 0x01])], // tx_bytes claims 127 bytes, has 1
      [`${TM}/GetBlockByHeight`, Uint8Array.from([0x08])], // a field without its value
      [
        `${TX}/GetTxsEvent`,
        GetTxsEventRequest.encode(GetTxsEventRequest.fromPartial({ query: "tx.height='" })).finish(),
      ],
      [`${TX}/GetTx`, Uint8Array.from([0x0a, 0x02, 0x7a, 0x7a])], // hash 'zz'
      [`${TM}/ABCIQuery`, Uint8Array.from([0x20, 0xff])], // truncated varint
    ];
    for (const [path, bytes] of malformed) {
      const r = await client.call(path, bytes);
      assert.ok(r.err, `${path} fails`);
      assert.ok(
        r.err.code === Status.INVALID_ARGUMENT || r.err.code === Status.NOT_FOUND,
        `${path}: ${Status[r.err.code]} ${r.err.details}`,
      );
    }
    // An undecodable tx is not a malformed request: CheckTx answers it (sdk code 2), as in the SDK.
    const junk = BroadcastTxResponse.decode(
      await ok(
        `${TX}/BroadcastTx`,
        BroadcastTxRequest.encode({
          txBytes: Uint8Array.from([1, 2, 3]),
          mode: BroadcastMode.BROADCAST_MODE_SYNC,
        }).finish(),
      ),
    ).txResponse!;
    assert.equal(junk.code, 2, junk.rawLog);
    const missing = await client.call(`${TX}/GetTx`, GetTxRequest.encode({ hash: 'AB'.repeat(32) }).finish());
    assert.equal(missing.err?.code, Status.NOT_FOUND, missing.err?.details);
    await waitFor('caller errors logged', async () => node.output.includes('gRPC caller error'), 5_000, 50);
    assert.doesNotMatch(node.output, /gRPC handler failed/);
    assert.doesNotMatch(node.output, /\n\s+at .*:\d+:\d+/, 'no stack trace in the node log');
  });
});
