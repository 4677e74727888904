// The model artifact hash x/inference registers for a model (inference-contract): SHA-256 over the
// bytes of config.json ‖ tokenizer.json ‖ model.onnx, in that order, one streaming hash with no
// separators. The ML node refuses requests naming another hash, so a node serving different files
// (another model, other weights, another tokenizer) under the registered id is refused, not paid.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';

/** modelArtifactHash of the built-in demo model (`ensureDemoModelDir()`): its bytes come from a
 *  fixed seed and integer/IEEE-exact arithmetic, so this is the same on every machine
 *  (test/unit/executor-artifact-hash.test.ts regenerates the model and checks it). */
export const DEMO_ARTIFACT_HASH = '36a3d8258e7364117c99c82a5df5401079d7f5dfe7d5451735b1fe21c10cc0d7';

/** The files hashed, in order. */
export const ARTIFACT_FILES = ['config.json', 'tokenizer.json', 'model.onnx'] as const;

/** SHA-256 over the model directory's artifact files (streamed: model.onnx may be gigabytes). */
export async function modelArtifactHash(dir: string): Promise<Uint8Array> {
  const hash = createHash('sha256');
  for (const name of ARTIFACT_FILES) {
    for await (const chunk of createReadStream(join(dir, name))) hash.update(chunk as Buffer);
  }
  return new Uint8Array(hash.digest());
}

/** Lowercase hex of modelArtifactHash (the form genesis, the registry and the HTTP API use). */
export async function modelArtifactHashHex(dir: string): Promise<string> {
  return Buffer.from(await modelArtifactHash(dir)).toString('hex');
}
