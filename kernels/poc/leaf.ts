// Output encoding and the Merkle leaf (spec §7).
import { be64, sha256 } from './bytes.js';

const LEAF_PREFIX = Uint8Array.of(0x00);

/** y[0] ‖ … ‖ y[d−1], each a 4-byte big-endian two's-complement integer. */
export function encodeOutput(y: Int32Array): Uint8Array {
  const out = new Uint8Array(4 * y.length);
  const view = new DataView(out.buffer);
  for (let i = 0; i < y.length; i++) view.setInt32(4 * i, y[i] as number, false);
  return out;
}

export function decodeOutput(bytes: Uint8Array): Int32Array {
  if (bytes.length % 4 !== 0) throw new RangeError(`output length ${bytes.length} is not a multiple of 4`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Int32Array.from({ length: bytes.length / 4 }, (_, i) => view.getInt32(4 * i, false));
}

/** leaf = SHA-256(0x00 ‖ be64(nonce) ‖ output). */
export function leafHash(nonce: bigint, output: Uint8Array): Uint8Array {
  return sha256(LEAF_PREFIX, be64(nonce), output);
}
