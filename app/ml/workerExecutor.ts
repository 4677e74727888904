// The ML node's handle on an Executor that runs in its own worker thread (executorWorker.ts):
// load, generate with per-token callbacks and an abort signal, replay, close. One request at a
// time — the node's per-model queue guarantees it; a second concurrent call is refused here too.
// A worker that dies fails the running request and every later one with an error.
import { Worker } from 'node:worker_threads';
import { ExecutorInputError, type ExecutorLog, stderrLog } from '../../kernels/executor/errors.js';
import type { ModelInfo } from '../../kernels/executor/modelDir.js';
import type { ProviderName } from '../../kernels/executor/session.js';
import type { FinishReason, TokenEvent, TokenLogprobs } from '../../kernels/executor/types.js';

export interface WorkerStart {
  spec: string;
  runtime: { provider?: ProviderName; threads?: number; cudaDeviceId?: number };
}

/** A generate request as it crosses to the worker (the seed as decimal: bigint is fine for
 *  structured clone, but one format for both directions keeps the protocol plain). */
export interface WorkerGenerate {
  promptTokens: number[];
  maxTokens: number;
  temperature: number;
  topP: number;
  seed: string;
  stop: string[];
  topLogprobs: number;
}

export type ToWorker =
  | { type: 'generate'; id: number; req: WorkerGenerate }
  | { type: 'replay'; id: number; promptTokens: number[]; tokens: number[]; topLogprobs: number }
  | { type: 'abort'; id: number }
  | { type: 'close' };

type FromWorker =
  | { type: 'ready'; info: ModelInfo }
  | { type: 'loadFailed'; message: string; input: boolean }
  | { type: 'log'; level: 'info' | 'warn'; message: string }
  | { type: 'token'; id: number; event: TokenEvent }
  | { type: 'done'; id: number; finishReason: FinishReason; tokens: number }
  | { type: 'replayed'; id: number; logprobs: TokenLogprobs[] }
  | { type: 'failed'; id: number; aborted: boolean; input: boolean; message: string };

/** The request was aborted (its signal fired) and the worker stopped it. */
export class WorkerAbortedError extends Error {
  override name = 'WorkerAbortedError';
}

interface Pending {
  id: number;
  onToken?: (e: TokenEvent) => void;
  resolve: (v: FromWorker) => void;
  reject: (err: unknown) => void;
  abortReason?: unknown;
}

export interface WorkerGenerateResult {
  finishReason: FinishReason;
  tokens: number;
}

export class WorkerExecutor {
  private pending: Pending | undefined;
  private nextId = 1;
  private dead: Error | undefined;

  private constructor(
    private readonly worker: Worker,
    readonly info: ModelInfo,
    private readonly log: ExecutorLog,
  ) {
    worker.on('message', (m: FromWorker) => this.onMessage(m));
    worker.on('error', (err) => this.die(err));
    worker.on('exit', (code) => this.die(new Error(`executor worker exited (${code})`)));
  }

  /** False once the worker died (crashed, was terminated or closed): every call then fails. */
  get alive(): boolean {
    return this.dead === undefined;
  }

