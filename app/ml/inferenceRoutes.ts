// The ML node's inference routes (inference-contract, "ML node"): GET /v1/inference/models,
// POST /v1/inference/generate (an ndjson stream of token lines, then a done line) and
// POST /v1/inference/replay. Everything is checked before a request is queued: the strict schema
// (types, array and string bounds), then the model (404), its artifact hash (409), token ids in
// the vocabulary and prompt + max_tokens within the context (400), the seed below 2^64 (400), and
// the queue bound (503). A request that passed all of that runs; an error after the 200 went out
// ends the stream with an error line. These routes are not under the per-client rate limit: the
// queue bound is what keeps a flood from costing more than 503s.
import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { HttpError } from '../jsonHttp.js';
import type { Logger } from '../log.js';
import { GenerationAborted, type InferenceModels, type ModelEntry } from './inference.js';
import { QueueFullError } from './inferenceQueue.js';
import {
  type GenerateBody,
  MAX_INFERENCE_TOKENS,
  MAX_INFERENCE_TOP_LOGPROBS,
  MAX_STOP_LENGTH,
  MAX_STOP_SEQUENCES,
  MODEL_ID_PATTERN,
  type ReplayBody,
} from './inferenceWire.js';

/** Request bodies of the inference routes: a context-long prompt (and output) as JSON. */
export const INFERENCE_BODY_LIMIT = 4 * 1024 * 1024;

const tokenIds = {
  type: 'array',
  minItems: 1,
  maxItems: MAX_INFERENCE_TOKENS,
  items: { type: 'integer', minimum: 0, maximum: 0xffff_ffff },
} as const;
const common = {
  model: { type: 'string', pattern: MODEL_ID_PATTERN },
  artifact_hash: { type: 'string', pattern: '^[0-9a-fA-F]{64}$' },
  prompt_tokens: tokenIds,
  top_logprobs: { type: 'integer', minimum: 0, maximum: MAX_INFERENCE_TOP_LOGPROBS },
} as const;

const generateSchema = {
  body: {
    type: 'object',
    required: ['model', 'artifact_hash', 'prompt_tokens', 'max_tokens', 'seed'],
    additionalProperties: false,
    properties: {
      ...common,
      max_tokens: { type: 'integer', minimum: 1, maximum: MAX_INFERENCE_TOKENS },
      temperature: { type: 'number', minimum: 0, maximum: 2 },
      top_p: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
      seed: { type: 'string', pattern: '^(0|[1-9][0-9]{0,19})$' },
      stop: {
        type: 'array',
        maxItems: MAX_STOP_SEQUENCES,
        items: { type: 'string', minLength: 1, maxLength: MAX_STOP_LENGTH },
      },
    },
  },
} as const;

const replaySchema = {
  body: {
    type: 'object',
    required: ['model', 'artifact_hash', 'prompt_tokens', 'tokens'],
    additionalProperties: false,
    properties: { ...common, tokens: tokenIds },
  },
} as const;

const routeOptions = { bodyLimit: INFERENCE_BODY_LIMIT, config: { rateLimit: false } } as const;

/** The model named by a request, with the files the caller expects (404, 409). */
function lookup(models: InferenceModels, id: string, artifactHash: string): ModelEntry {
  const e = models.get(id);
  if (e === undefined) throw new HttpError(404, `model not found: ${id}`);
  // The executor's worker died (onnxruntime crashed it): refuse like a full queue, never a 200
  // that can only end in an error line.
  if (!e.executor.alive) throw new HttpError(503, `${id}: the model's executor is down`);
  if (artifactHash.toLowerCase() !== e.artifactHash)
    throw new HttpError(
      409,
      `artifact_hash ${artifactHash.toLowerCase()} differs from the files this node serves for ${id} (${e.artifactHash})`,
    );
  return e;
}

