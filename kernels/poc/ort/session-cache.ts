// One checked ORT session per (epoch, class), reused by every batch of that epoch; a small LRU
// so an API node moving between epochs releases old sessions (a `large` one holds 805 MB).
import { toHex } from '../bytes.js';
import type { PocClass } from '../classes.js';
import { EpochCache } from '../epoch.js';
import { type CheckedSessionOptions, openCheckedSession } from './checked-session.js';
import type { PocOrtSession } from './session.js';

export class PocSessionCache {
  private readonly sessions = new Map<string, Promise<PocOrtSession>>();
  private readonly epochs: EpochCache;

  constructor(
    private readonly options: CheckedSessionOptions = {},
    private readonly capacity = 2,
  ) {
    if (capacity < 1) throw new RangeError('PocSessionCache capacity must be at least 1');
    this.epochs = new EpochCache(capacity);
  }

  get(cls: PocClass, blockHash: Uint8Array): Promise<PocOrtSession> {
    const key = `${cls.id}:${toHex(blockHash)}`;
    let session = this.sessions.get(key);
    if (session) {
      this.sessions.delete(key);
    } else {
      session = openCheckedSession(this.epochs.get(cls, blockHash), this.options);
      // A failed check is not cached: the next call retries.
      session.catch(() => this.sessions.delete(key));
      while (this.sessions.size >= this.capacity) {
        const [oldestKey, oldest] = this.sessions.entries().next().value as [string, Promise<PocOrtSession>];
        this.sessions.delete(oldestKey);
        oldest.then((s) => s.release()).catch(() => {});
      }
    }
    this.sessions.set(key, session);
    return session;
  }

  async close(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.allSettled(all.map(async (s) => (await s).release()));
  }
}