  /** Starts a worker and loads `spec` ('demo' or a model directory) in it. Bad model input
   *  rejects with ExecutorInputError, as Executor.load does. */
  static async load(
    spec: string,
    runtime: WorkerStart['runtime'],
    log: ExecutorLog = stderrLog,
  ): Promise<WorkerExecutor> {
    const workerData: WorkerStart = { spec, runtime };
    const worker = new Worker(new URL('./executorWorker.js', import.meta.url), { workerData });
    const info = await new Promise<ModelInfo>((resolve, reject) => {
      const onMessage = (m: FromWorker) => {
        if (m.type === 'log') {
          log[m.level](m.message);
          return;
        }
        worker.off('message', onMessage);
        worker.off('error', reject);
        if (m.type === 'ready') resolve(m.info);
        else if (m.type === 'loadFailed')
          reject(m.input ? new ExecutorInputError(m.message) : new Error(m.message));
        else reject(new Error(`executor worker sent ${m.type} before ready`));
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    }).catch(async (err: unknown) => {
      await worker.terminate();
      throw err;
    });
    return new WorkerExecutor(worker, info, log);
  }

  /** Generates in the worker; onToken sees every token before the worker's next model step
   *  finishes. Rejects with WorkerAbortedError (carrying the signal's reason as cause) when
   *  `signal` aborts: the worker stops at its next token. */
  async generate(
    req: WorkerGenerate,
    onToken: (e: TokenEvent) => void,
    signal: AbortSignal,
  ): Promise<WorkerGenerateResult> {
    const m = await this.call({ type: 'generate', id: 0, req }, signal, onToken);
    if (m.type !== 'done') throw new Error(`executor worker answered ${m.type}`);
    return { finishReason: m.finishReason, tokens: m.tokens };
  }

  async replay(
    promptTokens: number[],
    tokens: number[],
    topLogprobs: number,
    signal: AbortSignal,
  ): Promise<TokenLogprobs[]> {
    const m = await this.call({ type: 'replay', id: 0, promptTokens, tokens, topLogprobs }, signal);
    if (m.type !== 'replayed') throw new Error(`executor worker answered ${m.type}`);
    return m.logprobs;
  }

  /** Closes the session and ends the worker. Never terminate()s it: terminating a worker inside
   *  a session run aborts the whole process (onnxruntime-node throws a Napi::Error from a native
   *  frame: "terminate called after throwing"). A worker still busy after 5 s is unref'd so it
   *  cannot keep the process alive, and left to finish its step. */
  async close(): Promise<void> {
    if (this.dead) return;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage({ type: 'close' } satisfies ToWorker);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, 5_000);
    });
    await Promise.race([exited, late]);
    clearTimeout(timer);
    if (!this.dead) this.worker.unref();
  }

  private call(
    msg: Extract<ToWorker, { type: 'generate' | 'replay' }>,
    signal: AbortSignal,
    onToken?: (e: TokenEvent) => void,
  ): Promise<FromWorker> {
    if (this.dead) return Promise.reject(this.dead);
    if (this.pending) return Promise.reject(new Error('executor worker is busy (one request at a time)'));
    if (signal.aborted) return Promise.reject(new WorkerAbortedError('aborted', { cause: signal.reason }));
    const id = this.nextId++;
    return new Promise<FromWorker>((resolve, reject) => {
      const p: Pending = { id, onToken, resolve, reject };
      const onAbort = () => {
        if (this.pending !== p) return;
        p.abortReason = signal.reason;
        this.worker.postMessage({ type: 'abort', id } satisfies ToWorker);
      };
      const settle = () => signal.removeEventListener('abort', onAbort);
      p.resolve = (v) => {
        settle();
        resolve(v);
      };
      p.reject = (e) => {
        settle();
        reject(e);
      };
      this.pending = p;
      signal.addEventListener('abort', onAbort, { once: true });
      this.worker.postMessage({ ...msg, id } satisfies ToWorker);
    });
  }

  private onMessage(m: FromWorker): void {
    if (m.type === 'log') {
      this.log[m.level](m.message);
      return;
    }
    if (m.type === 'ready' || m.type === 'loadFailed') return;
    const p = this.pending;
    if (p === undefined || p.id !== m.id) return; // a late message of a request already settled
    if (m.type === 'token') {
      if (p.abortReason !== undefined) return; // aborted: nothing more goes to the caller
      try {
        p.onToken?.(m.event);
      } catch (err) {
        // The caller's callback failed: stop the worker's generation and fail the request.
        p.abortReason = err;
        this.worker.postMessage({ type: 'abort', id: p.id } satisfies ToWorker);
      }
      return;
    }
    this.pending = undefined;
    if (m.type === 'failed') {
      if (m.aborted) p.reject(new WorkerAbortedError('aborted', { cause: p.abortReason }));
      else p.reject(m.input ? new ExecutorInputError(m.message) : new Error(m.message));
    } else if (p.abortReason !== undefined) {
      // Finished before the abort reached the worker.
      p.reject(new WorkerAbortedError('aborted', { cause: p.abortReason }));
    } else p.resolve(m);
  }

  private die(err: Error): void {
    if (this.dead) return;
    this.dead = err;
    const p = this.pending;
    this.pending = undefined;
    p?.reject(err);
  }
}
