// The TA's client of an executor: POST <api_url>/v1/inference/execute signed with the TA's key
// (secp256k1 over SHA-256 of the raw body), then the executor's ndjson lines, each checked. Two
// deadlines keep a dead executor from hanging the developer's request: one for the response to
// start, one between lines; either, or a broken stream, ends in an ExecutorError. Lines are checked
// as the ML node's client checks them (order, ids, counts, top-5 alternatives, length bound).
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { MAX_INFERENCE_LINE_BYTES } from '../../ml/client.js';
import { type GenerateLine, type LineExpectations, parseGenerateLine } from '../../ml/inferenceWire.js';
import { NdjsonSplitter } from '../../ml/ndjson.js';
import { RECORDED_TOP_LOGPROBS } from './chat.js';
import type { ExecuteRequest } from './protocol.js';

export class ExecutorError extends Error {
  override name = 'ExecutorError';
  /** The executor's HTTP status when it refused before streaming. */
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface ForwardOptions {
  privateKey: Uint8Array;
  pubKey: Uint8Array;
  /** Deadline for the executor's response, which starts with its first token (default 120 s:
   *  the request may wait behind others in its ML node's queue, as the ML node's client allows). */
  startTimeoutMs?: number;
  /** Deadline between two lines (default 30 s). */
  idleTimeoutMs?: number;
}

const MAX_ERROR_BODY = 16 * 1024;

/** Streams the executor's lines; the caller's signal (client gone) aborts the request. */
export async function* executeOn(
  apiUrl: string,
  req: ExecuteRequest,
  o: ForwardOptions,
  signal?: AbortSignal,
): AsyncGenerator<GenerateLine> {
  const body = Buffer.from(JSON.stringify(req));
  const sig = secp256k1.sign(body, o.privateKey);
  const ctl = new AbortController();
  const onAbort = () => ctl.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  let timedOut = '';
  const arm = (ms: number, what: string) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = what;
      ctl.abort(new ExecutorError(what));
    }, ms);
  };
  const fail = (e: unknown): ExecutorError => {
    if (timedOut) return new ExecutorError(`executor ${timedOut}`);
    if (e instanceof ExecutorError) return e;
    return new ExecutorError(`executor ${apiUrl}: ${e instanceof Error ? e.message : String(e)}`);
  };
  try {
    arm(o.startTimeoutMs ?? 120_000, 'did not answer in time');
    let res: Response;
    try {
      res = await fetch(`${apiUrl.replace(/\/+$/, '')}/v1/inference/execute`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-gonka-ta-pubkey': Buffer.from(o.pubKey).toString('base64'),
          'x-gonka-ta-signature': Buffer.from(sig).toString('base64'),
        },
        body,
        signal: ctl.signal,
      });
    } catch (e) {
      if (signal?.aborted) throw signal.reason;
      throw fail(e);
    }
    if (res.status !== 200) {
      const text = (await res.text().catch(() => '')).slice(0, MAX_ERROR_BODY);
      let msg = text;
      try {
        msg = String((JSON.parse(text) as { error?: { message?: string } }).error?.message ?? text);
      } catch {}
      throw new ExecutorError(`executor refused (${res.status}): ${msg.slice(0, 500)}`, res.status);
    }
    if (!res.body) throw new ExecutorError('executor sent no body');
    const idle = o.idleTimeoutMs ?? 30_000;
    arm(idle, 'stalled between tokens');
    const expect: LineExpectations = {
      nextIndex: 0,
      maxTokens: req.max_tokens,
      promptTokens: req.prompt_tokens.length,
      topLogprobs: RECORDED_TOP_LOGPROBS,
    };
    const splitter = new NdjsonSplitter(MAX_INFERENCE_LINE_BYTES);
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        arm(idle, 'stalled between tokens');
        const lines: GenerateLine[] = [];
        splitter.push(chunk, (text) => {
          const l = parseGenerateLine(text, expect);
          if (l.type === 'token') expect.nextIndex++;
          lines.push(l);
        });
        for (const l of lines) {
          if (l.type !== 'token') {
            // The consumer stops reading at the last line without finishing this generator, so
            // the finally below would never run: the idle timer (ref'd) and the connection were
            // held 30 s after every request, and a stopped API node lingered until SIGKILL.
            clearTimeout(timer);
            signal?.removeEventListener('abort', onAbort);
            ctl.abort();
            yield l;
            return;
          }
          yield l;
        }
      }
    } catch (e) {
      if (signal?.aborted) throw signal.reason;
      throw fail(e);
    }
    throw new ExecutorError('executor stream ended without a done line');
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    ctl.abort(); // releases the connection if the consumer stopped early
  }
}
