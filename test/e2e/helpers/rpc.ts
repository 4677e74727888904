// A minimal CometBFT JSON-RPC client over HTTP GET, for tests: only what they need.
export class CometRpc {
  constructor(readonly url: string) {}

  async call<T = any>(method: string, params: Record<string, string | number | boolean> = {}): Promise<T> {
    const qs = Object.entries(params)
      .map(([k, v]) => `${k}=${encodeURIComponent(typeof v === 'string' ? v : String(v))}`)
      .join('&');
    const res = await fetch(`${this.url}/${method}${qs ? `?${qs}` : ''}`, {
      signal: AbortSignal.timeout(5000),
    });
    const body = (await res.json()) as { result?: T; error?: { message: string; data?: string } };
    if (body.error) throw new Error(`${method}: ${body.error.message} ${body.error.data ?? ''}`);
    return body.result as T;
  }

  async height(): Promise<number> {
    const s = await this.call<{ sync_info: { latest_block_height: string } }>('status');
    return Number(s.sync_info.latest_block_height);
  }

  async block(height: number): Promise<{
    header: { app_hash: string; time: string; height: string };
    txs: Uint8Array[];
    hash: string;
  }> {
    const r = await this.call<any>('block', { height });
    return {
      header: r.block.header,
      txs: (r.block.data.txs ?? []).map((t: string) => Buffer.from(t, 'base64')),
      hash: r.block_id.hash,
    };
  }

  async broadcastSync(tx: Uint8Array): Promise<{ code: number; hash: string; log: string }> {
    return this.call('broadcast_tx_sync', { tx: `0x${Buffer.from(tx).toString('hex')}` });
  }

  async abciQuery(path: string, data: Uint8Array, opts: { height?: number; prove?: boolean } = {}) {
    const r = await this.call<{ response: any }>('abci_query', {
      path: JSON.stringify(path),
      data: `0x${Buffer.from(data).toString('hex')}`,
      height: opts.height ?? 0,
      prove: opts.prove ?? false,
    });
    return r.response;
  }
}

/** Polls until check() returns a truthy value or the deadline passes (then throws with what). */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 30_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastErr: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      lastErr = e;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${lastErr ? ` (last error: ${String(lastErr)})` : ''}`,
  );
}
