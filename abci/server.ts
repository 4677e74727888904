// ABCI 2.0 socket server on node:net. CometBFT opens four connections (query, snapshot, mempool,
// consensus); each is answered strictly in request order, and all of them feed one serial queue.
// Failure policy: a request that cannot be decoded or is of an unknown type gets an Exception
// response; a Query/CheckTx handler failure becomes an error code (the node keeps serving); any
// other handler failure is fatal: it is answered with an Exception and reported through onFatal,
// whose owner exits non-zero — a restart then recovers from the last commit.
import { createServer, type Server, type Socket } from 'node:net';
import { Request, Response, ResponseCheckTx, ResponseQuery } from 'cosmjs-types/tendermint/abci/types';
import type { Logger } from 'pino';
import '../app/runtime/ante/protobufAlloc.js';
import { INTERNAL_ERROR_MESSAGE } from '../app/runtime/errors.js';
import type { AbciApplication } from './application.js';
import { consensusKinds, dispatch, type RequestKind, requestKind } from './dispatch.js';
import { FrameDecoder, FramingError, frame } from './framing.js';
import { SerialQueue } from './serialQueue.js';

export interface AbciServerOptions {
  logger: Logger;
  /** Called once for an error the application cannot continue after. */
  onFatal(err: Error): void;
  maxFrameBytes?: number;
  /** Observability hook: each answered request's method and seconds (queue wait included). */
  observe?(method: string, seconds: number): void;
}

export type ListenAddress = { host: string; port: number } | { path: string };

/** Parses CometBFT's proxy_app form: tcp://host:port or unix:///path. */
export function parseAbciAddress(address: string): ListenAddress {
  if (address.startsWith('unix://')) return { path: address.slice('unix://'.length) };
  const m = /^(?:tcp:\/\/)?([^:]+):(\d+)$/.exec(address);
  if (!m) throw new Error(`invalid ABCI address '${address}': expected tcp://host:port or unix:///path`);
  return { host: m[1]!, port: Number(m[2]) };
}

export class AbciServer {
  private readonly queue = new SerialQueue();
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;
  private fatal = false;

  constructor(
    private readonly app: AbciApplication,
    private readonly opts: AbciServerOptions,
  ) {}

  listen(address: string): Promise<ListenAddress> {
    const target = parseAbciAddress(address);
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      const ready = () => {
        server.off('error', reject);
        const a = server.address();
        resolve(typeof a === 'object' && a ? { host: a.address, port: a.port } : target);
      };
      if ('path' in target) server.listen(target.path, ready);
      else server.listen(target.port, target.host, ready);
    });
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.setNoDelay(true);
    const log = this.opts.logger.child({
      conn: `${socket.remoteAddress ?? 'unix'}:${socket.remotePort ?? ''}`,
    });
    const decoder = new FrameDecoder(this.opts.maxFrameBytes);
    const inbox: Buffer[] = [];
    let draining = false;
    let closed = false;

    const drain = async () => {
      if (draining) return;
      draining = true;
      const out: Buffer[] = [];
      while (inbox.length > 0 && !closed) {
        const bytes = inbox.shift()!;
        out.push(frame(Response.encode(await this.handle(bytes, log)).finish()));
        // Write at every Flush-sized pause: when nothing more is queued, or when the batch is large.
        if (inbox.length === 0 || out.length >= 256) {
          if (!closed) socket.write(out.length === 1 ? out[0]! : Buffer.concat(out));
          out.length = 0;
        }
      }
      draining = false;
    };

    socket.on('data', (chunk: Buffer) => {
      let frames: Buffer[];
      try {
        frames = decoder.push(chunk);
      } catch (err) {
        const msg = err instanceof FramingError ? err.message : String(err);
        log.error({ err: msg }, 'malformed ABCI frame; closing this connection');
        inbox.length = 0;
        socket.end(frame(Response.encode({ exception: { error: `malformed frame: ${msg}` } }).finish()));
        closed = true;
        return;
      }
      for (const f of frames) inbox.push(f);
      void drain();
    });
    socket.on('error', (err) => log.warn({ err: err.message }, 'ABCI connection error'));
    socket.on('close', () => {
      closed = true;
      this.sockets.delete(socket);
    });
  }

  /** Decodes, runs and answers one request. Never throws. */
  private async handle(bytes: Buffer, log: Logger): Promise<Response> {
    let req: Request;
    try {
      req = Request.decode(bytes);
    } catch (err) {
      log.error({ err: String(err) }, 'undecodable ABCI request');
      return { exception: { error: `malformed request: ${String(err)}` } };
    }
    const kind = requestKind(req);
    if (kind === undefined) {
      log.error('ABCI request of unknown type');
      return { exception: { error: 'unknown request type' } };
    }
    if (this.fatal && kind !== 'echo' && kind !== 'flush') {
      return { exception: { error: 'application halted after a fatal error' } };
    }
    try {
      // Echo and Flush carry no application state: answer them without waiting for the queue.
      if (kind === 'echo' || kind === 'flush') return await dispatch(this.app, req, kind);
      const started = process.hrtime.bigint();
      const res = await this.queue.run(() => dispatch(this.app, req, kind));
      this.opts.observe?.(kind, Number(process.hrtime.bigint() - started) / 1e9);
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
