// test:long only: one `large` nonce, reference against ORT in the exact-float u8i8 form and in
// the integer-op cuda form. Products at large's inner dimensions exceed 2^24, where the float
// requantization relies on the clamp (graph.ts, rq). A file of its own: node's test runner gives
// each file one --test-timeout, and the reference alone takes ~12 min on an idle machine.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { toHex } from '../../../kernels/poc/bytes.js';
import { POC_CLASSES } from '../../../kernels/poc/classes.js';
import { ReferencePool } from '../../../kernels/poc/reference-pool.js';
import { longProfile } from '../../profile.js';
import { ortOutputs, pairs } from './agreement-pairs.js';

describe('reference and onnxruntime agree on large', { skip: !longProfile }, () => {
  const pool = new ReferencePool(1);
  after(() => pool.close());

  it('one large nonce: reference = ORT u8i8 = ORT cuda form', async () => {
    const cls = POC_CLASSES.large;
    const [p] = pairs(cls, 1);
    const [ref] = await pool.compute(cls, p!.blockHash, p!.pubkey, [p!.nonce]);
    const [u8i8] = await ortOutputs(cls, 'u8i8', [p!]);
    assert.equal(u8i8, toHex(ref!));
    const [cuda] = await ortOutputs(cls, 'cuda', [p!]);
    assert.equal(cuda, toHex(ref!));
  });
});
