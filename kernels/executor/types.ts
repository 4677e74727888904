// Public data types of the inference executor.

/** How the next token is chosen. temperature 0 means greedy (argmax, lowest id on exact ties). */
export interface SamplingParams {
  temperature: number;
  /** Nucleus mass in (0, 1]; 1 disables top-p. */
  topP: number;
  /** Request seed: an unsigned integer below 2^64. */
  seed: bigint;
}

export interface TopLogprob {
  token: number;
  logprob: number;
}

/** One position of an output: the token, its log-probability and the k most likely alternatives. */
export interface TokenLogprobs {
  token: number;
  logprob: number;
  /** The k most likely tokens at this position, most likely first (ties: lower id first). */
  top: TopLogprob[];
}

export interface GenerateRequest extends SamplingParams {
  /** Prompt token ids (already templated and encoded). */
  promptTokens: number[];
  maxTokens: number;
  /** Number of alternatives per position, 0..20. */
  topLogprobs: number;
  /** Stop when the decoded output contains one of these (the output text is cut before it). */
  stop?: string[];
  /** Stop at the model's end-of-sequence token (default true). */
  stopAtEos?: boolean;
  /** Called once per generated token, in order, before the next model step starts. */
  onToken?: (event: TokenEvent) => void;
}

export interface TokenEvent {
  index: number;
  token: number;
  /** Text that became final with this token (may be empty while a UTF-8 sequence is incomplete). */
  textDelta: string;
  logprobs: TokenLogprobs;
}

export type FinishReason = 'length' | 'stop' | 'eos';

export interface GenerateResult {
  tokens: number[];
  logprobs: TokenLogprobs[];
  text: string;
  finishReason: FinishReason;
}

/** Replay output: per forced token, its log-probability and the top-k alternatives, plus the raw
 *  logits rows the sampler check needs. */
export interface ReplayResult {
  logprobs: TokenLogprobs[];
  /** logits[i] is the distribution the i-th forced token was drawn from. */
  logits: Float32Array[];
}
