// Byte helpers shared by the kernel, the artifact store and the CLI: strict hex, be64, SHA-256.
import { createHash } from 'node:crypto';

export const U64_MAX = (1n << 64n) - 1n;

/** Parses lowercase or uppercase hex with no prefix; throws a RangeError that names `what`. */
export function parseHex(hex: string, what: string): Uint8Array {
  if (hex.length % 2 !== 0) throw new RangeError(`${what}: odd-length hex (${hex.length} digits)`);
  if (!/^[0-9a-fA-F]*$/.test(hex)) throw new RangeError(`${what}: not hex`);
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Parses a decimal u64; throws a RangeError for anything else (signs, fractions, ≥ 2^64). */
export function parseU64(text: string, what: string): bigint {
  if (!/^[0-9]+$/.test(text)) throw new RangeError(`${what}: not a non-negative decimal integer: '${text}'`);
  const n = BigInt(text);
  if (n > U64_MAX) throw new RangeError(`${what}: ${text} does not fit in 64 bits (must be < 2^64)`);
  return n;
}

export function be64(n: bigint): Uint8Array {
  if (n < 0n || n > U64_MAX) throw new RangeError(`be64: ${n} is not a u64`);
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, n, false);
  return out;
}

export function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

export function ascii(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'ascii'));
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(b);
}
