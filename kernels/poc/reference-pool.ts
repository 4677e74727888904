// A worker-thread pool around the synchronous reference, for batches (validators' samples,
// `poc verify`): the reference itself stays free of threads and I/O for x/poc's fraud proofs.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { PocClass } from './classes.js';
import type { ReferenceJob, ReferenceReply } from './reference-worker.js';

interface Pending {
  resolve(outputs: Uint8Array[]): void;
  reject(err: Error): void;
}

export class ReferencePool {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private nextWorker = 0;

  constructor(size = Math.max(1, availableParallelism())) {
    const script = new URL('./reference-worker.js', import.meta.url);
    this.workers = Array.from({ length: size }, () => {
      const worker = new Worker(script);
      worker.on('message', (reply: ReferenceReply) => this.settle(reply));
      worker.on('error', (err) => this.failAll(err));
      return worker;
    });
  }

  get size(): number {
    return this.workers.length;
  }

  private settle(reply: ReferenceReply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    if ('error' in reply) p.reject(new Error(reply.error));
    else p.resolve(reply.outputs);
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  private run(job: Omit<ReferenceJob, 'id'>): Promise<Uint8Array[]> {
    const id = this.nextId++;
    const worker = this.workers[this.nextWorker++ % this.workers.length] as Worker;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, ...job });
    });
  }

  /** Reference outputs of the nonces, in order, spread over the workers in contiguous chunks. */
  async compute(
    cls: PocClass,
    blockHash: Uint8Array,
    pubkey: Uint8Array,
    nonces: readonly bigint[],
  ): Promise<Uint8Array[]> {
    const chunk = Math.ceil(nonces.length / this.workers.length);
    const jobs: Promise<Uint8Array[]>[] = [];
    for (let i = 0; i < nonces.length; i += chunk) {
      jobs.push(this.run({ cls: cls.name, blockHash, pubkey, nonces: nonces.slice(i, i + chunk) }));
    }
    return (await Promise.all(jobs)).flat();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.failAll(new Error('reference pool closed'));
  }
}
