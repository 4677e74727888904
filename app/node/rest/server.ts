// The REST (LCD) gateway: grpc-gateway's paths and JSON for every method with a google.api.http
// binding (routes.ts), answered through the gRPC server's dispatcher (one implementation of each
// method, the same QueryScheduler), plus /openapi.json, the explorer page (/explorer/), a
// read-only CometBFT RPC proxy for it (/rpc/<method>), and files other parts of the node publish
// (chain-registry JSON: /chain-registry/<name>.json from <home>/chain-registry, or serveFile()).
// Bounded: request bodies (one tx, base64), path and query sizes, a per-client rate limit.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonValue } from '@bufbuild/protobuf';
import rateLimit from '@fastify/rate-limit';
import { status as Status } from '@grpc/grpc-js';
import type { PackageDefinition } from '@grpc/proto-loader';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { repoPath } from '../../paths.js';
import type { Dispatch } from '../grpc/dispatch.js';
import { GrpcErrorReporter } from '../grpc/errorStatus.js';
import { GrpcError } from '../grpc/grpcError.js';
import { HEIGHT_HEADER } from '../grpc/server.js';
import { JsonCodec } from './codec.js';
import { gatewayError, httpStatusFor } from './errors.js';
import { openApiDocument } from './openapi.js';
import { requestJson } from './request.js';
import { matchRoute, type RestRoute, restRoutes } from './routes.js';

export interface RestServerOptions {
  host: string;
  port: number;
  definition: PackageDefinition;
  dispatch: Dispatch;
  /** CometBFT RPC, e.g. http://127.0.0.1:26657 (for /rpc/<method>). */
  rpcUrl: string;
  version: string;
  logger: Logger;
  /** The largest tx (x/auth max_tx_bytes): bounds a request body. */
  maxTxBytes: bigint;
  /** The node home: /chain-registry/<name>.json is read from <home>/chain-registry. */
  home?: string;
  /** Requests per client address per minute (default 1200). */
  rateLimitPerMinute?: number;
}

export interface RunningRestServer {
  port: number;
  routes: RestRoute[];
  /** Serves a file at an exact URL path (e.g. a chain-registry file written after start). */
  serveFile(urlPath: string, file: string, contentType?: string): void;
  close(): Promise<void>;
}

/** CometBFT RPC methods the explorer may read through /rpc (read-only, bounded answers). */
export const RPC_PROXY_METHODS = new Set([
  'status',
  'block',
  'blockchain',
  'block_results',
  'header',
  'validators',
  'tx',
  'tx_search',
  'net_info',
  'abci_info',
  'consensus_params',
]);

const EXPLORER_DIR = repoPath('app', 'node', 'explorer');
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
};
/** The page loads only its own files and talks only to this origin (chain data is text, escaped). */
const EXPLORER_CSP =
  "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'";
const contentType = (name: string) => CONTENT_TYPES[name.slice(name.lastIndexOf('.'))] ?? 'text/plain';

/** Room in a body beyond its base64 tx (field names, mode). */
const BODY_HEADROOM = 64 * 1024;
const MAX_URL_CHARS = 8192;

