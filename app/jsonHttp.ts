// The HTTP conventions the API node and the ML node share (DESIGN.md §9): fastify with strict
// JSON schemas (no type coercion, no silently dropped properties) and a body limit; every error
// as {"error": {"code", "message"}} — a schema failure is 400, never a 500, and a 500 tells the
// caller only "internal error" (the log gets the rest); a 404 that names the route; a per-client
// rate limit that answers 429 in the same shape.
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Logger } from 'pino';

/** A refusal with its HTTP status; the error handler answers it as JSON. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

export interface JsonHttpOptions {
  bodyLimit: number;
  rateLimit: { max: number; timeWindowMs: number };
  /** Where 500s are logged (with the request URL); none: not logged. */
  log?: Logger;
  /** More fastify options (timeouts, connection handling). */
  fastify?: FastifyServerOptions;
}

export async function jsonHttpServer(o: JsonHttpOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    bodyLimit: o.bodyLimit,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
    ...o.fastify,
  });
  app.setErrorHandler((err: FastifyError, req, reply) => {
    let code = err.statusCode ?? 500;
    if (err.validation) code = 400;
    if (code < 400 || code > 599) code = 500;
    if (code === 500) o.log?.error({ err, url: req.url }, 'request failed');
    const message = code === 500 ? 'internal error' : err.message;
    void reply.code(code).send({ error: { code, message } });
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send({ error: { code: 404, message: `no route ${req.method} ${req.url}` } });
  });
  await app.register(rateLimit, {
    max: o.rateLimit.max,
    timeWindow: o.rateLimit.timeWindowMs,
    errorResponseBuilder: (_req, ctx) =>
      new HttpError(429, `rate limit: at most ${ctx.max} requests per ${ctx.after}`),
  });
  return app;
}
