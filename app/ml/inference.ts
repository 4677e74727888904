// The ML node's inference state behind its /v1/inference routes: the models it serves (an Executor,
// its artifact hash, one request queue each), generation and replay through those queues, and the
// inference metrics. Inference never touches the mining state (node.ts): the two share the CPU but
// no lock, queue or session, so neither can wait on the other. inferenceRoutes.ts parses and
// bounds requests, then calls in here.
import { setMaxListeners } from 'node:events';
import { modelArtifactHashHex } from '../../kernels/executor/artifactHash.js';
import type { ExecutorOptions } from '../../kernels/executor/executor.js';
import type { TokenEvent, TokenLogprobs } from '../../kernels/executor/types.js';
import type { Logger } from '../log.js';
import { InferenceQueue } from './inferenceQueue.js';
import {
  type DoneLine,
  type InferenceModelInfo,
  type ReplayPosition,
  type TokenLine,
  type TopEntry,
  wireLogprob,
} from './inferenceWire.js';
import type { MlMetrics } from './metrics.js';
import { WorkerAbortedError, WorkerExecutor } from './workerExecutor.js';

/** The id `--model demo` is served under unless --model-id says otherwise (inference-contract). */
export const DEMO_MODEL_ID = 'gonka/demo';
/** Requests per model admitted at once (running + waiting) unless --max-queue says otherwise. */
export const DEFAULT_MAX_QUEUE = 16;
/** How long close() waits for running generations (aborted at their next token) to end. */
const CLOSE_DRAIN_MS = 10_000;

/** A loaded model as the node serves it. The node owns the executor and closes it. */
export interface ServedModel {
  id: string;
  /** The Executor, in a worker thread of its own (onnxruntime-node runs a session synchronously
   *  on its caller's thread; the node's HTTP and mining must not wait behind model steps). */
  executor: WorkerExecutor;
  /** modelArtifactHash of the directory the executor loaded, lowercase hex. */
  artifactHash: string;
}

/** Loads `demo` or a model directory (in a worker thread) and hashes its files. */
export async function loadServedModel(
  spec: string,
  id?: string,
  opts: ExecutorOptions = {},
): Promise<ServedModel> {
  const { log, ...runtime } = opts;
  const executor = await WorkerExecutor.load(spec, runtime, log);
  try {
    const artifactHash = await modelArtifactHashHex(executor.info.dir);
    return { id: id ?? (spec === 'demo' ? DEMO_MODEL_ID : executor.info.id), executor, artifactHash };
  } catch (err) {
    await executor.close().catch(() => undefined);
    throw err;
  }
}

export interface ModelEntry extends ServedModel {
  queue: InferenceQueue;
  contextLength: number;
  vocabSize: number;
}

/** What generate() runs: the request after the route's checks. */
export interface GenerateParams {
  promptTokens: number[];
  maxTokens: number;
  temperature: number;
  topP: number;
  seed: bigint;
  stop: string[];
  topLogprobs: number;
}

function topOf(lp: TokenLogprobs): TopEntry[] {
  return lp.top.map((t) => [t.token, wireLogprob(t.logprob) as number]);
}

/** The request's client left, or the node is closing. */
export class GenerationAborted extends Error {
  override name = 'GenerationAborted';
}

/** Maps the worker's abort to the signal's GenerationAborted; other errors pass unchanged. */
function abortedAs(signal: AbortSignal) {
  return (err: unknown): never => {
    if (err instanceof WorkerAbortedError)
      throw signal.reason instanceof GenerationAborted ? signal.reason : new GenerationAborted('aborted');
    throw err;
  };
}

