// The ML node's inference wire format (inference-contract, "ML node"): request and line shapes of
// POST /v1/inference/generate (ndjson) and /v1/inference/replay, and GET /v1/inference/models, with
// the checks MlNodeClient runs on every line it receives. The server builds lines from Executor
// results; the client never trusts them: each line is checked for type, bounds and order here.

/** Most tokens in a prompt or a replayed output the node accepts (the model's context bounds it
 *  further); keeps a request body's arrays bounded before the context check. */
export const MAX_INFERENCE_TOKENS = 262_144;
/** Stop sequences: at most 4, each 1..64 characters (OpenAI's bound). */
export const MAX_STOP_SEQUENCES = 4;
export const MAX_STOP_LENGTH = 64;
/** Alternatives per position the node computes (Executor's MAX_TOP_LOGPROBS). */
export const MAX_INFERENCE_TOP_LOGPROBS = 20;
/** A model id: what x/inference accepts (≤ 128 chars of [A-Za-z0-9_./:-]). */
export const MODEL_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_./:-]{0,127}$';

export type InferenceFinishReason = 'stop' | 'length' | 'eos';

/** One model an ML node serves (`GET /v1/inference/models`). */
export interface InferenceModelInfo {
  id: string;
  /** modelArtifactHash of the files loaded, lowercase hex. */
  artifact_hash: string;
  context_length: number;
  vocab_size: number;
}

/** The body of POST /v1/inference/generate (snake_case, as sent). */
export interface GenerateBody {
  model: string;
  artifact_hash: string;
  prompt_tokens: number[];
  max_tokens: number;
  temperature: number;
  top_p: number;
  /** u64, decimal. */
  seed: string;
  stop: string[];
  top_logprobs: number;
}

export interface ReplayBody {
  model: string;
  artifact_hash: string;
  prompt_tokens: number[];
  tokens: number[];
  top_logprobs: number;
}

/** [token id, logprob]: one alternative. */
export type TopEntry = [number, number];

export interface TokenLine {
  type: 'token';
  index: number;
  token: number;
  text: string;
  logprob: number;
  top: TopEntry[];
}

export interface DoneLine {
  type: 'done';
  finish_reason: InferenceFinishReason;
  prompt_tokens: number;
  completion_tokens: number;
}

export interface ErrorLine {
  type: 'error';
  message: string;
}

export type GenerateLine = TokenLine | DoneLine | ErrorLine;

export interface ReplayPosition {
  token: number;
  logprob: number;
  top: TopEntry[];
}

export interface ReplayResponse {
  logprobs: ReplayPosition[];
}

/** A line or a body that breaks the contract; the message says where. */
export class WireError extends Error {
  override name = 'WireError';
}

const U32 = 0xffff_ffff;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isTokenId(v: unknown, vocab: number | undefined): v is number {
  return Number.isInteger(v) && (v as number) >= 0 && (v as number) < (vocab ?? U32 + 1);
}

/** A logprob as JSON carries it: a number ≤ 0 (a little above 0 from rounding), or null for −∞
 *  (JSON has no infinities). */
function logprobOf(v: unknown, what: string): number {
  if (v === null) return Number.NEGATIVE_INFINITY;
  if (typeof v !== 'number' || !Number.isFinite(v) || v > 1e-3)
    throw new WireError(`${what} is not a logprob`);
  return v;
}

/** −∞ goes out as null; everything else as the number itself (JSON round-trips doubles exactly). */
export function wireLogprob(lp: number): number | null {
  return Number.isFinite(lp) ? lp : null;
}

function topOf(v: unknown, k: number, vocab: number | undefined, what: string): TopEntry[] {
  if (!Array.isArray(v) || v.length > k) throw new WireError(`${what}: top must be an array of at most ${k}`);
  return v.map((e, j) => {
    if (!Array.isArray(e) || e.length !== 2 || !isTokenId(e[0], vocab))
      throw new WireError(`${what}: top[${j}] must be [token id, logprob]`);
    return [e[0], logprobOf(e[1], `${what}: top[${j}]`)];
  });
}

/** The per-request expectations a line is checked against. */
export interface LineExpectations {
  /** The index the next token line must carry (= token lines seen so far). */
  nextIndex: number;
  maxTokens: number;
  promptTokens: number;
  topLogprobs: number;
  /** Vocabulary size when known (from inferenceModels()); token ids must lie below it. */
  vocabSize?: number;
}

