// Loads a model directory (Hugging Face ONNX export layout, or the generated demo): config.json
// for the shape and limits, tokenizer.json (+ tokenizer_config.json) for text, model.onnx for the
// decoder session.
import { existsSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { Decoder, describeSession } from './decoder.js';
import { ExecutorInputError, type ExecutorLog } from './errors.js';
import { createSession, type ProviderName, type RuntimeOptions } from './session.js';
import { readJson, TextTokenizer } from './tokenizer.js';

/** Used when config.json names none (Gonka's genesis threshold). */
export const DEFAULT_VALIDATION_THRESHOLD = 0.85;

export interface ModelInfo {
  id: string;
  dir: string;
  provider: ProviderName;
  vocabSize: number;
  maxPositions: number;
  eosTokenIds: number[];
  validationThreshold: number;
  hasChatTemplate: boolean;
}

export interface LoadedModel {
  info: ModelInfo;
  decoder: Decoder;
  tokenizer: TextTokenizer;
}

function num(config: Record<string, unknown>, ...keys: string[]): number | undefined {
  for (const k of keys) {
    const v = config[k];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return undefined;
}

function eosIds(config: Record<string, unknown>, tokenizer: TextTokenizer): number[] {
  const v = config.eos_token_id;
  if (typeof v === 'number') return [v];
  if (Array.isArray(v)) return v.filter((x): x is number => typeof x === 'number');
  const s = tokenizer.specialToken('eos_token');
  const id = s === undefined ? undefined : tokenizer.tokenId(s);
  return id === undefined ? [] : [id];
}

export async function loadModelDir(
  dirArg: string,
  runtime: RuntimeOptions,
  log: ExecutorLog,
): Promise<LoadedModel> {
  const dir = resolve(dirArg);
  if (!existsSync(dir)) throw new ExecutorInputError(`model directory not found: ${dirArg}`);
  if (!statSync(dir).isDirectory()) throw new ExecutorInputError(`model path is not a directory: ${dirArg}`);
  const onnxPath = join(dir, 'model.onnx');
  if (!existsSync(onnxPath))
    throw new ExecutorInputError(`model directory is missing model.onnx (${onnxPath})`);
  const config = readJson(join(dir, 'config.json'), 'config.json');
  const tokenizer = TextTokenizer.fromDir(dir);

  const heads = num(config, 'num_attention_heads', 'n_head');
  const hidden = num(config, 'hidden_size', 'n_embd', 'd_model');
  const maxPositions = num(config, 'max_position_embeddings', 'n_positions', 'n_ctx');
  if (maxPositions === undefined)
    throw new ExecutorInputError(
      `${join(dir, 'config.json')} names no context length (max_position_embeddings or n_positions)`,
    );
  const headDim = num(config, 'head_dim') ?? (heads && hidden ? hidden / heads : undefined);
  const { session, provider } = await createSession(onnxPath, runtime, log);
  const shape = describeSession(
    session,
    {
      layers: num(config, 'num_hidden_layers', 'n_layer'),
      kvHeads: num(config, 'num_key_value_heads') ?? heads,
      headDim,
      vocabSize: num(config, 'vocab_size'),
    },
    onnxPath,
  );
  const gonka = (typeof config.gonka === 'object' && config.gonka !== null ? config.gonka : {}) as Record<
    string,
    unknown
  >;
  const threshold = num(gonka, 'validation_threshold') ?? DEFAULT_VALIDATION_THRESHOLD;
  const info: ModelInfo = {
    id: typeof config._name_or_path === 'string' ? config._name_or_path : basename(dir),
    dir,
    provider,
    vocabSize: shape.vocabSize,
    maxPositions,
    eosTokenIds: eosIds(config, tokenizer),
    validationThreshold: threshold,
    hasChatTemplate: tokenizer.hasChatTemplate,
  };
  log.info(
    `loaded ${info.id} from ${dir}: ${shape.layers} layers, vocab ${shape.vocabSize}, context ${maxPositions}, ${provider}`,
  );
  return { info, decoder: new Decoder(session, shape), tokenizer };
}
