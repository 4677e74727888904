// The transfer agent's side of POST /v1/chat/completions: authenticate, tokenize with the model's
// chat template, check the context and the payer's quota, pick an executor by weight, queue
// MsgStartInference (the broadcaster packs it with others), forward to the executor and relay
// its tokens as OpenAI's completion or SSE chunks. An executor that fails or stalls ends the
// request with a clean error: a 502/503 JSON before the first byte, an SSE error event after.
import type { ServerResponse } from 'node:http';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { TextTokenizer } from '../../../kernels/executor/tokenizer.js';
import { mulCeil, parseDec } from '../../runtime/decimal.js';
import { type AuthContext, authenticate, checkQuota, type Reservations } from './auth.js';
import type { ModelEntry } from './chainView.js';
import {
  type ChatBody,
  type ChatParams,
  chatParams,
  chunk,
  completion,
  DEFAULT_MAX_TOKENS,
  type LogprobEntry,
  logprobEntry,
  openaiFinish,
  usage,
  usageChunk,
} from './chat.js';
import {
  badRequest,
  contextLengthExceeded,
  modelNotFound,
  noExecutor,
  OpenAIError,
  toOpenAIError,
  upstreamFailed,
} from './errors.js';
import { ExecutorError, executeOn, type ForwardOptions } from './forward.js';
import { newInferenceId, SETTLE_GAS_MARGIN, startMsg } from './msgs.js';
import { pickExecutor, servingParticipants } from './pick.js';
import type { DoneLine, GenerateLine, TokenLine } from './protocol.js';

export interface TaDeps extends AuthContext {
  tokenizers: ReadonlyMap<string, TextTokenizer>;
  submit: (msgs: Any[], extraGas?: bigint) => Promise<unknown>;
  reservations: Reservations;
  forward: ForwardOptions;
  log?: Logger;
  /** How long an escrow stays reserved locally after CheckTx accepted its Start (default 15 s,
   *  a few blocks: until the chain's own spent/balance reflect it). */
  holdMs?: number;
  /** Metrics hooks. */
  onStart?: () => void;
}

export function priceOf(e: ModelEntry): bigint {
  const p = e.state?.price || e.model.price?.initialPrice || '0';
  return /^[0-9]{1,40}$/.test(p) ? BigInt(p) : mulCeil(1n, parseDec(p));
}

/** The prompt text: the model's chat template, or for a model without one (the generated demo
 *  model) a plain transcript, "role: content" per line, ending with an open assistant turn. */
export function promptText(t: TextTokenizer, messages: { role: string; content: string }[]): string {
  if (t.hasChatTemplate) return t.applyChatTemplate(messages);
  return `${messages.map((m) => `${m.role}: ${m.content}`).join('\n')}\nassistant:`;
}

interface Prepared {
  id: string;
  params: ChatParams;
  promptTokens: number[];
  maxTokens: number;
  tokenizer: TextTokenizer;
  lines: AsyncGenerator<GenerateLine>;
}

/** Everything up to the forward; throws OpenAIErrors. */
async function prepare(
  d: TaDeps,
  req: FastifyRequest<{ Body: ChatBody }>,
  signal: AbortSignal,
): Promise<Prepared> {
  const raw = (req as unknown as { rawBody?: Buffer }).rawBody ?? Buffer.alloc(0);
  const payer = await authenticate(req.headers, raw, d);
  const params = chatParams(req.body);
  const tokenizer = d.tokenizers.get(params.model);
  const entry = tokenizer ? await d.view.model(params.model) : undefined;
  if (!entry || !tokenizer) throw modelNotFound(params.model);
  const chainParams = await d.view.params();
  let promptTokens: number[];
  try {
    promptTokens = tokenizer.encode(promptText(tokenizer, params.messages));
  } catch (e) {
    throw badRequest(
      `the messages cannot be templated: ${e instanceof Error ? e.message : String(e)}`,
      'messages',
    );
  }
  const context = Number(entry.model.contextLength);
  const cap = Number(chainParams.maxTokensCap || BigInt(context));
  const room = context - promptTokens.length;
  const maxTokens = params.maxTokens ?? Math.max(1, Math.min(DEFAULT_MAX_TOKENS, room, cap));
  if (promptTokens.length + maxTokens > context)
    throw contextLengthExceeded(
      `This model's maximum context length is ${context} tokens. However, you requested ${promptTokens.length + maxTokens} tokens (${promptTokens.length} in the messages, ${maxTokens} in the completion). Please reduce the length of the messages or completion.`,
    );
  if (maxTokens > cap || promptTokens.length > cap)
    throw badRequest(
      `max_tokens and the prompt may be at most ${cap} tokens each (the chain's cap)`,
      'max_tokens',
    );

  const escrow = BigInt(promptTokens.length + maxTokens) * priceOf(entry);
  const release = d.reservations.reserve(payer, escrow);
  try {
    await checkQuota(payer, escrow, d.view, d.reservations);
  } catch (e) {
    release();
    throw e;
  }
  const executor = pickExecutor(servingParticipants(await d.view.participants(), entry.model.pocClass));
  if (!executor) {
    release();
    throw noExecutor(`no executor serves ${params.model} right now`);
  }
  const id = newInferenceId();
  d.onStart?.();
  d.submit(
    [
      startMsg({
        transferAgent: d.transferAgent,
        inferenceId: id,
        modelId: params.model,
        requestedBy: payer.requestedBy,
        executor: executor.address,
        promptTokens,
        maxTokens,
        keyHash: payer.keyHash,
        devSig: payer.devSig,
      }),
    ],
    SETTLE_GAS_MARGIN,
  ).then(
    () => setTimeout(release, d.holdMs ?? 15_000).unref(),
    (e: unknown) => {
      release();
      d.log?.warn({ id, err: e instanceof Error ? e.message : String(e) }, 'MsgStartInference refused');
    },
  );
  const lines = executeOn(
    executor.apiUrl,
    {
      inference_id: id,
      model: params.model,
      prompt_tokens: promptTokens,
      max_tokens: maxTokens,
      temperature: params.temperature,
      top_p: params.topP,
      stop: params.stop,
      transfer_agent: d.transferAgent,
      requested_by: payer.requestedBy,
    },
    d.forward,
    signal,
  );
  return { id, params, promptTokens, maxTokens, tokenizer, lines };
}

