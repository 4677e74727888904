// Opens an ORT session that has proven itself on this host. uint8×int8 is exact only where MLAS
// runs it on VNNI/AMX (spec §10 caveat), so every new session first reproduces the conformance
// vectors in its form, then one nonce of its own epoch against the reference; on a mismatch the
// next form is tried. Miners and validators get only a session that passed.

import { bytesEqual } from '../bytes.js';
import type { PocClass } from '../classes.js';
import { casesOf } from '../conformance/vectors.js';
import { createEpoch, type PocEpoch } from '../epoch.js';
import { computeOutput } from '../reference.js';
import { CPU_FORM_ORDER, type OrtFormName } from './forms.js';
import { type ExecutionProvider, PocOrtSession } from './session.js';

/** The structural subset of a pino logger the kernels use. */
export interface KernelLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface CheckedSessionOptions {
  /** 'cuda' tries the CUDA form on the CUDA EP first and falls back to the CPU forms. */
  readonly provider?: ExecutionProvider;
  /** CPU forms to try, in order (default u8i8, u8u8, i8i8). */
  readonly forms?: readonly OrtFormName[];
  readonly threads?: number;
  readonly log?: KernelLog;
}

export class PocSessionCheckError extends Error {
  override name = 'PocSessionCheckError';
}

/** Fixed key for the own-epoch spot check; any key works, the reference recomputes it. */
const SPOT_CHECK_PUBKEY = new Uint8Array(33).fill(2);

/**
 * Runs the class's conformance vectors in one form. `large` has no vectors; its ops and
 * operand types are those of `devnet`, and MLAS's saturation is per pair, not per inner
 * dimension, so devnet's vectors stand in for it.
 */
async function formReproducesVectors(
  cls: PocClass,
  form: OrtFormName,
  provider: ExecutionProvider,
  threads: number | undefined,
): Promise<string | undefined> {
  const cases = casesOf(cls.name === 'large' ? 'devnet' : cls.name);
  for (const c of cases) {
    const session = await PocOrtSession.create(createEpoch(c.cls, c.blockHash), { form, provider, threads });
    try {
      const [output] = await session.computeOutputs(c.pubkey, [c.nonce]);
      if (!output || !bytesEqual(output, c.output)) return `${c.cls.name} vector ${c.index} differs`;
    } finally {
      await session.release();
    }
  }
  return undefined;
}

async function tryForm(
  epoch: PocEpoch,
  form: OrtFormName,
  provider: ExecutionProvider,
  threads: number | undefined,
): Promise<PocOrtSession | string> {
  const mismatch = await formReproducesVectors(epoch.cls, form, provider, threads);
  if (mismatch) return mismatch;
  const session = await PocOrtSession.create(epoch, { form, provider, threads });
  // The reference costs ~45 ms per devnet nonce but 12 min per large nonce: large is trusted on its vectors.
  if (epoch.cls.name !== 'large') {
    const [output] = await session.computeOutputs(SPOT_CHECK_PUBKEY, [0n]);
    if (!output || !bytesEqual(output, computeOutput(epoch, SPOT_CHECK_PUBKEY, 0n))) {
      await session.release();
      return 'own-epoch nonce 0 differs from the reference';
    }
  }
  return session;
}

/** A session for this epoch in the first form that passes its checks; throws if none does. */
export async function openCheckedSession(
  epoch: PocEpoch,
  options: CheckedSessionOptions = {},
): Promise<PocOrtSession> {
  const { log, threads } = options;
  const attempts: { form: OrtFormName; provider: ExecutionProvider }[] = [];
  if (options.provider === 'cuda') attempts.push({ form: 'cuda', provider: 'cuda' });
  for (const form of options.forms ?? CPU_FORM_ORDER) attempts.push({ form, provider: 'cpu' });

  const failures: string[] = [];
  for (const { form, provider } of attempts) {
    let result: PocOrtSession | string;
    try {
      result = await tryForm(epoch, form, provider, threads);
    } catch (err) {
      // e.g. the CUDA provider libraries are missing: ORT throws rather than falling back.
      result = `session creation failed: ${err instanceof Error ? err.message : String(err)}`;
    }
    if (typeof result !== 'string') {
      log?.info({ class: epoch.cls.name, form, provider }, 'PoC session passed its conformance check');
      return result;
    }
    failures.push(`${form}/${provider}: ${result}`);
    log?.warn(
      { class: epoch.cls.name, form, provider, reason: result },
      'PoC session form rejected; trying the next',
    );
  }
  throw new PocSessionCheckError(
    `no onnxruntime form reproduces PoC kernel v1 on this host for class ${epoch.cls.name}: ${failures.join('; ')}`,
  );
}
