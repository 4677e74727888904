// Runs gRPC queries off the I/O callbacks that receive them, in short slices, so a flood of
// queries never holds the event loop that also serves CometBFT's consensus connection. Each query
// is bounded by the app's query gas budget; the scheduler bounds how many wait (beyond
// `maxPending` a caller gets RESOURCE_EXHAUSTED at once, no work done) and how long one macrotask
// runs queries (`sliceMs`) before yielding (setImmediate, or a pause that keeps queries to `share`
// of the loop's time while a flood lasts), so ABCI socket reads and writes interleave with queries
// instead of queueing behind all of them.

export class QueueFullError extends Error {
  override name = 'QueueFullError';
}

export interface QuerySchedulerOptions {
  /** Queries allowed to wait; one more is refused. */
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
}

export const DEFAULT_QUERY_SCHEDULER: QuerySchedulerOptions = { maxPending: 256, sliceMs: 4, share: 0.5 };

interface Job {
  run(): unknown;
  resolve(v: unknown): void;
  reject(e: unknown): void;
}

export class QueryScheduler {
  private readonly queue: Job[] = [];
  private head = 0;
  private scheduled = false;

  constructor(private readonly opts: QuerySchedulerOptions = DEFAULT_QUERY_SCHEDULER) {}

  pending(): number {
    return this.queue.length - this.head;
  }

  /** Queues a synchronous query; rejects with QueueFullError when `maxPending` are already waiting. */
  submit<T>(run: () => T): Promise<T> {
    if (this.pending() >= this.opts.maxPending)
      return Promise.reject(
        new QueueFullError(
          `this node has ${this.pending()} queries waiting (its limit); retry later or query another node`,
        ),
      );
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run, resolve: resolve as (v: unknown) => void, reject });
      this.schedule();
    });
  }

  private schedule(restMs = 0): void {
    if (this.scheduled) return;
    this.scheduled = true;
    if (restMs >= 1) setTimeout(() => this.drain(), restMs);
    else setImmediate(() => this.drain());
  }

  private drain(): void {
    this.scheduled = false;
    const sliceStart = performance.now();
    const sliceEnd = sliceStart + this.opts.sliceMs;
    while (this.pending() > 0) {
      const job = this.queue[this.head] as Job;
      this.queue[this.head++] = undefined as unknown as Job;
      const start = performance.now();
      try {
        job.resolve(job.run());
      } catch (e) {
        job.reject(e);
      }
      const end = performance.now();
      this.opts.observe?.((end - start) / 1000);
      if (end >= sliceEnd) break;
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    if (this.pending() > 0) {
      const share = this.opts.share ?? 1;
      const ran = performance.now() - sliceStart;
      this.schedule(share >= 1 ? 0 : Math.min(100, (ran * (1 - share)) / share));
    }
  }
}
