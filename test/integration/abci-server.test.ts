// The ABCI server with the real BaseApp and store, driven over real sockets (issue 2, acceptance
// 6): random, truncated and oversized frames and unknown request types are answered or the
// connection is closed with an Exception; the server keeps serving other connections, and state is
// unchanged. Also: responses come back in request order with pipelined CheckTx.
// Bounds (issue 10, acceptance 1's ABCI part): length prefixes are capped before anything is
// allocated, at most 4 connections, a bounded inbox per connection with backpressure, and
// consensus requests answered ahead of a query flood.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CheckTxType, Request, Response } from 'cosmjs-types/tendermint/abci/types';
import { pino } from 'pino';
import type { AbciApplication } from '../../abci/application.js';
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

  /** Responses received so far whose field `kind` is set. */
  count(kind: string): number {
    return this.received.filter((r) => (r as Record<string, unknown>)[kind] !== undefined).length;
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
      // These tests open and drop many connections in a row; the 4-connection bound has its own.
      maxConnections: 16,
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

// --- bounds ----------------------------------------------------------------------------------

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const MiB = 1024 * 1024;

/** Heap plus ArrayBuffer memory (Buffers live there) still reachable after a full GC. */
function retainedBytes(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

async function until(what: string, cond: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A gate a wrapped handler waits on, so a test can hold the queue still while it floods. */
class Gate {
  entered = 0;
  private open!: () => void;
  readonly opened = new Promise<void>((r) => (this.open = r));
  release(): void {
    this.open();
  }
}

/** The app with one method held at a gate; every other method goes straight to the app. */
function gated(app: BaseApp, method: 'checkTx' | 'query', gate: Gate): AbciApplication {
  return new Proxy(app as unknown as AbciApplication, {
    get(target, key) {
      const real = (target as unknown as Record<string | symbol, unknown>)[key];
      if (typeof real !== 'function') return real;
      if (key !== method) return real.bind(target);
      return async (req: unknown) => {
        gate.entered++;
        await gate.opened;
        return real.call(target, req);
      };
    },
  });
}

describe('ABCI server bounds', () => {
  let dir: string;
  let store: CommitMultiStore;
  let app: BaseApp;
  const servers: AbciServer[] = [];
  let frameCap = 64 * MiB;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gonka-abci-bounds-'));
    store = await openAppStore(dir, appStoreNames(testKvExtensions));
    app = createApp(store, pino({ level: 'silent' }), 'test', testKvExtensions);
    const { server, port } = await serve(app);
    const c = await Client.open(port);
    await c.send({
      initChain: {
        chainId: 'abci-bounds',
        initialHeight: 1n,
        time: { seconds: 1n, nanos: 0 },
        appStateBytes: new TextEncoder().encode('{}'),
      },
    });
    await drop(server, c);
  });

  after(async () => {
    for (const s of servers) await s.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // Inbox bounds smaller than the node's defaults (1,024 requests, 16 MiB) keep the floods short.
  const inboxMaxBytes = 4 * MiB;

  async function serve(
    application: AbciApplication,
    inboxBytes = inboxMaxBytes,
  ): Promise<{ server: AbciServer; port: number }> {
    const server = new AbciServer(application, {
      inboxMaxBytes: inboxBytes,
      logger: pino({ level: 'silent' }),
      onFatal: (e) => {
        throw e;
      },
      // A callback, as the node supplies one (block.max_bytes + headroom), read at every prefix.
      maxFrameBytes: () => frameCap,
    });
    servers.push(server);
    const addr = await server.listen('tcp://127.0.0.1:0');
    return { server, port: 'port' in addr ? addr.port : 0 };
  }

  /** Closes a client and waits until the server has freed its connection slot. */
  async function drop(server: AbciServer, c: Client): Promise<void> {
    const before = server.connections;
    c.socket.destroy();
    await until('the server to see the close', () => server.connections < before);
  }

  it('serves at most 4 connections: a fifth gets an Exception and is closed', async () => {
    const { server, port } = await serve(app);
    const clients = [];
    for (let i = 0; i < 4; i++) {
      const c = await Client.open(port);
      assert.equal((await c.send({ echo: { message: `c${i}` } })).echo?.message, `c${i}`);
      clients.push(c);
    }
    assert.equal(server.connections, 4);
    const fifth = await Client.open(port);
    assert.ok(await fifth.closedWithin(5000), 'the fifth connection is closed');
    assert.match(fifth.received[0]?.exception?.error ?? '', /too many ABCI connections \(at most 4\)/);
    assert.equal(server.connections, 4);
    // A freed slot is usable again.
    await drop(server, clients.pop()!);
    const again = await Client.open(port);
    assert.equal((await again.send({ echo: { message: 'again' } })).echo?.message, 'again');
    for (const c of [...clients, again]) await drop(server, c);
  });

  it('refuses huge length prefixes on many connections without allocating, and allocates nothing for announced frames', async (t) => {
    const { server, port } = await serve(app);
    frameCap = 64 * MiB;
    const base = retainedBytes();
    // 2 GiB − 1 (CometBFT's own cap), 1 GiB and 100 MB prefixes, 40 connections each.
    for (const size of [2 ** 31 - 1, 2 ** 30, 100_000_000]) {
      for (let i = 0; i < 40; i++) {
        const c = await Client.open(port);
        c.socket.write(encodeUvarint(size));
        assert.ok(await c.closedWithin(5000), `a ${size}-byte prefix closes the connection`);
        assert.match(c.received[0]?.exception?.error ?? '', /exceeds the 67108864-byte limit/);
        await until('the slot to be freed', () => server.connections === 0);
      }
    }
    // Four connections each announce a 60 MiB frame (under the cap) and send nothing more: the
    // body is collected as it arrives, so the announcement alone costs nothing.
    const holders = [];
    for (let i = 0; i < 4; i++) {
      const c = await Client.open(port);
      c.socket.write(encodeUvarint(60 * MiB));
      holders.push(c);
    }
    await until('4 connections', () => server.connections === 4);
    await new Promise((r) => setTimeout(r, 100)); // let the server read the prefixes
    const grown = retainedBytes() - base;
    // Bound: 8 MiB (measurement noise); 4 × 60 MiB were announced, 120 × ≥ 100 MB refused.
    t.diagnostic(`retained growth after huge prefixes: ${(grown / MiB).toFixed(1)} MiB`);
    assert.ok(grown < 8 * MiB, `retained memory grew by ${(grown / MiB).toFixed(1)} MiB`);
    // The cap follows the callback: lowered, the next prefix above it is refused.
    frameCap = 1 * MiB;
    for (const c of holders) await drop(server, c);
    const c = await Client.open(port);
    c.socket.write(encodeUvarint(2 * MiB));
    assert.ok(await c.closedWithin(5000));
    assert.match(c.received[0]?.exception?.error ?? '', /exceeds the 1048576-byte limit/);
    frameCap = 64 * MiB;
    await until('the slot to be freed', () => server.connections === 0);
  });

  it('bounds the inbox of a connection flooding 20,000 pipelined CheckTx: reading pauses, nothing is dropped', async (t) => {
    const gate = new Gate();
    const { server, port } = await serve(gated(app, 'checkTx', gate));
    const n = 20_000;
    // ~1 KB txs: 20 MB offered in one write; the payload is built before the baseline.
    const payload = Buffer.concat(
      Array.from({ length: n }, (_, i) =>
        frame(
          Request.encode(
            Request.fromPartial({
              checkTx: { tx: encodeTestTx({ writes: [[`f${i}`, 'v'.repeat(1000)]] }), type: CheckTxType.NEW },
            }),
          ).finish(),
        ),
      ),
    );
    const c = await Client.open(port);
    const base = retainedBytes();
    c.socket.write(payload);
    // The first CheckTx waits at the gate; the server reads until the inbox is full, then pauses.
    await until('the first CheckTx to start', () => gate.entered === 1);
    await until('reading to pause', () => server.pausedConnections === 1);
    await new Promise((r) => setTimeout(r, 200)); // nothing more may be read while paused
    const grown = retainedBytes() - base;
    // Bound: the inbox (4 MiB of requests) + decoded objects + one socket read; 20 MB were sent.
    t.diagnostic(`retained growth with the queue held: ${(grown / MiB).toFixed(1)} MiB`);
    assert.ok(
      grown < 12 * MiB,
      `retained memory grew by ${(grown / MiB).toFixed(1)} MiB with the queue held`,
    );
    gate.release();
    await until('every CheckTx answered', () => c.received.length === n, 120_000);
    assert.equal(c.count('checkTx'), n, 'all 20,000 answered, none dropped');
    assert.equal(server.pausedConnections, 0);
    await drop(server, c);
  });

  it('stops reading a connection that does not read its answers (bounded write buffer)', async (t) => {
    const { server, port } = await serve(app, 1 * MiB);
    const n = 256;
    const message = 'e'.repeat(64 * 1024);
    const payload = Buffer.concat(
      Array.from({ length: n }, () =>
        frame(Request.encode(Request.fromPartial({ echo: { message } })).finish()),
      ),
    );
    const c = await Client.open(port);
    c.socket.pause(); // never read while the flood is offered
    const base = retainedBytes();
    c.socket.write(payload);
    await until('reading to pause', () => server.pausedConnections === 1);
    await new Promise((r) => setTimeout(r, 200));
    const grown = retainedBytes() - base;
    // Bound: inbox 1 MiB + one write batch (the write that found the buffer full); 16 MiB due.
    t.diagnostic(`retained growth with answers unread: ${(grown / MiB).toFixed(1)} MiB`);
    assert.ok(grown < 8 * MiB, `retained memory grew by ${(grown / MiB).toFixed(1)} MiB`);
    c.socket.resume();
    await until('every echo answered', () => c.received.length === n, 120_000);
    await drop(server, c);
  });

  it('answers consensus requests ahead of a queued query flood, keeping each connection in order', async (t) => {
    const { server, port } = await serve(app);
    const q = await Client.open(port);
    const consensus = await Client.open(port);
    const queries = 2000;
    const qFrames = Buffer.concat(
      Array.from({ length: queries }, (_, i) =>
        frame(
          Request.encode(
            Request.fromPartial({ query: { path: '/store/testkv/key', data: Buffer.from(`k${i}`) } }),
          ).finish(),
        ),
      ),
    );
    q.socket.write(qFrames);
    await until('the query flood to be under way', () => q.received.length > 0);
    const height = BigInt(store.lastCommitInfo().version + 1);
    const fb = await consensus.send({
      finalizeBlock: { height, txs: [], time: { seconds: 5n, nanos: 0 }, hash: new Uint8Array(32) },
    });
    const answeredBefore = q.received.length;
    t.diagnostic(`${answeredBefore} of ${queries} queries answered before FinalizeBlock`);
    assert.ok(fb.finalizeBlock, 'FinalizeBlock answered');
    const commit = await consensus.send({ commit: {} });
    assert.ok(commit.commit, 'Commit answered');
    // Without priority the whole flood (2,000) is answered first; with it, FinalizeBlock waits for
    // at most the queries read before it plus one write batch.
    assert.ok(
      answeredBefore < queries / 2,
      `${answeredBefore} of ${queries} queries were answered before FinalizeBlock`,
    );
    await until('every query answered', () => q.received.length === queries, 60_000);
    assert.equal(q.count('query'), queries, 'each query got a Query response, in order');
    for (const c of [q, consensus]) await drop(server, c);
  });
});
