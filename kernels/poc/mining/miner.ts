// Mines a participant's nonces into an artifact store with several worker threads, each owning a
// one-thread ORT session: on 2 cores two such sessions beat one session with 2 intra-op threads,
// whose small-tensor elementwise ops parallelise poorly. Ranges finish out of order; the
// OrderedAppender puts the leaves into the store in nonce order.
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
 * Ranges kept in flight per worker: one running, the next ones with their inputs generated, so
 * the workers keep computing while the main thread is busy appending or syncing the store.
 */
const IN_FLIGHT_PER_WORKER = 3;
/** How long close() waits for a worker to release its session before terminating it. */
const CLOSE_DEADLINE_MS = 10_000;

export class PocMiner {
  private constructor(
    readonly cls: PocClass,
    readonly form: OrtFormName,
    private readonly workers: Worker[],
    private readonly batch: number,
  ) {}

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

  /** Mines nonces store.count, store.count + 1, … into the store until limits say stop. */
  mine(store: ArtifactStore, limits: MineLimits): Promise<void> {
    const appender = new OrderedAppender(store);
    const outBytes = outputBytes(this.cls);
    const maxCount = limits.maxCount ?? Number.MAX_SAFE_INTEGER;
    let next = store.count;
    let inFlight = 0;
    return new Promise<void>((resolve, reject) => {
      let failed = false;
      const dispatch = (worker: Worker): void => {
        if (failed || limits.stop() || next >= maxCount) {
          if (inFlight === 0) finish();
          return;
        }
        const job: MinerJob = { first: next, count: Math.min(this.batch, maxCount - next) };
        next += job.count;
        inFlight++;
        worker.postMessage(job);
      };
      const onMessage = (worker: Worker) => (reply: MinerReply) => {
        if (reply.kind === 'error') return fail(new Error(`PoC miner worker: ${reply.error}`));
        if (reply.kind !== 'done') return;
        inFlight--;
        const outputs = Array.from({ length: reply.count }, (_, i) =>
          reply.outputs.subarray(i * outBytes, (i + 1) * outBytes),
        );
        try {
          appender.add(reply.first, outputs);
        } catch (err) {
          return fail(err as Error);
        }
        limits.onProgress?.(store.count);
        dispatch(worker);
      };
      const handlers = this.workers.map((w) => {
        const message = onMessage(w);
        w.on('message', message);
        w.on('error', fail);
        return { w, message };
      });
      function detach(): void {
        for (const { w, message } of handlers) {
          w.off('message', message);
          w.off('error', fail);
        }
      }
      function finish(): void {
        detach();
        if (!failed) resolve();
      }
      function fail(err: Error): void {
        if (failed) return;
        failed = true;
        detach();
        reject(err);
      }
      for (let k = 0; k < IN_FLIGHT_PER_WORKER; k++) for (const w of this.workers) dispatch(w);
      if (inFlight === 0) finish();
    });
  }

  /** Lets each worker release its session and exit; terminates any that has not within 10 s. */
  async close(): Promise<void> {
    await Promise.all(
      this.workers.map(async (w) => {
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