/** Parses and checks one ndjson line of a generate stream. */
export function parseGenerateLine(text: string, x: LineExpectations): GenerateLine {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new WireError('a line is not JSON');
  }
  if (!isRecord(v)) throw new WireError('a line is not a JSON object');
  switch (v.type) {
    case 'token': {
      const what = `token line ${x.nextIndex}`;
      if (v.index !== x.nextIndex) throw new WireError(`${what}: index ${String(v.index)} out of order`);
      if (x.nextIndex >= x.maxTokens) throw new WireError(`more than max_tokens (${x.maxTokens}) tokens`);
      if (!isTokenId(v.token, x.vocabSize)) throw new WireError(`${what}: token is not a token id`);
      if (typeof v.text !== 'string') throw new WireError(`${what}: text is not a string`);
      return {
        type: 'token',
        index: x.nextIndex,
        token: v.token,
        text: v.text,
        logprob: logprobOf(v.logprob, `${what}: logprob`),
        top: topOf(v.top, x.topLogprobs, x.vocabSize, what),
      };
    }
    case 'done': {
      if (v.finish_reason !== 'stop' && v.finish_reason !== 'length' && v.finish_reason !== 'eos')
        throw new WireError('done line: unknown finish_reason');
      if (v.prompt_tokens !== x.promptTokens)
        throw new WireError(`done line: prompt_tokens ${String(v.prompt_tokens)}, sent ${x.promptTokens}`);
      if (v.completion_tokens !== x.nextIndex)
        throw new WireError(
          `done line: completion_tokens ${String(v.completion_tokens)}, streamed ${x.nextIndex}`,
        );
      if (x.nextIndex === 0) throw new WireError('done line before any token');
      if (v.finish_reason === 'length' && x.nextIndex !== x.maxTokens)
        throw new WireError('done line: finish_reason length before max_tokens');
      return {
        type: 'done',
        finish_reason: v.finish_reason,
        prompt_tokens: x.promptTokens,
        completion_tokens: x.nextIndex,
      };
    }
    case 'error':
      return {
        type: 'error',
        message: typeof v.message === 'string' ? v.message.slice(0, 500) : 'unknown error',
      };
    default:
      throw new WireError('a line has an unknown type');
  }
}

/** Checks a replay response against the request: one position per forced token, same tokens. */
export function parseReplayResponse(
  v: unknown,
  tokens: number[],
  topLogprobs: number,
  vocabSize?: number,
): ReplayResponse {
  if (!isRecord(v) || !Array.isArray(v.logprobs)) throw new WireError('replay: no logprobs array');
  if (v.logprobs.length !== tokens.length)
    throw new WireError(`replay: ${v.logprobs.length} positions for ${tokens.length} tokens`);
  return {
    logprobs: v.logprobs.map((p: unknown, i) => {
      const what = `replay position ${i}`;
      if (!isRecord(p) || p.token !== tokens[i]) throw new WireError(`${what}: not the forced token`);
      return {
        token: tokens[i] as number,
        logprob: logprobOf(p.logprob, `${what}: logprob`),
        top: topOf(p.top, topLogprobs, vocabSize, what),
      };
    }),
  };
}

/** Checks GET /v1/inference/models. */
export function parseModelsResponse(v: unknown): InferenceModelInfo[] {
  if (!isRecord(v) || !Array.isArray(v.models) || v.models.length > 256)
    throw new WireError('models: not {"models": [...]} of at most 256');
  const idRe = new RegExp(MODEL_ID_PATTERN);
  return v.models.map((m: unknown, i) => {
    if (
      !isRecord(m) ||
      typeof m.id !== 'string' ||
      !idRe.test(m.id) ||
      typeof m.artifact_hash !== 'string' ||
      !/^[0-9a-f]{64}$/.test(m.artifact_hash) ||
      !Number.isSafeInteger(m.context_length) ||
      (m.context_length as number) < 1 ||
      !Number.isSafeInteger(m.vocab_size) ||
      (m.vocab_size as number) < 1
    )
      throw new WireError(`models[${i}] is malformed`);
    return {
      id: m.id,
      artifact_hash: m.artifact_hash,
      context_length: m.context_length as number,
      vocab_size: m.vocab_size as number,
    };
  });
}
