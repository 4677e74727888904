// Worker-thread body of ReferencePool: computes reference outputs, caching epochs between jobs.
import { parentPort } from 'node:worker_threads';
import { pocClass } from './classes.js';
import { EpochCache } from './epoch.js';
import { computeOutput } from './reference.js';

export interface ReferenceJob {
  readonly id: number;
  readonly cls: string;
  readonly blockHash: Uint8Array;
  readonly pubkey: Uint8Array;
  readonly nonces: readonly bigint[];
}

export type ReferenceReply =
  | { readonly id: number; readonly outputs: Uint8Array[] }
  | { readonly id: number; readonly error: string };

const epochs = new EpochCache(2);
const port = parentPort;
if (!port) throw new Error('reference-worker must run in a worker thread');

port.on('message', (job: ReferenceJob) => {
  let reply: ReferenceReply;
  try {
    const epoch = epochs.get(pocClass(job.cls), job.blockHash);
    reply = { id: job.id, outputs: job.nonces.map((n) => computeOutput(epoch, job.pubkey, n)) };
  } catch (err) {
    reply = { id: job.id, error: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(reply);
});
