// The model artifact hash (inference-contract): SHA-256 over config.json ‖ tokenizer.json ‖
// model.onnx. The demo model is generated from a fixed seed, so a freshly written demo directory
// must hash to the golden value devnet genesis registers; a different value means the demo's
// bytes changed and every registry entry for gonka/demo with it.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  ARTIFACT_FILES,
  DEMO_ARTIFACT_HASH,
  modelArtifactHash,
  modelArtifactHashHex,
} from '../../kernels/executor/artifactHash.js';
import { DEMO_SHAPE, DEMO_WEIGHT_SEED, ensureDemoModelDir } from '../../kernels/executor/model/demo.js';

/** Written out here too, so a change to the constant itself fails this test. */
const GOLDEN = '36a3d8258e7364117c99c82a5df5401079d7f5dfe7d5451735b1fe21c10cc0d7';

const scratch = mkdtempSync(join(tmpdir(), 'gonka-artifact-hash-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('modelArtifactHash', () => {
  it('a freshly generated demo model hashes to the golden value', async () => {
    const dir = ensureDemoModelDir(DEMO_SHAPE, DEMO_WEIGHT_SEED, join(scratch, 'fresh'));
    assert.equal(DEMO_ARTIFACT_HASH, GOLDEN);
    assert.equal(await modelArtifactHashHex(dir), GOLDEN);
    assert.equal(Buffer.from(await modelArtifactHash(dir)).toString('hex'), GOLDEN);
  });

  it('is one SHA-256 over config.json ‖ tokenizer.json ‖ model.onnx, and sees a change in any', async () => {
    const dir = join(scratch, 'files');
    mkdirSync(dir);
    writeFileSync(join(dir, 'config.json'), '{"a":1}');
    writeFileSync(join(dir, 'tokenizer.json'), '{"t":2}');
    writeFileSync(join(dir, 'model.onnx'), Buffer.alloc(300_000, 7)); // several read chunks
    const expected = createHash('sha256')
      .update(Buffer.concat(ARTIFACT_FILES.map((f) => readFileSync(join(dir, f)))))
      .digest('hex');
    const before = await modelArtifactHashHex(dir);
    assert.equal(before, expected);
    writeFileSync(join(dir, 'tokenizer.json'), '{"t":3}');
    assert.notEqual(await modelArtifactHashHex(dir), before);
  });

  it('rejects a directory missing one of the files', async () => {
    const dir = mkdtempSync(join(scratch, 'missing-'));
    writeFileSync(join(dir, 'config.json'), '{}');
    await assert.rejects(modelArtifactHash(dir), /ENOENT/);
  });
});
