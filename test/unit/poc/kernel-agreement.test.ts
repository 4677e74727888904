// Reference and onnxruntime agree on random (pubkey, nonce) pairs spread over 10 block hashes,
// and the ORT forms agree with each other. Seeds are fixed; pairs cover the whole u64 nonce range.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { sha256, toHex } from '../../../kernels/poc/bytes.js';
import { POC_CLASSES, type PocClass } from '../../../kernels/poc/classes.js';
import { createEpoch } from '../../../kernels/poc/epoch.js';
import { GRAPH_FORMS, type OrtFormName } from '../../../kernels/poc/ort/forms.js';
import { PocOrtSession } from '../../../kernels/poc/ort/session.js';
import { ReferencePool } from '../../../kernels/poc/reference-pool.js';
import { longProfile, sized } from '../../profile.js';

const BLOCK_HASHES = Array.from({ length: 10 }, (_, i) => sha256(Uint8Array.of(0xb1, i)));

interface Pair {
  readonly blockHash: Uint8Array;
  readonly pubkey: Uint8Array;
  readonly nonce: bigint;
}

/** n pairs for a class: pair i uses block hash i mod 10, a 33-byte key and a u64 nonce from SHA-256. */
function pairs(cls: PocClass, n: number): Pair[] {
  return Array.from({ length: n }, (_, i) => {
    const r = sha256(Uint8Array.of(cls.id), new Uint8Array(new Uint32Array([i]).buffer));
    const pubkey = new Uint8Array(33);
    pubkey[0] = 2 + (r[0]! & 1);
    pubkey.set(sha256(r), 1);
    const nonce = new DataView(r.buffer).getBigUint64(8) >> BigInt(r[1]! % 64);
    return { blockHash: BLOCK_HASHES[i % BLOCK_HASHES.length]!, pubkey, nonce };
  });
}

/** ORT outputs of the pairs in one form: one session and one batch per block hash. */
async function ortOutputs(cls: PocClass, form: OrtFormName, list: readonly Pair[]): Promise<string[]> {
  const out: string[] = new Array(list.length);
  for (const blockHash of BLOCK_HASHES) {
    const session = await PocOrtSession.create(createEpoch(cls, blockHash), { form, threads: 2 });
    try {
      const indices = list.flatMap((p, i) => (p.blockHash === blockHash ? [i] : []));
      const outputs = await session.computeBatch(indices.map((i) => list[i]!));
      indices.forEach((i, k) => {
        out[i] = toHex(outputs[k]!);
      });
    } finally {
      await session.release();
    }
  }
  return out;
}

async function referenceOutputs(
  pool: ReferencePool,
  cls: PocClass,
  list: readonly Pair[],
): Promise<string[]> {
  const outputs = await Promise.all(
    list.map((p) => pool.compute(cls, p.blockHash, p.pubkey, [p.nonce]).then(([o]) => toHex(o!))),
  );
  return outputs;
}

describe('reference and onnxruntime agree', () => {
  const pool = new ReferencePool(2);
  after(() => pool.close());

  const cases: [PocClass, number][] = [
    [POC_CLASSES.tiny, 1000],
    [POC_CLASSES.devnet, sized(100, 1000)],
  ];
  for (const [cls, n] of cases) {
    it(`${n} ${cls.name} pairs: reference = ORT u8i8`, async () => {
      const list = pairs(cls, n);
      const [ref, ort] = await Promise.all([
        referenceOutputs(pool, cls, list),
        ortOutputs(cls, 'u8i8', list),
      ]);
      for (let i = 0; i < n; i++) assert.equal(ort[i], ref[i], `${cls.name} pair ${i}`);
      assert.equal(new Set(ref).size, n, 'distinct pairs give distinct outputs');
    });
  }

  it('1000 devnet pairs: every ORT form gives the same bytes', async () => {
    const list = pairs(POC_CLASSES.devnet, 1000);
    const forms = Object.keys(GRAPH_FORMS) as OrtFormName[];
    // One form at a time: the two cores are onnxruntime's intra-op threads.
    const byForm: string[][] = [];
    for (const form of forms) byForm.push(await ortOutputs(POC_CLASSES.devnet, form, list));
    for (let k = 1; k < forms.length; k++)
      assert.deepEqual(byForm[k], byForm[0], `${forms[k]} vs ${forms[0]}`);
    assert.equal(new Set(byForm[0]).size, list.length, 'distinct pairs give distinct outputs');
  });

  it('one large nonce: reference = ORT u8i8 (test:long only; ~12 min of reference)', {
    skip: !longProfile,
  }, async () => {
    const cls = POC_CLASSES.large;
    const [p] = pairs(cls, 1);
    const [ref] = await pool.compute(cls, p!.blockHash, p!.pubkey, [p!.nonce]);
    const [ort] = await ortOutputs(cls, 'u8i8', [p!]);
    assert.equal(ort, toHex(ref!));
  });
});