const asUpstream = (e: unknown): OpenAIError => {
  if (e instanceof OpenAIError) return e;
  if (e instanceof ExecutorError && e.status === 503) return noExecutor(e.message);
  if (e instanceof ExecutorError) return upstreamFailed(e.message);
  return toOpenAIError(e);
};

/** Reads the next line; a failure becomes an OpenAIError. */
async function next(lines: AsyncGenerator<GenerateLine>): Promise<GenerateLine> {
  let r: IteratorResult<GenerateLine>;
  try {
    r = await lines.next();
  } catch (e) {
    throw asUpstream(e);
  }
  if (r.done) throw upstreamFailed('executor stream ended early');
  if (r.value.type === 'error') throw upstreamFailed(`executor failed: ${r.value.message}`);
  return r.value;
}

function checkDone(done: DoneLine, tokens: number): void {
  if (done.completion_tokens !== tokens)
    throw upstreamFailed(`executor reported ${done.completion_tokens} completion tokens but sent ${tokens}`);
}

export async function handleChat(
  d: TaDeps,
  req: FastifyRequest<{ Body: ChatBody }>,
  reply: FastifyReply,
): Promise<unknown> {
  const ctl = new AbortController();
  reply.raw.on('close', () => {
    if (!reply.raw.writableFinished) ctl.abort(new Error('client went away'));
  });
  const p = await prepare(d, req, ctl.signal);
  const created = Math.floor(Date.now() / 1000);
  const model = p.params.model;
  const k = p.params.topLogprobs;
  const text = (id: number) => p.tokenizer.decode([id]);
  const lp = (t: TokenLine): LogprobEntry[] | undefined =>
    k === undefined ? undefined : [logprobEntry(t, k, text)];

  // The first line decides between a JSON error and a 200: nothing is sent before it.
  let line = await next(p.lines);
  if (!p.params.stream) {
    let content = '';
    const entries: LogprobEntry[] = [];
    let n = 0;
    while (line.type === 'token') {
      content += line.text;
      if (k !== undefined) entries.push(logprobEntry(line, k, text));
      n++;
      line = await next(p.lines);
    }
    const done = line as DoneLine;
    checkDone(done, n);
    return completion(
      p.id,
      created,
      model,
      content,
      openaiFinish(done.finish_reason),
      k === undefined ? undefined : entries,
      usage(p.promptTokens.length, done.completion_tokens),
    );
  }

  reply.hijack();
  const res: ServerResponse = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  const send = (v: unknown) => res.write(`data: ${JSON.stringify(v)}\n\n`);
  const inc = p.params.includeUsage;
  send(chunk(p.id, created, model, { role: 'assistant', content: '' }, null, undefined, inc));
  let n = 0;
  try {
    while (line.type === 'token') {
      n++;
      if (line.text !== '' || k !== undefined)
        send(chunk(p.id, created, model, { content: line.text }, null, lp(line), inc));
      line = await next(p.lines);
    }
    const done = line as DoneLine;
    checkDone(done, n);
    send(chunk(p.id, created, model, {}, openaiFinish(done.finish_reason), undefined, inc));
    if (inc) send(usageChunk(p.id, created, model, usage(p.promptTokens.length, done.completion_tokens)));
    res.write('data: [DONE]\n\n');
  } catch (e) {
    const err = asUpstream(e);
    d.log?.warn({ id: p.id, err: err.message }, 'inference stream failed');
    if (!res.destroyed) send(err.body());
  } finally {
    res.end();
  }
  return reply;
}
