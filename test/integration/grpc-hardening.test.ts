// The gRPC server against an in-process app and a stand-in CometBFT JSON-RPC server (issue 10):
// proxied calls go to CometBFT by JSON-RPC POST (a tx near max_tx_bytes broadcasts); heights are
// bigints with range checks (2^63−1, 2^63, 2^64: clean errors, never INTERNAL or UNAVAILABLE);
// malformed requests are INVALID_ARGUMENT, logged at debug without a stack and rate-limited;
// internal errors reach the client as a fixed text; UNAVAILABLE only when CometBFT is unreachable.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { status as Status } from '@grpc/grpc-js';
import { ABCIQueryRequest } from 'cosmjs-types/cosmos/base/tendermint/v1beta1/query';
import {
  BroadcastMode,
  BroadcastTxRequest,
  BroadcastTxResponse,
} from 'cosmjs-types/cosmos/tx/v1beta1/service';
import { pino } from 'pino';
import { INT64_MAX } from '../../app/node/grpc/ints.js';
import { type RunningGrpcServer, startGrpcServer } from '../../app/node/grpc/server.js';
import { field1Varint, RawGrpcClient } from './grpc-client.js';
import { TestChain } from './tx-harness.js';

const TX = '/cosmos.tx.v1beta1.Service';
const TM = '/cosmos.base.tendermint.v1beta1.Service';
const BALANCE = '/cosmos.bank.v1beta1.Query/Balance';
const LATEST_BLOCK = 5n;

interface RpcCall {
  httpMethod: string;
  method: string;
  params: Record<string, unknown>;
}

/** A stand-in CometBFT RPC: records each JSON-RPC call and answers from `answers` by method. */
async function fakeComet(
  answers: Record<string, (params: Record<string, any>) => { result?: unknown; error?: unknown }>,
) {
  const calls: RpcCall[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: { id?: number; method?: string; params?: Record<string, unknown> } = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        // a GET with the method in the URL leaves the body empty; recorded as such
      }
      const method = body.method ?? (req.url ?? '').slice(1).split('?')[0]!;
      calls.push({ httpMethod: req.method ?? '', method, params: body.params ?? {} });
      const answer = answers[method]?.(body.params ?? {}) ?? {
        error: { code: -32601, message: 'Method not found' },
      };
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ jsonrpc: '2.0', id: body.id ?? -1, ...answer }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, calls, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const status = () => ({ result: { sync_info: { latest_block_height: LATEST_BLOCK.toString() } } });

