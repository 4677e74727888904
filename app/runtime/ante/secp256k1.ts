// secp256k1 signature verification for SIGN_MODE_DIRECT. The verifier is libsecp256k1 through its
// native Node binding (the `secp256k1` package's prebuilt addon: ≈ 100 µs a verification here,
// about 6× node:crypto, which must also build an OpenSSL key object per new public key); where
// the addon cannot load, node:crypto (OpenSSL) verifies instead. Both accept exactly the valid
// ECDSA signatures over the SHA-256 of the message; the SDK's low-S rule (no malleable
// signatures) is enforced here before either runs, so both give the same answer for every input.
import { createHash, createPublicKey, type KeyObject, verify } from 'node:crypto';
import { createRequire } from 'node:module';

/** SubjectPublicKeyInfo header for an EC key on secp256k1 with a 33-byte compressed point. */
const SPKI_PREFIX = Buffer.from('3036301006072a8648ce3d020106052b8104000a032200', 'hex');
const HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

interface NativeSecp256k1 {
  /** Throws on an unparsable signature (r or s ≥ n) or public key (not on the curve). */
  ecdsaVerify(sig: Uint8Array, msg32: Uint8Array, pubKey: Uint8Array): boolean;
}

/** The native binding only (`secp256k1/bindings`): its package's JS fallback is slower than OpenSSL. */
function loadNative(): NativeSecp256k1 | undefined {
  try {
    return createRequire(import.meta.url)('secp256k1/bindings') as NativeSecp256k1;
  } catch {
    return undefined;
  }
}

let native = loadNative();

/** Which verifier this process uses (for benchmarks and logs). */
export let secp256k1Backend: 'libsecp256k1' | 'openssl' = native ? 'libsecp256k1' : 'openssl';

/** Verifies with OpenSSL only (the node sets it from GONKA_SECP256K1=openssl); results are the same. */
export function useOpenSslVerifier(): void {
  native = undefined;
  secp256k1Backend = 'openssl';
}

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

function verifyOpenssl(pubKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  const key = keyObject(pubKey);
  if (!key) return false;
  try {
    return verify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    return false;
  }
}

/** The checks both verifiers share: a compressed key, 64 bytes r‖s, 0 < s ≤ n/2 (low-S). */
function wellFormed(pubKey: Uint8Array, signature: Uint8Array): boolean {
  if (!isCompressedPubKey(pubKey) || signature.length !== 64) return false;
  const s = BigInt(`0x${Buffer.from(signature.subarray(32)).toString('hex')}`);
  return s !== 0n && s <= HALF_N;
}

/** 64-byte r‖s over SHA-256(message), low-S only. False for anything malformed. */
export function verifySecp256k1(pubKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (!wellFormed(pubKey, signature)) return false;
  if (!native) return verifyOpenssl(pubKey, message, signature);
  try {
    return native.ecdsaVerify(signature, createHash('sha256').update(message).digest(), pubKey);
  } catch {
    return false; // r or s out of range, or a public key off the curve
  }
}

/** The OpenSSL verifier alone, so tests can check that both verifiers agree. */
export function verifySecp256k1OpenSSL(
  pubKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  return wellFormed(pubKey, signature) && verifyOpenssl(pubKey, message, signature);
}
