// The inference executor: generation with a KV cache (seeded sampling, stop sequences, max tokens,
// per-token streaming, top-k logprobs) and forced replay for validators. Model execution is
// onnxruntime's asynchronous run (off the JS thread); the JS work per token is one log-softmax,
// one top-k and one sampler pick over the vocabulary.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Decoder, KvCache } from './decoder.js';
import { ExecutorInputError, type ExecutorLog, stderrLog } from './errors.js';
import { ensureDemoModelDir } from './model/demo.js';
import { type LoadedModel, loadModelDir, type ModelInfo } from './modelDir.js';
import { SeededUniforms } from './prng.js';
import { checkSamplingParams, chooseToken, MAX_TOP_LOGPROBS, tokenLogprobs } from './sampler.js';
import type { RuntimeOptions } from './session.js';
import { type ChatMessage, StreamDecoder, type TextTokenizer } from './tokenizer.js';
import type {
  FinishReason,
  GenerateRequest,
  GenerateResult,
  ReplayResult,
  SamplingParams,
  TokenLogprobs,
} from './types.js';
import { type Verification, verifyOutput } from './verify.js';

export interface ExecutorOptions extends RuntimeOptions {
  log?: ExecutorLog;
}

export type ReplayMode = 'single-pass' | 'kv-cache';

/** Positions whose logprobs are computed between two yields to the event loop during replay. */
const REPLAY_CHUNK = 64;

export class Executor {
  private constructor(private readonly model: LoadedModel) {}

  /** `model` is 'demo' (the built-in generated model) or a model directory. */
  static async load(model: string, opts: ExecutorOptions = {}): Promise<Executor> {
    if (model.trim() === '') throw new ExecutorInputError('no model given (use "demo" or a model directory)');
    const dir = model === 'demo' ? ensureDemoModelDir() : model;
    return new Executor(await loadModelDir(dir, opts, opts.log ?? stderrLog));
  }

  get info(): ModelInfo {
    return this.model.info;
  }

  get tokenizer(): TextTokenizer {
    return this.model.tokenizer;
  }

  get decoder(): Decoder {
    return this.model.decoder;
  }

  /** Plain-text prompt → token ids (no template). */
  encodePrompt(text: string): number[] {
    if (text.length === 0) throw new ExecutorInputError('the prompt is empty');
    const ids = this.model.tokenizer.encode(text);
    if (ids.length === 0) throw new ExecutorInputError('the prompt encodes to no tokens');
    return ids;
  }

  /** Chat messages → token ids through the model's chat template. */
  chatPrompt(messages: ChatMessage[]): number[] {
    if (messages.length === 0 || messages.every((m) => m.content.length === 0))
      throw new ExecutorInputError('the prompt is empty');
    return this.model.tokenizer.encode(this.model.tokenizer.applyChatTemplate(messages));
  }

  private checkTokens(ids: number[], what: string): void {
    const v = this.info.vocabSize;
    for (const id of ids) {
      if (!(Number.isInteger(id) && id >= 0 && id < v))
        throw new ExecutorInputError(`${what} has token id ${id} outside the vocabulary [0, ${v})`);
    }
  }

  private checkLength(promptLength: number, maxTokens: number): void {
    if (promptLength === 0) throw new ExecutorInputError('the prompt is empty');
    if (!(Number.isInteger(maxTokens) && maxTokens >= 1))
      throw new ExecutorInputError(`max tokens must be a positive integer, got ${maxTokens}`);
    const room = this.info.maxPositions - promptLength;
    if (maxTokens > room) {
      throw new ExecutorInputError(
        `max tokens ${maxTokens} is over the limit: the model's context is ${this.info.maxPositions} tokens and the prompt uses ${promptLength}, so at most ${Math.max(0, room)}`,
      );
    }
  }

  private checkRequest(req: GenerateRequest): void {
    this.checkLength(req.promptTokens.length, req.maxTokens);
    this.checkTokens(req.promptTokens, 'the prompt');
    if (!(Number.isInteger(req.topLogprobs) && req.topLogprobs >= 0 && req.topLogprobs <= MAX_TOP_LOGPROBS)) {
      throw new ExecutorInputError(
        `top logprobs must be an integer in [0, ${MAX_TOP_LOGPROBS}], got ${req.topLogprobs}`,
      );
    }
    try {
      checkSamplingParams(req);
    } catch (err) {
      throw new ExecutorInputError(err instanceof Error ? err.message : String(err));
    }
  }

