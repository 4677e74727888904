// The API node's client of an ML node (poc-http-contract). Everything the ML node sends is
// untrusted: frames are bounded before allocation, checked against the requested range and for
// duplicates, and any breach rejects mine() with an MlNodeError — a broken ML node must never
// crash or corrupt the API node that drives it.
import { outputBytes, type PocClassName, pocClass } from '../../kernels/poc/classes.js';
import type { OrtFormName } from '../../kernels/poc/ort/forms.js';
import { FrameDecoder, FrameError, MAX_FRAME_NONCES } from './frames.js';

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

export type MlNodeErrorKind = 'http' | 'protocol' | 'network';

/**
 * The ML node refused (kind 'http', with its status and message), broke the protocol
 * ('protocol'), or could not be reached or dropped the connection ('network').
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
  /** Deadline for stop() and status() (default 10 s); mine() streams for as long as it takes. */
  timeoutMs?: number;
}

/** Bytes of an error body the client reads before giving up on it. */
const MAX_ERROR_BODY = 16 * 1024;

export class MlNodeClient {
  private readonly base: string;
  private readonly timeoutMs: number;

  constructor(baseUrl: string, options: MlNodeClientOptions = {}) {
    this.base = baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
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

async function boundedJson(res: Response): Promise<unknown> {
  const length = Number(res.headers.get('content-length') ?? 0);
  if (length > MAX_ERROR_BODY) throw new MlNodeError('protocol', `ML node sent a ${length}-byte JSON body`);
  const text = await res.text();
  if (text.length > MAX_ERROR_BODY) throw new MlNodeError('protocol', 'ML node sent an oversized JSON body');
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