export class InferenceModels {
  private readonly entries = new Map<string, ModelEntry>();
  private readonly closing = new AbortController();
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    models: ServedModel[],
    maxQueue: number,
    private readonly metrics: MlMetrics,
    private readonly log: Logger,
  ) {
    // One listener per admitted request on the closing signal: bounded, so no leak warning.
    setMaxListeners(models.length * maxQueue + 8, this.closing.signal);
    for (const m of models) {
      if (this.entries.has(m.id)) throw new RangeError(`model id ${m.id} given twice`);
      const depth = metrics.inferenceQueueDepth.labels(m.id);
      depth.set(0);
      this.entries.set(m.id, {
        ...m,
        queue: new InferenceQueue(maxQueue, (d) => depth.set(d)),
        contextLength: m.executor.info.maxPositions,
        vocabSize: m.executor.info.vocabSize,
      });
    }
  }

  get(id: string): ModelEntry | undefined {
    return this.entries.get(id);
  }

  list(): InferenceModelInfo[] {
    return [...this.entries.values()].map((e) => ({
      id: e.id,
      artifact_hash: e.artifactHash,
      context_length: e.contextLength,
      vocab_size: e.vocabSize,
    }));
  }

  /**
   * Generates through the model's queue, calling onLine for every token before the next model step.
   * Rejects with QueueFullError at once when the queue is full; with GenerationAborted if `signal`
   * (the client) or close() aborts it, while it waits or at its next token.
   */
  generate(
    e: ModelEntry,
    p: GenerateParams,
    onLine: (line: TokenLine) => void,
    signal: AbortSignal,
  ): Promise<DoneLine> {
    const received = performance.now();
    const { signal: both, dispose } = this.linked(signal);
    const tokens = this.metrics.inferenceTokens.labels(e.id);
    const run = e.queue.run(async () => {
      if (both.aborted) throw new GenerationAborted('aborted before it started');
      const onToken = (t: TokenEvent) => {
        if (t.index === 0)
          this.metrics.inferenceTtft.labels(e.id).observe((performance.now() - received) / 1e3);
        tokens.inc();
        onLine({
          type: 'token',
          index: t.index,
          token: t.token,
          text: t.textDelta,
          logprob: wireLogprob(t.logprobs.logprob) as number,
          top: topOf(t.logprobs),
        });
      };
      // An abort reaches the worker between two model steps: it stops at the next token.
      const result = await e.executor
        .generate({ ...p, seed: p.seed.toString() }, onToken, both)
        .catch(abortedAs(both));
      return {
        type: 'done',
        finish_reason: result.finishReason,
        prompt_tokens: p.promptTokens.length,
        completion_tokens: result.tokens,
      } satisfies DoneLine;
    }, both);
    return this.track(run, dispose);
  }

  /** Forced replay through the model's queue (same bound and order as generation). */
  replay(
    e: ModelEntry,
    promptTokens: number[],
    tokens: number[],
    topLogprobs: number,
    signal: AbortSignal,
  ): Promise<ReplayPosition[]> {
    const { signal: both, dispose } = this.linked(signal);
    const run = e.queue.run(async () => {
      if (both.aborted) throw new GenerationAborted('aborted before it started');
      const r = await e.executor.replay(promptTokens, tokens, topLogprobs, both).catch(abortedAs(both));
      return r.map((lp) => ({
        token: lp.token,
        logprob: wireLogprob(lp.logprob) as number,
        top: topOf(lp),
      }));
    }, both);
    return this.track(run, dispose);
  }

  /** Aborts every request (at its next token), waits (bounded) for them, closes the executors. */
  async close(): Promise<void> {
    this.closing.abort(new GenerationAborted('the ML node is closing'));
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, CLOSE_DRAIN_MS);
    });
    await Promise.race([Promise.allSettled([...this.inFlight]), deadline]);
    clearTimeout(timer);
    for (const e of this.entries.values()) {
      await e.executor.close().catch((err: unknown) => this.log.warn({ err, model: e.id }, 'executor close'));
    }
  }

  private track<T>(p: Promise<T>, dispose: () => void): Promise<T> {
    this.inFlight.add(p);
    const forget = () => {
      this.inFlight.delete(p);
      dispose();
    };
    p.then(forget, forget);
    return p;
  }

  /** A signal that fires when the request's does or the node closes; dispose() unhooks it from
   *  the node's long-lived one (AbortSignal.any would keep a reference per request on it). */
  private linked(request: AbortSignal): { signal: AbortSignal; dispose: () => void } {
    const ac = new AbortController();
    const closing = this.closing.signal;
    const fromRequest = () => ac.abort(request.reason);
    const fromClosing = () => ac.abort(closing.reason);
    if (request.aborted) fromRequest();
    else if (closing.aborted) fromClosing();
    request.addEventListener('abort', fromRequest, { once: true });
    closing.addEventListener('abort', fromClosing, { once: true });
    return {
      signal: ac.signal,
      dispose: () => {
        request.removeEventListener('abort', fromRequest);
        closing.removeEventListener('abort', fromClosing);
      },
    };
  }
}