describe('gRPC hardening (in process, stand-in CometBFT)', () => {
  let chain: TestChain;
  let comet: Awaited<ReturnType<typeof fakeComet>>;
  let grpcServer: RunningGrpcServer;
  let client: RawGrpcClient;
  const logLines: Record<string, any>[] = [];

  before(async () => {
    chain = await TestChain.create({ accounts: 2 });
    comet = await fakeComet({
      status,
      broadcast_tx_sync: (p) => ({
        result: { code: 0, hash: 'AB'.repeat(32), log: '', data: '', codespace: '', echoed: p.tx },
      }),
      // a caller mistake CometBFT refuses
      validators: () => ({
        error: {
          code: -32603,
          message: 'Internal error',
          data: 'page should be within [1, 1] range, given 7',
        },
      }),
      // a malformed answer: building the block throws inside the node (a bug, not the caller's)
      block: () => ({ result: { block: null } }),
    });
    const logger = pino(
      { level: 'debug' },
      { write: (s: string) => logLines.push(JSON.parse(s) as Record<string, any>) },
    );
    grpcServer = await startGrpcServer({
      app: chain.app,
      host: '127.0.0.1',
      port: 0,
      rpcUrl: comet.url,
      version: 'test',
      logger,
    });
    client = new RawGrpcClient(grpcServer.port);
  });
  after(async () => {
    client?.close();
    await grpcServer?.close();
    await comet?.close();
    await chain?.close();
  });

  it('broadcasts a 900 KB tx by JSON-RPC POST with the tx in the body', async () => {
    const txBytes = new Uint8Array(900 * 1024).map((_, i) => (i * 7) & 0xff);
    const r = await client.call(
      `${TX}/BroadcastTx`,
      BroadcastTxRequest.encode({ txBytes, mode: BroadcastMode.BROADCAST_MODE_SYNC }).finish(),
    );
    assert.equal(r.err, null, r.err?.details);
    assert.equal(BroadcastTxResponse.decode(r.value!).txResponse?.txhash, 'AB'.repeat(32));
    const sent = comet.calls.find((c) => c.method === 'broadcast_tx_sync')!;
    assert.equal(sent.httpMethod, 'POST');
    assert.deepEqual(Buffer.from(String(sent.params.tx), 'base64'), Buffer.from(txBytes));
  });

  it('answers heights beyond the chain and beyond int64 in x-cosmos-block-height cleanly', async () => {
    const req = Uint8Array.from([]);
    const cases: [string, Status, RegExp][] = [
      [INT64_MAX.toString(), Status.INVALID_ARGUMENT, /9223372036854775807 is not committed yet/],
      [(1n << 63n).toString(), Status.OUT_OF_RANGE, /9223372036854775808 is out of range/],
      [(1n << 64n).toString(), Status.OUT_OF_RANGE, /18446744073709551616 is out of range/],
      ['1'.repeat(40), Status.INVALID_ARGUMENT, /invalid x-cosmos-block-height/],
      ['-1', Status.INVALID_ARGUMENT, /invalid x-cosmos-block-height/],
      ['1e+23', Status.INVALID_ARGUMENT, /invalid x-cosmos-block-height/],
    ];
    for (const [h, code, msg] of cases) {
      const r = await client.call(BALANCE, req, { 'x-cosmos-block-height': h });
      assert.equal(r.err?.code, code, `${h}: ${r.err?.details}`);
      assert.match(r.err!.details, msg);
      if (/^\d+$/.test(h))
        assert.doesNotMatch(r.err!.details, /e\+|-9223372036854775808|9223372036854776000/);
    }
  });

  it('answers GetBlockByHeight and ABCIQuery heights 2^63−1, 2^63 and 2^64 cleanly', async () => {
    const cases: [bigint, Status, RegExp][] = [
      [INT64_MAX, Status.INVALID_ARGUMENT, /bigger then the chain length \(height 9223372036854775807/],
      [1n << 63n, Status.INVALID_ARGUMENT, /must be positive, got -9223372036854775808/], // int64 on the wire
      [1n << 64n, Status.INVALID_ARGUMENT, /varint overflows 64 bits/],
      [(1n << 70n) + 1n, Status.INVALID_ARGUMENT, /varint/],
    ];
    for (const [h, code, msg] of cases) {
      const r = await client.call(`${TM}/GetBlockByHeight`, field1Varint(h));
      assert.equal(r.err?.code, code, `${h}: ${r.err?.details}`);
      assert.match(r.err!.details, msg);
    }
    const abci = await client.call(
      `${TM}/ABCIQuery`,
      ABCIQueryRequest.encode({
        data: new Uint8Array(0),
        path: BALANCE,
        height: INT64_MAX,
        prove: false,
      }).finish(),
    );
    assert.equal(abci.err?.code, Status.INVALID_ARGUMENT);
    assert.match(abci.err!.details, /9223372036854775807 is not committed yet/);
  });

  it('maps a request CometBFT refuses to INVALID_ARGUMENT, not UNAVAILABLE', async () => {
    const r = await client.call(`${TM}/GetLatestValidatorSet`, new Uint8Array(0));
    assert.equal(r.err?.code, Status.INVALID_ARGUMENT, r.err?.details);
    assert.match(r.err!.details, /page should be within/);
    const sent = comet.calls.find((c) => c.method === 'validators')!;
    assert.equal(sent.params.per_page, '100', 'integers travel as decimal strings');
  });

  it('answers malformed requests INVALID_ARGUMENT; logs them at debug, without stacks, rate-limited', async () => {
    const before = logLines.length;
    const started = Date.now();
    const n = 400;
    for (let i = 0; i < n; i++) {
      // field 1 (tx_bytes) claims 127 bytes and has 1: a truncated message
      const r = await client.call(`${TX}/BroadcastTx`, Uint8Array.from([0x0a, 0x7f, i & 0xff]));
      assert.equal(r.err?.code, Status.INVALID_ARGUMENT, r.err?.details);
    }
    const seconds = (Date.now() - started) / 1000;
    const lines = logLines.slice(before);
    assert.ok(lines.length > 0, 'caller errors are logged');
    assert.ok(
      lines.length <= 20 + Math.ceil(seconds * 5) + 1,
      `${lines.length} log lines for ${n} bad requests in ${seconds} s (burst 20, 5/s)`,
    );
    for (const l of lines) {
      assert.equal(l.level, 20, `debug level: ${JSON.stringify(l)}`);
      assert.doesNotMatch(JSON.stringify(l), /\n\s+at /, 'no stack trace');
    }
  });

  it('redacts an internal failure to "internal error" and logs it in full', async () => {
    const before = logLines.length;
    const r = await client.call(`${TM}/GetLatestBlock`, new Uint8Array(0));
    assert.equal(r.err?.code, Status.INTERNAL);
    assert.equal(r.err!.details, 'internal error');
    const logged = logLines.slice(before).find((l) => l.msg === 'gRPC handler failed');
    assert.ok(logged, 'the node logs the failure');
    assert.match(String(logged.err), /TypeError[\s\S]*\n\s+at /, 'with its message and stack');
  });

  it('answers UNAVAILABLE only when CometBFT cannot be reached', async () => {
    const closed = await fakeComet({});
    await closed.close(); // its port is now closed
    const lonely = await startGrpcServer({
      app: chain.app,
      host: '127.0.0.1',
      port: 0,
      rpcUrl: closed.url,
      version: 'test',
      logger: pino({ level: 'silent' }),
    });
    const c = new RawGrpcClient(lonely.port);
    try {
      const r = await c.call(`${TM}/GetSyncing`, new Uint8Array(0));
      assert.equal(r.err?.code, Status.UNAVAILABLE, r.err?.details);
    } finally {
      c.close();
      await lonely.close();
    }
  });
});
