// The executor role: POST /v1/inference/execute from a transfer agent (its signature over the raw
// body, its key's address = transfer_agent, a participant on chain). Runs the request on an ML
// node serving the model with the chain's artifact hash, seed = inferenceSeed(id) and top-5
// logprobs whatever the developer asked (validators need them), streams the ML node's ndjson lines
// through unchanged, then stores the payload and queues MsgFinishInference. Nothing is written
// before the first token, so a refusal is still a plain HTTP error; a failure after it ends the
// stream with an error line (and no Finish: the inference expires and the developer is refunded).

import type { Any } from 'cosmjs-types/google/protobuf/any';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { inferenceSeed } from '../../../x/inference/seed.js';
import { MAX_STOP_LENGTH } from '../../ml/inferenceWire.js';
import { addressFromPubKey } from '../../runtime/address.js';
import { verifySecp256k1 } from '../../runtime/ante/secp256k1.js';
import type { InferenceView } from './chainView.js';
import { RECORDED_TOP_LOGPROBS } from './chat.js';
import {
  badRequest,
  contextLengthExceeded,
  modelNotFound,
  noExecutor,
  OpenAIError,
  upstreamFailed,
} from './errors.js';
import { finishMsg, INFERENCE_ID, SETTLE_GAS_MARGIN } from './msgs.js';
import type { PayloadStore } from './payloads.js';
import type { DoneLine, ExecuteRequest, InferenceBackend, TokenLine } from './protocol.js';

export const executeSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'inference_id',
    'model',
    'prompt_tokens',
    'max_tokens',
    'temperature',
    'top_p',
    'stop',
    'transfer_agent',
    'requested_by',
  ],
  properties: {
    inference_id: { type: 'string', pattern: INFERENCE_ID.source },
    model: { type: 'string', minLength: 1, maxLength: 128 },
    prompt_tokens: {
      type: 'array',
      minItems: 1,
      maxItems: 131_072,
      items: { type: 'integer', minimum: 0, maximum: 4294967295 },
    },
    max_tokens: { type: 'integer', minimum: 1, maximum: 1_000_000 },
    temperature: { type: 'number', minimum: 0, maximum: 2 },
    top_p: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
    stop: { type: 'array', maxItems: 4, items: { type: 'string', minLength: 1, maxLength: MAX_STOP_LENGTH } },
    transfer_agent: { type: 'string', maxLength: 128 },
    requested_by: { type: 'string', maxLength: 128 },
  },
} as const;

export interface ExecutorDeps {
  view: InferenceView;
  address: string;
  backends: readonly InferenceBackend[];
  payloads: PayloadStore;
  submit: (msgs: Any[], extraGas?: bigint) => Promise<unknown>;
  log?: Logger;
  /** How long an ML node's model list is trusted (default 30 s). */
  modelsTtlMs?: number;
  onFinish?: () => void;
}

const unauthorized = (m: string) => new OpenAIError(401, 'invalid_request_error', 'invalid_signature', m);

/** Which backend serves (model, artifact hash); model lists cached for a short while. */
class BackendPicker {
  private cache = new Map<InferenceBackend, { at: number; models: Set<string> }>();
  private next = 0;
  constructor(
    private readonly backends: readonly InferenceBackend[],
    private readonly ttlMs: number,
  ) {}

  async pick(model: string, artifactHex: string, log?: Logger): Promise<InferenceBackend | undefined> {
    const key = `${model}@${artifactHex}`;
    const n = this.backends.length;
    for (let i = 0; i < n; i++) {
      const b = this.backends[(this.next + i) % n] as InferenceBackend;
      let c = this.cache.get(b);
      if (!c || Date.now() - c.at > this.ttlMs) {
        try {
          const models = await b.inferenceModels();
          c = {
            at: Date.now(),
            models: new Set(models.map((m) => `${m.id}@${m.artifact_hash.toLowerCase()}`)),
          };
          this.cache.set(b, c);
        } catch (e) {
          log?.warn({ err: e instanceof Error ? e.message : String(e) }, 'ML node models unavailable');
          continue;
        }
      }
      if (c.models.has(key)) {
        this.next = (this.next + i + 1) % n;
        return b;
      }
    }
    return undefined;
  }

  forget(b: InferenceBackend): void {
    this.cache.delete(b);
  }
}

