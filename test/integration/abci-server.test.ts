// The ABCI server with the real BaseApp and store, driven over real sockets (issue 2, acceptance
// 6): random, truncated and oversized frames and unknown request types are answered or the
// connection is closed with an Exception; the server keeps serving other connections, and state is
// unchanged. Also: responses come back in request order with pipelined CheckTx.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CheckTxType, Request, Response } from 'cosmjs-types/tendermint/abci/types';
import { pino } from 'pino';
import { encodeUvarint, FrameDecoder, frame } from '../../abci/framing.js';
import { AbciServer } from '../../abci/server.js';
import { appStoreNames, createApp } from '../../app/app.js';
import { openAppStore } from '../../app/node/openStore.js';
import type { BaseApp } from '../../app/runtime/baseApp.js';
import type { CommitMultiStore } from '../../app/runtime/store/types.js';
import { encodeTestTx, testKvExtensions } from '../fixtures/testkv.js';

class Client {
  private readonly decoder = new FrameDecoder();
  private readonly waiting: ((r: Response) => void)[] = [];
  readonly received: Response[] = [];
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk) => {
      for (const f of this.decoder.push(chunk)) {
        const r = Response.decode(f);
        this.received.push(r);
        this.waiting.shift()?.(r);
      }
    });
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => undefined);
  }

  static open(port: number): Promise<Client> {
    return new Promise((resolve, reject) => {
      const s = connect(port, '127.0.0.1', () => resolve(new Client(s)));
      s.once('error', reject);
    });
  }

  // Partial requests, filled with defaults by fromPartial.
  send(req: Record<string, unknown>): Promise<Response> {
    return this.sendRaw(frame(Request.encode(Request.fromPartial(req as never)).finish()));
  }

  sendRaw(bytes: Uint8Array): Promise<Response> {
    const p = new Promise<Response>((resolve) => this.waiting.push(resolve));
    this.socket.write(bytes);
    return p;
  }

  async closedWithin(ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (!this.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    return this.closed;
  }
}

