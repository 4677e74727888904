// Worker-thread body of PocMiner: owns one checked ORT session (1 intra-op thread by default)
// and mines the ranges it is handed: keystreams → ORT → big-endian outputs, returned by transfer.
import { parentPort, workerData } from 'node:worker_threads';
import { outputBytes, pocClass } from '../classes.js';
import { createEpoch } from '../epoch.js';
import { openCheckedSession } from '../ort/checked-session.js';
import type { OrtFormName } from '../ort/forms.js';
import { encodeOutputsInto, RangeInputs } from './batch-io.js';

export interface MinerWorkerData {
  readonly cls: string;
  readonly blockHash: Uint8Array;
  readonly pubkey: Uint8Array;
  readonly threads: number;
  readonly maxBatch: number;
  /** Most ranges PocMiner keeps in flight on this worker: one input buffer each. */
  readonly inFlight: number;
}

export interface MinerJob {
  readonly first: number;
  readonly count: number;
}

export type MinerReply =
  | { readonly kind: 'ready'; readonly form: OrtFormName }
  | { readonly kind: 'done'; readonly first: number; readonly count: number; readonly outputs: Uint8Array }
  | { readonly kind: 'error'; readonly error: string };

const port = parentPort;
if (!port) throw new Error('miner-worker must run in a worker thread');
const data = workerData as MinerWorkerData;

try {
  const cls = pocClass(data.cls);
  const epoch = createEpoch(cls, data.blockHash);
  const session = await openCheckedSession(epoch, { threads: data.threads });
  const inputs = new RangeInputs(cls, epoch.seed, data.pubkey);
  // One reused input buffer per range in flight: the keystreams of the next ranges are written
  // while ORT runs the current one. PocMiner never keeps more ranges in flight than there are
  // buffers, so a buffer is free again when its turn comes. ORT keeps no reference after run().
  const buffers = Array.from({ length: data.inFlight }, () => new Uint8Array(data.maxBatch * cls.T * cls.d));
  const fail = (err: unknown) =>
    port.postMessage({
      kind: 'error',
      error: err instanceof Error ? err.message : String(err),
    } satisfies MinerReply);
  let received = 0;
  let tail: Promise<void> = Promise.resolve();
  port.postMessage({ kind: 'ready', form: session.form } satisfies MinerReply);
  port.on('message', (job: MinerJob | 'close') => {
    if (job === 'close') {
      // process.exit in a worker ends only this thread.
      tail = tail.then(() => session.release()).finally(() => process.exit(0));
      return;
    }
    const batch = (buffers[received++ % buffers.length] as Uint8Array).subarray(0, job.count * cls.T * cls.d);
    try {
      inputs.write(BigInt(job.first), job.count, batch);
    } catch (err) {
      fail(err);
      return;
    }
    tail = tail.then(async () => {
      try {
        const { y } = await session.run(batch);
        const outputs = new Uint8Array(job.count * outputBytes(cls));
        encodeOutputsInto(y, outputs);
        const reply: MinerReply = { kind: 'done', first: job.first, count: job.count, outputs };
        port.postMessage(reply, [outputs.buffer]);
      } catch (err) {
        fail(err);
      }
    });
  });
} catch (err) {
  port.postMessage({
    kind: 'error',
    error: err instanceof Error ? err.message : String(err),
  } satisfies MinerReply);
}
