// Bulk input and output handling for mining a contiguous nonce range: the input keystreams of B
// nonces written into one preallocated buffer (the ORT tensor's backing store), and B outputs
// encoded big-endian in one byte swap instead of B·d DataView calls. Same bytes as seeds.ts's
// inputStream and leaf.ts's encodeOutput, which the tests compare against.
import { createCipheriv, createHash, type Hash } from 'node:crypto';
import { ascii } from '../bytes.js';
import type { PocClass } from '../classes.js';

const TAG_INPUT = ascii('poc-kernel-v1/input');
const ZERO_IV = Buffer.alloc(16);

/** Input keystreams of one participant's nonces (spec §4), with the key prefix hashed once. */
export class RangeInputs {
  private readonly prefix: Hash;
  private readonly zeros: Buffer;
  private readonly nonceBytes = Buffer.alloc(8);

  constructor(
    private readonly cls: PocClass,
    seed: Uint8Array,
    pubkey: Uint8Array,
  ) {
    if (pubkey.length < 1 || pubkey.length > 255) {
      throw new RangeError(`public key must be 1 to 255 bytes long, got ${pubkey.length}`);
    }
    // SHA-256(TAG_INPUT ‖ seed ‖ u8(len) ‖ pubkey ‖ be64(nonce)): all but the nonce is shared.
    this.prefix = createHash('sha256').update(TAG_INPUT).update(seed).update(Uint8Array.of(pubkey.length));
    this.prefix.update(pubkey);
    this.zeros = Buffer.alloc(cls.T * cls.d);
  }

  /** Writes the T·d keystream bytes of nonces first … first + count − 1 into out, back to back. */
  write(first: bigint, count: number, out: Uint8Array): void {
    const per = this.cls.T * this.cls.d;
    if (out.length < count * per) throw new RangeError(`output buffer too small for ${count} nonces`);
    for (let i = 0; i < count; i++) {
      this.nonceBytes.writeBigUInt64BE(first + BigInt(i));
      const key = this.prefix.copy().update(this.nonceBytes).digest();
      const cipher = createCipheriv('aes-256-ctr', key, ZERO_IV);
      const stream = cipher.update(this.zeros);
      out.set(stream, i * per);
    }
  }
}

/** B outputs (int32 rows of d values) as B·4d big-endian bytes, written into out. */
export function encodeOutputsInto(y: Int32Array, out: Uint8Array): void {
  if (out.length < y.byteLength) throw new RangeError('output buffer too small');
  const bytes = Buffer.from(out.buffer, out.byteOffset, y.byteLength);
  bytes.set(new Uint8Array(y.buffer, y.byteOffset, y.byteLength));
  // Typed arrays are little-endian on every platform Node runs on; the spec's bytes are big-endian.
  bytes.swap32();
}
