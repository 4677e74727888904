// The REST (LCD) gateway against an in-process chain and a stand-in CometBFT (issue 15,
// acceptance 3): every route in /openapi.json answers a generated request without a 500; auth,
// bank and gov answers equal gRPC's field by field (decoded independently with cosmjs-types); the
// JSON is grpc-gateway's (snake_case, int64 as strings, "@type" first on Any, enum names); bad
// paths, addresses, pagination, heights and bodies get grpc-gateway's {code, message, details}
// with the matching HTTP status.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { QueryAccountRequest, QueryAccountResponse } from 'cosmjs-types/cosmos/auth/v1beta1/query';
import { QueryAllBalancesRequest, QueryAllBalancesResponse } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { ConfigResponse, StatusResponse } from 'cosmjs-types/cosmos/base/node/v1beta1/query';
import {
  QueryProposalRequest,
  QueryProposalResponse,
  QueryTallyResultRequest,
  QueryTallyResultResponse,
  QueryVotesRequest,
  QueryVotesResponse,
} from 'cosmjs-types/cosmos/gov/v1/query';
import { pino } from 'pino';
import { CometRpcClient } from '../../app/node/grpc/comet.js';
import { createDispatch } from '../../app/node/grpc/dispatch.js';
import { QueryScheduler } from '../../app/node/grpc/queryScheduler.js';
import {
  HEIGHT_HEADER,
  loadServedProtos,
  type RunningGrpcServer,
  startGrpcServer,
} from '../../app/node/grpc/server.js';
import { JsonCodec } from '../../app/node/rest/codec.js';
import {
  type RestServerOptions,
  type RunningRestServer,
  startRestServer,
} from '../../app/node/rest/server.js';
import { deliver, govAppState, MIN_DEPOSIT, proposalIdOf, submitMsg, voteMsg, YES } from './gov-helpers.js';
import { RawGrpcClient } from './grpc-client.js';
import { assertSubset } from './rest-json.js';
import { TestChain, TestKey } from './tx-harness.js';

const keys = [0, 1, 2, 3, 4].map((i) => TestKey.fromSeed(`rest-${i}`));

import type { Json } from './rest-json.js';

const answers: Record<string, Json> = {
  status: {
    node_info: {
      protocol_version: { p2p: '8', block: '11', app: '0' },
      id: 'ab'.repeat(20),
      listen_addr: 'tcp://127.0.0.1:26656',
      network: 'gonka-test',
      version: '0.38.25',
      channels: '40',
      moniker: 'test',
      other: { tx_index: 'on', rpc_address: 'tcp://127.0.0.1:26657' },
    },
    sync_info: {
      latest_block_height: '3',
      earliest_block_height: '1',
      latest_block_time: '2026-01-01T00:00:00Z',
      latest_app_hash: 'AB'.repeat(32),
      catching_up: false,
    },
  },
  header: { header: { validators_hash: 'CD'.repeat(32) } },
};

