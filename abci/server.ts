// ABCI 2.0 socket server on node:net. CometBFT opens four connections (query, snapshot, mempool,
// consensus); each is answered strictly in request order, and all of them feed one serial queue in
// which consensus requests go first. Every input is bounded: frame size (checked on the length
// prefix), connections (4, as CometBFT opens), and each connection's inbox (reading pauses while
// it is full — backpressure, nothing is dropped).
// Failure policy: a request that cannot be decoded or is of an unknown type gets an Exception
// response; a Query/CheckTx handler failure becomes an error code (the node keeps serving); any
// other handler failure is fatal: it is answered with an Exception and reported through onFatal,
// whose owner exits non-zero — a restart then recovers from the last commit.
import { chmodSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { Request, Response, ResponseCheckTx, ResponseQuery } from 'cosmjs-types/tendermint/abci/types';
import type { Logger } from 'pino';
import '../app/runtime/ante/protobufAlloc.js';
import { INTERNAL_ERROR_MESSAGE } from '../app/runtime/errors.js';
import type { AbciApplication } from './application.js';
import { consensusKinds, dispatch, type RequestKind, requestKind } from './dispatch.js';
import { FrameDecoder, type FrameLimit, FramingError, frame } from './framing.js';
import { SerialQueue } from './serialQueue.js';

export interface AbciServerOptions {
  logger: Logger;
  /** Called once for an error the application cannot continue after. */
  onFatal(err: Error): void;
  /**
   * Largest request frame accepted, checked on the length prefix before anything is allocated: a
   * number or a callback read at every prefix (the node derives it from block.max_bytes and the
   * genesis size). A larger prefix gets an Exception and that connection is closed.
   */
  maxFrameBytes?: FrameLimit;
  /** Connections served at once (CometBFT opens 4: consensus, mempool, query, snapshot). */
  maxConnections?: number;
  /** Per-connection inbox: reading pauses at this many decoded requests waiting… */
  inboxMaxRequests?: number;
  /** …or at this many request bytes waiting, and resumes once the inbox is half drained. */
  inboxMaxBytes?: number;
  /** Observability hook: each answered request's method and seconds (queue wait included). */
  observe?(method: string, seconds: number): void;
  /** Sees every application answer (the node follows consensus-param updates with it). */
  onResponse?(kind: RequestKind, res: Response): void;
  /**
   * Runs a Query (CometBFT RPC `abci_query`) instead of the serial queue: the node passes its query
   * scheduler, so these queries share the sliced, bounded part of the loop that gRPC queries get
   * rather than running back to back between consensus requests (a query reads a committed
   * version, so it needs no serial slot). Without it, queries take the queue's low priority.
   */
  runQuery?(query: () => MaybePromise<ResponseQuery>): Promise<ResponseQuery>;
}

type MaybePromise<T> = T | Promise<T>;

export const DEFAULT_MAX_CONNECTIONS = 4;
export const DEFAULT_INBOX_MAX_REQUESTS = 1024;
export const DEFAULT_INBOX_MAX_BYTES = 16 * 1024 * 1024;
/** Responses are written at least this often while a pipelined backlog is answered. */
const WRITE_BATCH = 256;

export type ListenAddress = { host: string; port: number } | { path: string };

/** Parses CometBFT's proxy_app form: tcp://host:port or unix:///path. */
export function parseAbciAddress(address: string): ListenAddress {
  if (address.startsWith('unix://')) return { path: address.slice('unix://'.length) };
  const m = /^(?:tcp:\/\/)?([^:]+):(\d+)$/.exec(address);
  if (!m) throw new Error(`invalid ABCI address '${address}': expected tcp://host:port or unix:///path`);
  return { host: m[1]!, port: Number(m[2]) };
}

/** One request read off a connection, decoded on arrival so the queue knows its priority. */
type Inbound = { bytes: number } & (
  | { req: Request; kind: RequestKind }
  | { answer: Response } // answered without the application: undecodable or unknown type
);

/** Resolves when the socket can take more writes (or is gone). */
function drainedOrClosed(socket: Socket): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}

