// secp256k1 verification as the ante handler does it: node:crypto over SHA-256, 64-byte r‖s,
// high-S (malleated) signatures rejected even though they are mathematically valid.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { verifySecp256k1 } from '../../app/runtime/ante/secp256k1.js';
import { SignatureCache } from '../../app/runtime/ante/sigCache.js';

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

describe('secp256k1 verification', () => {
  const sk = createHash('sha256').update('unit-key').digest();
  const pk = secp256k1.getPublicKey(sk, true);
  const msg = new TextEncoder().encode('sign doc bytes');
  const sig = secp256k1.sign(msg, sk);

  it('accepts a low-S signature and rejects other messages, keys and lengths', () => {
    assert.equal(verifySecp256k1(pk, msg, sig), true);
    assert.equal(verifySecp256k1(pk, new TextEncoder().encode('other'), sig), false);
    assert.equal(
      verifySecp256k1(secp256k1.getPublicKey(createHash('sha256').update('k2').digest(), true), msg, sig),
      false,
    );
    assert.equal(verifySecp256k1(pk, msg, sig.subarray(0, 63)), false);
    assert.equal(verifySecp256k1(pk.subarray(1), msg, sig), false);
    assert.equal(
      verifySecp256k1(Uint8Array.from([0x02, ...new Uint8Array(32).fill(0xff)]), msg, sig),
      false,
      'not a curve point',
    );
  });

  it('rejects the high-S twin of a valid signature', () => {
    const s = BigInt(`0x${Buffer.from(sig.subarray(32)).toString('hex')}`);
    const high = Uint8Array.from([
      ...sig.subarray(0, 32),
      ...Buffer.from((N - s).toString(16).padStart(64, '0'), 'hex'),
    ]);
    assert.equal(
      secp256k1.verify(high, msg, pk, { lowS: false }),
      true,
      'the twin is valid without the low-S rule',
    );
    assert.equal(verifySecp256k1(pk, msg, high), false);
  });

  it('signature cache is bounded and forgets the oldest first', () => {
    const c = new SignatureCache(3);
    for (const k of ['a', 'b', 'c', 'd']) c.add(k);
    assert.equal(c.size, 3);
    assert.equal(c.has('a'), false);
    assert.equal(c.has('d'), true);
  });
});
