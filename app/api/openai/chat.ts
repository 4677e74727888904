// The chat completions request (its JSON schema and normalisation into sampling parameters) and
// the response shapes OpenAI's clients parse: chat.completion, chat.completion.chunk, usage and
// logprobs with token strings and bytes. Pure functions; the routes wire them to the network.

import { MAX_STOP_LENGTH } from '../../ml/inferenceWire.js';
import { badRequest } from './errors.js';
import type { FinishReason, TokenLine } from './protocol.js';

export const MAX_MESSAGES = 256;
export const MAX_STOP = 4;
/** top_logprobs the executor records (validators need 5); a client may ask for 0 … 5. */
export const RECORDED_TOP_LOGPROBS = 5;
/** max_tokens when the request names none (bounded again by the context and the chain's cap). */
export const DEFAULT_MAX_TOKENS = 256;

const textPart = {
  type: 'object',
  required: ['type', 'text'],
  properties: { type: { const: 'text' }, text: { type: 'string' } },
};

export const chatSchema = {
  type: 'object',
  required: ['model', 'messages'],
  additionalProperties: false,
  properties: {
    model: { type: 'string', minLength: 1, maxLength: 128 },
    messages: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_MESSAGES,
      items: {
        type: 'object',
        required: ['role', 'content'],
        additionalProperties: false,
        properties: {
          role: { enum: ['system', 'developer', 'user', 'assistant'] },
          content: {
            anyOf: [{ type: 'string' }, { type: 'array', maxItems: 64, items: textPart }],
          },
          name: { type: 'string', maxLength: 64 },
        },
      },
    },
    stream: { type: ['boolean', 'null'] },
    stream_options: {
      anyOf: [
        { type: 'null' },
        {
          type: 'object',
          additionalProperties: false,
          properties: { include_usage: { type: 'boolean' } },
        },
      ],
    },
    temperature: { type: ['number', 'null'], minimum: 0, maximum: 2 },
    top_p: { type: ['number', 'null'], exclusiveMinimum: 0, maximum: 1 },
    max_tokens: { type: ['integer', 'null'], minimum: 1 },
    max_completion_tokens: { type: ['integer', 'null'], minimum: 1 },
    stop: {
      anyOf: [
        { type: 'null' },
        { type: 'string', minLength: 1, maxLength: MAX_STOP_LENGTH },
        {
          type: 'array',
          maxItems: MAX_STOP,
          items: { type: 'string', minLength: 1, maxLength: MAX_STOP_LENGTH },
        },
      ],
    },
    n: { type: ['integer', 'null'] },
    logprobs: { type: ['boolean', 'null'] },
    top_logprobs: { type: ['integer', 'null'], minimum: 0, maximum: 20 },
    // Accepted and ignored: the chain's seed (inferenceSeed(id)) decides the sampling.
    seed: { type: ['integer', 'null'] },
    user: { type: 'string', maxLength: 256 },
    presence_penalty: { type: ['number', 'null'] },
    frequency_penalty: { type: ['number', 'null'] },
  },
} as const;

type Content = string | { type: 'text'; text: string }[];

export interface ChatBody {
  model: string;
  messages: { role: string; content: Content; name?: string }[];
  stream?: boolean | null;
  stream_options?: { include_usage?: boolean } | null;
  temperature?: number | null;
  top_p?: number | null;
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  stop?: string | string[] | null;
  n?: number | null;
  logprobs?: boolean | null;
  top_logprobs?: number | null;
  seed?: number | null;
  user?: string;
  presence_penalty?: number | null;
  frequency_penalty?: number | null;
}

export interface ChatParams {
  model: string;
  messages: { role: string; content: string }[];
  stream: boolean;
  includeUsage: boolean;
  temperature: number;
  topP: number;
  /** undefined: the default, decided once the prompt length is known. */
  maxTokens: number | undefined;
  stop: string[];
  /** undefined: no logprobs; else 0 … 5 alternatives per position. */
  topLogprobs: number | undefined;
}

