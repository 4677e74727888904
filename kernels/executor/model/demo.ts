// The built-in demo model: a generated GPT-style decoder over a byte-level vocabulary (256 bytes
// + <|endoftext|>), 3.6 M parameters, weights from a fixed seed, so it needs no downloads and is
// byte-identical everywhere. logitStd 4 makes its next-token distributions peaked (median top-1
// probability ≈ 0.5, measured by test/integration/executor-demo.test.ts and reported in
// kernels/README.md); a near-uniform random model would make validation meaningless. A +6 logit
// bias on printable ASCII keeps its (meaningless) output readable on a terminal.
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { byteLevelTokenizerJson } from './byteTokenizer.js';
import type { DecoderShape } from './decoderConfig.js';
import { type GeneratedModelSpec, writeModelDir } from './writeModelDir.js';

export const DEMO_SHAPE: DecoderShape = {
  vocabSize: 257,
  hidden: 256,
  heads: 8,
  layers: 4,
  ffn: 1024,
  maxPositions: 1024,
  logitStd: 4,
  printableBias: 6,
};

export const DEMO_WEIGHT_SEED = 'gonka-ts demo model v1';

/** Top-k similarity threshold for the demo model: honest replays on one machine score 1.0; the
 *  margin covers other CPUs' kernels (float differences ~1e-5 relative). */
export const DEMO_VALIDATION_THRESHOLD = 0.99;

export function demoModelSpec(
  shape: DecoderShape = DEMO_SHAPE,
  weightSeed = DEMO_WEIGHT_SEED,
): GeneratedModelSpec {
  return {
    name: 'gonka-demo',
    shape,
    weightSeed,
    tokenizerJson: byteLevelTokenizerJson({ specialTokens: ['<|endoftext|>'] }),
    eosToken: '<|endoftext|>',
    validationThreshold: DEMO_VALIDATION_THRESHOLD,
  };
}

/** Writes (once) and returns the directory of a demo-style model; the directory name is a hash of
 *  everything that determines the model's bytes. */
export function ensureDemoModelDir(
  shape: DecoderShape = DEMO_SHAPE,
  weightSeed = DEMO_WEIGHT_SEED,
  root = join(tmpdir(), 'gonka-ts-models'),
): string {
  const spec = demoModelSpec(shape, weightSeed);
  const key = createHash('sha256')
    .update(JSON.stringify({ v: 1, shape, weightSeed }))
    .digest('hex')
    .slice(0, 16);
  const dir = join(root, `demo-${key}`);
  writeModelDir(dir, spec);
  return dir;
}