function checkTokens(e: ModelEntry, ids: number[], what: string): void {
  for (let i = 0; i < ids.length; i++) {
    if ((ids[i] as number) >= e.vocabSize)
      throw new HttpError(400, `${what}[${i}] = ${ids[i]} is outside the vocabulary [0, ${e.vocabSize})`);
  }
}

function checkContext(e: ModelEntry, prompt: number, more: number, what: string): void {
  if (prompt + more > e.contextLength)
    throw new HttpError(
      400,
      `prompt (${prompt}) + ${what} (${more}) exceeds the context length of ${e.id} (${e.contextLength})`,
    );
}

function parseSeed(text: string): bigint {
  const seed = BigInt(text);
  if (seed >= 1n << 64n) throw new HttpError(400, `seed ${text} is not below 2^64`);
  return seed;
}

/** An AbortSignal that fires when the client goes away before its response finished. */
function clientGone(reply: FastifyReply): AbortSignal {
  const ac = new AbortController();
  reply.raw.on('close', () => {
    if (!reply.raw.writableFinished) ac.abort(new GenerationAborted('the client disconnected'));
  });
  return ac.signal;
}

export function registerInferenceRoutes(app: FastifyInstance, models: InferenceModels, log: Logger): void {
  app.get('/v1/inference/models', { config: { rateLimit: false } }, async () => ({ models: models.list() }));

  app.post<{ Body: GenerateBody }>(
    '/v1/inference/generate',
    { ...routeOptions, schema: generateSchema },
    async (req, reply) => {
      const b = req.body;
      const e = lookup(models, b.model, b.artifact_hash);
      checkTokens(e, b.prompt_tokens, 'prompt_tokens');
      checkContext(e, b.prompt_tokens.length, b.max_tokens, 'max_tokens');
      const seed = parseSeed(b.seed);
      if (e.queue.full)
        throw new HttpError(503, `${e.id}: ${e.queue.limit} requests queued already; retry later`);

      const gone = clientGone(reply);
      const out = new PassThrough();
      const line = (v: unknown) => out.write(`${JSON.stringify(v)}\n`);
      models
        .generate(
          e,
          {
            promptTokens: b.prompt_tokens,
            maxTokens: b.max_tokens,
            temperature: b.temperature ?? 1,
            topP: b.top_p ?? 1,
            seed,
            stop: b.stop ?? [],
            topLogprobs: b.top_logprobs ?? 0,
          },
          line,
          gone,
        )
        .then(
          (done) => out.end(`${JSON.stringify(done)}\n`),
          (err: unknown) => {
            if (err instanceof GenerationAborted && gone.aborted) {
              out.destroy();
              return;
            }
            // QueueFullError cannot happen here (checked above, with no await in between).
            const message =
              err instanceof GenerationAborted || err instanceof QueueFullError
                ? err.message
                : 'generation failed';
            if (!(err instanceof GenerationAborted)) log.error({ err, model: e.id }, 'generation failed');
            out.end(`${JSON.stringify({ type: 'error', message })}\n`);
          },
        );
      return reply.code(200).header('content-type', 'application/x-ndjson').send(out);
    },
  );

  app.post<{ Body: ReplayBody }>(
    '/v1/inference/replay',
    { ...routeOptions, schema: replaySchema },
    async (req, reply) => {
      const b = req.body;
      const e = lookup(models, b.model, b.artifact_hash);
      checkTokens(e, b.prompt_tokens, 'prompt_tokens');
      checkTokens(e, b.tokens, 'tokens');
      checkContext(e, b.prompt_tokens.length, b.tokens.length, 'tokens');
      const gone = clientGone(reply);
      try {
        const logprobs = await models.replay(e, b.prompt_tokens, b.tokens, b.top_logprobs ?? 0, gone);
        return { logprobs };
      } catch (err) {
        if (err instanceof QueueFullError)
          throw new HttpError(503, `${e.id}: ${e.queue.limit} requests queued already; retry later`);
        if (err instanceof GenerationAborted) throw new HttpError(503, err.message);
        throw err;
      }
    },
  );
}
