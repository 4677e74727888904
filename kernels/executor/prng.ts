// The request-seeded randomness of the sampler. It is counter based: the uniform number for
// (step, token) is a pure integer function of the seed, the step and the token id, so a validator
// can recompute any position without replaying a stream, and nothing depends on call order.
// Key = SHA-256(domain ‖ seed as u64 BE); each 53-bit draw mixes key words, step and token with
// the lowbias32 integer hash (Math.imul, exact on every platform).
import { sha256 } from '@noble/hashes/sha2.js';

const DOMAIN = new TextEncoder().encode('gonka-ts/executor/sampler/v1');

function lowbias32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

export class SeededUniforms {
  private readonly k: Uint32Array;

  constructor(seed: bigint) {
    if (seed < 0n || seed >= 1n << 64n) throw new RangeError('seed must be an unsigned 64-bit integer');
    const msg = new Uint8Array(DOMAIN.length + 8);
    msg.set(DOMAIN);
    new DataView(msg.buffer).setBigUint64(DOMAIN.length, seed, false);
    const digest = sha256(msg);
    const view = new DataView(digest.buffer, digest.byteOffset, digest.byteLength);
    this.k = Uint32Array.from({ length: 8 }, (_, i) => view.getUint32(i * 4, false));
  }

  private word(lane: number, step: number, token: number): number {
    const k = this.k;
    let h = lowbias32((k[lane] ?? 0) ^ step);
    h = lowbias32(h ^ (k[lane + 1] ?? 0) ^ token);
    h = lowbias32(h ^ (k[lane + 2] ?? 0));
    return lowbias32(h ^ (k[lane + 3] ?? 0) ^ Math.imul(step, 0x9e3779b9));
  }

  /** A uniform number in the open interval (0, 1) with 53 random bits. */
  uniform(step: number, token: number): number {
    const hi = this.word(0, step, token) >>> 5; // 27 bits
    const lo = this.word(4, step, token) >>> 6; // 26 bits
    return (hi * 67108864 + lo + 0.5) / 9007199254740992;
  }

  /** Standard Gumbel noise for (step, token): −ln(−ln u). */
  gumbel(step: number, token: number): number {
    return -Math.log(-Math.log(this.uniform(step, token)));
  }
}
