// Mines a participant's nonces into an artifact store with several worker threads, each owning a
// one-thread ORT session: on 2 cores two such sessions beat one session with 2 intra-op threads,
// whose small-tensor elementwise ops parallelise poorly. Ranges finish out of order; the
// OrderedAppender puts the leaves into the store in nonce order. The same workers also serve range
// jobs with their own sinks (the ML node streams each range to an HTTP client as it finishes);
// several jobs share the workers, so a miner is opened once per epoch and class.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { OrderedAppender } from '../artifacts/appender.js';
import type { ArtifactStore } from '../artifacts/store.js';
import { outputBytes, type PocClass } from '../classes.js';
import type { OrtFormName } from '../ort/forms.js';
import type { MinerJob, MinerReply, MinerWorkerData } from './miner-worker.js';

export interface PocMinerOptions {
  readonly cls: PocClass;
  readonly blockHash: Uint8Array;
  readonly pubkey: Uint8Array;
  /** Worker threads (default: one per core). */
  readonly workers?: number;
  /** ORT intra-op threads per worker (default 1). */
  readonly threads?: number;
  /** Nonces per ORT run (default 64). */
  readonly batch?: number;
}

export interface MineLimits {
  /** Checked before each new range is handed out; mining drains and returns once it is true. */
  readonly stop: () => boolean;
  /** Stop once the store holds this many leaves. */
  readonly maxCount?: number;
  /** Called after each range reaches the store. */
  readonly onProgress?: (count: number) => void;
}

/**
 * Nonces [start, end) mined into a sink instead of a store (the ML node streams them). Several
 * jobs may run on one miner at once; the oldest that may take a range gets the next one.
 */
export interface RangeJob {
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
  /**
   * Receives each mined range on the main thread, in completion order (not nonce order): count
   * outputs back to back, outputBytes each, in a buffer the sink may keep.
   */
  readonly sink: (first: number, count: number, outputs: Uint8Array) => void;
  /** Checked before each new range is handed out; once true the job drains and resolves. */
  readonly stop?: () => boolean;
  /**
   * How many of the next `want` nonces may be handed out now (backpressure, a rate limit). 0 holds
   * the job until kick() is called; a smaller number hands out a shorter range.
   */
  readonly admit?: (want: number) => number;
}

/**
 * Ranges kept in flight per worker: one running, the next ones with their inputs generated, so
 * the workers keep computing while the main thread is busy appending or syncing the store.
 */
const IN_FLIGHT_PER_WORKER = 3;
/** How long close() waits for a worker to release its session before terminating it. */
const CLOSE_DEADLINE_MS = 10_000;

interface ActiveJob {
  readonly job: RangeJob;
  next: number;
  inFlight: number;
  delivered: number;
  stopped: boolean;
  readonly resolve: (delivered: number) => void;
  readonly reject: (err: Error) => void;
}

interface Slot {
  readonly worker: Worker;
  /** Jobs of the ranges this worker holds, in the order it will answer them (it runs them in turn). */
  readonly pending: ActiveJob[];
}

export class PocMiner {
  private readonly jobs: ActiveJob[] = [];
  private readonly slots: Slot[];
  private failure: Error | undefined;
  private closing = false;

  private constructor(
    readonly cls: PocClass,
    readonly form: OrtFormName,
    workers: Worker[],
    private readonly batch: number,
  ) {
    this.slots = workers.map((worker) => ({ worker, pending: [] }));
    for (const slot of this.slots) {
      slot.worker.on('message', (reply: MinerReply) => this.onReply(slot, reply));
      slot.worker.on('error', (err) => this.fail(err));
      slot.worker.on('exit', (code) => {
        if (!this.closing) this.fail(new Error(`PoC miner worker exited unexpectedly (code ${code})`));
      });
    }
  }

