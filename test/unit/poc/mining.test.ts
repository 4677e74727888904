// The mining pipeline produces exactly the bytes of the one-nonce path: bulk keystreams equal
// inputStream, bulk big-endian encoding equals encodeOutput, and a 2-worker miner's store has the
// same root as outputs computed one session batch at a time and appended in order.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { rootOfLeaves } from '../../../kernels/poc/artifacts/merkle.js';
import { ArtifactStore } from '../../../kernels/poc/artifacts/store.js';
import { sha256, toHex } from '../../../kernels/poc/bytes.js';
import { outputBytes, POC_CLASSES } from '../../../kernels/poc/classes.js';
import { createEpoch } from '../../../kernels/poc/epoch.js';
import { encodeOutput, leafHash } from '../../../kernels/poc/leaf.js';
import { encodeOutputsInto, RangeInputs } from '../../../kernels/poc/mining/batch-io.js';
import { PocMiner } from '../../../kernels/poc/mining/miner.js';
import { PocOrtSession } from '../../../kernels/poc/ort/session.js';
import { inputStream } from '../../../kernels/poc/seeds.js';

const scratch = mkdtempSync(join(tmpdir(), 'gonka-poc-mining-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const BLOCK_HASH = sha256(Uint8Array.of(0x6d));
const PUBKEY = Uint8Array.from({ length: 33 }, (_, i) => (i * 37 + 2) & 0xff);

describe('PoC mining pipeline', () => {
  it('bulk keystreams equal inputStream for each nonce, across the 2^32 boundary', () => {
    const cls = POC_CLASSES.devnet;
    const epoch = createEpoch(cls, BLOCK_HASH);
    const per = cls.T * cls.d;
    const first = 2n ** 32n - 3n;
    const out = new Uint8Array(6 * per);
    new RangeInputs(cls, epoch.seed, PUBKEY).write(first, 6, out);
    for (let i = 0; i < 6; i++) {
      const expected = inputStream(cls, epoch.seed, PUBKEY, first + BigInt(i));
      assert.equal(
        toHex(out.subarray(i * per, (i + 1) * per)),
        toHex(expected),
        `nonce ${first + BigInt(i)}`,
      );
    }
  });

  it('bulk big-endian encoding equals encodeOutput', () => {
    const y = Int32Array.from({ length: 3 * 128 }, (_, i) => (i * 2654435761) | 0);
    const out = new Uint8Array(y.byteLength);
    encodeOutputsInto(y, out);
    for (let b = 0; b < 3; b++) {
      const row = encodeOutput(y.subarray(b * 128, (b + 1) * 128));
      assert.equal(toHex(out.subarray(b * 512, (b + 1) * 512)), toHex(row));
    }
  });

  it('a 2-worker miner stores, in nonce order, the outputs of the single-session path', async () => {
    const cls = POC_CLASSES.tiny;
    const count = 150; // batch 16: ranges finish out of order across the two workers
    const store = ArtifactStore.create(join(scratch, 'mined'), {
      class: cls.name,
      blockHash: toHex(BLOCK_HASH),
      pubkey: toHex(PUBKEY),
      outputBytes: outputBytes(cls),
    });
    const miner = await PocMiner.start({ cls, blockHash: BLOCK_HASH, pubkey: PUBKEY, workers: 2, batch: 16 });
    try {
      await miner.mine(store, { stop: () => false, maxCount: count });
    } finally {
      await miner.close();
    }
    assert.equal(store.count, count);

    const session = await PocOrtSession.create(createEpoch(cls, BLOCK_HASH), { form: 'u8i8', threads: 1 });
    const nonces = Array.from({ length: count }, (_, i) => BigInt(i));
    const outputs = await session.computeOutputs(PUBKEY, nonces);
    await session.release();
    for (const i of [0, 15, 16, 99, count - 1]) assert.equal(toHex(store.output(i)), toHex(outputs[i]!));
    const expectedRoot = rootOfLeaves(outputs.map((o, i) => leafHash(BigInt(i), o)));
    assert.equal(toHex(store.root()), toHex(expectedRoot));
    store.close();
  });
});
