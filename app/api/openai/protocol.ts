// The wire types of paid inference between the API node and the ML node
// (POST /v1/inference/generate) and between two API nodes (POST /v1/inference/execute): the
// executor streams the ML node's ndjson lines through unchanged, so both share one line format
// (inference-contract.md). Everything read from the wire is checked by `parseLine` before use.

export interface GenerateRequest {
  model: string;
  /** Hex SHA-256 of the model's artifacts as registered on chain. */
  artifact_hash: string;
  prompt_tokens: number[];
  max_tokens: number;
  temperature: number;
  top_p: number;
  /** u64 decimal: always inferenceSeed(id). */
  seed: string;
  stop: string[];
  top_logprobs: number;
}

export interface TokenLine {
  type: 'token';
  index: number;
  token: number;
  text: string;
  logprob: number;
  /** The top-k alternatives, [token, logprob], most likely first. */
  top: [number, number][];
}

export type FinishReason = 'stop' | 'length' | 'eos';

export interface DoneLine {
  type: 'done';
  finish_reason: FinishReason;
  prompt_tokens: number;
  completion_tokens: number;
}

export interface ErrorLine {
  type: 'error';
  message: string;
}

export type StreamLine = TokenLine | DoneLine | ErrorLine;

/** What the executor role needs from an ML node: its models and a streamed generation. The ML
 *  node's HTTP client (app/ml/client.ts) and an in-process Executor adapter both provide it. */
export interface InferenceBackend {
  inferenceModels(): Promise<{ id: string; artifact_hash: string; context_length: number }[]>;
  /** Streams token lines to onToken in order; resolves with the done line; rejects on a refusal
   *  (with `status` when the ML node answered an HTTP error) or a broken stream. */
  generate(req: GenerateRequest, onToken: (t: TokenLine) => void, signal?: AbortSignal): Promise<DoneLine>;
}

/** POST /v1/inference/execute body, signed by the transfer agent. */
export interface ExecuteRequest {
  inference_id: string;
  model: string;
  prompt_tokens: number[];
  max_tokens: number;
  temperature: number;
  top_p: number;
  stop: string[];
  transfer_agent: string;
  requested_by: string;
}

/** Bytes of one ndjson line either side accepts (a token line with 20 alternatives is ~1 KiB). */
export const MAX_LINE_BYTES = 64 * 1024;
const MAX_TEXT = 4096;
const MAX_TOP = 20;

const isIndex = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isLogprob = (v: unknown): v is number =>
  typeof v === 'number' && (Number.isFinite(v) || v === -Infinity) && v <= 0;

/** One ndjson line → a checked StreamLine; throws on anything else. */
export function parseLine(line: string): StreamLine {
  if (line.length > MAX_LINE_BYTES) throw new Error('stream line too long');
  const v = JSON.parse(line) as Record<string, unknown>;
  if (typeof v !== 'object' || v === null) throw new Error('stream line is not an object');
  if (v.type === 'token') {
    const top = v.top;
    if (
      !isIndex(v.index) ||
      !isIndex(v.token) ||
      typeof v.text !== 'string' ||
      v.text.length > MAX_TEXT ||
      !isLogprob(v.logprob) ||
      !Array.isArray(top) ||
      top.length > MAX_TOP ||
      !top.every((p) => Array.isArray(p) && p.length === 2 && isIndex(p[0]) && isLogprob(p[1]))
    )
      throw new Error('malformed token line');
    return v as unknown as TokenLine;
  }
  if (v.type === 'done') {
    if (
      !['stop', 'length', 'eos'].includes(v.finish_reason as string) ||
      !isIndex(v.prompt_tokens) ||
      !isIndex(v.completion_tokens)
    )
      throw new Error('malformed done line');
    return v as unknown as DoneLine;
  }
  if (v.type === 'error') return { type: 'error', message: String(v.message ?? 'error').slice(0, 1000) };
  throw new Error(`unknown stream line type ${JSON.stringify(v.type).slice(0, 40)}`);
}

/** Splits a byte stream into lines, each bounded by MAX_LINE_BYTES. */
export async function* ndjsonLines(body: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const dec = new TextDecoder();
  let buf = '';
  for await (const chunk of body) {
    buf += dec.decode(chunk, { stream: true });
    for (;;) {
      const nl = buf.indexOf('\n');
      if (nl < 0) break;
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (line.trim() !== '') yield line;
    }
    if (buf.length > MAX_LINE_BYTES) throw new Error('stream line too long');
  }
  buf += dec.decode();
  if (buf.trim() !== '') yield buf;
}
