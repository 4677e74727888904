// A registration's proof of possession (PoP): the consensus key's ed25519 signature over the
// protobuf RegistrationSignDoc{chain_id, participant}, so nobody registers a validator key they do
// not hold. Verified with node:crypto (OpenSSL's ed25519, deterministic); the CLI signs with the
// same encoding from the node's priv_validator_key.json.
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { RegistrationSignDoc } from '../../proto/gen/gonka/poc/v1/poc.js';

export const ED25519_SIG_BYTES = 64;
/** DER SubjectPublicKeyInfo header of an ed25519 key (RFC 8410). */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
/** DER PKCS#8 header of an ed25519 private key seed (RFC 8410). */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export const registrationSignBytes = (chainId: string, participant: string): Uint8Array =>
  RegistrationSignDoc.encode({ chainId, participant }).finish();

export function verifyPop(
  chainId: string,
  participant: string,
  pubkey: Uint8Array,
  pop: Uint8Array,
): boolean {
  if (pubkey.length !== 32 || pop.length !== ED25519_SIG_BYTES) return false;
  try {
    const key = createPublicKey({
      key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(pubkey)]),
      format: 'der',
      type: 'spki',
    });
    return verify(null, registrationSignBytes(chainId, participant), key, pop);
  } catch {
    return false;
  }
}

/** Signs a PoP with a 32-byte ed25519 seed (priv_validator_key.json's priv_key is seed ‖ pubkey). */
export function signPop(chainId: string, participant: string, seed: Uint8Array): Uint8Array {
  const key = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, Buffer.from(seed.subarray(0, 32))]),
    format: 'der',
    type: 'pkcs8',
  });
  return Uint8Array.from(sign(null, registrationSignBytes(chainId, participant), key));
}

/** The ed25519 public key of a 32-byte seed. */
export function ed25519PublicKey(seed: Uint8Array): Uint8Array {
  const key = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, Buffer.from(seed.subarray(0, 32))]),
    format: 'der',
    type: 'pkcs8',
  });
  const der = createPublicKey(key).export({ format: 'der', type: 'spki' });
  return Uint8Array.from(der.subarray(der.length - 32));
}
