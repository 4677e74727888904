// Registers paid inference on the API node's HTTP server, in one encapsulated context whose
// errors are OpenAI-shaped and whose JSON parser keeps the raw body (signed requests and the
// TA's signature are over the exact bytes): POST /v1/chat/completions, GET /v1/models,
// GET /v1/models/* (ids contain '/'), GET /v1/identity (TA role); POST /v1/inference/execute,
// GET /v1/inference/payloads/:id (executor role).

import { secp256k1 } from '@noble/curves/secp256k1.js';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { type ChatBody, chatSchema } from './chat.js';
import { badRequest, modelNotFound, OpenAIError, useOpenAIErrors } from './errors.js';
import { type ExecutorDeps, executeSchema, executorHandler } from './executor.js';
import { INFERENCE_ID } from './msgs.js';
import type { ExecuteRequest } from './protocol.js';
import { handleChat, type TaDeps } from './ta.js';

/** Chat request bodies above this are refused with 413 (inference-contract.md). */
export const CHAT_BODY_LIMIT = 1 << 20;
/** Execute bodies carry token ids (≤ 11 bytes each as JSON). */
export const EXECUTE_BODY_LIMIT = 2 << 20;

export interface InferenceRoutesOptions {
  ta: TaDeps;
  executor: ExecutorDeps;
  log?: Logger;
  /** Requests per client per window on these routes (default 600 per minute). */
  rateLimit?: { max: number; timeWindowMs: number };
}

export async function registerInferenceRoutes(
  app: FastifyInstance,
  o: InferenceRoutesOptions,
): Promise<void> {
  await app.register(async (scope) => {
    useOpenAIErrors(scope, o.log);
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
      (req as unknown as { rawBody: Buffer }).rawBody = body as Buffer;
      try {
        done(null, JSON.parse((body as Buffer).toString('utf8')));
      } catch (e) {
        done(
          badRequest(`We could not parse the JSON body of your request: ${(e as Error).message}`),
          undefined,
        );
      }
    });
    const rateLimit = {
      max: o.rateLimit?.max ?? 600,
      timeWindow: o.rateLimit?.timeWindowMs ?? 60_000,
    };
    const config = { rateLimit };
    const ta = o.ta;

    scope.post<{ Body: ChatBody }>(
      '/v1/chat/completions',
      { schema: { body: chatSchema }, bodyLimit: CHAT_BODY_LIMIT, config },
      (req, reply) => handleChat(ta, req, reply),
    );

    const servable = async () => {
      const models = await ta.view.models();
      return models.filter((m) => ta.tokenizers.has(m.model.id));
    };
    const modelObject = (id: string) => ({ id, object: 'model' as const, created: 0, owned_by: 'gonka' });

    scope.get('/v1/models', { config }, async () => ({
      object: 'list',
      data: (await servable()).map((m) => modelObject(m.model.id)),
    }));

    scope.get<{ Params: { '*': string } }>('/v1/models/*', { config }, async (req) => {
      const id = req.params['*'];
      if (id.length > 128 || !ta.tokenizers.has(id)) throw modelNotFound(id.slice(0, 128));
      const m = await ta.view.model(id);
      if (!m) throw modelNotFound(id);
      return modelObject(id);
    });

    const pubkey = Buffer.from(o.ta.forward.pubKey).toString('base64');
    scope.get('/v1/identity', { config }, async () => ({ address: ta.transferAgent, pubkey }));

    scope.post<{ Body: ExecuteRequest }>(
      '/v1/inference/execute',
      // Signed by a participant TA, which forwards all its clients' requests: the per-client
      // limit of the public routes would throttle a whole TA.
      {
        schema: { body: executeSchema },
        bodyLimit: EXECUTE_BODY_LIMIT,
        config: { rateLimit: { max: 100_000, timeWindow: rateLimit.timeWindow } },
      },
      executorHandler(o.executor),
    );

    scope.get<{ Params: { id: string } }>('/v1/inference/payloads/:id', { config }, async (req, reply) => {
      const id = req.params.id;
      if (!INFERENCE_ID.test(id)) throw badRequest('bad inference id', 'id');
      const bytes = o.executor.payloads.get(id);
      if (!bytes)
        throw new OpenAIError(404, 'invalid_request_error', 'payload_not_found', `no payload for ${id}`);
      void reply.header('content-type', 'application/json');
      return reply.send(bytes);
    });
  });
}

/** The compressed public key of a 32-byte secret (for ForwardOptions). */
export const publicKeyOf = (privateKey: Uint8Array): Uint8Array => secp256k1.getPublicKey(privateKey, true);
