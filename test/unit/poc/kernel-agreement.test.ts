// Reference and onnxruntime agree on random (pubkey, nonce) pairs spread over 10 block hashes,
// and the ORT forms agree with each other. Seeds are fixed; pairs cover the whole u64 nonce range.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { toHex } from '../../../kernels/poc/bytes.js';
import { POC_CLASSES, type PocClass } from '../../../kernels/poc/classes.js';
import { GRAPH_FORMS, type OrtFormName } from '../../../kernels/poc/ort/forms.js';
import { ReferencePool } from '../../../kernels/poc/reference-pool.js';
import { sized } from '../../profile.js';
import { ortOutputs, type Pair, pairs } from './agreement-pairs.js';

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
});
