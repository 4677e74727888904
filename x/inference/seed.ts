// The sampling seed and the signed-request bytes of an inference: shared by the chain (which
// stores and checks them) and the API node (which runs the request and signs for developers).
// Changing either is a consensus change.
import { createHash } from 'node:crypto';

/** The seed the executor must sample with: the first 8 bytes of SHA-256(utf8(id)), big-endian.
 *  The transfer agent picks the id before any executor is chosen, so the executor cannot pick a
 *  seed that suits it. */
export function inferenceSeed(inferenceId: string): bigint {
  const h = createHash('sha256').update(inferenceId, 'utf8').digest();
  let seed = 0n;
  for (let i = 0; i < 8; i++) seed = (seed << 8n) | BigInt(h[i]!);
  return seed;
}

/** What a developer's secp256k1 key signs for a signed request (the signature is over
 *  SHA-256 of these bytes, like every Cosmos secp256k1 signature):
 *  body_sha256 (32 bytes) ‖ u64 BE timestamp_ms ‖ utf8(transfer agent bech32 address). */
export function developerSignBytes(
  bodyHash: Uint8Array,
  timestampMs: bigint,
  transferAgent: string,
): Uint8Array {
  if (bodyHash.length !== 32) throw new RangeError('body hash must be 32 bytes');
  if (timestampMs < 0n || timestampMs >= 1n << 64n) throw new RangeError('timestamp out of u64 range');
  const ta = new TextEncoder().encode(transferAgent);
  const out = new Uint8Array(32 + 8 + ta.length);
  out.set(bodyHash, 0);
  new DataView(out.buffer).setBigUint64(32, timestampMs);
  out.set(ta, 40);
  return out;
}
