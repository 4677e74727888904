// Which leaves a validator checks (DESIGN.md §5). The sample is derived from the validator's own
// secp256k1 signature over (chain_id, epoch, participant, class, validation_hash): only the
// validator can compute it before it votes, the chain re-derives it from the signature it is shown,
// and a proposer who grinds the validation block's hash cannot steer anyone's sample without that
// validator's key. Pure and synchronous: the chain (vote checks) and the API node (the validator
// that fetches proofs) use the same functions.
import { createHash } from 'node:crypto';
import { SampleSignDoc } from '../../proto/gen/gonka/poc/v1/poc.js';

/** The bytes a sample signature signs (secp256k1 over SHA-256 of these, as tx signatures do). */
export function sampleSignBytes(doc: SampleSignDoc): Uint8Array {
  return SampleSignDoc.encode(doc).finish();
}

/** Gas per sample-signature check (the SDK's secp256k1 verify cost), the Sprint's and the rounds'. */
export const SAMPLE_SIG_VERIFY_GAS = 1000n;

/** Sample signatures are 64 bytes r‖s (low-S is checked by the verifier). */
export const SAMPLE_SIG_BYTES = 64;

/**
 * min(s, count) distinct leaf indices in [0, count), ascending, from SHA-256(sampleSig): a lazy
 * Fisher–Yates shuffle of [0, count) whose draws come from a SHA-256 counter stream, so the work
 * is O(s) whatever count is (count is bounded by the class's max_count; s by the sample_size param).
 * Each draw is unbiased: 64-bit words at or above the largest multiple of the range are rejected.
 */
export function sampleIndices(sampleSig: Uint8Array, count: bigint, s: number): bigint[] {
  if (count <= 0n || s <= 0) return [];
  const take = BigInt(s) < count ? s : Number(count);
  const stream = new WordStream(createHash('sha256').update(sampleSig).digest());
  const swapped = new Map<bigint, bigint>(); // the shuffled prefix, sparse
  const out: bigint[] = [];
  for (let i = 0n; i < BigInt(take); i++) {
    const j = i + stream.below(count - i);
    const atJ = swapped.get(j) ?? j;
    swapped.set(j, swapped.get(i) ?? i);
    out.push(atJ);
  }
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

const TWO_64 = 1n << 64n;

/** 64-bit big-endian words of SHA-256(seed ‖ be64(block)), block = 0, 1, 2, … */
class WordStream {
  private block = 0n;
  private buf = new Uint8Array(0);
  private pos = 0;

  constructor(private readonly seed: Uint8Array) {}

  /** A uniform integer in [0, n), n ≥ 1. */
  below(n: bigint): bigint {
    const limit = TWO_64 - (TWO_64 % n);
    for (;;) {
      const w = this.next();
      if (w < limit) return w % n;
    }
  }

  private next(): bigint {
    if (this.pos === this.buf.length) {
      const ctr = Buffer.alloc(8);
      ctr.writeBigUInt64BE(this.block++);
      this.buf = createHash('sha256').update(this.seed).update(ctr).digest();
      this.pos = 0;
    }
    const w = Buffer.from(this.buf.buffer, this.buf.byteOffset + this.pos, 8).readBigUInt64BE();
    this.pos += 8;
    return w;
  }
}
