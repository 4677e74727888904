// kernels/executor: the inference executor (see kernels/README.md, "Inference executor").

export {
  ARTIFACT_FILES,
  DEMO_ARTIFACT_HASH,
  modelArtifactHash,
  modelArtifactHashHex,
} from './artifactHash.js';
export { ExecutorInputError, type ExecutorLog, stderrLog } from './errors.js';
export { Executor, type ExecutorOptions, type ReplayMode } from './executor.js';
export {
  DEMO_SHAPE,
  DEMO_VALIDATION_THRESHOLD,
  DEMO_WEIGHT_SEED,
  demoModelSpec,
  ensureDemoModelDir,
} from './model/demo.js';
export { DEFAULT_VALIDATION_THRESHOLD, type ModelInfo } from './modelDir.js';
export { SeededUniforms } from './prng.js';
export {
  argmax,
  checkChoice,
  chooseToken,
  DEFAULT_SAMPLER_TOLERANCE,
  logSoftmax,
  MAX_TOP_LOGPROBS,
  tokenLogprobs,
  topK,
} from './sampler.js';
export type { ProviderName, RuntimeOptions } from './session.js';
export type { ChatMessage } from './tokenizer.js';
export * from './types.js';
export {
  MIN_SIMILARITY_POSITIONS,
  samplerCheck,
  topkSimilarity,
  type Verification,
  verifyOutput,
} from './verify.js';
