// The artifact store: roots match an in-memory RFC 6962 tree, proofs verify for random indices,
// and every kind of forgery fails (tampered output, wrong index, nonce ≠ index, truncated path).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { OrderedAppender } from '../../../kernels/poc/artifacts/appender.js';
import { checkArtifactProof, rootOfLeaves } from '../../../kernels/poc/artifacts/merkle.js';
import { ArtifactStore } from '../../../kernels/poc/artifacts/store.js';
import { sized } from '../../profile.js';

const OUTPUT_BYTES = 256; // a `tiny` output; the store does not care what the bytes are
const scratch = mkdtempSync(join(tmpdir(), 'gonka-artifacts-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function newStore(name: string): ArtifactStore {
  return ArtifactStore.create(join(scratch, name), {
    class: 'tiny',
    blockHash: '00',
    pubkey: '02',
    outputBytes: OUTPUT_BYTES,
  });
}

/** A deterministic output for leaf i (cheaper than random bytes for a million leaves). */
function outputFor(i: number): Uint8Array {
  const out = new Uint8Array(OUTPUT_BYTES);
  new DataView(out.buffer).setUint32(0, i);
  out[OUTPUT_BYTES - 1] = i % 251;
  return out;
}

/** A simple xorshift so sampled indices are reproducible. */
function sampler(seed: number, bound: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x % bound;
  };
}

describe('artifact store', () => {
  it('matches an in-memory RFC 6962 tree at every size up to 70, and for older sizes', () => {
    const store = newStore('small');
    const leaves: Uint8Array[] = [];
    for (let i = 0; i < 70; i++) {
      leaves.push(store.append(outputFor(i)));
      assert.deepEqual(store.root(), rootOfLeaves(leaves), `root at size ${i + 1}`);
    }
    for (let size = 1; size <= 70; size++) {
      const root = rootOfLeaves(leaves.slice(0, size));
      assert.deepEqual(store.rootAt(size), root);
      for (let i = 0; i < size; i++) {
        assert.deepEqual(checkArtifactProof(root, size, store.proof(i, size), OUTPUT_BYTES), { ok: true });
      }
    }
    store.close();
  });

  const leafCount = sized(100_000, 1_000_000);
  it(`proves random indices among ${leafCount} leaves and rejects forgeries`, () => {
    const store = newStore('big');
    for (let i = 0; i < leafCount; i++) store.append(outputFor(i));
    store.flush();
    const root = store.root();
    const next = sampler(7, leafCount);
    for (let s = 0; s < 300; s++) {
      const index = next();
      const proof = store.proof(index);
      assert.deepEqual(proof.output, outputFor(index));
      assert.deepEqual(checkArtifactProof(root, leafCount, proof, OUTPUT_BYTES), { ok: true });

      const tampered = proof.output.slice();
      tampered[s % OUTPUT_BYTES] = (tampered[s % OUTPUT_BYTES] as number) ^ 1;
      assert.equal(checkArtifactProof(root, leafCount, { ...proof, output: tampered }).ok, false);

      const other = (index + 1) % leafCount;
      const wrongIndex = { ...proof, index: other, nonce: BigInt(other) };
      assert.equal(checkArtifactProof(root, leafCount, wrongIndex).ok, false, 'wrong index');

      const wrongNonce = { ...proof, nonce: proof.nonce + 1n };
      assert.deepEqual(checkArtifactProof(root, leafCount, wrongNonce), {
        ok: false,
        reason: 'nonce-mismatch',
      });

      const truncated = { ...proof, path: proof.path.slice(0, -1) };
      assert.deepEqual(checkArtifactProof(root, leafCount, truncated), { ok: false, reason: 'bad-path' });

      const extended = { ...proof, path: [...proof.path, randomBytes(32)] };
      assert.equal(checkArtifactProof(root, leafCount, extended).ok, false, 'extended path');
    }
    store.close();

    // Reopened from disk, the store has the same root and proofs.
    const reopened = ArtifactStore.open(join(scratch, 'big'));
    assert.equal(reopened.count, leafCount);
    assert.deepEqual(reopened.root(), root);
    const index = leafCount - 1;
    assert.deepEqual(checkArtifactProof(root, leafCount, reopened.proof(index), OUTPUT_BYTES), { ok: true });
    reopened.close();
  });

  it('drops leaves appended after the last flush when reopened, then keeps appending', () => {
    const dir = join(scratch, 'crash');
    const store = ArtifactStore.create(dir, {
      class: 'tiny',
      blockHash: '00',
      pubkey: '02',
      outputBytes: OUTPUT_BYTES,
    });
    const leaves: Uint8Array[] = [];
    for (let i = 0; i < 37; i++) leaves.push(store.append(outputFor(i)));
    store.flush();
    for (let i = 37; i < 50; i++) store.append(outputFor(i));
    // No flush: simulate a crash by opening a second handle on the same files.
    const reopened = ArtifactStore.open(dir);
    assert.equal(reopened.count, 37);
    assert.deepEqual(reopened.root(), rootOfLeaves(leaves));
    for (let i = 37; i < 45; i++) leaves.push(reopened.append(outputFor(i)));
    reopened.flush();
    assert.deepEqual(reopened.root(), rootOfLeaves(leaves));
    assert.deepEqual(checkArtifactProof(reopened.root(), 45, reopened.proof(40), OUTPUT_BYTES), { ok: true });
    reopened.close();
  });

  it('appends ranges from several miners in nonce order', () => {
    const store = newStore('ordered');
    const appender = new OrderedAppender(store, 100);
    const range = (first: number, n: number) => Array.from({ length: n }, (_, i) => outputFor(first + i));
    assert.equal(appender.add(10, range(10, 5)), 0);
    assert.equal(appender.add(20, range(20, 3)), 0);
    assert.equal(appender.add(0, range(0, 10)), 15);
    assert.equal(appender.add(15, range(15, 5)), 8);
    assert.equal(store.count, 23);
    assert.throws(() => appender.add(5, range(5, 1)), /overlaps/);
    assert.throws(() => appender.add(30, range(30, 101)), /waiting/);
    const stored = Array.from({ length: 23 }, (_, i) => store.proof(i).output);
    assert.deepEqual(stored, range(0, 23));
    store.close();
  });
});