  /** Starts the workers; each opens and checks its own session (spec §10 self-check). */
  static async start(options: PocMinerOptions): Promise<PocMiner> {
    const count = options.workers ?? Math.max(1, availableParallelism());
    const batch = options.batch ?? 64;
    const data: MinerWorkerData = {
      cls: options.cls.name,
      blockHash: options.blockHash,
      pubkey: options.pubkey,
      threads: options.threads ?? 1,
      maxBatch: batch,
      inFlight: IN_FLIGHT_PER_WORKER,
    };
    const script = new URL('./miner-worker.js', import.meta.url);
    const workers = Array.from({ length: count }, () => new Worker(script, { workerData: data }));
    try {
      const forms = await Promise.all(workers.map((w) => firstReply(w)));
      return new PocMiner(options.cls, forms[0] as OrtFormName, workers, batch);
    } catch (err) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw err;
    }
  }

  get workerCount(): number {
    return this.slots.length;
  }

  /** Set once a worker failed: the miner mines nothing more and should be closed. */
  get failed(): Error | undefined {
    return this.failure;
  }

  /** Jobs running now. */
  get activeJobs(): number {
    return this.jobs.length;
  }

  /** Mines nonces store.count, store.count + 1, … into the store until limits say stop. */
  async mine(store: ArtifactStore, limits: MineLimits): Promise<void> {
    const appender = new OrderedAppender(store);
    const outBytes = outputBytes(this.cls);
    await this.run({
      start: store.count,
      end: Math.max(store.count, limits.maxCount ?? Number.MAX_SAFE_INTEGER),
      stop: limits.stop,
      sink: (first, count, outputs) => {
        appender.add(
          first,
          Array.from({ length: count }, (_, i) => outputs.subarray(i * outBytes, (i + 1) * outBytes)),
        );
        limits.onProgress?.(store.count);
      },
    });
  }

  /**
   * Mines job.start … job.end − 1 into job.sink; resolves with how many nonces reached the sink
   * once all did, or once stop() turned true and the ranges in flight drained. Rejects if a worker
   * fails (every running job does) or if the sink throws (this job only; its ranges still in flight
   * are dropped).
   */
  run(job: RangeJob): Promise<number> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closing) return Promise.reject(new Error('PoC miner is closed'));
    if (!Number.isSafeInteger(job.start) || !Number.isSafeInteger(job.end) || job.start < 0)
      return Promise.reject(new RangeError(`bad nonce range [${job.start}, ${job.end})`));
    return new Promise<number>((resolve, reject) => {
      this.jobs.push({ job, next: job.start, inFlight: 0, delivered: 0, stopped: false, resolve, reject });
      this.pump();
    });
  }

  /** Re-checks jobs held by admit() or stop(): call when either may have changed its answer. */
  kick(): void {
    this.pump();
  }

  /** Hands out ranges until every worker holds IN_FLIGHT_PER_WORKER or no job may take more. */
  private pump(): void {
    if (this.failure || this.closing) return;
    for (let k = 0; k < IN_FLIGHT_PER_WORKER; k++) {
      for (const slot of this.slots) {
        if (slot.pending.length > k) continue;
        const range = this.nextRange();
        if (range === undefined) {
          this.settle();
          return;
        }
        range.active.inFlight++;
        slot.pending.push(range.active);
        slot.worker.postMessage({ first: range.first, count: range.count } satisfies MinerJob);
      }
    }
    this.settle();
  }

  /**
   * The next range of the oldest job that may take one. Oldest first, not round-robin: a client
   * that keeps its next request queued behind the current one (the API node appending in nonce
   * order) gets its ranges finished in order and no gap while one request ends and the next
   * starts; a job held by admit() (a slow reader, the throttle) lets the next one through.
   */
  private nextRange(): { active: ActiveJob; first: number; count: number } | undefined {
    for (const active of this.jobs) {
      if (active.stopped) continue;
      if (active.job.stop?.()) {
        active.stopped = true;
        continue;
      }
      const want = Math.min(this.batch, active.job.end - active.next);
      if (want <= 0) continue;
      const count = Math.min(want, active.job.admit ? active.job.admit(want) : want);
      if (count <= 0) continue;
      const first = active.next;
      active.next += count;
      return { active, first, count };
    }
    return undefined;
  }

  /** Resolves the jobs that are done: nothing left (or stopped) and nothing in flight. */
  private settle(): void {
    for (let i = this.jobs.length - 1; i >= 0; i--) {
      const active = this.jobs[i] as ActiveJob;
      if (active.inFlight > 0) continue;
      if (active.stopped || active.next >= active.job.end || active.job.stop?.()) {
        this.jobs.splice(i, 1);
        active.resolve(active.delivered);
      }
    }
  }

  private onReply(slot: Slot, reply: MinerReply): void {
    if (reply.kind === 'error') {
      this.fail(new Error(`PoC miner worker: ${reply.error}`));
      return;
    }
    if (reply.kind !== 'done') return;
    const active = slot.pending.shift();
    if (active === undefined) {
      this.fail(new Error('PoC miner worker answered a range it was not given'));
      return;
    }
    active.inFlight--;
    if (this.jobs.includes(active)) {
      // Counted first: the sink may kick() the miner, which can settle this job re-entrantly.
      active.delivered += reply.count;
      try {
        active.job.sink(reply.first, reply.count, reply.outputs);
      } catch (err) {
        this.jobs.splice(this.jobs.indexOf(active), 1);
        active.stopped = true;
        active.reject(err instanceof Error ? err : new Error(String(err)));
      }
    }
    this.pump();
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    for (const active of this.jobs.splice(0)) active.reject(err);
  }

  /** Lets each worker release its session and exit; terminates any that has not within 10 s. */
  async close(): Promise<void> {
    this.closing = true;
    for (const active of this.jobs.splice(0)) active.reject(new Error('PoC miner closed'));
    await Promise.all(
      this.slots.map(async ({ worker: w }) => {
        if (w.threadId === -1) return; // already exited (e.g. after an error)
        const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
        w.postMessage('close');
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<'late'>((resolve) => {
          timer = setTimeout(() => resolve('late'), CLOSE_DEADLINE_MS);
        });
        if ((await Promise.race([exited, deadline])) === 'late') await w.terminate();
        clearTimeout(timer);
      }),
    );
  }
}

/** Waits for a worker's 'ready' (its session passed the self-check) and returns its form. */
function firstReply(worker: Worker): Promise<OrtFormName> {
  return new Promise((resolve, reject) => {
    const onMessage = (reply: MinerReply) => {
      worker.off('error', reject);
      worker.off('message', onMessage);
      if (reply.kind === 'ready') resolve(reply.form);
      else
        reject(new Error(`PoC miner worker: ${reply.kind === 'error' ? reply.error : 'unexpected reply'}`));
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
  });
}