export async function startRestServer(opts: RestServerOptions): Promise<RunningRestServer> {
  const codec = new JsonCodec(opts.definition);
  const routes = restRoutes(opts.definition, codec.registry);
  const openapi = JSON.stringify(openApiDocument(routes, codec, opts.version));
  const reporter = new GrpcErrorReporter(opts.logger);
  const files = new Map<string, { file: string; type: string }>();
  const explorerFiles = existsSync(EXPLORER_DIR) ? new Set(readdirSync(EXPLORER_DIR)) : new Set<string>();

  const app = Fastify({
    bodyLimit: Math.ceil((Number(opts.maxTxBytes) * 4) / 3) + BODY_HEADROOM,
    routerOptions: { maxParamLength: 1024 },
    logger: false,
    // close() ends idle keep-alive connections too (a client's pool must not hold shutdown up)
    forceCloseConnections: true,
  });
  await app.register(rateLimit, {
    max: opts.rateLimitPerMinute ?? 1200,
    timeWindow: 60_000,
    errorResponseBuilder: (_req, ctx) => ({
      statusCode: 429,
      ...gatewayError(Status.RESOURCE_EXHAUSTED, `rate limit exceeded: retry in ${ctx.after}`),
    }),
  });

  const sendError = (reply: FastifyReply, e: unknown, path: string) => {
    const { code, details } = reporter.toStatus(e, path);
    return reply.status(httpStatusFor(code)).send(gatewayError(code, details));
  };
  // Malformed JSON, oversized bodies, unsupported content types: the gateway's error shape too.
  app.setErrorHandler((err: { statusCode?: number; message: string }, req, reply) => {
    const http = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (http === 500) return sendError(reply, err, req.url);
    const code = http === 413 || http === 429 ? Status.RESOURCE_EXHAUSTED : Status.INVALID_ARGUMENT;
    return reply.status(http).send(gatewayError(code, err.message));
  });

  app.get('/openapi.json', (_req, reply) => reply.type('application/json').send(openapi));
  app.get('/', (_req, reply) => reply.redirect('/explorer/'));
  app.get('/explorer', (_req, reply) => reply.redirect('/explorer/'));
  app.get('/explorer/*', (req, reply) => {
    const name = (req.params as { '*': string })['*'] || 'index.html';
    // Only files that exist in the explorer folder, by exact name: no path is built from input.
    if (!explorerFiles.has(name)) return reply.status(404).send(gatewayError(Status.NOT_FOUND, 'Not Found'));
    return reply
      .type(contentType(name))
      .header('content-security-policy', EXPLORER_CSP)
      .header('x-content-type-options', 'nosniff')
      .send(readFileSync(join(EXPLORER_DIR, name)));
  });
  app.get('/rpc/:method', async (req, reply) => {
    const { method } = req.params as { method: string };
    if (!RPC_PROXY_METHODS.has(method))
      return reply.status(404).send(gatewayError(Status.NOT_FOUND, `RPC method ${method} is not proxied`));
    const qs = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
    let res: Response;
    try {
      res = await fetch(`${opts.rpcUrl}/${method}${qs}`, { signal: AbortSignal.timeout(10_000) });
    } catch {
      return reply.status(503).send(gatewayError(Status.UNAVAILABLE, 'CometBFT RPC is unavailable'));
    }
    return reply
      .status(res.status)
      .type('application/json')
      .send(Buffer.from(await res.arrayBuffer()));
  });
  app.get('/chain-registry/:name', (req, reply) => {
    const { name } = req.params as { name: string };
    const dir = opts.home ? join(opts.home, 'chain-registry') : undefined;
    if (!dir || !/^[A-Za-z0-9_-]{1,64}\.json$/.test(name) || !existsSync(join(dir, name)))
      return reply.status(404).send(gatewayError(Status.NOT_FOUND, 'Not Found'));
    return reply.type(CONTENT_TYPES['.json']!).send(readFileSync(join(dir, name)));
  });

  // Routes with more literal segments first (blocks/latest before blocks/{height}), then as declared.
  const ordered = routes
    .map((r, i) => ({ r, i, literals: r.segments.filter((s) => 'literal' in s).length }))
    .sort((a, b) => b.literals - a.literals || a.i - b.i)
    .map((x) => x.r);

  async function gateway(req: FastifyRequest, reply: FastifyReply) {
    const url = req.url;
    const q = url.indexOf('?');
    const pathname = q < 0 ? url : url.slice(0, q);
    const file = files.get(pathname);
    if (file && req.method === 'GET') return reply.type(file.type).send(readFileSync(file.file));
    if (url.length > MAX_URL_CHARS)
      return reply.status(414).send(gatewayError(Status.INVALID_ARGUMENT, 'URL too long'));
    let parts: string[];
    try {
      parts = pathname.slice(1).split('/').map(decodeURIComponent);
    } catch {
      return reply.status(400).send(gatewayError(Status.INVALID_ARGUMENT, 'malformed URL escape'));
    }
    let pathMatched = false;
    for (const route of ordered) {
      const params = matchRoute(route, parts);
      if (!params) continue;
      pathMatched = true;
      if (route.verb !== req.method.toLowerCase()) continue;
      return answer(route, params, q < 0 ? '' : url.slice(q + 1), req, reply);
    }
    if (pathMatched) return reply.status(405).send(gatewayError(Status.UNIMPLEMENTED, 'Method Not Allowed'));
    return reply.status(404).send(gatewayError(Status.NOT_FOUND, 'Not Found'));
  }

  async function answer(
    route: RestRoute,
    params: Map<string, string>,
    search: string,
    req: FastifyRequest,
    reply: FastifyReply,
  ) {
    try {
      const desc = codec.message(route.requestType);
      const body = route.body === '*' ? ((req.body as JsonValue | undefined) ?? {}) : undefined;
      const json = requestJson(
        desc,
        params,
        route.body === '' ? new URLSearchParams(search) : undefined,
        body,
      );
      let bytes: Uint8Array;
      try {
        bytes = codec.encodeJson(desc, json);
      } catch (e) {
        throw new GrpcError(Status.INVALID_ARGUMENT, e instanceof Error ? e.message : String(e));
      }
      const header = req.headers[HEIGHT_HEADER];
      const r = await opts.dispatch(route.grpcPath, bytes, Array.isArray(header) ? header[0] : header);
      if (r.height !== undefined) reply.header(`grpc-metadata-${HEIGHT_HEADER}`, r.height.toString());
      return reply.send(codec.decodeToJson(codec.message(route.responseType), r.value));
    } catch (e) {
      return sendError(reply, e, route.grpcPath);
    }
  }

  app.setNotFoundHandler({ preHandler: app.rateLimit() }, gateway);
  await app.listen({ host: opts.host, port: opts.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return {
    port,
    routes,
    serveFile(urlPath, file, type) {
      files.set(urlPath, { file, type: type ?? contentType(file) });
    },
    close: () => app.close(),
  };
}
