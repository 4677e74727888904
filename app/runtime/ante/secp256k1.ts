// secp256k1 signature verification for SIGN_MODE_DIRECT through node:crypto (OpenSSL; about 4×
// faster than a pure-JS verifier here). OpenSSL accepts high-S signatures, so the SDK's low-S rule
// (no malleable signatures) is enforced here before verifying.
import { createPublicKey, type KeyObject, verify } from 'node:crypto';

/** SubjectPublicKeyInfo header for an EC key on secp256k1 with a 33-byte compressed point. */
const SPKI_PREFIX = Buffer.from('3036301006072a8648ce3d020106052b8104000a032200', 'hex');
const HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

const keys = new Map<string, KeyObject>();
const KEY_CACHE_LIMIT = 20_000;

export function isCompressedPubKey(pk: Uint8Array): boolean {
  return pk.length === 33 && (pk[0] === 0x02 || pk[0] === 0x03);
}

function keyObject(pk: Uint8Array): KeyObject | undefined {
  const id = Buffer.from(pk).toString('hex');
  let k = keys.get(id);
  if (!k) {
    try {
      k = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, pk]), format: 'der', type: 'spki' });
    } catch {
      return undefined; // not a point on the curve
    }
    if (keys.size >= KEY_CACHE_LIMIT) keys.clear();
    keys.set(id, k);
  }
  return k;
}

/** 64-byte r‖s over SHA-256(message), low-S only. False for anything malformed. */
export function verifySecp256k1(pubKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (!isCompressedPubKey(pubKey) || signature.length !== 64) return false;
  const s = BigInt(`0x${Buffer.from(signature.subarray(32)).toString('hex')}`);
  if (s === 0n || s > HALF_N) return false;
  const key = keyObject(pubKey);
  if (!key) return false;
  try {
    return verify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    return false;
  }
}
