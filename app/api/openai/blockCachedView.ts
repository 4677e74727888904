// An InferenceView that reads what only changes with a block (x/inference params and models,
// x/poc participants) once per block height instead of once per request: the TA and the
// executor read the whole participant list on every inference. API keys, the epoch and balances
// are always read live, so a revoked key still fails on the first request after its block. The
// latest height is asked at most once per `heightTtlMs` (shared by concurrent requests), so the
// cached reads lag a new block by at most that.
import type { ApiKey, Params } from '../../../proto/gen/gonka/inference/v1/inference.js';
import type { Participant } from '../../../proto/gen/gonka/poc/v1/poc.js';
import type { InferenceView, ModelEntry } from './chainView.js';

export class BlockCachedView implements InferenceView {
  private height = -1n;
  private readonly memo = new Map<string, Promise<unknown>>();
  private heightRead: { at: number; h: Promise<bigint> } | undefined;

  /** `latestHeight`: the chain's latest committed height (one cheap RPC, no ABCI query). */
  constructor(
    private readonly inner: InferenceView,
    private readonly latestHeight: () => Promise<bigint>,
    private readonly heightTtlMs = 200,
    private readonly now: () => number = Date.now,
  ) {}

  private currentHeight(): Promise<bigint> {
    const t = this.now();
    if (!this.heightRead || t - this.heightRead.at >= this.heightTtlMs) {
      const h = this.latestHeight();
      const read = { at: t, h };
      this.heightRead = read;
      h.catch(() => {
        if (this.heightRead === read) this.heightRead = undefined;
      });
    }
    return this.heightRead.h;
  }

  /** The inner read, shared by every caller at the same height; a failure is not kept. */
  private async cached<T>(key: string, read: () => Promise<T>): Promise<T> {
    const h = await this.currentHeight();
    if (h > this.height) {
      this.height = h;
      this.memo.clear();
    }
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = read();
      this.memo.set(key, p);
      p.catch(() => {
        if (this.memo.get(key) === p) this.memo.delete(key);
      });
    }
    return p;
  }

  params(): Promise<Params> {
    return this.cached('params', () => this.inner.params());
  }

  models(): Promise<ModelEntry[]> {
    return this.cached('models', () => this.inner.models());
  }

  model(id: string): Promise<ModelEntry | undefined> {
    return this.cached(`model/${id}`, () => this.inner.model(id));
  }

  participants(): Promise<Participant[]> {
    return this.cached('participants', () => this.inner.participants());
  }

  /** Live, like the key it is compared with (the key's spent counts for its spent_epoch). */
  epoch(): Promise<bigint> {
    return this.inner.epoch();
  }

  apiKey(keyHash: Uint8Array): Promise<ApiKey | undefined> {
    return this.inner.apiKey(keyHash);
  }

  balance(address: string, denom: string): Promise<bigint> {
    return this.inner.balance(address, denom);
  }
}