export function executorHandler(d: ExecutorDeps) {
  const picker = new BackendPicker(d.backends, d.modelsTtlMs ?? 30_000);
  const running = new Set<string>();

  return async (req: FastifyRequest<{ Body: ExecuteRequest }>, reply: FastifyReply): Promise<unknown> => {
    const raw = (req as unknown as { rawBody?: Buffer }).rawBody ?? Buffer.alloc(0);
    const pub = Buffer.from(String(req.headers['x-gonka-ta-pubkey'] ?? '').slice(0, 64), 'base64');
    const sig = Buffer.from(String(req.headers['x-gonka-ta-signature'] ?? '').slice(0, 128), 'base64');
    if (pub.length !== 33 || sig.length !== 64 || !verifySecp256k1(pub, raw, sig))
      throw unauthorized('missing or bad transfer agent signature');
    const b = req.body;
    let ta: string;
    try {
      ta = addressFromPubKey(pub);
    } catch {
      throw unauthorized('X-Gonka-TA-Pubkey is not a compressed secp256k1 key');
    }
    if (ta !== b.transfer_agent) throw unauthorized('the signing key is not transfer_agent');
    if (!(await d.view.participants()).some((p) => p.address === ta))
      throw new OpenAIError(403, 'invalid_request_error', 'not_a_participant', `${ta} is not a participant`);
    if (running.has(b.inference_id) || d.payloads.has(b.inference_id))
      throw new OpenAIError(
        409,
        'invalid_request_error',
        'duplicate_inference',
        `inference ${b.inference_id} was already executed`,
      );
    const entry = await d.view.model(b.model);
    if (!entry) throw modelNotFound(b.model);
    if (b.prompt_tokens.length + b.max_tokens > Number(entry.model.contextLength))
      throw contextLengthExceeded(`prompt + max_tokens exceed the context of ${entry.model.contextLength}`);
    const artifact = Buffer.from(entry.model.artifactHash).toString('hex');
    const backend = await picker.pick(b.model, artifact, d.log);
    if (!backend)
      throw noExecutor(`no ML node of this executor serves ${b.model} (${artifact.slice(0, 12)}…)`);

    running.add(b.inference_id);
    const ctl = new AbortController();
    reply.raw.on('close', () => {
      if (!reply.raw.writableFinished) ctl.abort(new Error('transfer agent went away'));
    });
    const tokens: number[] = [];
    const logprobs: { token: number; logprob: number; top: [number, number][] }[] = [];
    let started = false;
    const write = (v: unknown) => {
      if (!started) {
        started = true;
        reply.hijack();
        reply.raw.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-cache' });
      }
      reply.raw.write(`${JSON.stringify(v)}\n`);
    };
    let done: DoneLine;
    try {
      done = await backend.generate(
        {
          model: b.model,
          artifact_hash: artifact,
          prompt_tokens: b.prompt_tokens,
          max_tokens: b.max_tokens,
          temperature: b.temperature,
          top_p: b.top_p,
          seed: inferenceSeed(b.inference_id).toString(),
          stop: b.stop,
          top_logprobs: RECORDED_TOP_LOGPROBS,
        },
        (t: TokenLine) => {
          tokens.push(t.token);
          logprobs.push({ token: t.token, logprob: t.logprob, top: t.top });
          write(t);
        },
        ctl.signal,
      );
      if (done.completion_tokens !== tokens.length)
        throw new Error('ML node token count differs from its stream');
    } catch (e) {
      running.delete(b.inference_id);
      const msg = e instanceof Error ? e.message : String(e);
      if (ctl.signal.aborted) {
        if (started) reply.raw.destroy();
        return reply;
      }
      d.log?.warn({ id: b.inference_id, err: msg }, 'generation failed');
      if (!started) {
        picker.forget(backend);
        const status = (e as { status?: number }).status;
        if (status === 503) throw noExecutor(`ML node busy: ${msg}`);
        if (status === 400) throw badRequest(msg);
        throw upstreamFailed(`ML node failed: ${msg}`);
      }
      reply.raw.end(`${JSON.stringify({ type: 'error', message: 'generation failed' })}\n`);
      return reply;
    }

    let payloadHash: Uint8Array;
    try {
      payloadHash = d.payloads.put(b.inference_id, {
        inference_id: b.inference_id,
        executor: d.address,
        artifact_hash: artifact,
        seed: inferenceSeed(b.inference_id).toString(),
        request: b,
        tokens,
        logprobs,
        finish_reason: done.finish_reason,
        prompt_tokens: b.prompt_tokens.length,
        completion_tokens: tokens.length,
      });
    } catch (e) {
      // No payload, no Finish (validators could not check it): the TA gets an error line at once.
      running.delete(b.inference_id);
      d.log?.error(
        { id: b.inference_id, err: e instanceof Error ? e.message : String(e) },
        'payload not stored',
      );
      write({ type: 'error', message: 'executor could not store the payload' });
      reply.raw.end();
      return reply;
    }
    running.delete(b.inference_id);
    d.onFinish?.();
    d.submit(
      [
        finishMsg({
          executor: d.address,
          inferenceId: b.inference_id,
          modelId: b.model,
          transferAgent: ta,
          promptTokens: b.prompt_tokens.length,
          completionTokens: tokens,
          payloadHash,
        }),
      ],
      SETTLE_GAS_MARGIN,
    ).catch((e: unknown) =>
      d.log?.warn(
        { id: b.inference_id, err: e instanceof Error ? e.message : String(e) },
        'MsgFinishInference refused',
      ),
    );
    write({ ...done, prompt_tokens: b.prompt_tokens.length });
    reply.raw.end();
    return reply;
  };
}
