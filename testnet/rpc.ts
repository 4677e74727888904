// The few CometBFT JSON-RPC calls the launcher and the invariant checks need, over HTTP GET.
// Each result type below names only the fields read here (CometBFT sends more).
export interface BlockMeta {
  height: number;
  blockHash: string;
  appHash: string;
  numTxs: number;
}

export interface CometStatus {
  sync_info: { latest_block_height: string; latest_block_hash: string; catching_up: boolean };
}

interface CometBlockMeta {
  block_id: { hash: string };
  header: { height: string; app_hash: string };
  num_txs: string;
}

export interface AbciQueryResult {
  code?: number;
  value?: string | null;
  height: string;
}

export class NodeRpc {
  constructor(readonly url: string) {}

  /** One JSON-RPC call; T is the caller's description of the result (not checked at run time). */
  async call<T>(
    method: string,
    params: Record<string, string | number | boolean> = {},
    timeoutMs = 5000,
  ): Promise<T> {
    const qs = Object.entries(params)
      .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
      .join('&');
    const res = await fetch(`${this.url}/${method}${qs ? `?${qs}` : ''}`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await res.json()) as { result?: T; error?: { message: string; data?: string } };
    if (body.error) throw new Error(`${method}: ${body.error.message} ${body.error.data ?? ''}`);
    return body.result as T;
  }

  async height(): Promise<number> {
    const s = await this.status();
    return Number(s.sync_info.latest_block_height);
  }

  status(timeoutMs = 2000): Promise<CometStatus> {
    return this.call<CometStatus>('status', {}, timeoutMs);
  }

  /** Block metas for [min, max] (CometBFT returns at most 20 per call, newest first). */
  async blockMetas(min: number, max: number): Promise<BlockMeta[]> {
    const out: BlockMeta[] = [];
    for (let hi = max; hi >= min; hi -= 20) {
      const lo = Math.max(min, hi - 19);
      const r = await this.call<{ block_metas: CometBlockMeta[] }>('blockchain', {
        minHeight: lo,
        maxHeight: hi,
      });
      for (const m of r.block_metas) {
        out.push({
          height: Number(m.header.height),
          blockHash: m.block_id.hash,
          appHash: m.header.app_hash,
          numTxs: Number(m.num_txs),
        });
      }
    }
    return out.sort((a, b) => a.height - b.height);
  }

  async broadcastSync(tx: Uint8Array): Promise<{ code: number; hash: string; log: string }> {
    return this.call<{ code: number; hash: string; log: string }>('broadcast_tx_sync', {
      tx: `0x${Buffer.from(tx).toString('hex')}`,
    });
  }

  /** The committed tx with this hash, or undefined when this node does not have it. */
  async tx(hash: string): Promise<{ height: number; code: number } | undefined> {
    try {
      const r = await this.call<{ height: string; tx_result: { code?: number } }>('tx', {
        hash: `0x${hash}`,
      });
      return { height: Number(r.height), code: r.tx_result.code ?? 0 };
    } catch (e) {
      if (String(e).includes('not found')) return undefined;
      throw e;
    }
  }

  async abciQuery(path: string, data: Uint8Array): Promise<AbciQueryResult> {
    const r = await this.call<{ response: AbciQueryResult }>('abci_query', {
      path: JSON.stringify(path),
      data: `0x${Buffer.from(data).toString('hex')}`,
    });
    return r.response;
  }
}

/** Polls until check() returns a truthy value or the deadline passes (then throws naming what). */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 30_000,
  everyMs = 200,
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
