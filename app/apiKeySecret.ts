// Bearer API keys for paid inference (x/inference ApiKey): the secret a developer puts in
// `Authorization: Bearer …` and the SHA-256 the chain stores. The secret never reaches the chain;
// whoever holds it can spend through the key's transfer agent within the key's epoch limit.
import { createHash, randomBytes } from 'node:crypto';

/** Prefix that makes a leaked secret recognisable (secret scanners, logs). */
export const API_KEY_PREFIX = 'gk-';

/** A fresh secret: the prefix and 32 random bytes (crypto RNG) as 64 lowercase hex digits. */
export function newApiKeySecret(): string {
  return `${API_KEY_PREFIX}${randomBytes(32).toString('hex')}`;
}

/** key_hash = SHA-256(utf8 secret), what MsgRegisterApiKey carries and the API node looks up. */
export function apiKeyHash(secret: string): Uint8Array {
  return Uint8Array.from(createHash('sha256').update(secret, 'utf8').digest());
}
