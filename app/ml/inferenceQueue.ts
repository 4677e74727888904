// One model's request queue on the ML node: its Executor is one onnxruntime session, so requests
// run one at a time, in arrival order; at most `limit` are admitted (running + waiting), the rest
// are refused at once (HTTP 503) instead of piling up. A request whose client left while it waited
// leaves the queue without running.

/** The queue is full: running + waiting = limit. */
export class QueueFullError extends Error {
  override name = 'QueueFullError';
}

interface Waiter {
  start: () => void;
}

export class InferenceQueue {
  private running = false;
  private readonly waiting: Waiter[] = [];

  constructor(
    readonly limit: number,
    /** Called with the new depth whenever it changes (the queue-depth gauge). */
    private readonly onDepth: (depth: number) => void = () => {},
  ) {
    if (!Number.isSafeInteger(limit) || limit < 1)
      throw new RangeError(`queue limit must be ≥ 1, got ${limit}`);
  }

  /** Requests admitted and not finished: the running one plus those waiting. */
  get depth(): number {
    return (this.running ? 1 : 0) + this.waiting.length;
  }

  get full(): boolean {
    return this.depth >= this.limit;
  }

  /**
   * Runs `job` once every request admitted before it has finished. Throws QueueFullError at once
   * (synchronously checked, before any await) when the queue is full; rejects with the signal's
   * reason, without running `job`, if the signal aborts while it waits.
   */
  run<T>(job: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.full) return Promise.reject(new QueueFullError(`queue full (${this.limit} requests)`));
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        signal?.removeEventListener('abort', onAbort);
        this.running = true;
        this.onDepth(this.depth);
        job()
          .then(resolve, reject)
          .finally(() => {
            this.running = false;
            this.next();
          });
      };
      const waiter: Waiter = { start };
      const onAbort = () => {
        const at = this.waiting.indexOf(waiter);
        if (at < 0) return;
        this.waiting.splice(at, 1);
        this.onDepth(this.depth);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      if (this.running) {
        this.waiting.push(waiter);
        this.onDepth(this.depth);
      } else start();
    });
  }

  private next(): void {
    const w = this.waiting.shift();
    if (w) w.start();
    else this.onDepth(this.depth);
  }
}
