// secp256k1 verification as the ante handler does it: libsecp256k1 (node:crypto as the fallback)
// over SHA-256, 64-byte r‖s, high-S (malleated) signatures rejected even though they are
// mathematically valid; both verifiers give the same answer for every input.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import {
  secp256k1Backend,
  verifySecp256k1,
  verifySecp256k1OpenSSL,
} from '../../app/runtime/ante/secp256k1.js';
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

  it('libsecp256k1 is loaded and agrees with OpenSSL on valid, wrong and malformed inputs', () => {
    assert.equal(secp256k1Backend, 'libsecp256k1', 'the native secp256k1 addon did not load');
    const hex = (n: bigint) => Buffer.from(n.toString(16).padStart(64, '0'), 'hex');
    const r = sig.subarray(0, 32);
    const s = sig.subarray(32);
    const other = secp256k1.getPublicKey(createHash('sha256').update('k3').digest(), true);
    const cases: [string, Uint8Array, Uint8Array, Uint8Array][] = [
      ['valid', pk, msg, sig],
      ['other message', pk, new TextEncoder().encode('x'), sig],
      ['other key', other, msg, sig],
      ['r = 0', pk, msg, Uint8Array.from([...new Uint8Array(32), ...s])],
      ['r = n', pk, msg, Uint8Array.from([...hex(N), ...s])],
      ['r > n', pk, msg, Uint8Array.from([...new Uint8Array(32).fill(0xff), ...s])],
      ['s = 0', pk, msg, Uint8Array.from([...r, ...new Uint8Array(32)])],
      ['off-curve key', Uint8Array.from([0x03, ...new Uint8Array(32).fill(0xff)]), msg, sig],
      ['uncompressed prefix', Uint8Array.from([0x04, ...pk.subarray(1)]), msg, sig],
      ['short signature', pk, msg, sig.subarray(1)],
    ];
    for (let i = 0; i < 20; i++) {
      const k = createHash('sha256').update(`agree-${i}`).digest();
      const m = new TextEncoder().encode(`message ${i}`);
      cases.push([`random ${i}`, secp256k1.getPublicKey(k, true), m, secp256k1.sign(m, k)]);
      cases.push([`random ${i} tampered`, secp256k1.getPublicKey(k, true), m, secp256k1.sign(msg, k)]);
    }
    for (const [name, key, m, sg] of cases)
      assert.equal(verifySecp256k1(key, m, sg), verifySecp256k1OpenSSL(key, m, sg), name);
    assert.equal(verifySecp256k1(pk, msg, sig), true);
  });

  it('signature cache is bounded and forgets the oldest first', () => {
    const c = new SignatureCache(3);
    for (const k of ['a', 'b', 'c', 'd']) c.add(k);
    assert.equal(c.size, 3);
    assert.equal(c.has('a'), false);
    assert.equal(c.has('d'), true);
  });
});
