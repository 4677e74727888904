// The ML node's mining sessions: one PocMiner per (block hash, class, public key), opened on the
// first request for it and kept while requests keep coming. Opening costs worker start-up and the
// checked ORT session (spec §10 self-check) per worker, so an API node sending many range
// requests in an epoch pays it once. Idle sessions close after idleMs; when maxSessions are open,
// the least recently used idle one makes room; a session whose miner failed is dropped.
import { toHex } from '../../kernels/poc/bytes.js';
import type { PocClass } from '../../kernels/poc/classes.js';
import { PocMiner, type PocMinerOptions } from '../../kernels/poc/mining/miner.js';
import type { Logger } from '../log.js';

export interface SessionOptions {
  workers?: number;
  threads?: number;
  batch?: number;
  /** Open sessions at most (default 2: this epoch's and the next's). */
  maxSessions?: number;
  /** Close a session nobody used for this long (default 60 s). */
  idleMs?: number;
  log: Logger;
  /** Opens a miner (tests substitute slow or failing ones). */
  open?: (options: PocMinerOptions) => Promise<PocMiner>;
}

export interface MiningSession {
  readonly key: string;
  readonly cls: PocClass;
  readonly miner: PocMiner;
}

interface Entry {
  readonly key: string;
  readonly opening: Promise<MiningSession>;
  session?: MiningSession;
  users: number;
  lastUsed: number;
}

/** No session can be opened now: every open one is in use. */
export class SessionsBusyError extends Error {
  override name = 'SessionsBusyError';
}

export class MiningSessions {
  private readonly entries = new Map<string, Entry>();
  private readonly maxSessions: number;
  private readonly idleMs: number;
  private readonly sweeper: NodeJS.Timeout;
  private closed = false;
  /** The most recently opened session's class and form, for /v1/status. */
  last: { cls: PocClass; form: PocMiner['form'] } | undefined;

  constructor(private readonly o: SessionOptions) {
    this.maxSessions = o.maxSessions ?? 2;
    this.idleMs = o.idleMs ?? 60_000;
    this.sweeper = setInterval(() => this.sweep(), Math.max(100, Math.floor(this.idleMs / 4)));
    this.sweeper.unref();
  }

  get size(): number {
    return this.entries.size;
  }

  /** The session for these inputs, opening it if needed; release() it when done. */
  async acquire(cls: PocClass, blockHash: Uint8Array, pubkey: Uint8Array): Promise<MiningSession> {
    if (this.closed) throw new SessionsBusyError('ML node is shutting down');
    const key = `${cls.name}/${toHex(blockHash)}/${toHex(pubkey)}`;
    let entry = this.entries.get(key);
    if (entry?.session?.miner.failed) {
      this.drop(entry);
      entry = undefined;
    }
    if (entry === undefined) {
      this.makeRoom();
      const opening = this.openSession(key, cls, blockHash, pubkey);
      const created: Entry = { key, opening, users: 0, lastUsed: performance.now() };
      entry = created;
      this.entries.set(key, created);
      opening.then(
        (s) => {
          created.session = s;
        },
        () => {
          if (this.entries.get(key) === created) this.entries.delete(key);
        },
      );
    }
    entry.users++;
    entry.lastUsed = performance.now();
    try {
      return await entry.opening;
    } catch (err) {
      entry.users--;
      throw err;
    }
  }

  release(session: MiningSession): void {
    const entry = this.entries.get(session.key);
    if (entry === undefined) return;
    entry.users--;
    entry.lastUsed = performance.now();
    if (session.miner.failed && entry.users === 0) this.drop(entry);
  }

  /** Closes every session; running jobs are rejected (stop them first to drain). */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map((e) => e.opening.then((s) => s.miner.close()).catch(() => undefined)));
  }

  private async openSession(
    key: string,
    cls: PocClass,
    blockHash: Uint8Array,
    pubkey: Uint8Array,
  ): Promise<MiningSession> {
    const started = performance.now();
    const open = this.o.open ?? ((options: PocMinerOptions) => PocMiner.start(options));
    const miner = await open({
      cls,
      blockHash,
      pubkey,
      workers: this.o.workers,
      threads: this.o.threads,
      batch: this.o.batch,
    });
    if (this.closed) {
      await miner.close();
      throw new SessionsBusyError('ML node is shutting down');
    }
    this.last = { cls, form: miner.form };
    this.o.log.info(
      {
        class: cls.name,
        form: miner.form,
        workers: miner.workerCount,
        ms: Math.round(performance.now() - started),
      },
      'mining session opened',
    );
    return { key, cls, miner };
  }

  /** Closes the least recently used idle session while the cap is reached. */
  private makeRoom(): void {
    while (this.entries.size >= this.maxSessions) {
      let lru: Entry | undefined;
      for (const e of this.entries.values())
        if (e.users === 0 && e.session !== undefined && (lru === undefined || e.lastUsed < lru.lastUsed))
          lru = e;
      if (lru === undefined)
        throw new SessionsBusyError(`all ${this.maxSessions} mining sessions are in use; retry later`);
      this.drop(lru);
    }
  }

  private sweep(): void {
    const now = performance.now();
    for (const e of [...this.entries.values()])
      if (e.users === 0 && e.session !== undefined && now - e.lastUsed > this.idleMs) this.drop(e);
  }

  private drop(entry: Entry): void {
    this.entries.delete(entry.key);
    const session = entry.session;
    if (session === undefined) return;
    this.o.log.info({ class: session.cls.name }, 'mining session closed');
    session.miner
      .close()
      .catch((err: unknown) => this.o.log.warn({ err }, 'closing a mining session failed'));
  }
}