/**
 * Whether the answers gathered so far go out now: at every Flush (CometBFT's caller waits for the
 * Flush answer), when nothing more is queued, or when the batch is large. Holding them until the
 * inbox empties kept a query flood's answers (up to 256, MBs) unsent while their callers waited.
 */
function writeNow(answered: Inbound, queued: number, gathered: number): boolean {
  const flush = 'req' in answered && answered.kind === 'flush';
  return flush || queued === 0 || gathered >= WRITE_BATCH;
}

/** Answers a frame that cannot be read with an exception and ends the connection. */
function endMalformed(socket: Socket, err: unknown, log: Logger): void {
  const msg = err instanceof FramingError ? err.message : String(err);
  log.error({ err: msg }, 'malformed ABCI frame; closing this connection');
  socket.end(frame(Response.encode({ exception: { error: `malformed frame: ${msg}` } }).finish()));
}

export class AbciServer {
  private readonly queue = new SerialQueue();
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;
  private fatal = false;
  private paused = 0;

  constructor(
    private readonly app: AbciApplication,
    private readonly opts: AbciServerOptions,
  ) {}

  /** Connections being served now (refused ones are not counted). */
  get connections(): number {
    return this.sockets.size;
  }

  /** Connections whose reading is paused because their inbox is full. */
  get pausedConnections(): number {
    return this.paused;
  }

