// Runs queries off the I/O callbacks that receive them, in short slices, so a flood of queries
// never holds the event loop that also serves CometBFT's consensus connection. Both query doors use
// it: gRPC calls and CometBFT RPC `abci_query` (the ABCI server's query connection), each in its
// own lane, so one door's flood cannot take the other's turn, and together they never take more
// than `share` of the loop. Each query is bounded by the app's query gas budget; the scheduler
// bounds how many wait per lane (beyond `maxPending` a caller gets QueueFullError at once, no work
// done) and how long one macrotask runs queries (`sliceMs`) before yielding (setImmediate, or a
// pause that keeps queries to `share` of the loop's time while a flood lasts), so ABCI socket reads
// and writes interleave with queries instead of queueing behind all of them.

export class QueueFullError extends Error {
  override name = 'QueueFullError';
}

export interface QuerySchedulerOptions {
  /** Queries allowed to wait in one lane; one more is refused. */
  maxPending: number;
  /** Run queries for at most about this long per macrotask, then yield. */
  sliceMs: number;
  /**
   * Most of the event loop's time queries may take while they keep coming (0 < share ≤ 1): after a
   * slice of d ms the next starts no sooner than d·(1 − share)/share ms later, so consensus
   * requests, their I/O and the node's other work always keep the rest.
   */
  share?: number;
  /** Observability: how long each query ran (seconds), queue wait excluded. */
  observe?(seconds: number): void;
  /** Milliseconds clock (tests pass a fake one); performance.now by default. */
  now?(): number;
}

export const DEFAULT_QUERY_SCHEDULER: QuerySchedulerOptions = { maxPending: 256, sliceMs: 4, share: 0.5 };

/** Where a query came from: a gRPC call, or CometBFT's ABCI query connection (RPC abci_query). */
export type QueryLane = 'grpc' | 'abci';
const LANES: readonly QueryLane[] = ['grpc', 'abci'];

interface Job {
  run(): unknown;
  resolve(v: unknown): void;
  reject(e: unknown): void;
}

/** A FIFO with an advancing head (no O(n) shift per job). */
class JobQueue {
  private items: (Job | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(job: Job): void {
    this.items.push(job);
  }

  shift(): Job | undefined {
    if (this.length === 0) return undefined;
    const job = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return job;
  }
}

export class QueryScheduler {
  private readonly lanes = new Map<QueryLane, JobQueue>(LANES.map((l) => [l, new JobQueue()]));
  /** The lane that goes first at the next pick (round robin over lanes with work). */
  private turn = 0;
  private scheduled = false;
  /**
   * No slice starts before this time: the rest owed for the last slice. Kept even when the queues
   * empty, because CometBFT's query connection sends its next query only after the last answer:
   * a lane fed one query at a time would otherwise never be paused and take the whole loop.
   */
  private restUntil = 0;
  private readonly now: () => number;

  constructor(private readonly opts: QuerySchedulerOptions = DEFAULT_QUERY_SCHEDULER) {
    this.now = opts.now ?? (() => performance.now());
  }

  /** Milliseconds before the next slice may start (0 when queries may run now). */
  restMs(): number {
    return Math.max(0, this.restUntil - this.now());
  }

  /** Queries waiting, in one lane or in all. */
  pending(lane?: QueryLane): number {
    if (lane) return (this.lanes.get(lane) as JobQueue).length;
    let n = 0;
    for (const q of this.lanes.values()) n += q.length;
    return n;
  }

  /** Queues a synchronous query; rejects with QueueFullError when `maxPending` already wait in its lane. */
  submit<T>(run: () => T, lane: QueryLane = 'grpc'): Promise<T> {
    const queue = this.lanes.get(lane) as JobQueue;
    if (queue.length >= this.opts.maxPending)
      return Promise.reject(
        new QueueFullError(
          `this node has ${queue.length} queries waiting (its limit); retry later or query another node`,
        ),
      );
    return new Promise<T>((resolve, reject) => {
      queue.push({ run, resolve: resolve as (v: unknown) => void, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const rest = this.restMs();
    if (rest >= 1) setTimeout(() => this.drain(), rest);
    else setImmediate(() => this.drain());
  }

  /** The next job, taking lanes in turn so each door gets its share while both flood. */
  private next(): Job | undefined {
    for (let i = 0; i < LANES.length; i++) {
      const lane = LANES[(this.turn + i) % LANES.length] as QueryLane;
      const job = (this.lanes.get(lane) as JobQueue).shift();
      if (job) {
        this.turn = (this.turn + i + 1) % LANES.length;
        return job;
      }
    }
    return undefined;
  }

  private drain(): void {
    this.scheduled = false;
    const sliceStart = this.now();
    const sliceEnd = sliceStart + this.opts.sliceMs;
    for (let job = this.next(); job; job = this.next()) {
      const start = this.now();
      try {
        job.resolve(job.run());
      } catch (e) {
        job.reject(e);
      }
      const end = this.now();
      this.opts.observe?.((end - start) / 1000);
      if (end >= sliceEnd) break;
    }
    const end = this.now();
    const share = this.opts.share ?? 1;
    const rest = share >= 1 ? 0 : Math.min(100, ((end - sliceStart) * (1 - share)) / share);
    this.restUntil = end + rest;
    if (this.pending() > 0) this.schedule();
  }
}
