// kernels/executor: the inference executor (see kernels/README.md, "Inference executor").
export { Executor, type ExecutorOptions, type ReplayMode } from './executor.js';
export { ExecutorInputError, type ExecutorLog, stderrLog } from './errors.js';
export { DEMO_SHAPE, DEMO_VALIDATION_THRESHOLD, DEMO_WEIGHT_SEED, demoModelSpec, ensureDemoModelDir } from './model/demo.js';
export { type ModelInfo, DEFAULT_VALIDATION_THRESHOLD } from './modelDir.js';
export { SeededUniforms } from './prng.js';
export { argmax, chooseToken, checkChoice, DEFAULT_SAMPLER_TOLERANCE, logSoftmax, MAX_TOP_LOGPROBS, tokenLogprobs, topK } from './sampler.js';
export type { ProviderName, RuntimeOptions } from './session.js';
export type { ChatMessage } from './tokenizer.js';
export * from './types.js';
export { MIN_SIMILARITY_POSITIONS, samplerCheck, topkSimilarity, type Verification, verifyOutput } from './verify.js';
