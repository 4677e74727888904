// The Sprint's sample derivation (x/poc/sample.ts): chain and API node must derive the same leaves
// from a sample signature, so its output is pinned by a golden vector.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sampleIndices, sampleSignBytes } from '../../../x/poc/sample.js';

const sig = Uint8Array.from({ length: 64 }, (_, i) => i);

describe('x/poc sample', () => {
  it('gives min(s, count) distinct ascending indices in range', () => {
    for (const [count, s] of [
      [1n, 200],
      [5n, 200],
      [200n, 200],
      [201n, 200],
      [10_000n, 200],
      [2n ** 40n, 7],
    ] as const) {
      const idx = sampleIndices(sig, count, s);
      assert.equal(idx.length, Number(count < BigInt(s) ? count : BigInt(s)));
      assert.equal(new Set(idx).size, idx.length, 'distinct');
      for (let i = 0; i < idx.length; i++) {
        assert.ok(idx[i]! >= 0n && idx[i]! < count, 'in range');
        if (i > 0) assert.ok(idx[i - 1]! < idx[i]!, 'ascending');
      }
    }
    assert.deepEqual(sampleIndices(sig, 0n, 5), []);
    assert.deepEqual(sampleIndices(sig, 5n, 0), []);
  });

  it('depends on every signature byte', () => {
    const a = sampleIndices(sig, 1_000_000n, 8);
    const flipped = sig.slice();
    flipped[63]! ^= 1;
    assert.notDeepEqual(sampleIndices(flipped, 1_000_000n, 8), a);
  });

  it('is pinned by a golden vector (a change breaks every validator against the chain)', () => {
    assert.deepEqual(sampleIndices(sig, 1_000_000n, 8).map(String), GOLDEN);
    assert.equal(
      Buffer.from(
        sampleSignBytes({
          chainId: 'gonka-devnet',
          epoch: 3n,
          participant: 'gonka1xyz',
          classId: 1,
          validationHash: new Uint8Array([1, 2]),
          round: 0,
        }),
      ).toString('hex'),
      '0a0c676f6e6b612d6465766e657410031a09676f6e6b613178797a20012a020102',
    );
  });
});

const GOLDEN = ['66803', '133336', '214397', '221059', '575256', '600966', '700300', '753947'];
