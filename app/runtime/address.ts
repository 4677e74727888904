// Account addresses: bech32 with the `gonka` prefix over 20 bytes, derived from a secp256k1 key as
// the Cosmos SDK does (RIPEMD160(SHA256(compressed pubkey))), or from a module name
// (SHA256(name)[:20], the SDK's address.Module for a bare name).
import { createHash } from 'node:crypto';
import { fromBech32, toBech32 } from '@cosmjs/encoding';
import { ripemd160 } from '@noble/hashes/legacy.js';
import { sdkErrors } from './errors.js';

export const BECH32_PREFIX = 'gonka';

export function sha256(data: Uint8Array): Uint8Array {
  return createHash('sha256').update(data).digest();
}

/** Entries in each address memo before it is cleared. */
const MEMO_LIMIT = 50_000;

// Every tx checks that its pubkey hashes to the signer; keys repeat, so keep a bounded memo.
const fromPubKey = new Map<string, string>();

export function addressFromPubKey(compressed: Uint8Array): string {
  const id = Buffer.from(compressed).toString('latin1');
  let address = fromPubKey.get(id);
  if (!address) {
    address = toBech32(BECH32_PREFIX, ripemd160(sha256(compressed)));
    if (fromPubKey.size >= MEMO_LIMIT) fromPubKey.clear();
    fromPubKey.set(id, address);
  }
  return address;
}

export function moduleAddress(name: string): string {
  return toBech32(BECH32_PREFIX, sha256(new TextEncoder().encode(name)).subarray(0, 20));
}

// Decoding bech32 is the costliest part of a balance lookup; addresses repeat, so keep a bounded memo.
const decoded = new Map<string, Uint8Array>();

/** The raw address bytes of a bech32 `gonka` address; sdk 7 (invalid address) otherwise. */
export function addressBytes(address: string): Uint8Array {
  const hit = decoded.get(address);
  if (hit) return hit;
  let data: Uint8Array;
  try {
    const r = fromBech32(address, 90);
    if (r.prefix !== BECH32_PREFIX) throw new Error(`prefix ${r.prefix}, expected ${BECH32_PREFIX}`);
    data = r.data;
  } catch (e) {
    throw sdkErrors.invalidAddress(
      `invalid address '${String(address).slice(0, 100)}' (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  if (data.length !== 20 && data.length !== 32)
    throw sdkErrors.invalidAddress(`address ${address} has ${data.length} bytes`);
  // Only canonical (lower-case) spellings are memoized and accepted as keys, so one account has one key.
  if (toBech32(BECH32_PREFIX, data) !== address)
    throw sdkErrors.invalidAddress(`address ${address} is not in canonical form`);
  if (decoded.size >= MEMO_LIMIT) decoded.clear();
  decoded.set(address, data);
  return data;
}

export function addressString(bytes: Uint8Array): string {
  if (bytes.length !== 20 && bytes.length !== 32)
    throw sdkErrors.invalidAddress(`address has ${bytes.length} bytes`);
  return toBech32(BECH32_PREFIX, bytes);
}
