// The (pubkey, nonce) pairs of the agreement tests and their ORT outputs: pair i uses one of 10
// block hashes, a 33-byte key and a u64 nonce, all from SHA-256 of (class id, i).
import { sha256, toHex } from '../../../kernels/poc/bytes.js';
import type { PocClass } from '../../../kernels/poc/classes.js';
import { createEpoch } from '../../../kernels/poc/epoch.js';
import type { OrtFormName } from '../../../kernels/poc/ort/forms.js';
import { PocOrtSession } from '../../../kernels/poc/ort/session.js';

const BLOCK_HASHES = Array.from({ length: 10 }, (_, i) => sha256(Uint8Array.of(0xb1, i)));

export interface Pair {
  readonly blockHash: Uint8Array;
  readonly pubkey: Uint8Array;
  readonly nonce: bigint;
}

/** n pairs for a class: pair i uses block hash i mod 10, a 33-byte key and a u64 nonce from SHA-256. */
export function pairs(cls: PocClass, n: number): Pair[] {
  return Array.from({ length: n }, (_, i) => {
    const r = sha256(Uint8Array.of(cls.id), new Uint8Array(new Uint32Array([i]).buffer));
    const pubkey = new Uint8Array(33);
    pubkey[0] = 2 + (r[0]! & 1);
    pubkey.set(sha256(r), 1);
    const nonce = new DataView(r.buffer).getBigUint64(8) >> BigInt(r[1]! % 64);
    return { blockHash: BLOCK_HASHES[i % BLOCK_HASHES.length]!, pubkey, nonce };
  });
}

/** ORT outputs of the pairs in one form: one session and one batch per block hash. */
export async function ortOutputs(cls: PocClass, form: OrtFormName, list: readonly Pair[]): Promise<string[]> {
  const out: string[] = new Array(list.length);
  for (const blockHash of BLOCK_HASHES) {
    const indices = list.flatMap((p, i) => (p.blockHash === blockHash ? [i] : []));
    // Fewer than 10 pairs (the large test's one) leave block hashes without pairs: no session.
    if (indices.length === 0) continue;
    const session = await PocOrtSession.create(createEpoch(cls, blockHash), { form, threads: 2 });
    try {
      const outputs = await session.computeBatch(indices.map((i) => list[i]!));
      indices.forEach((i, k) => {
        out[i] = toHex(outputs[k]!);
      });
    } finally {
      await session.release();
    }
  }
  return out;
}
