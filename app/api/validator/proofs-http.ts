// The default transport for POST /v1/poc/proofs. The remote is another participant's API node,
// which may be hostile: the URL scheme is checked, redirects are refused (a 307 would replay the
// POST anywhere), and the body is read against a byte budget (Content-Length first, then as it
// streams) so a huge or endless answer costs at most maxBytes of memory.
import type { ProofsRequestBody } from './types.js';

/** The proofs could not be fetched (transport, status, size or JSON): retried, then UNAVAILABLE. */
export class ProofFetchError extends Error {
  override name = 'ProofFetchError';
  constructor(
    message: string,
    /** False when retrying cannot help (a 4xx other than 408/429, a bad URL). */
    readonly retryable = true,
  ) {
    super(message);
  }
}

/** `${apiUrl}/v1/poc/proofs`, only for http(s) URLs without credentials. */
export function proofsUrl(apiUrl: string): URL {
  let base: URL;
  try {
    base = new URL(apiUrl);
  } catch {
    throw new ProofFetchError(`api_url is not a URL`, false);
  }
  if ((base.protocol !== 'http:' && base.protocol !== 'https:') || base.username || base.password) {
    throw new ProofFetchError(`api_url must be http(s) without credentials`, false);
  }
  const path = base.pathname.endsWith('/') ? base.pathname.slice(0, -1) : base.pathname;
  return new URL(`${base.origin}${path}/v1/poc/proofs`);
}

export async function fetchProofsHttp(
  apiUrl: string,
  body: ProofsRequestBody,
  signal: AbortSignal,
  maxBytes: number,
): Promise<unknown> {
  const url = proofsUrl(apiUrl);
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      redirect: 'error',
      signal,
    });
  } catch (err) {
    throw new ProofFetchError(`request failed: ${describe(err)}`);
  }
  if (res.status !== 200) {
    await res.body?.cancel().catch(() => {});
    const retryable = res.status >= 500 || res.status === 408 || res.status === 429;
    throw new ProofFetchError(`HTTP ${res.status}`, retryable);
  }
  const text = await readBounded(res, maxBytes);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ProofFetchError('response is not JSON');
  }
}

async function readBounded(res: Response, maxBytes: number): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await res.body?.cancel().catch(() => {});
    throw new ProofFetchError(`response of ${declared} bytes is over the ${maxBytes}-byte bound`);
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxBytes) {
        await reader.cancel().catch(() => {});
        throw new ProofFetchError(`response is over the ${maxBytes}-byte bound`);
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof ProofFetchError) throw err;
    throw new ProofFetchError(`reading the response failed: ${describe(err)}`);
  }
  return Buffer.concat(chunks, total).toString('utf8');
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    return cause instanceof Error ? `${err.message} (${cause.message})` : err.message;
  }
  return String(err);
}