/** Checks what the schema cannot say and normalises the body. Throws 400s in OpenAI's shape. */
export function chatParams(b: ChatBody): ChatParams {
  if (b.n !== undefined && b.n !== null && b.n !== 1) throw badRequest('n must be 1', 'n');
  if (b.presence_penalty || b.frequency_penalty)
    throw badRequest(
      'presence and frequency penalties are not supported',
      b.presence_penalty ? 'presence_penalty' : 'frequency_penalty',
    );
  if (b.max_tokens != null && b.max_completion_tokens != null && b.max_tokens !== b.max_completion_tokens)
    throw badRequest('max_tokens and max_completion_tokens differ', 'max_tokens');
  let topLogprobs: number | undefined;
  if (b.logprobs) {
    topLogprobs = b.top_logprobs ?? 0;
    if (topLogprobs > RECORDED_TOP_LOGPROBS)
      throw badRequest(`top_logprobs must be at most ${RECORDED_TOP_LOGPROBS}`, 'top_logprobs');
  } else if (b.top_logprobs != null) {
    throw badRequest('top_logprobs needs logprobs: true', 'top_logprobs');
  }
  if (b.stream_options && !b.stream)
    throw badRequest('stream_options is only allowed with stream: true', 'stream_options');
  const messages = b.messages.map((m) => ({
    role: m.role === 'developer' ? 'system' : m.role,
    content: typeof m.content === 'string' ? m.content : m.content.map((p) => p.text).join(''),
  }));
  if (messages.every((m) => m.content.length === 0)) throw badRequest('the messages are empty', 'messages');
  const stop = b.stop == null ? [] : typeof b.stop === 'string' ? [b.stop] : b.stop;
  return {
    model: b.model,
    messages,
    stream: b.stream === true,
    includeUsage: b.stream_options?.include_usage === true,
    temperature: b.temperature ?? 1,
    topP: b.top_p ?? 1,
    maxTokens: b.max_completion_tokens ?? b.max_tokens ?? undefined,
    stop,
    topLogprobs,
  };
}

export type OpenAIFinish = 'stop' | 'length';
export const openaiFinish = (f: FinishReason): OpenAIFinish => (f === 'length' ? 'length' : 'stop');

export interface LogprobEntry {
  token: string;
  logprob: number;
  bytes: number[];
  top_logprobs: { token: string; logprob: number; bytes: number[] }[];
}

/** A token id → its text, as OpenAI's `token` and `bytes` fields want it. */
export type TokenText = (id: number) => string;

const entry = (text: string, logprob: number) => ({
  token: text,
  logprob: Number.isFinite(logprob) ? logprob : -9999,
  bytes: [...Buffer.from(text, 'utf8')],
});

/** One position's logprobs in OpenAI's shape, with `k` alternatives. */
export function logprobEntry(t: TokenLine, k: number, text: TokenText): LogprobEntry {
  return {
    ...entry(text(t.token), t.logprob),
    top_logprobs: t.top.slice(0, k).map(([id, lp]) => entry(text(id), lp)),
  };
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export const usage = (prompt: number, completion: number): Usage => ({
  prompt_tokens: prompt,
  completion_tokens: completion,
  total_tokens: prompt + completion,
});

export function completion(
  id: string,
  created: number,
  model: string,
  content: string,
  finish: OpenAIFinish,
  logprobs: LogprobEntry[] | undefined,
  u: Usage,
) {
  return {
    id,
    object: 'chat.completion' as const,
    created,
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant' as const, content, refusal: null },
        logprobs: logprobs ? { content: logprobs, refusal: null } : null,
        finish_reason: finish,
      },
    ],
    usage: u,
  };
}

export interface ChunkDelta {
  role?: 'assistant';
  content?: string;
}

export function chunk(
  id: string,
  created: number,
  model: string,
  delta: ChunkDelta,
  finish: OpenAIFinish | null,
  logprobs: LogprobEntry[] | undefined,
  includeUsage: boolean,
) {
  return {
    id,
    object: 'chat.completion.chunk' as const,
    created,
    model,
    choices: [
      {
        index: 0,
        delta,
        logprobs: logprobs ? { content: logprobs, refusal: null } : null,
        finish_reason: finish,
      },
    ],
    ...(includeUsage ? { usage: null } : {}),
  };
}

/** The extra last chunk of stream_options.include_usage: no choices, the usage. */
export function usageChunk(id: string, created: number, model: string, u: Usage) {
  return { id, object: 'chat.completion.chunk' as const, created, model, choices: [], usage: u };
}