  async generate(req: GenerateRequest): Promise<GenerateResult> {
    this.checkRequest(req);
    const { decoder, tokenizer } = this.model;
    const uniforms = new SeededUniforms(req.seed);
    const eos = new Set(req.stopAtEos === false ? [] : this.info.eosTokenIds);
    const stops = (req.stop ?? []).filter((s) => s.length > 0);
    const holdBack = stops.length > 0 ? Math.max(...stops.map((s) => s.length)) - 1 : 0;
    const stream = new StreamDecoder(tokenizer);
    // Text is decoded per token only when someone looks at it before the end (a stream or stop
    // sequences); otherwise once, at the end.
    const incremental = stops.length > 0 || req.onToken !== undefined;

    const tokens: number[] = [];
    const logprobs: TokenLogprobs[] = [];
    let text = '';
    let emitted = 0;
    let finish: FinishReason | undefined;
    let step = await decoder.forward(req.promptTokens, decoder.emptyCache());
    let row = decoder.row(step, step.rows - 1);

    for (let i = 0; finish === undefined; i++) {
      const token = chooseToken(row, req, uniforms, i);
      const lp = tokenLogprobs(row, token, req.topLogprobs);
      tokens.push(token);
      logprobs.push(lp);
      if (eos.has(token)) finish = 'eos';
      else if (incremental) {
        const delta = stream.push(token);
        text += delta;
        if (stops.length > 0 && delta.length > 0) {
          const from = Math.max(0, text.length - delta.length - holdBack);
          let cut = -1;
          for (const s of stops) {
            const at = text.indexOf(s, from);
            if (at >= 0 && (cut < 0 || at < cut)) cut = at;
          }
          if (cut >= 0) {
            text = text.slice(0, cut);
            finish = 'stop';
          }
        }
      }
      if (finish === undefined && i + 1 >= req.maxTokens) finish = 'length';
      if (finish !== undefined && finish !== 'stop') {
        text = incremental
          ? text + stream.flush()
          : tokenizer.decode(eos.has(token) ? tokens.slice(0, -1) : tokens);
      }
      if (req.onToken) {
        // Text that could still turn out to be the start of a stop sequence is held back.
        const release = finish !== undefined ? text.length : Math.max(emitted, text.length - holdBack);
        const textDelta = text.slice(emitted, release);
        emitted = release;
        req.onToken({ index: i, token, textDelta, logprobs: lp });
      }
      if (finish === undefined) {
        step = await decoder.forward([token], step.cache);
        row = decoder.row(step, 0);
      }
    }
    return { tokens, logprobs, text, finishReason: finish };
  }

  /** Forced replay: for each of `tokens` (the output that followed `promptTokens`), its logprob
   *  and the top-k alternatives under this model, plus the logits rows for the sampler check.
   *  'single-pass' runs prompt and output through the model in one call (no cache);
   *  'kv-cache' feeds the forced tokens one at a time through the cache, as generation does. */
  async replay(
    promptTokens: number[],
    tokens: number[],
    topLogprobs: number,
    mode: ReplayMode = 'single-pass',
  ): Promise<ReplayResult> {
    this.checkLength(promptTokens.length, Math.max(1, tokens.length));
    this.checkTokens(promptTokens, 'the prompt');
    this.checkTokens(tokens, 'the replayed output');
    if (!(Number.isInteger(topLogprobs) && topLogprobs >= 0 && topLogprobs <= MAX_TOP_LOGPROBS)) {
      throw new ExecutorInputError(
        `top logprobs must be an integer in [0, ${MAX_TOP_LOGPROBS}], got ${topLogprobs}`,
      );
    }
    const rows =
      mode === 'single-pass'
        ? await this.singlePassRows(promptTokens, tokens)
        : await this.cachedRows(promptTokens, tokens);
    const logprobs: TokenLogprobs[] = [];
    for (let i = 0; i < tokens.length; i++) {
      if (i > 0 && i % REPLAY_CHUNK === 0) await yieldToEventLoop();
      logprobs.push(tokenLogprobs(rows[i] as Float32Array, tokens[i] as number, topLogprobs));
    }
    return { logprobs, logits: rows };
  }

  private async singlePassRows(promptTokens: number[], tokens: number[]): Promise<Float32Array[]> {
    const { decoder } = this.model;
    const res = await decoder.forward(promptTokens.concat(tokens), decoder.emptyCache());
    return tokens.map((_, i) => decoder.row(res, promptTokens.length - 1 + i));
  }

  private async cachedRows(promptTokens: number[], tokens: number[]): Promise<Float32Array[]> {
    const { decoder } = this.model;
    const rows: Float32Array[] = [];
    let res = await decoder.forward(promptTokens, decoder.emptyCache());
    let cache: KvCache = res.cache;
    for (let i = 0; i < tokens.length; i++) {
      rows.push(decoder.row(res, res.rows - 1));
      if (i + 1 < tokens.length) {
        res = await decoder.forward([tokens[i] as number], cache);
        cache = res.cache;
      }
    }
    return rows;
  }

  /** The validator's side: replays the claimed output and runs both checks (verify.ts) with this
   *  model's similarity threshold. */
  async verify(
    request: SamplingParams & { promptTokens: number[]; topLogprobs: number },
    claimed: TokenLogprobs[],
  ): Promise<Verification> {
    const replay = await this.replay(
      request.promptTokens,
      claimed.map((c) => c.token),
      Math.max(1, request.topLogprobs),
    );
    await yieldToEventLoop();
    return verifyOutput({
      params: request,
      claimed,
      replayedLogits: replay.logits,
      replayedLogprobs: replay.logprobs,
      threshold: this.info.validationThreshold,
    });
  }

  async close(): Promise<void> {
    await this.model.decoder.close();
  }
}