describe('ABCI server over sockets', () => {
  let dir: string;
  let store: CommitMultiStore;
  let app: BaseApp;
  let server: AbciServer;
  let port: number;
  const fatal: Error[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gonka-abci-'));
    store = await openAppStore(dir, appStoreNames(testKvExtensions));
    app = createApp(store, pino({ level: 'silent' }), 'test', testKvExtensions);
    server = new AbciServer(app, {
      logger: pino({ level: 'silent' }),
      onFatal: (e) => fatal.push(e),
      maxFrameBytes: 64 * 1024 * 1024,
    });
    const addr = await server.listen('tcp://127.0.0.1:0');
    port = 'port' in addr ? addr.port : 0;
    const c = await Client.open(port);
    await c.send({
      initChain: {
        chainId: 'abci-test',
        initialHeight: 1n,
        time: { seconds: 1n, nanos: 0 },
        appStateBytes: new TextEncoder().encode('{}'),
      },
    });
    await c.send({
      finalizeBlock: {
        height: 1n,
        txs: [encodeTestTx({ writes: [['a', '1']] })],
        time: { seconds: 2n, nanos: 0 },
        hash: new Uint8Array(32),
      },
    });
    await c.send({ commit: {} });
    c.socket.destroy();
  });

  after(async () => {
    await server.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const appHash = () => Buffer.from(store.lastCommitInfo().hash).toString('hex');

  it('answers in request order with pipelined CheckTx and Flush', async () => {
    const c = await Client.open(port);
    const reqs: Request[] = [];
    for (let i = 0; i < 200; i++) {
      reqs.push(
        Request.fromPartial({
          checkTx: { tx: encodeTestTx({ writes: [[`p${i}`, 'x']] }), type: CheckTxType.NEW },
        }),
      );
      if (i % 50 === 49) reqs.push(Request.fromPartial({ flush: {} }));
    }
    reqs.push(Request.fromPartial({ echo: { message: 'done' } }));
    const last = new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (c.received.length >= reqs.length) {
          clearInterval(check);
          resolve();
        }
      }, 5);
    });
    c.socket.write(Buffer.concat(reqs.map((r) => frame(Request.encode(r).finish()))));
    await last;
    reqs.forEach((req, i) => {
      const kind = Object.keys(req).find((k) => (req as any)[k] !== undefined)!;
      assert.ok((c.received[i] as any)[kind] !== undefined, `response ${i} answers ${kind}`);
    });
    assert.equal(c.received.at(-1)!.echo!.message, 'done');
    c.socket.destroy();
  });

  it('answers an unknown request type with an Exception and keeps the connection', async () => {
    const c = await Client.open(port);
    // Field 4 was SetOption (reserved in ABCI 2.0): an empty message with that field number.
    const r = await c.sendRaw(frame(Uint8Array.from([0x22, 0x00])));
    assert.match(r.exception?.error ?? '', /unknown request type/);
    const info = await c.send({ info: {} });
    assert.equal(info.info?.lastBlockHeight, 1n);
    c.socket.destroy();
  });

  it('survives random and undecodable frames without touching state', async () => {
    const hash = appHash();
    let seed = 7;
    for (let i = 0; i < 50; i++) {
      const c = await Client.open(port);
      seed = (seed * 1103515245 + 12345) >>> 0;
      const body = randomBytes(1 + (seed % 300));
      const r = await Promise.race([
        c.sendRaw(frame(body)),
        new Promise<undefined>((res) => setTimeout(() => res(undefined), 2000)),
      ]);
      // Every garbage frame is answered (usually an Exception; garbage can decode to Echo/Flush).
      assert.ok(r, `frame ${i} got an answer`);
      c.socket.destroy();
    }
    assert.equal(appHash(), hash);
    assert.deepEqual(fatal, []);
  });

  it('closes only the offending connection on an oversized or malformed length prefix', async () => {
    const hash = appHash();
    const bystander = await Client.open(port);
    for (const bad of [Buffer.from(encodeUvarint(2 ** 30)), Buffer.alloc(11, 0xff)]) {
      const c = await Client.open(port);
      const answer = c.sendRaw(bad);
      assert.ok(await c.closedWithin(2000), 'connection closed');
      const r = await Promise.race([
        answer,
        new Promise<undefined>((res) => setTimeout(() => res(undefined), 500)),
      ]);
      assert.match(r?.exception?.error ?? '', /malformed frame/);
    }
    const info = await bystander.send({ info: {} });
    assert.equal(info.info?.lastBlockHeight, 1n, 'other connections keep working');
    assert.equal(appHash(), hash);
    bystander.socket.destroy();
  });

  it('keeps serving after a truncated frame and a dropped connection', async () => {
    const c = await Client.open(port);
    const full = frame(Request.encode(Request.fromPartial({ echo: { message: 'x'.repeat(1000) } })).finish());
    c.socket.write(full.subarray(0, 500));
    c.socket.destroy();
    const d = await Client.open(port);
    assert.equal((await d.send({ echo: { message: 'ok' } })).echo?.message, 'ok');
    d.socket.destroy();
  });

  it('accepts and answers a 20 MB request frame', async () => {
    const c = await Client.open(port);
    const r = await c.send({ query: { path: '/store/testkv/key', data: Buffer.alloc(20 * 1024 * 1024, 1) } });
    assert.ok(r.query, 'a query response');
    c.socket.destroy();
  });
  // Last: it halts the application, as a handler bug in a consensus method must.
  it('answers a failing consensus handler with an Exception and reports it as fatal', async () => {
    const hash = appHash();
    const c = await Client.open(port);
    // BaseApp refuses a FinalizeBlock for a height that does not follow the last commit.
    const r = await c.send({
      finalizeBlock: { height: 99n, time: { seconds: 3n, nanos: 0 }, hash: new Uint8Array(32) },
    });
    assert.match(r.exception?.error ?? '', /finalizeBlock failed: FinalizeBlock for height 99, expected 2/);
    assert.equal(fatal.length, 1);
    assert.match(fatal[0]!.message, /ABCI finalizeBlock failed/);
    // After a fatal error nothing else touches state; only Echo/Flush are still answered.
    const after = await c.send({ commit: {} });
    assert.match(after.exception?.error ?? '', /halted/);
    assert.equal((await c.send({ echo: { message: 'alive' } })).echo?.message, 'alive');
    assert.equal(appHash(), hash);
    c.socket.destroy();
  });
});
