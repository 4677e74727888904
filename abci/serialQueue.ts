// One serial queue for the whole application: requests from all four ABCI connections run one at
// a time, as CometBFT's Go server does with its global mutex (no two handlers interleave; a
// handler's await — Commit's write — holds the queue until it settles).
// Unlike a plain FIFO it has two priorities: when several requests wait, a consensus-connection
// request (FinalizeBlock, Commit, …) runs first, and after every low-priority task (Query, CheckTx)
// the queue yields to the event loop (setImmediate) before picking again, so consensus frames
// that arrived meanwhile are read and can jump ahead. Equal priorities run in arrival order.
// Callers keep their own per-connection order by submitting a connection's next request only
// after the previous one has settled.
export type Priority = 'high' | 'low';

interface Waiting {
  priority: Priority;
  task: () => Promise<unknown>;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

export class SerialQueue {
  private readonly waiting: Waiting[] = [];
  private running = false;

  run<T>(task: () => Promise<T>, priority: Priority = 'high'): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ priority, task, resolve: resolve as (v: unknown) => void, reject });
      if (!this.running) void this.loop();
    });
  }

  /** Requests waiting for their turn (not counting the one running). */
  get size(): number {
    return this.waiting.length;
  }

  private next(): Waiting | undefined {
    const i = this.waiting.findIndex((w) => w.priority === 'high');
    return this.waiting.splice(i >= 0 ? i : 0, 1)[0];
  }

  private async loop(): Promise<void> {
    this.running = true;
    try {
      for (let w = this.next(); w; w = this.next()) {
        try {
          w.resolve(await w.task());
        } catch (err) {
          w.reject(err);
        }
        // Let socket reads run before the next pick: a FinalizeBlock arriving during a query
        // flood must be seen now, not after the flood. High-priority work needs no such pause.
        if (w.priority === 'low') await new Promise<void>((r) => setImmediate(r));
      }
    } finally {
      this.running = false;
    }
  }
}
