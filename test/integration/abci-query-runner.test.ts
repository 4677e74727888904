// CometBFT RPC `abci_query` under a flood (issue 10, acceptance 4): the ABCI server hands Query
// requests to the node's query scheduler (runQuery) instead of its serial queue, so RPC queries get
// the same bounded, sliced share of the event loop as gRPC queries and a query in progress never
// holds a consensus or mempool request; and answers are written at every Flush, as CometBFT's
// socket client expects, instead of piling up until a connection's whole backlog is answered.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CheckTxType, Request, Response, type ResponseQuery } from 'cosmjs-types/tendermint/abci/types';
import { pino } from 'pino';
import { FrameDecoder, frame } from '../../abci/framing.js';
import { AbciServer } from '../../abci/server.js';
import { appStoreNames, createApp } from '../../app/app.js';
import { QueryScheduler } from '../../app/node/grpc/queryScheduler.js';
import { openAppStore } from '../../app/node/openStore.js';
import type { BaseApp } from '../../app/runtime/baseApp.js';
import type { CommitMultiStore } from '../../app/runtime/store/types.js';
import { encodeTestTx, testKvExtensions } from '../fixtures/testkv.js';

class Client {
  private readonly decoder = new FrameDecoder();
  readonly received: Response[] = [];

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk) => {
      for (const f of this.decoder.push(chunk)) this.received.push(Response.decode(f));
    });
    socket.on('error', () => undefined);
  }

  static open(port: number): Promise<Client> {
    return new Promise((resolve, reject) => {
      const s = connect(port, '127.0.0.1', () => resolve(new Client(s)));
      s.once('error', reject);
    });
  }

  /** Writes requests in one go (pipelined, as CometBFT's socket client does). */
  write(...reqs: Record<string, unknown>[]): void {
    this.socket.write(
      Buffer.concat(reqs.map((r) => frame(Request.encode(Request.fromPartial(r as never)).finish()))),
    );
  }

  /** Sends one request and waits for the answer to it. */
  async send(req: Record<string, unknown>): Promise<Response> {
    const n = this.received.length;
    this.write(req);
    await until('an answer', () => this.received.length > n);
    return this.received[n] as Response;
  }
}

async function until(what: string, cond: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A runQuery that holds queries from the `holdFrom`-th on until released (0-based). */
class HeldQueries {
  calls = 0;
  private open!: () => void;
  private readonly opened = new Promise<void>((r) => (this.open = r));

  constructor(
    private readonly scheduler: QueryScheduler,
    private readonly holdFrom: number,
  ) {}

  release(): void {
    this.open();
  }

  readonly run = async (query: () => ResponseQuery | Promise<ResponseQuery>): Promise<ResponseQuery> => {
    if (this.calls++ >= this.holdFrom) await this.opened;
    return await this.scheduler.submit(query, 'abci');
  };
}

const query = (key: string) => ({ query: { path: '/store/testkv/key', data: Buffer.from(key) } });

describe('ABCI queries through the node query scheduler', () => {
  let dir: string;
  let store: CommitMultiStore;
  let app: BaseApp;
  const servers: AbciServer[] = [];
  const clients: Client[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gonka-abci-query-'));
    store = await openAppStore(dir, appStoreNames(testKvExtensions));
    app = createApp(store, pino({ level: 'silent' }), 'test', testKvExtensions);
  });

  after(async () => {
    for (const c of clients) c.socket.destroy();
    for (const s of servers) await s.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function serve(held: HeldQueries): Promise<number> {
    const server = new AbciServer(app, {
      logger: pino({ level: 'silent' }),
      onFatal: (e) => {
        throw e;
      },
      runQuery: held.run,
    });
    servers.push(server);
    const addr = await server.listen('tcp://127.0.0.1:0');
    return 'port' in addr ? addr.port : 0;
  }

  async function open(port: number): Promise<Client> {
    const c = await Client.open(port);
    clients.push(c);
    return c;
  }

  it('runs Query through runQuery, so a query in progress holds no consensus or mempool request', async () => {
    const held = new HeldQueries(new QueryScheduler(), 0);
    const port = await serve(held);
    const [q, mempool, consensus] = [await open(port), await open(port), await open(port)];
    const init = await consensus.send({
      initChain: {
        chainId: 'abci-query',
        initialHeight: 1n,
        time: { seconds: 1n, nanos: 0 },
        appStateBytes: new TextEncoder().encode('{}'),
      },
    });
    assert.ok(init.initChain);

    q.write(query('a'));
    await until('the query to reach runQuery', () => held.calls === 1);
    // Through the serial queue, the held query would keep every request below waiting.
    const check = await mempool.send({
      checkTx: { tx: encodeTestTx({ writes: [['a', '1']] }), type: CheckTxType.NEW },
    });
    assert.equal(check.checkTx?.code, 0, check.checkTx?.log);
    const fb = await consensus.send({
      finalizeBlock: {
        height: 1n,
        txs: [encodeTestTx({ writes: [['a', '1']] })],
        time: { seconds: 2n, nanos: 0 },
        hash: new Uint8Array(32),
      },
    });
    assert.equal(fb.finalizeBlock?.txResults[0]?.code, 0);
    assert.ok((await consensus.send({ commit: {} })).commit, 'Commit answered while the query waits');
    assert.equal(q.received.length, 0, 'the held query is not answered yet');

    held.release();
    await until('the query answer', () => q.received.length === 1);
    assert.equal(Buffer.from(q.received[0]?.query?.value ?? []).toString(), '1', 'it reads height 1');
  });

  it('writes answers at every Flush while later requests of the connection still run', async () => {
    const held = new HeldQueries(new QueryScheduler(), 1); // the second query waits
    const q = await open(await serve(held));
    // CometBFT's socket client: Query, Flush, Query, Flush, … in one pipelined stream.
    q.write(query('a'), { flush: {} }, query('b'), { flush: {} }, { echo: { message: 'end' } });
    await until('the first query and its Flush answered', () => q.received.length === 2);
    assert.ok(q.received[0]?.query && q.received[1]?.flush, 'Query then Flush, in order');
    assert.equal(held.calls, 2, 'the second query is in progress meanwhile');

    held.release();
    await until('every answer', () => q.received.length === 5);
    assert.ok(q.received[2]?.query && q.received[3]?.flush);
    assert.equal(q.received[4]?.echo?.message, 'end');
  });
});