  /**
   * Listens on tcp://host:port or unix:///path. A unix socket is created under a 0077 umask and
   * chmod-ed to 0600 before anyone can be accepted, so only this user can connect.
   */
  async listen(address: string): Promise<ListenAddress> {
    const target = parseAbciAddress(address);
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    const previousUmask = 'path' in target ? process.umask(0o077) : undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        const ready = () => {
          server.off('error', reject);
          resolve();
        };
        if ('path' in target) server.listen(target.path, ready);
        else server.listen(target.port, target.host, ready);
      });
    } finally {
      if (previousUmask !== undefined) process.umask(previousUmask);
    }
    if ('path' in target) {
      chmodSync(target.path, 0o600);
      return target;
    }
    const a = server.address();
    return typeof a === 'object' && a ? { host: a.address, port: a.port } : target;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Refuses (answers and closes) a connection beyond maxConnections; true when it did. */
  private refusedForSlots(socket: Socket, log: Logger): boolean {
    const max = this.opts.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
    if (this.sockets.size < max) return false;
    log.warn({ max }, 'ABCI connection refused: all connection slots are taken');
    socket.end(
      frame(Response.encode({ exception: { error: `too many ABCI connections (at most ${max})` } }).finish()),
    );
    socket.destroySoon();
    return true;
  }

  private accept(socket: Socket): void {
    const log = this.opts.logger.child({
      conn: `${socket.remoteAddress ?? 'unix'}:${socket.remotePort ?? ''}`,
    });
    socket.on('error', (err) => log.warn({ err: err.message }, 'ABCI connection error'));
    if (this.refusedForSlots(socket, log)) return;
    this.sockets.add(socket);
    socket.setNoDelay(true);
    this.serve(socket, log);
  }

  /**
   * Reads frames into a bounded inbox (reading pauses while it is full) and answers them in order.
   */
  private serve(socket: Socket, log: Logger): void {
    const maxRequests = this.opts.inboxMaxRequests ?? DEFAULT_INBOX_MAX_REQUESTS;
    const maxBytes = this.opts.inboxMaxBytes ?? DEFAULT_INBOX_MAX_BYTES;
    const decoder = new FrameDecoder(this.opts.maxFrameBytes);
    const inbox: Inbound[] = [];
    let inboxBytes = 0;
    let paused = false;
    let pumping = false;
    let closed = false;

    const setPaused = (on: boolean) => {
      paused = on;
      this.paused += on ? 1 : -1;
      if (on) socket.pause();
      else socket.resume();
    };
    const full = () => inbox.length >= maxRequests || inboxBytes >= maxBytes;
    const halfDrained = () => inbox.length <= maxRequests / 2 && inboxBytes <= maxBytes / 2;

    // Answers the inbox strictly in order. Each request waits for the previous one of this
    // connection, so per-connection response order holds whatever the queue's priorities do.
    const pump = async () => {
      if (pumping) return;
      pumping = true;
      const out: Buffer[] = [];
      while (inbox.length > 0 && !closed) {
        const item = inbox.shift()!;
        inboxBytes -= item.bytes;
        if (paused && halfDrained()) setPaused(false);
        const res = 'answer' in item ? item.answer : await this.handle(item.req, item.kind, log);
        out.push(frame(Response.encode(res).finish()));
        if (writeNow(item, inbox.length, out.length)) {
          const writable = closed || socket.write(out.length === 1 ? out[0]! : Buffer.concat(out));
          out.length = 0;
          // A peer that does not read its answers stops being served (and, through the inbox
          // bound, stops being read) instead of growing the write buffer without end.
          if (!writable) await drainedOrClosed(socket);
        }
      }
      pumping = false;
    };

    socket.on('data', (chunk: Buffer) => {
      if (closed) return;
      let frames: Buffer[];
      try {
        frames = decoder.push(chunk);
      } catch (err) {
        endMalformed(socket, err, log);
        inbox.length = 0;
        inboxBytes = 0;
        closed = true;
        return;
      }
      for (const f of frames) {
        inbox.push(this.decode(f, log));
        inboxBytes += f.length;
      }
      if (!paused && full()) setPaused(true);
      void pump();
    });
    socket.on('close', () => {
      closed = true;
      if (paused) setPaused(false);
      inbox.length = 0;
      this.sockets.delete(socket);
    });
  }

  private decode(bytes: Buffer, log: Logger): Inbound {
    let req: Request;
    try {
      req = Request.decode(bytes);
    } catch (err) {
      log.error({ err: String(err) }, 'undecodable ABCI request');
      return { bytes: bytes.length, answer: { exception: { error: `malformed request: ${String(err)}` } } };
    }
    const kind = requestKind(req);
    if (kind === undefined) {
      log.error('ABCI request of unknown type');
      return { bytes: bytes.length, answer: { exception: { error: 'unknown request type' } } };
    }
    return { bytes: bytes.length, req, kind };
  }

  /** Runs and answers one request. Never throws. */
  private async handle(req: Request, kind: RequestKind, log: Logger): Promise<Response> {
    if (this.fatal && kind !== 'echo' && kind !== 'flush') {
      return { exception: { error: 'application halted after a fatal error' } };
    }
    try {
      // Echo and Flush carry no application state: answer them without waiting for the queue.
      if (kind === 'echo' || kind === 'flush') return await dispatch(this.app, req, kind);
      const started = process.hrtime.bigint();
      const runQuery = this.opts.runQuery;
      const res =
        kind === 'query' && runQuery
          ? { query: await runQuery(() => this.app.query(req.query!)) }
          : await this.queue.run(
              () => dispatch(this.app, req, kind),
              consensusKinds.has(kind) ? 'high' : 'low',
            );
      this.opts.observe?.(kind, Number(process.hrtime.bigint() - started) / 1e9);
      this.opts.onResponse?.(kind, res);
      return res;
    } catch (err) {
      return this.failure(kind, err instanceof Error ? err : new Error(String(err)), log);
    }
  }

  private failure(kind: RequestKind, err: Error, log: Logger): Response {
    if (kind === 'query') {
      log.error({ err: err.stack }, 'query handler failed');
      return {
        query: ResponseQuery.fromPartial({
          code: 1,
          codespace: 'sdk',
          log: INTERNAL_ERROR_MESSAGE, // the message and stack are in the node's log
        }),
      };
    }
    if (kind === 'checkTx') {
      log.error({ err: err.stack }, 'checkTx handler failed');
      return {
        checkTx: ResponseCheckTx.fromPartial({
          code: 1,
          codespace: 'sdk',
          log: INTERNAL_ERROR_MESSAGE, // the message and stack are in the node's log
        }),
      };
    }
    const critical = consensusKinds.has(kind) || kind === 'info';
    log.fatal({ err: err.stack, kind }, 'ABCI handler failed');
    if (critical && !this.fatal) {
      this.fatal = true;
      this.opts.onFatal(new Error(`ABCI ${kind} failed: ${err.message}`));
    }
    return { exception: { error: `${kind} failed: ${err.message}` } };
  }
}
