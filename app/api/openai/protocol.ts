// The wire types of paid inference between the API node and the ML node
// (POST /v1/inference/generate) and between two API nodes (POST /v1/inference/execute): the
// executor streams the ML node's ndjson lines through unchanged, so both share one line format
// (inference-contract.md); the line types and their checks are the ML node's (app/ml/inferenceWire.ts).
import type { MlNodeClient } from '../../ml/client.js';
import type { DoneLine, GenerateBody, InferenceFinishReason, TokenLine } from '../../ml/inferenceWire.js';

export type { DoneLine, ErrorLine, GenerateLine, TokenLine } from '../../ml/inferenceWire.js';
export type FinishReason = InferenceFinishReason;
/** The ML node's generate body (snake_case, as sent). */
export type GenerateRequest = GenerateBody;

/** What the executor role needs from an ML node: its models and a streamed generation. The ML
 *  node's HTTP client (app/ml/client.ts) and an in-process Executor adapter both provide it. */
export interface InferenceBackend {
  inferenceModels(): Promise<{ id: string; artifact_hash: string; context_length: number }[]>;
  /** Streams token lines to onToken in order; resolves with the done line; rejects on a refusal
   *  (with `status` when the ML node answered an HTTP error) or a broken stream. */
  generate(req: GenerateRequest, onToken: (t: TokenLine) => void, signal?: AbortSignal): Promise<DoneLine>;
}

/** POST /v1/inference/execute body, signed by the transfer agent. */
export interface ExecuteRequest {
  inference_id: string;
  model: string;
  prompt_tokens: number[];
  max_tokens: number;
  temperature: number;
  top_p: number;
  stop: string[];
  transfer_agent: string;
  requested_by: string;
}

/** Wraps the ML node's HTTP client (camelCase requests) as an InferenceBackend. */
export function mlNodeBackend(client: MlNodeClient): InferenceBackend {
  const vocab = new Map<string, number>();
  return {
    async inferenceModels() {
      const models = await client.inferenceModels();
      for (const m of models) vocab.set(m.id, m.vocab_size);
      return models;
    },
    generate(req, onToken, signal) {
      return client.generate(
        {
          model: req.model,
          artifactHash: req.artifact_hash,
          promptTokens: req.prompt_tokens,
          maxTokens: req.max_tokens,
          temperature: req.temperature,
          topP: req.top_p,
          seed: BigInt(req.seed),
          stop: req.stop,
          topLogprobs: req.top_logprobs,
          vocabSize: vocab.get(req.model),
        },
        onToken,
        signal,
      );
    },
  };
}
