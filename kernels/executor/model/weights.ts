// Deterministic weights for generated models: an AES-256-CTR keystream keyed by
// SHA-256(domain ‖ seed) is read as uint32s and mapped to a zero-mean uniform distribution with
// the requested standard deviation. The same seed gives byte-identical weights on every machine
// (integer keystream, one float32 rounding per value).
import { createCipheriv, createHash } from 'node:crypto';

export class WeightStream {
  private readonly cipher;
  private readonly zeros = new Uint8Array(1 << 16);

  constructor(domain: string, seed: string) {
    const key = createHash('sha256').update(`${domain}\u0000${seed}`).digest();
    this.cipher = createCipheriv('aes-256-ctr', key, new Uint8Array(16));
  }

  private words(count: number): Uint32Array {
    const out = new Uint32Array(count);
    const bytes = new Uint8Array(out.buffer);
    for (let off = 0; off < bytes.length; off += this.zeros.length) {
      const n = Math.min(this.zeros.length, bytes.length - off);
      bytes.set(this.cipher.update(this.zeros.subarray(0, n)), off);
    }
    // Interpret the keystream as little-endian words regardless of host byte order.
    const view = new DataView(out.buffer);
    for (let i = 0; i < count; i++) out[i] = view.getUint32(i * 4, true);
    return out;
  }

  /** `count` values uniform in [-√3·std, √3·std) (variance std²). */
  uniform(count: number, std: number): Float32Array {
    const w = this.words(count);
    const out = new Float32Array(count);
    const half = Math.sqrt(3) * std;
    for (let i = 0; i < count; i++) out[i] = ((w[i] ?? 0) / 2 ** 31 - 1) * half;
    return out;
  }
}
