// Determinism (issue 2, acceptance 4): the same seeded blocks fed to two fresh app instances give
// identical app hashes, tx codes and gas at every height — without CometBFT in the loop, so the
// blocks can be large and many.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type RecordedBlock, replay } from '../e2e/helpers/replay.js';
import { encodeTestTx, testKvExtensions } from '../fixtures/testkv.js';
import { sized } from '../profile.js';

function seededBlocks(seed: number, count: number): RecordedBlock[] {
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s;
  };
  const blocks: RecordedBlock[] = [];
  for (let h = 1; h <= count; h++) {
    const txs: Uint8Array[] = [];
    const n = next() % 12;
    for (let i = 0; i < n; i++) {
      const writes: [string, string][] = [];
      for (let w = 0; w < 1 + (next() % 5); w++) writes.push([`k${next() % 500}`, `v${next()}`]);
      const deletes = next() % 4 === 0 ? [`k${next() % 500}`] : [];
      // Some txs run out of gas, some are malformed: failures must be deterministic too.
      const gas = next() % 10 === 0 ? 3000 : 1_000_000;
      txs.push(
        next() % 25 === 0
          ? new TextEncoder().encode('testkv:{broken')
          : encodeTestTx({ writes, deletes, gas }),
      );
    }
    const hash = new Uint8Array(32);
    hash.fill(h % 256);
    blocks.push({
      height: h,
      txs,
      time: { seconds: BigInt(1_800_000_000 + h), nanos: 0 },
      hash,
      proposer: new Uint8Array(20),
    });
  }
  return blocks;
}

describe('determinism', () => {
  it(`two fresh apps agree at every height over ${sized(150, 500)} seeded blocks`, async () => {
    const genesis = {
      chain_id: 'det',
      genesis_time: '2027-01-01T00:00:00Z',
      app_state: { testkv: { pairs: [['g', '1']] } },
    };
    const blocks = seededBlocks(42, sized(150, 500));
    const a = await replay(genesis, blocks, testKvExtensions);
    const b = await replay(genesis, blocks, testKvExtensions);
    assert.deepEqual(a.appHashes, b.appHashes);
    assert.deepEqual(a.codes, b.codes);
    assert.deepEqual(a.gasUsed, b.gasUsed);
    const codes = new Set(a.codes.flat());
    assert.ok(
      codes.has(0) && codes.has(11) && codes.has(2),
      `success, out-of-gas and decode failures all occur: ${[...codes]}`,
    );
    assert.ok(new Set(a.appHashes).size > blocks.length / 2, 'state actually changes from block to block');
  });
});
