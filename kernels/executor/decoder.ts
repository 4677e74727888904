// One decoder-with-past ONNX session and its forward pass. The interface is the one Hugging Face
// exporters write: input_ids, attention_mask, optional position_ids and use_cache_branch,
// past_key_values.{i}.key|value in, logits and present.{i}.key|value out. The KV cache is the
// list of present tensors, fed back as the next call's past.
import * as ort from 'onnxruntime-node';
import { ExecutorInputError } from './errors.js';

export interface DecoderInterface {
  layers: number;
  kvHeads: number;
  headDim: number;
  vocabSize: number;
  hasPositionIds: boolean;
  hasUseCacheBranch: boolean;
}

export interface KvCache {
  /** Number of positions already in the cache. */
  length: number;
  /** key, value for layer 0, then layer 1, … */
  tensors: ort.Tensor[];
}

export interface ForwardResult {
  /** [rows × vocab] logits, one row per input position. */
  logits: Float32Array;
  rows: number;
  cache: KvCache;
}

function staticDim(meta: ort.InferenceSession.ValueMetadata | undefined, axis: number): number | undefined {
  if (!meta?.isTensor) return undefined;
  const d = meta.shape[axis];
  return typeof d === 'number' && d > 0 ? d : undefined;
}

/** Reads the decoder interface off the session, using config values where a dimension is symbolic. */
export function describeSession(
  session: ort.InferenceSession,
  fromConfig: { layers?: number; kvHeads?: number; headDim?: number; vocabSize?: number },
  path: string,
): DecoderInterface {
  const inputs = new Set(session.inputNames);
  const outputs = new Set(session.outputNames);
  const missing = ['input_ids', 'attention_mask', 'past_key_values.0.key'].filter((n) => !inputs.has(n));
  if (!outputs.has('logits')) missing.push('logits (output)');
  if (!outputs.has('present.0.key')) missing.push('present.0.key (output)');
  if (missing.length > 0) {
    throw new ExecutorInputError(
      `${path} is not a decoder with past_key_values (missing ${missing.join(', ')})`,
    );
  }
  let layers = 0;
  while (inputs.has(`past_key_values.${layers}.key`) && inputs.has(`past_key_values.${layers}.value`))
    layers++;
  if (fromConfig.layers !== undefined && fromConfig.layers !== layers) {
    throw new ExecutorInputError(
      `${path} has ${layers} past_key_values layers but config.json says ${fromConfig.layers}`,
    );
  }
  const meta = (name: string) =>
    (session.inputMetadata ?? []).find((m) => m.name === name) ??
    (session.outputMetadata ?? []).find((m) => m.name === name);
  const pastMeta = meta('past_key_values.0.key');
  if (pastMeta?.isTensor && pastMeta.type !== 'float32') {
    throw new ExecutorInputError(
      `${path}: past_key_values are ${pastMeta.type}; only float32 models are supported`,
    );
  }
  const kvHeads = staticDim(pastMeta, 1) ?? fromConfig.kvHeads;
  const headDim = staticDim(pastMeta, 3) ?? fromConfig.headDim;
  const vocabSize = staticDim(meta('logits'), 2) ?? fromConfig.vocabSize;
  if (kvHeads === undefined || headDim === undefined || vocabSize === undefined) {
    throw new ExecutorInputError(
      `${path}: cannot tell the KV-cache shape or vocabulary size from the model or config.json`,
    );
  }
  return {
    layers,
    kvHeads,
    headDim,
    vocabSize,
    hasPositionIds: inputs.has('position_ids'),
    hasUseCacheBranch: inputs.has('use_cache_branch'),
  };
}

function int64Row(values: ArrayLike<number>): BigInt64Array {
  const out = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = BigInt(values[i] as number);
  return out;
}

export class Decoder {
  constructor(
    readonly session: ort.InferenceSession,
    readonly shape: DecoderInterface,
  ) {}

  emptyCache(): KvCache {
    const { layers, kvHeads, headDim } = this.shape;
    const tensors: ort.Tensor[] = [];
    for (let i = 0; i < 2 * layers; i++)
      tensors.push(new ort.Tensor('float32', new Float32Array(0), [1, kvHeads, 0, headDim]));
    return { length: 0, tensors };
  }

  /** Runs `tokens` after the cached positions. onnxruntime's run is asynchronous and works off the
   *  JS thread, so the event loop stays free while the model runs. */
  async forward(tokens: ArrayLike<number>, cache: KvCache): Promise<ForwardResult> {
    const s = tokens.length;
    const total = cache.length + s;
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', int64Row(tokens), [1, s]),
      attention_mask: new ort.Tensor('int64', new BigInt64Array(total).fill(1n), [1, total]),
    };
    if (this.shape.hasPositionIds) {
      const pos = new BigInt64Array(s);
      for (let i = 0; i < s; i++) pos[i] = BigInt(cache.length + i);
      feeds.position_ids = new ort.Tensor('int64', pos, [1, s]);
    }
    if (this.shape.hasUseCacheBranch)
      feeds.use_cache_branch = new ort.Tensor('bool', [cache.length > 0], [1]);
    for (let l = 0; l < this.shape.layers; l++) {
      feeds[`past_key_values.${l}.key`] = cache.tensors[2 * l] as ort.Tensor;
      feeds[`past_key_values.${l}.value`] = cache.tensors[2 * l + 1] as ort.Tensor;
    }
    const out = await this.session.run(feeds);
    const tensors: ort.Tensor[] = [];
    for (let l = 0; l < this.shape.layers; l++) {
      tensors.push(out[`present.${l}.key`] as ort.Tensor, out[`present.${l}.value`] as ort.Tensor);
    }
    const logits = out.logits as ort.Tensor;
    return { logits: logits.data as Float32Array, rows: s, cache: { length: total, tensors } };
  }

  row(result: ForwardResult, i: number): Float32Array {
    const v = this.shape.vocabSize;
    return result.logits.subarray(i * v, (i + 1) * v);
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