/** A stand-in CometBFT JSON-RPC: status and header; every other method is an RPC error. */
async function fakeComet() {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: { id?: number; method?: string } = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {}
      const method = body.method ?? (req.url ?? '').slice(1).split('?')[0]!;
      const answer = answers[method]
        ? { result: answers[method] }
        : { error: { code: -32603, message: 'Internal error', data: `${method}: not found` } };
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ jsonrpc: '2.0', id: body.id ?? -1, ...answer }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('REST (LCD) gateway (in process, stand-in CometBFT)', () => {
  let chain: TestChain;
  let comet: Awaited<ReturnType<typeof fakeComet>>;
  let grpcServer: RunningGrpcServer;
  let rest: RunningRestServer;
  let client: RawGrpcClient;
  let base: string;
  let proposalId: bigint;

  before(async () => {
    chain = await TestChain.create({ accounts: 5, seed: 'rest', appState: govAppState(keys) });
    comet = await fakeComet();
    const scheduler = new QueryScheduler();
    const dispatch = createDispatch({
      app: chain.app,
      rpc: new CometRpcClient(comet.url),
      version: 'test',
      scheduler,
      heightHeaderName: HEIGHT_HEADER,
    });
    const logger = pino({ level: 'silent' });
    grpcServer = await startGrpcServer({
      app: chain.app,
      host: '127.0.0.1',
      port: 0,
      rpcUrl: comet.url,
      version: 'test',
      logger,
      dispatch,
      scheduler,
    });
    rest = await startRestServer({
      host: '127.0.0.1',
      port: 0,
      definition: loadServedProtos(),
      dispatch,
      rpcUrl: comet.url,
      version: 'test',
      logger,
      maxTxBytes: 1_048_576n,
    });
    base = `http://127.0.0.1:${rest.port}`;
    client = new RawGrpcClient(grpcServer.port);
    const k = chain.keys;
    const sub = await deliver(chain, 3, [submitMsg(k[3]!.address, [], MIN_DEPOSIT)]);
    proposalId = proposalIdOf(sub);
    assert.equal((await deliver(chain, 0, [voteMsg(proposalId, k[0]!.address, YES)])).code, 0);
  });
  after(async () => {
    client?.close();
    await rest?.close();
    await grpcServer?.close();
    await comet?.close();
    await chain?.close();
  });

  const get = async (path: string, headers: Record<string, string> = {}) => {
    const r = await fetch(`${base}${path}`, { headers });
    return { status: r.status, body: (await r.json()) as Json, headers: r.headers };
  };
  const grpc = async (path: string, bytes: Uint8Array) => {
    const r = await client.call(path, bytes);
    assert.equal(r.err, null, r.err?.details);
    return r.value!;
  };

  it('answers auth and bank as gRPC does, in grpc-gateway JSON', async () => {
    const addr = chain.keys[1]!.address;
    const acct = await get(`/cosmos/auth/v1beta1/accounts/${addr}`);
    assert.equal(acct.status, 200, JSON.stringify(acct.body));
    const g = QueryAccountResponse.decode(
      await grpc(
        '/cosmos.auth.v1beta1.Query/Account',
        QueryAccountRequest.encode({ address: addr }).finish(),
      ),
    );
    assertSubset(QueryAccountResponse.toJSON(g), acct.body);
    assert.equal(acct.body.account['@type'], '/cosmos.auth.v1beta1.BaseAccount');
    assert.equal(typeof acct.body.account.account_number, 'string', 'uint64 as a string');
    assert.ok('pub_key' in acct.body.account, 'unset message fields are present (null or a key)');

    const bal = await get(
      `/cosmos/bank/v1beta1/balances/${addr}?pagination.limit=10&pagination.count_total=true`,
    );
    assert.equal(bal.status, 200, JSON.stringify(bal.body));
    const gb = QueryAllBalancesResponse.decode(
      await grpc(
        '/cosmos.bank.v1beta1.Query/AllBalances',
        QueryAllBalancesRequest.encode(
          QueryAllBalancesRequest.fromPartial({
            address: addr,
            pagination: { limit: 10n, countTotal: true },
          }),
        ).finish(),
      ),
    );
    assertSubset(QueryAllBalancesResponse.toJSON(gb), bal.body);
    assert.deepEqual(Object.keys(bal.body).sort(), ['balances', 'pagination']);
    assert.match(bal.headers.get(`grpc-metadata-${HEIGHT_HEADER}`) ?? '', /^\d+$/);
  });

  it('answers gov proposals, votes and tallies as gRPC does (enum names, int64 strings)', async () => {
    const id = proposalId;
    const p = await get(`/cosmos/gov/v1/proposals/${id}`);
    assert.equal(p.status, 200, JSON.stringify(p.body));
    const gp = QueryProposalResponse.decode(
      await grpc('/cosmos.gov.v1.Query/Proposal', QueryProposalRequest.encode({ proposalId: id }).finish()),
    );
    assertSubset(QueryProposalResponse.toJSON(gp), p.body);
    assert.equal(p.body.proposal.status, 'PROPOSAL_STATUS_VOTING_PERIOD');
    assert.equal(p.body.proposal.id, id.toString());

    const t = await get(`/cosmos/gov/v1/proposals/${id}/tally`);
    const gt = QueryTallyResultResponse.decode(
      await grpc(
        '/cosmos.gov.v1.Query/TallyResult',
        QueryTallyResultRequest.encode({ proposalId: id }).finish(),
      ),
    );
    assertSubset(QueryTallyResultResponse.toJSON(gt), t.body);
    assert.notEqual(t.body.tally.yes_count, '0', 'the vote is tallied');

    const v = await get(`/cosmos/gov/v1/proposals/${id}/votes`);
    const gv = QueryVotesResponse.decode(
      await grpc(
        '/cosmos.gov.v1.Query/Votes',
        QueryVotesRequest.encode(QueryVotesRequest.fromPartial({ proposalId: id })).finish(),
      ),
    );
    assertSubset(QueryVotesResponse.toJSON(gv), v.body);
    assert.equal(v.body.votes[0].options[0].option, 'VOTE_OPTION_YES');
    const v1beta1 = await get(`/cosmos/gov/v1beta1/proposals/${id}`);
    assert.equal(v1beta1.status, 200, JSON.stringify(v1beta1.body));
  });

  it('serves cosmos.base.node.v1beta1 Config (minimum gas price) on REST and gRPC', async () => {
    const c = await get('/cosmos/base/node/v1beta1/config');
    assert.equal(c.status, 200);
    assert.match(c.body.minimum_gas_price, /^\d+(\.\d+)?ngonka$/);
    const g = ConfigResponse.decode(await grpc('/cosmos.base.node.v1beta1.Service/Config', new Uint8Array()));
    assert.equal(c.body.minimum_gas_price, g.minimumGasPrice);
    const s = await get('/cosmos/base/node/v1beta1/status');
    assert.equal(s.status, 200, JSON.stringify(s.body));
    assert.equal(s.body.height, '3');
    const gs = StatusResponse.decode(
      await grpc('/cosmos.base.node.v1beta1.Service/Status', new Uint8Array()),
    );
    assertSubset(StatusResponse.toJSON(gs), s.body);
  });

  it('answers a generated request on every route of /openapi.json, never a 500', async () => {
    const doc = await get('/openapi.json');
    assert.equal(doc.status, 200);
    const samples: Record<string, string> = {
      address: chain.keys[0]!.address,
      proposal_id: proposalId.toString(),
      voter: chain.keys[0]!.address,
      depositor: chain.keys[3]!.address,
      participant: chain.keys[0]!.address,
      denom: 'ngonka',
      height: '1',
      epoch: '0',
      hash: 'AB'.repeat(32),
      name: 'gov',
      params_type: 'voting',
      id: '0',
      address_bytes: Buffer.alloc(20, 1).toString('base64url'),
      address_string: chain.keys[0]!.address,
      model_id: encodeURIComponent('gonka/demo'),
      key_hash: 'ab'.repeat(32),
      executor: chain.keys[0]!.address,
    };
    const paths = Object.entries(doc.body.paths as Record<string, Record<string, Json>>);
    assert.ok(paths.length >= 60, `${paths.length} paths`);
    let calls = 0;
    for (const [template, ops] of paths) {
      for (const [verb, op] of Object.entries(ops)) {
        const url = template.replace(/\{(\w+)\}/g, (_, name: string) => {
          assert.ok(samples[name], `a sample value for path parameter ${name} (${template})`);
          return encodeURIComponent(samples[name]!);
        });
        const r = await fetch(`${base}${url}`, {
          method: verb.toUpperCase(),
          headers: op.requestBody ? { 'content-type': 'application/json' } : {},
          body: op.requestBody ? '{}' : undefined,
        });
        const body = (await r.json()) as Json;
        calls++;
        assert.notEqual(r.status, 500, `${verb} ${url}: ${JSON.stringify(body)}`);
        if (r.status !== 200) {
          assert.deepEqual(Object.keys(body).sort(), ['code', 'details', 'message'], `${verb} ${url}`);
          assert.ok(body.code > 0, `${verb} ${url}: a gRPC code`);
        }
      }
    }
    assert.ok(calls >= 60);
  });

  it("gives grpc-gateway's error shape and status for bad input", async () => {
    const cases: [string, number, number, Record<string, string>?][] = [
      ['/cosmos/nothing/here', 404, 5],
      ['/cosmos/bank/v1beta1/balances/not-an-address', 400, 3],
      ['/cosmos/auth/v1beta1/accounts/gonka1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq', 400, 3],
      [`/cosmos/bank/v1beta1/balances/${chain.keys[0]!.address}?pagination.limit=abc`, 400, 3],
      [`/cosmos/bank/v1beta1/balances/${chain.keys[0]!.address}?pagination.limit=${'9'.repeat(30)}`, 400, 3],
      [`/cosmos/bank/v1beta1/balances/${chain.keys[0]!.address}?pagination.key=%%%`, 400, 3],
      [`/cosmos/bank/v1beta1/balances/${chain.keys[0]!.address}?pagination.count_total=maybe`, 400, 3],
      ['/cosmos/gov/v1/proposals/abc', 400, 3],
      ['/cosmos/gov/v1/proposals/999', 404, 5],
      ['/cosmos/gov/v1/proposals?proposal_status=NOT_A_STATUS', 400, 3],
      ['/cosmos/bank/v1beta1/supply', 400, 3, { [HEIGHT_HEADER]: '99999' }],
      ['/cosmos/bank/v1beta1/supply', 400, 3, { [HEIGHT_HEADER]: 'x' }],
    ];
    for (const [path, http, code, headers] of cases) {
      const r = await get(path, headers);
      assert.equal(r.status, http, `${path}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.code, code, `${path}: ${JSON.stringify(r.body)}`);
      assert.equal(typeof r.body.message, 'string');
      assert.deepEqual(r.body.details, []);
    }
    const post = async (path: string, body: string, type = 'application/json') => {
      const r = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': type }, body });
      return { status: r.status, body: (await r.json()) as Json };
    };
    for (const [body, type] of [
      ['{not json', 'application/json'],
      ['[]', 'application/json'],
      ['{"tx_bytes": 12}', 'application/json'],
      ['{"tx_bytes": "AAAA", "mode": "NO_SUCH_MODE"}', 'application/json'],
      ['{"unknown_field": 1}', 'application/json'],
      ['hello', 'text/plain'],
    ]) {
      const r = await post('/cosmos/tx/v1beta1/txs', body!, type);
      assert.equal(r.status, 400, `${body}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.code, 3, `${body}`);
    }
    const big = await post('/cosmos/tx/v1beta1/txs', JSON.stringify({ tx_bytes: 'A'.repeat(2_000_000) }));
    assert.equal(big.status, 413);
    const wrongVerb = await post('/cosmos/bank/v1beta1/supply', '{}');
    assert.equal(wrongVerb.status, 405);
  });

  /** A gateway of its own whose every query answers empty: for settings the shared one lacks. */
  const startStubRest = (extra: Partial<RestServerOptions>) =>
    startRestServer({
      host: '127.0.0.1',
      port: 0,
      definition: loadServedProtos(),
      dispatch: async () => ({ value: new Uint8Array() }),
      rpcUrl: comet.url,
      version: 'test',
      logger: pino({ level: 'silent' }),
      maxTxBytes: 1_048_576n,
      ...extra,
    });

  it('limits requests per client: past the limit, 429 in the gateway error shape', async () => {
    const limited = await startStubRest({ rateLimitPerMinute: 5 });
    try {
      const statuses: number[] = [];
      let last: Json;
      for (let i = 0; i < 7; i++) {
        const r = await fetch(`http://127.0.0.1:${limited.port}/cosmos/bank/v1beta1/supply`);
        statuses.push(r.status);
        last = await r.json();
      }
      assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429]);
      assert.equal(last.code, 8);
      assert.deepEqual(last.details, []);
    } finally {
      await limited.close();
    }
  });

  it('serves chain-registry files from the home and files handed to serveFile', async () => {
    const home = mkdtempSync(join(tmpdir(), 'gonka-rest-'));
    mkdirSync(join(home, 'chain-registry'));
    writeFileSync(join(home, 'chain-registry', 'chain.json'), '{"chain_name":"gonka"}');
    writeFileSync(join(home, 'keplr.json'), '{"chainId":"gonka-test"}');
    const server = await startStubRest({ home });
    try {
      const at = (p: string) => fetch(`http://127.0.0.1:${server.port}${p}`);
      assert.deepEqual(await (await at('/chain-registry/chain.json')).json(), { chain_name: 'gonka' });
      for (const p of [
        '/chain-registry/assetlist.json',
        '/chain-registry/..%2Fkeplr.json',
        '/chain-registry/x.txt',
      ])
        assert.equal((await at(p)).status, 404, p);
      server.serveFile('/keplr.json', join(home, 'keplr.json'));
      assert.deepEqual(await (await at('/keplr.json')).json(), { chainId: 'gonka-test' });
    } finally {
      await server.close();
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('knows every message type the app routes (a tx or proposal holding one is shown over REST)', () => {
    const codec = new JsonCodec(loadServedProtos());
    const routed = [...(chain.app.msgs as unknown as { routes: Map<string, unknown> }).routes.keys()];
    assert.ok(routed.length > 10);
    const missing = routed.filter((url) => !codec.registry.getMessage(url.slice(1)));
    assert.deepEqual(missing, [], 'add their tx.proto to PROTO_FILES (app/node/grpc/server.ts)');
  });
});
