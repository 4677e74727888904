// The API node's client of an ML node (poc-http-contract, inference-contract). Everything the ML
// node sends is untrusted: frames are bounded before allocation, checked against the requested
// range and for duplicates; inference lines are bounded in length and count and checked one by one
// (inferenceWire.ts); any breach rejects with an MlNodeError — a broken ML node must never crash
// or corrupt the API node that drives it, nor leave it waiting forever (an idle deadline).
import { outputBytes, type PocClassName, pocClass } from '../../kernels/poc/classes.js';
import type { OrtFormName } from '../../kernels/poc/ort/forms.js';
import { FrameDecoder, FrameError, MAX_FRAME_NONCES } from './frames.js';
import {
  type DoneLine,
  type InferenceModelInfo,
  type LineExpectations,
  parseGenerateLine,
  parseModelsResponse,
  parseReplayResponse,
  type ReplayPosition,
  type TokenLine,
  WireError,
} from './inferenceWire.js';
import { NdjsonError, NdjsonSplitter } from './ndjson.js';

/** Most nonces one mine request may ask for (the contract's bound; the node refuses more). */
export const MAX_MINE_RANGE = 1_000_000;

export interface MineRequest {
  blockHash: Uint8Array;
  cls: PocClassName;
  pubkey: Uint8Array;
  start: number;
  end: number;
}

/** `GET /v1/status`, as the node sends it. */
export interface MlStatus {
  state: 'idle' | 'mining';
  /** Class of the most recent mining session (null before the first). */
  class: PocClassName | null;
  /** Nonces sent per second over the last few seconds. */
  nonces_per_s: number;
  /** Nonces sent since the node started (u64, decimal). */
  mined: string;
  /** Worker threads per mining session. */
  workers: number;
  /** ORT graph form of the most recent session (null before the first). */
  form: OrtFormName | null;
}

export type MlNodeErrorKind = 'http' | 'protocol' | 'network' | 'failed';

/**
 * The ML node refused (kind 'http', with its status and message: 404 unknown model, 409 other
 * artifact, 400 bad input, 503 queue full), broke the protocol ('protocol'), could not be reached,
 * dropped the connection or went silent ('network'), or reported a failure mid-stream ('failed').
 */
