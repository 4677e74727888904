// Worker thread that owns one Executor for the ML node (workerExecutor.ts is its other side).
// onnxruntime-node runs a session synchronously on the calling thread, so an Executor on the ML
// node's main thread would stall HTTP (mining frames, other streams, /metrics) for every model
// step; here the steps block only this thread, and the main thread writes each token to its
// client while the next step runs. Requests come one at a time (the node's queue); an abort
// message is seen between two model steps, so generation stops at the next token.
import { parentPort, workerData } from 'node:worker_threads';
import { ExecutorInputError } from '../../kernels/executor/errors.js';
import { Executor } from '../../kernels/executor/executor.js';
import type { RuntimeOptions } from '../../kernels/executor/session.js';
import type { ToWorker, WorkerStart } from './workerExecutor.js';

const port = parentPort;
if (port === null) throw new Error('executorWorker.ts runs as a worker thread');
const start = workerData as WorkerStart;

class Aborted extends Error {}

const aborted = new Set<number>();
/** The request being served (the node sends one at a time); settles, never rejects. */
let running: Promise<unknown> = Promise.resolve();
let current = 0;
const post = port.postMessage.bind(port);

async function main(): Promise<void> {
  let executor: Executor;
  try {
    executor = await Executor.load(start.spec, {
      ...(start.runtime as RuntimeOptions),
      log: {
        info: (message) => post({ type: 'log', level: 'info', message }),
        warn: (message) => post({ type: 'log', level: 'warn', message }),
      },
    });
  } catch (err) {
    post({
      type: 'loadFailed',
      message: err instanceof Error ? err.message : String(err),
      input: err instanceof ExecutorInputError,
    });
    return;
  }
  post({ type: 'ready', info: executor.info });

  port?.on('message', (m: ToWorker) => {
    switch (m.type) {
      case 'abort':
        // An abort can cross the request's own answer; only the running request's id is kept.
        if (m.id === current) aborted.add(m.id);
        return;
      case 'close':
        // After the running request (already aborted by the node) ends: closing the session under
        // a run in progress is not allowed.
        void running.then(() => executor.close()).finally(() => port?.close());
        return;
      case 'generate': {
        const { id } = m;
        current = id;
        running = executor
          .generate({
            ...m.req,
            seed: BigInt(m.req.seed),
            onToken: (event) => {
              if (aborted.has(id)) throw new Aborted();
              post({ type: 'token', id, event });
            },
          })
          .then(
            (r) => post({ type: 'done', id, finishReason: r.finishReason, tokens: r.tokens.length }),
            (err: unknown) => post(failure(id, err)),
          )
          .finally(() => aborted.delete(id));
        return;
      }
      case 'replay':
        current = m.id;
        running = executor
          .replay(m.promptTokens, m.tokens, m.topLogprobs)
          .then(
            (r) => post({ type: 'replayed', id: m.id, logprobs: r.logprobs }),
            (err: unknown) => post(failure(m.id, err)),
          )
          .finally(() => aborted.delete(m.id));
    }
  });
}

function failure(id: number, err: unknown) {
  return {
    type: 'failed',
    id,
    aborted: err instanceof Aborted,
    input: err instanceof ExecutorInputError,
    message: err instanceof Error ? err.message : String(err),
  } as const;
}

void main();
