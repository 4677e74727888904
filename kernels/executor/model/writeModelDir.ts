// Writes a generated decoder in the layout of a Hugging Face ONNX export: config.json,
// tokenizer.json, tokenizer_config.json, generation_config.json and model.onnx. Writing happens in
// a sibling temporary directory that is renamed into place, so readers never see half a model.
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DecoderShape } from './decoderConfig.js';
import { buildDecoderOnnx } from './decoderGraph.js';

export interface GeneratedModelSpec {
  name: string;
  shape: DecoderShape;
  weightSeed: string;
  tokenizerJson: Record<string, unknown>;
  eosToken: string;
  bosToken?: string;
  chatTemplate?: string;
  /** Per-model top-k similarity threshold (config.json gonka.validation_threshold). */
  validationThreshold: number;
}

export function modelConfigJson(
  spec: GeneratedModelSpec,
  eosId: number,
  bosId: number | undefined,
): Record<string, unknown> {
  const s = spec.shape;
  return {
    _name_or_path: spec.name,
    architectures: ['GPT2LMHeadModel'],
    model_type: 'gpt2',
    vocab_size: s.vocabSize,
    n_embd: s.hidden,
    n_head: s.heads,
    n_layer: s.layers,
    n_inner: s.ffn,
    n_positions: s.maxPositions,
    eos_token_id: eosId,
    ...(bosId === undefined ? {} : { bos_token_id: bosId }),
    use_cache: true,
    gonka: {
      generator: 'gonka-ts/executor/decoder-weights/v1',
      weight_seed: spec.weightSeed,
      logit_std: s.logitStd,
      validation_threshold: spec.validationThreshold,
    },
  };
}

function tokenId(tokenizerJson: Record<string, unknown>, content: string): number {
  const added = (tokenizerJson.added_tokens as { id: number; content: string }[]).find(
    (t) => t.content === content,
  );
  if (!added) throw new Error(`special token ${content} is not in the tokenizer`);
  return added.id;
}

/** Writes the model into `dir` unless a complete copy is already there. */
export function writeModelDir(dir: string, spec: GeneratedModelSpec): void {
  if (existsSync(join(dir, 'model.onnx')) && existsSync(join(dir, 'config.json'))) return;
  const eosId = tokenId(spec.tokenizerJson, spec.eosToken);
  const bosId = spec.bosToken === undefined ? undefined : tokenId(spec.tokenizerJson, spec.bosToken);
  mkdirSync(dirname(dir), { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}-${Math.floor(Math.random() * 1e9)}`;
  mkdirSync(tmp, { recursive: true });
  try {
    writeFileSync(join(tmp, 'model.onnx'), buildDecoderOnnx(spec.shape, spec.weightSeed));
    writeFileSync(
      join(tmp, 'config.json'),
      `${JSON.stringify(modelConfigJson(spec, eosId, bosId), null, 2)}\n`,
    );
    writeFileSync(join(tmp, 'tokenizer.json'), JSON.stringify(spec.tokenizerJson));
    const tokConfig: Record<string, unknown> = {
      tokenizer_class: 'PreTrainedTokenizerFast',
      eos_token: spec.eosToken,
      model_max_length: spec.shape.maxPositions,
      ...(spec.bosToken === undefined ? {} : { bos_token: spec.bosToken }),
      ...(spec.chatTemplate === undefined ? {} : { chat_template: spec.chatTemplate }),
    };
    writeFileSync(join(tmp, 'tokenizer_config.json'), `${JSON.stringify(tokConfig, null, 2)}\n`);
    writeFileSync(
      join(tmp, 'generation_config.json'),
      `${JSON.stringify({ eos_token_id: eosId }, null, 2)}\n`,
    );
    try {
      renameSync(tmp, dir);
    } catch (err) {
      // Another process finished the same model first: theirs is identical (same seed).
      if (!existsSync(join(dir, 'model.onnx'))) throw err;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
