// onnxruntime session creation: fixed settings so replays are reproducible, and the execution
// provider choice. CUDA is tried only when asked for; onnxruntime throws at session creation when
// its CUDA libraries are missing (even with 'cpu' listed after 'cuda'), so we catch that, log one
// line that says why, and retry on the CPU.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { ExecutorInputError, type ExecutorLog } from './errors.js';

export type ProviderName = 'cpu' | 'cuda';

export interface RuntimeOptions {
  provider?: ProviderName;
  cudaDeviceId?: number;
  /** Intra-op threads. Validation mode uses 1; logits are bit-identical across thread counts for a
   *  fixed optimisation level on one machine (shared/research/deps.md §2). Default 1. */
  threads?: number;
}

function sessionOptions(threads: number): ort.InferenceSession.SessionOptions {
  return {
    // Fixed: fused and unfused kernels give different logit bits, so executor and validator must
    // use the same level.
    graphOptimizationLevel: 'all',
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    logSeverityLevel: 3,
  };
}

function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  // onnxruntime appends its native log (with colour codes) after the first line.
  const ansiEscape = String.fromCharCode(27);
  return (msg.split(/\r?\n/)[0] ?? msg).split(`${ansiEscape}[`)[0]?.trim() ?? msg;
}

/** Why the CUDA provider cannot load, when that is visible without trying: onnxruntime-node ships
 *  without its CUDA provider libraries unless its install script fetched them. */
function missingCudaLibrary(): string | undefined {
  try {
    const binDir = join(
      dirname(createRequire(import.meta.url).resolve('onnxruntime-node')),
      '..',
      'bin',
      'napi-v6',
      process.platform,
      process.arch,
    );
    for (const lib of ['libonnxruntime_providers_shared.so', 'libonnxruntime_providers_cuda.so']) {
      if (!existsSync(join(binDir, lib))) return `${lib} is not installed in ${binDir}`;
    }
  } catch {}
  return undefined;
}

export async function createSession(
  modelPath: string,
  opts: RuntimeOptions,
  log: ExecutorLog,
): Promise<{ session: ort.InferenceSession; provider: ProviderName }> {
  const threads = opts.threads ?? 1;
  if (!(Number.isInteger(threads) && threads >= 1 && threads <= 256))
    throw new ExecutorInputError(`threads must be an integer in [1, 256], got ${threads}`);
  const cudaMissing = opts.provider === 'cuda' ? missingCudaLibrary() : undefined;
  if (cudaMissing !== undefined) {
    log.warn(`CUDA execution provider unavailable, running on CPU: ${cudaMissing} (see kernels/README.md)`);
  } else if (opts.provider === 'cuda') {
    try {
      const session = await ort.InferenceSession.create(modelPath, {
        ...sessionOptions(threads),
        executionProviders: [{ name: 'cuda', deviceId: opts.cudaDeviceId ?? 0 }],
        // Our own line below says why; silence onnxruntime's native error print for this attempt.
        logSeverityLevel: 4,
        extra: { session: { use_deterministic_compute: '1' } },
      });
      log.info(`model ${modelPath} on the CUDA execution provider (device ${opts.cudaDeviceId ?? 0})`);
      return { session, provider: 'cuda' };
    } catch (err) {
      log.warn(
        `CUDA execution provider unavailable, running on CPU: ${firstLine(err)} ` +
          '(needs CUDA 12, cuDNN 9 and onnxruntime-node 1.30 provider libraries; see kernels/README.md)',
      );
    }
  }
  try {
    const session = await ort.InferenceSession.create(modelPath, {
      ...sessionOptions(threads),
      executionProviders: ['cpu'],
    });
    return { session, provider: 'cpu' };
  } catch (err) {
    throw new ExecutorInputError(`cannot load ONNX model ${modelPath}: ${firstLine(err)}`);
  }
}
