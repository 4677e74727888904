// An in-process stand-in for an ML node's inference endpoints: the real Executor on a model
// directory behind the InferenceBackend interface the API node's executor role drives. One
// generation at a time (one ORT session), like the ML node. Used by the API inference tests and
// the bench's "Executor alone" baseline until the ML node's HTTP client is wired in.

import type {
  DoneLine,
  GenerateRequest,
  InferenceBackend,
  TokenLine,
} from '../../app/api/openai/protocol.js';
import { Executor } from '../../kernels/executor/index.js';

export class ExecutorBackend implements InferenceBackend {
  private tail: Promise<unknown> = Promise.resolve();
  /** Set to make the next generation fail after this many tokens (tests of mid-stream failure). */
  failAfter: number | undefined;
  /** Set to refuse every request with this HTTP-like status. */
  refuse: number | undefined;
  /** Set to stall (never answer) after this many tokens. */
  stallAfter: number | undefined;

  constructor(
    readonly ex: Executor,
    readonly id: string,
    readonly artifactHex: string,
  ) {}

  static async demo(id: string, artifactHex: string): Promise<ExecutorBackend> {
    return new ExecutorBackend(
      await Executor.load('demo', { log: { info: () => {}, warn: () => {} } }),
      id,
      artifactHex,
    );
  }

  async inferenceModels() {
    return [{ id: this.id, artifact_hash: this.artifactHex, context_length: this.ex.info.maxPositions }];
  }

  generate(req: GenerateRequest, onToken: (t: TokenLine) => void, signal?: AbortSignal): Promise<DoneLine> {
    if (this.refuse !== undefined) {
      const e = Object.assign(new Error(`refused with ${this.refuse}`), { status: this.refuse });
      return Promise.reject(e);
    }
    const run = async (): Promise<DoneLine> => {
      const failAfter = this.failAfter;
      const stallAfter = this.stallAfter;
      let stalled: Promise<never> | undefined;
      const r = await this.ex
        .generate({
          promptTokens: req.prompt_tokens,
          maxTokens: req.max_tokens,
          temperature: req.temperature,
          topP: req.top_p,
          seed: BigInt(req.seed),
          topLogprobs: req.top_logprobs,
          stop: req.stop,
          onToken: (e) => {
            if (signal?.aborted) throw signal.reason;
            if (failAfter !== undefined && e.index >= failAfter) throw new Error('ML node died');
            if (stallAfter !== undefined && e.index >= stallAfter) {
              stalled = new Promise<never>((_, reject) =>
                signal?.addEventListener('abort', () => reject(signal.reason), { once: true }),
              );
              throw new Error('stall');
            }
            onToken({
              type: 'token',
              index: e.index,
              token: e.token,
              text: e.textDelta,
              logprob: e.logprobs.logprob,
              top: e.logprobs.top.map((t) => [t.token, t.logprob] as [number, number]),
            });
          },
        })
        .catch((e: unknown) => {
          if (stalled) return stalled;
          throw e;
        });
      return {
        type: 'done',
        finish_reason: r.finishReason,
        prompt_tokens: req.prompt_tokens.length,
        completion_tokens: r.tokens.length,
      };
    };
    const p = this.tail.then(run, run);
    this.tail = p.catch(() => {});
    return p;
  }
}