export class MlNodeError extends Error {
  override name = 'MlNodeError';
  constructor(
    readonly kind: MlNodeErrorKind,
    message: string,
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export interface MlNodeClientOptions {
  /** Deadline for stop(), status() and inferenceModels() (default 10 s); mine() streams for as
   *  long as it takes. */
  timeoutMs?: number;
  /** generate() and replay(): longest silence (no header, no byte) before giving up (default
   *  120 s; a request may first wait in the model's queue). */
  idleTimeoutMs?: number;
}

/** An inference request (inference-contract), as the caller builds it. */
export interface InferenceRequest {
  model: string;
  /** The registry's artifact hash, hex; the node answers 409 if its files differ. */
  artifactHash: string;
  promptTokens: number[];
  maxTokens: number;
  temperature: number;
  topP: number;
  seed: bigint;
  stop?: string[];
  /** Alternatives per position, 0..20. */
  topLogprobs: number;
  /** The model's vocabulary size, when known: token ids the node sends must lie below it. */
  vocabSize?: number;
}

export interface ReplayRequest {
  model: string;
  artifactHash: string;
  promptTokens: number[];
  tokens: number[];
  topLogprobs: number;
  vocabSize?: number;
}

/** Bytes of an error body the client reads before giving up on it. */
const MAX_ERROR_BODY = 16 * 1024;
/** Longest ndjson line accepted: a token line with 20 alternatives is well under 2 KiB. */
export const MAX_INFERENCE_LINE_BYTES = 64 * 1024;
/** Replay answer bound per forced token (20 alternatives ≈ 1 KiB of JSON), plus slack. */
const REPLAY_BYTES_PER_TOKEN = 4096;

export class MlNodeClient {
  private readonly base: string;
  private readonly timeoutMs: number;
  private readonly idleTimeoutMs: number;

  constructor(baseUrl: string, options: MlNodeClientOptions = {}) {
    this.base = baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.idleTimeoutMs = options.idleTimeoutMs ?? 120_000;
  }

  /** `GET /v1/inference/models`: the models the node serves, with their artifact hashes. */
  async inferenceModels(): Promise<InferenceModelInfo[]> {
    const res = await this.fetch('/v1/inference/models', AbortSignal.timeout(this.timeoutMs));
    if (res.status !== 200) throw await httpError(res);
    try {
      return parseModelsResponse(await boundedJson(res, 256 * 1024));
    } catch (err) {
      if (err instanceof WireError) throw new MlNodeError('protocol', `ML node: ${err.message}`);
      throw err;
    }
  }

  /**
   * Generates on the ML node and calls onToken for every token line, in order, each checked
   * (index order, ids, logprobs, at most maxTokens, top of at most topLogprobs). Resolves with the
   * done line (its counts checked against the request and the stream). Rejects with an
   * MlNodeError: 'http' for a refusal (status 400/404/409/503), 'failed' for the node's error
   * line, 'protocol' for a broken line or a stream that ends without done, 'network' for a
   * dropped connection or a node silent for idleTimeoutMs; with the signal's reason when aborted
   * (the node then stops at its next token); with onToken's error if onToken throws.
   */
  async generate(
    req: InferenceRequest,
    onToken: (line: TokenLine) => void,
    signal?: AbortSignal,
  ): Promise<DoneLine> {
    if (!Number.isSafeInteger(req.maxTokens) || req.maxTokens < 1)
      throw new RangeError(`generate: maxTokens must be a positive integer, got ${req.maxTokens}`);
    if (req.seed < 0n || req.seed >= 1n << 64n) throw new RangeError('generate: seed must be a u64');
    const body = {
      model: req.model,
      artifact_hash: req.artifactHash,
      prompt_tokens: req.promptTokens,
      max_tokens: req.maxTokens,
      temperature: req.temperature,
      top_p: req.topP,
      seed: req.seed.toString(),
      stop: req.stop ?? [],
      top_logprobs: req.topLogprobs,
    };
    const expect: LineExpectations = {
      nextIndex: 0,
      maxTokens: req.maxTokens,
      promptTokens: req.promptTokens.length,
      topLogprobs: req.topLogprobs,
      vocabSize: req.vocabSize,
    };
    return this.streamRequest('/v1/inference/generate', body, signal, async (res, idle) => {
      const splitter = new NdjsonSplitter(MAX_INFERENCE_LINE_BYTES);
      let done: DoneLine | undefined;
      const onLine = (text: string) => {
        if (done !== undefined) throw new WireError('a line after the done line');
        const line = parseGenerateLine(text, expect);
        if (line.type === 'error')
          throw new MlNodeError('failed', `ML node: generation failed: ${line.message}`);
        if (line.type === 'done') {
          done = line;
          return;
        }
        expect.nextIndex++;
        try {
          onToken(line);
        } catch (err) {
          throw new CallerError(err);
        }
      };
      for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
        idle();
        splitter.push(chunk, onLine);
      }
      if (!splitter.atBoundary) throw new WireError('the stream ended inside a line');
      if (done === undefined) throw new WireError('the stream ended without a done line');
      return done;
    });
  }

  /** Forced replay (validators): per forced token its logprob and top alternatives, checked. */
  async replay(req: ReplayRequest, signal?: AbortSignal): Promise<ReplayPosition[]> {
    const body = {
      model: req.model,
      artifact_hash: req.artifactHash,
      prompt_tokens: req.promptTokens,
      tokens: req.tokens,
      top_logprobs: req.topLogprobs,
    };
    return this.streamRequest('/v1/inference/replay', body, signal, async (res, idle) => {
      const max = 1024 + req.tokens.length * REPLAY_BYTES_PER_TOKEN;
      const text = await readCapped(
        res.body as AsyncIterable<Uint8Array>,
        max,
        () => new WireError(`replay answer over ${max} bytes`),
        idle,
      );
      let v: unknown;
      try {
        v = JSON.parse(text);
      } catch {
        throw new WireError('replay answer is not JSON');
      }
      return parseReplayResponse(v, req.tokens, req.topLogprobs, req.vocabSize).logprobs;
    });
  }

  /**
   * POSTs body and hands a 200 response to read(); everything else becomes an MlNodeError. The
   * request is aborted when the caller's signal aborts, when the node is silent for
   * idleTimeoutMs (read() calls idle() on every chunk), or when read() fails.
   */
  private async streamRequest<T>(
    path: string,
    body: unknown,
    signal: AbortSignal | undefined,
    read: (res: Response, idle: () => void) => Promise<T>,
  ): Promise<T> {
    if (signal?.aborted) throw signal.reason;
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    let timer: NodeJS.Timeout | undefined;
    const silent = new MlNodeError(
      'network',
      `ML node ${this.base} sent nothing for ${this.idleTimeoutMs} ms`,
    );
    const idle = () => {
      clearTimeout(timer);
      timer = setTimeout(() => controller.abort(silent), this.idleTimeoutMs);
    };
    idle();
    try {
      const res = await this.fetch(path, controller.signal, body);
      if (res.status !== 200) throw await httpError(res);
      if (res.body === null) throw new MlNodeError('protocol', 'ML node sent no body');
      try {
        return await read(res, idle);
      } catch (err) {
        controller.abort(err);
        if (err instanceof CallerError) throw err.error;
        if (err instanceof MlNodeError) throw err;
        if (signal?.aborted) throw signal.reason;
        if (controller.signal.reason === silent) throw silent;
        if (err instanceof WireError || err instanceof NdjsonError)
          throw new MlNodeError('protocol', `ML node: ${err.message}`);
        throw new MlNodeError('network', `ML node stream failed: ${causeOf(err)}`, undefined, { cause: err });
      }
    } catch (err) {
      if (err === silent || controller.signal.reason === silent) throw silent;
      throw err;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Mines [start, end) and calls onBatch for every frame, in arrival order (ranges may come in
   * any order; nonces within a batch are contiguous). Resolves once [start, end) was delivered, or
   * with how many were delivered if the node stopped early (`/v1/poc/stop`). Rejects with an
   * MlNodeError if the node refuses, breaks the protocol or drops the connection; with the
   * signal's reason when aborted; with onBatch's error if onBatch throws (the request is aborted).
   */
  async mine(
    req: MineRequest,
    onBatch: (first: number, outputs: Uint8Array[]) => void,
    signal?: AbortSignal,
  ): Promise<number> {
    const { start, end } = req;
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end <= start)
      throw new RangeError(`mine: need 0 ≤ start < end ≤ 2^53 − 1, got [${start}, ${end})`);
    if (end - start > MAX_MINE_RANGE)
      throw new RangeError(`mine: at most ${MAX_MINE_RANGE} nonces per request, got ${end - start}`);
    if (req.blockHash.length !== 32) throw new RangeError('mine: blockHash must be 32 bytes');
    if (req.pubkey.length !== 33) throw new RangeError('mine: pubkey must be a 33-byte compressed key');
    const outBytes = outputBytes(pocClass(req.cls));

    const controller = new AbortController();
    const onAbort = () => controller.abort(signal?.reason);
    if (signal?.aborted) throw signal.reason;
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const res = await this.fetch('/v1/poc/mine', controller.signal, {
        block_hash: Buffer.from(req.blockHash).toString('hex'),
        class: req.cls,
        pubkey: Buffer.from(req.pubkey).toString('hex'),
        start: String(start),
        end: String(end),
      });
      if (res.status !== 200) throw await httpError(res);
      if (res.body === null) throw new MlNodeError('protocol', 'ML node sent no body');

      const total = end - start;
      const seen = new Uint8Array(Math.ceil(total / 8));
      let delivered = 0;
      const decoder = new FrameDecoder(outBytes, Math.min(total, MAX_FRAME_NONCES));
      const onFrame = (first: number, outputs: Uint8Array[]) => {
        const n = outputs.length;
        if (first < start || first + n > end)
          throw new FrameError(`frame [${first}, ${first + n}) lies outside [${start}, ${end})`);
        for (let i = first - start; i < first - start + n; i++) {
          const bit = 1 << (i & 7);
          if ((seen[i >> 3] as number) & bit) throw new FrameError(`nonce ${start + i} sent twice`);
          seen[i >> 3] = (seen[i >> 3] as number) | bit;
        }
        delivered += n;
        try {
          onBatch(first, outputs);
        } catch (err) {
          throw new CallerError(err);
        }
      };
      try {
        for await (const chunk of res.body as AsyncIterable<Uint8Array>) decoder.push(chunk, onFrame);
      } catch (err) {
        controller.abort(err);
        throw streamError(err, signal);
      }
      if (!decoder.atBoundary) throw new MlNodeError('protocol', 'ML node response ended inside a frame');
      return delivered;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Stops every running mine request on the node; they drain and end early. */
  async stop(): Promise<void> {
    const res = await this.fetch('/v1/poc/stop', AbortSignal.timeout(this.timeoutMs), {});
    if (res.status !== 200) throw await httpError(res);
    await res.arrayBuffer();
  }

  async status(): Promise<MlStatus> {
    const res = await this.fetch('/v1/status', AbortSignal.timeout(this.timeoutMs));
    if (res.status !== 200) throw await httpError(res);
    const body = await boundedJson(res);
    if (!isMlStatus(body)) throw new MlNodeError('protocol', 'ML node sent a malformed status');
    return body;
  }

  private async fetch(path: string, signal: AbortSignal, body?: unknown): Promise<Response> {
    try {
      return await fetch(`${this.base}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch (err) {
      if (signal.aborted) throw signal.reason;
      throw new MlNodeError('network', `ML node ${this.base} unreachable: ${causeOf(err)}`, undefined, {
        cause: err,
      });
    }
  }
}

/** Carries an error thrown by the caller's onBatch through the stream loop, untouched. */
class CallerError {
  constructor(readonly error: unknown) {}
}

function streamError(err: unknown, signal: AbortSignal | undefined): unknown {
  if (err instanceof CallerError) return err.error;
  if (signal?.aborted) return signal.reason;
  if (err instanceof FrameError) return new MlNodeError('protocol', `ML node: ${err.message}`);
  return new MlNodeError('network', `ML node stream failed: ${causeOf(err)}`, undefined, { cause: err });
}

function causeOf(err: unknown): string {
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return `${err.message}${cause}`;
  }
  return String(err);
}

/**
 * A body as UTF-8 text, read chunk by chunk and given up (tooBig()) as soon as it passes max
 * bytes, so a node that streams without end cannot make us buffer without limit.
 */
async function readCapped(
  body: AsyncIterable<Uint8Array> | null,
  max: number,
  tooBig: () => Error,
  onChunk?: () => void,
): Promise<string> {
  const parts: Uint8Array[] = [];
  let bytes = 0;
  for await (const chunk of body ?? []) {
    onChunk?.();
    bytes += chunk.length;
    if (bytes > max) throw tooBig();
    parts.push(chunk);
  }
  return Buffer.concat(parts).toString('utf8');
}

async function boundedJson(res: Response, max = MAX_ERROR_BODY): Promise<unknown> {
  const length = Number(res.headers.get('content-length') ?? 0);
  if (length > max) throw new MlNodeError('protocol', `ML node sent a ${length}-byte JSON body`);
  const text = await readCapped(
    res.body as AsyncIterable<Uint8Array> | null,
    max,
    () => new MlNodeError('protocol', 'ML node sent an oversized JSON body'),
  );
  try {
    return JSON.parse(text);
  } catch {
    throw new MlNodeError('protocol', 'ML node sent invalid JSON');
  }
}

async function httpError(res: Response): Promise<MlNodeError> {
  let message = `HTTP ${res.status}`;
  try {
    const body = (await boundedJson(res)) as { error?: { message?: unknown } };
    if (typeof body?.error?.message === 'string') message = body.error.message.slice(0, 500);
  } catch {
    // keep the status line: the body is not the contract's error shape
  }
  return new MlNodeError('http', `ML node refused (${res.status}): ${message}`, res.status);
}

function isMlStatus(v: unknown): v is MlStatus {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Record<string, unknown>;
  return (
    (s.state === 'idle' || s.state === 'mining') &&
    (s.class === null || typeof s.class === 'string') &&
    typeof s.nonces_per_s === 'number' &&
    typeof s.mined === 'string' &&
    /^[0-9]{1,20}$/.test(s.mined) &&
    typeof s.workers === 'number' &&
    (s.form === null || typeof s.form === 'string')
  );
}
