// Errors of the OpenAI-compatible API in OpenAI's own shape, {"error": {message, type, param,
// code}}, with the statuses the `openai` SDKs map to their error classes (400 BadRequestError,
// 401 AuthenticationError, 404 NotFoundError, 429 RateLimitError, ≥ 500 InternalServerError).
// The routes under /v1/chat, /v1/models and /v1/identity answer every refusal this way; the node's
// other routes keep the {error:{code,message}} shape of app/jsonHttp.ts.
import type { FastifyError, FastifyInstance } from 'fastify';
import type { Logger } from 'pino';

export type OpenAIErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'insufficient_quota'
  | 'rate_limit_error'
  | 'server_error';

export class OpenAIError extends Error {
  constructor(
    readonly statusCode: number,
    readonly type: OpenAIErrorType,
    readonly code: string | null,
    message: string,
    readonly param: string | null = null,
  ) {
    super(message);
  }

  body(): { error: { message: string; type: string; param: string | null; code: string | null } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

export const badRequest = (message: string, param: string | null = null, code: string | null = null) =>
  new OpenAIError(400, 'invalid_request_error', code, message, param);
export const invalidApiKey = (message: string) =>
  new OpenAIError(401, 'invalid_request_error', 'invalid_api_key', message);
export const invalidSignature = (message: string) =>
  new OpenAIError(401, 'invalid_request_error', 'invalid_signature', message);
export const modelNotFound = (id: string) =>
  new OpenAIError(
    404,
    'invalid_request_error',
    'model_not_found',
    `The model '${id}' does not exist`,
    'model',
  );
export const contextLengthExceeded = (message: string) =>
  new OpenAIError(400, 'invalid_request_error', 'context_length_exceeded', message, 'messages');
export const insufficientQuota = (message: string) =>
  new OpenAIError(429, 'insufficient_quota', 'insufficient_quota', message);
export const noExecutor = (message: string) =>
  new OpenAIError(503, 'server_error', 'no_executor_available', message);
export const upstreamFailed = (message: string) =>
  new OpenAIError(502, 'server_error', 'executor_failed', message);

/** Any thrown value → the OpenAI-shaped error to answer with (500s say only "internal error"). */
export function toOpenAIError(err: unknown): OpenAIError {
  if (err instanceof OpenAIError) return err;
  const e = err as Partial<FastifyError> & { message?: string };
  if (e?.validation) return badRequest(e.message ?? 'invalid request', paramOf(e));
  const status = typeof e?.statusCode === 'number' ? e.statusCode : 500;
  if (status === 413)
    return new OpenAIError(
      413,
      'invalid_request_error',
      'request_too_large',
      e.message ?? 'request too large',
    );
  if (status === 429)
    return new OpenAIError(429, 'rate_limit_error', 'rate_limit_exceeded', e.message ?? 'rate limit');
  if (status === 415)
    return new OpenAIError(
      415,
      'invalid_request_error',
      'unsupported_media_type',
      e.message ?? 'unsupported',
    );
  if (status >= 400 && status < 500) return badRequest(e.message ?? 'invalid request');
  if (status === 503) return new OpenAIError(503, 'server_error', null, e.message ?? 'unavailable');
  return new OpenAIError(500, 'server_error', null, 'internal error');
}

/** The JSON-schema error's property path as OpenAI's `param` ("messages[0].role" style). */
function paramOf(e: Partial<FastifyError>): string | null {
  const v = e.validation?.[0];
  if (!v) return null;
  const path = v.instancePath
    .replace(/^\//, '')
    .replace(/\/(\d+)/g, '[$1]')
    .replace(/\//g, '.');
  const missing = (v.params as { missingProperty?: string } | undefined)?.missingProperty;
  if (missing) return path ? `${path}.${missing}` : missing;
  return path || null;
}

/** Installs the OpenAI error and 404 handlers on an encapsulated fastify context. */
export function useOpenAIErrors(app: FastifyInstance, log?: Logger): void {
  app.setErrorHandler((err, req, reply) => {
    const e = toOpenAIError(err);
    if (e.statusCode === 500) log?.error({ err, url: req.url }, 'request failed');
    void reply.code(e.statusCode).send(e.body());
  });
}
