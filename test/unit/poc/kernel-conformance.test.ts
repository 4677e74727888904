// PoC kernel v1 conformance: the reference and every ORT form reproduce each vector of
// shared/spec/poc-kernel-v1-vectors.json bit for bit, debug intermediates included.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesEqual, sha256, toHex } from '../../../kernels/poc/bytes.js';
import {
  CONFORMANCE_CASES,
  CONFORMANCE_DEBUG,
  CONFORMANCE_TABLES,
} from '../../../kernels/poc/conformance/vectors.js';
import { createEpoch } from '../../../kernels/poc/epoch.js';
import { decodeOutput, leafHash } from '../../../kernels/poc/leaf.js';
import { openCheckedSession, PocSessionCheckError } from '../../../kernels/poc/ort/checked-session.js';
import { GRAPH_FORMS, type OrtFormName } from '../../../kernels/poc/ort/forms.js';
import { PocOrtSession } from '../../../kernels/poc/ort/session.js';
import { computeOutput } from '../../../kernels/poc/reference.js';
import {
  generateTensor,
  inputKey,
  inputMatrix,
  inputStream,
  tensorShapes,
  weightKey,
} from '../../../kernels/poc/seeds.js';
import { EXP_C, expE, GELU_TABLE } from '../../../kernels/poc/tables.js';

const FORMS = Object.keys(GRAPH_FORMS) as OrtFormName[];
const hex = toHex;

describe('PoC kernel v1 tables', () => {
  it('E and G match the spec', () => {
    assert.deepEqual([...EXP_C], CONFORMANCE_TABLES.expC);
    assert.deepEqual(
      Array.from({ length: 128 }, (_, y) => expE(y)),
      CONFORMANCE_TABLES.expE0to127,
    );
    const gBytes = Uint8Array.from(GELU_TABLE, (g) => g & 0xff);
    assert.equal(hex(sha256(gBytes)), hex(CONFORMANCE_TABLES.geluSha256));
  });
});

describe('PoC kernel v1 debug intermediates', () => {
  for (const dbg of CONFORMANCE_DEBUG) {
    const c = CONFORMANCE_CASES.find((v) => v.cls === dbg.cls && v.index === dbg.caseIndex);
    assert.ok(c);
    const epoch = createEpoch(c.cls, c.blockHash);

    it(`${dbg.cls.name}: seeds, weights and input`, () => {
      assert.equal(hex(epoch.seed), hex(dbg.epochSeed));
      assert.equal(hex(weightKey(epoch.seed, 'layer0.wq')), hex(dbg.weightKeyLayer0Wq));
      const shapes = tensorShapes(dbg.cls);
      const first = new Uint8Array(generateTensor(epoch.seed, shapes[0]!).buffer);
      assert.equal(hex(first.subarray(0, 16)), hex(dbg.layer0WqFirst16));
      const last = shapes.at(-1)!;
      assert.equal(last.name, dbg.lastTensor);
      const lastBytes = new Uint8Array(epoch.weights.at(-1)!.wdown.buffer);
      assert.equal(hex(lastBytes.subarray(-16)), hex(dbg.lastTensorLast16));
      assert.equal(hex(inputKey(epoch.seed, c.pubkey, c.nonce)), hex(dbg.inputKey));
      const stream = inputStream(c.cls, epoch.seed, c.pubkey, c.nonce);
      assert.equal(hex(stream.subarray(0, 16)), hex(dbg.inputFirst16));
      assert.deepEqual([...inputMatrix(stream).subarray(0, 16)], dbg.x0First16);
    });

    it(`${dbg.cls.name}: reference output integers`, () => {
      const y = decodeOutput(computeOutput(epoch, c.pubkey, c.nonce));
      assert.deepEqual([...y.subarray(0, 8)], dbg.outputFirst8);
    });

    for (const form of FORMS) {
      it(`${dbg.cls.name}: ORT ${form} x0 and output integers`, async () => {
        const session = await PocOrtSession.create(epoch, { form, threads: 1, debugOutputs: true });
        try {
          const { x0, y } = await session.run(inputStream(c.cls, epoch.seed, c.pubkey, c.nonce));
          assert.ok(x0);
          assert.deepEqual([...x0.subarray(0, 16)], dbg.x0First16);
          assert.deepEqual([...y.subarray(0, 8)], dbg.outputFirst8);
        } finally {
          await session.release();
        }
      });
    }
  }
});

describe('PoC kernel v1 vectors', () => {
  it('the reference reproduces every output and leaf', () => {
    for (const c of CONFORMANCE_CASES) {
      const epoch = createEpoch(c.cls, c.blockHash);
      assert.equal(hex(epoch.seed), hex(c.epochSeed), `${c.cls.name} ${c.index} seed`);
      const output = computeOutput(epoch, c.pubkey, c.nonce);
      assert.equal(hex(output), hex(c.output), `${c.cls.name} ${c.index} output`);
      assert.equal(hex(leafHash(c.nonce, output)), hex(c.leaf), `${c.cls.name} ${c.index} leaf`);
    }
  });

  for (const form of FORMS) {
    it(`ORT ${form} reproduces every output and leaf (all cases of an epoch in one batch)`, async () => {
      for (const c of CONFORMANCE_CASES) {
        const session = await PocOrtSession.create(createEpoch(c.cls, c.blockHash), { form, threads: 1 });
        try {
          // Batch the case's nonce with two neighbours to exercise the dynamic batch dimension.
          const [, output] = await session.computeOutputs(c.pubkey, [c.nonce ^ 1n, c.nonce, c.nonce ^ 2n]);
          assert.equal(hex(output!), hex(c.output), `${form} ${c.cls.name} ${c.index} output`);
          assert.equal(hex(leafHash(c.nonce, output!)), hex(c.leaf), `${form} ${c.cls.name} ${c.index} leaf`);
        } finally {
          await session.release();
        }
      }
    });
  }
});

describe('checked sessions', () => {
  const c = CONFORMANCE_CASES.find((v) => v.cls.name === 'devnet')!;
  const epoch = createEpoch(c.cls, c.blockHash);

  it('falls back to a CPU form when CUDA cannot be loaded, logging why', async () => {
    const lines: { level: string; obj: Record<string, unknown> }[] = [];
    const log = {
      info: (obj: object) => lines.push({ level: 'info', obj: obj as Record<string, unknown> }),
      warn: (obj: object) => lines.push({ level: 'warn', obj: obj as Record<string, unknown> }),
    };
    const session = await openCheckedSession(epoch, { provider: 'cuda', threads: 1, log });
    try {
      // This host has no CUDA provider libraries, so the CUDA attempt must be rejected first.
      assert.equal(lines[0]?.level, 'warn');
      assert.equal(lines[0]?.obj.form, 'cuda');
      assert.equal(session.provider, 'cpu');
      assert.equal(lines.at(-1)?.level, 'info');
      assert.equal(lines.at(-1)?.obj.form, session.form);
      const [output] = await session.computeOutputs(c.pubkey, [c.nonce]);
      assert.ok(bytesEqual(output!, c.output));
    } finally {
      await session.release();
    }
  });

  it('refuses to open when no form passes', async () => {
    await assert.rejects(openCheckedSession(epoch, { forms: [] }), PocSessionCheckError);
  });
});
