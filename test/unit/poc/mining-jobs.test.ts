// PocMiner range jobs (what the ML node streams from): several jobs on one miner get exactly their
// ranges with the store path's bytes; admit() holds a job until kick(); stop() drains; a sink that
// throws fails only its own job; mine(store) still works on the same miner afterwards.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ArtifactStore } from '../../../kernels/poc/artifacts/store.js';
import { sha256, toHex } from '../../../kernels/poc/bytes.js';
import { outputBytes, POC_CLASSES } from '../../../kernels/poc/classes.js';
import { PocMiner, type RangeJob } from '../../../kernels/poc/mining/miner.js';

const cls = POC_CLASSES.tiny;
const OUT = outputBytes(cls);
const BLOCK_HASH = sha256(Uint8Array.of(0x6a));
const PUBKEY = Uint8Array.from({ length: 33 }, (_, i) => (i * 11 + 3) & 0xff);
const scratch = mkdtempSync(join(tmpdir(), 'gonka-poc-jobs-'));

/** Collects a job's outputs by nonce. */
function collector() {
  const outputs = new Map<number, string>();
  const sink: RangeJob['sink'] = (first, count, bytes) => {
    for (let i = 0; i < count; i++) {
      assert.ok(!outputs.has(first + i), `nonce ${first + i} twice`);
      outputs.set(first + i, toHex(bytes.subarray(i * OUT, (i + 1) * OUT)));
    }
  };
  return { outputs, sink };
}

describe('PocMiner range jobs', () => {
  let miner: PocMiner;
  let store: ArtifactStore;

  before(async () => {
    miner = await PocMiner.start({ cls, blockHash: BLOCK_HASH, pubkey: PUBKEY, workers: 2, batch: 8 });
    store = ArtifactStore.create(join(scratch, 'ref'), {
      class: cls.name,
      blockHash: toHex(BLOCK_HASH),
      pubkey: toHex(PUBKEY),
      outputBytes: OUT,
    });
    await miner.mine(store, { stop: () => false, maxCount: 200 });
  });
  after(async () => {
    await miner.close();
    store.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('runs concurrent jobs, each getting exactly its range with the store path bytes', async () => {
    const a = collector();
    const b = collector();
    const [na, nb] = await Promise.all([
      miner.run({ start: 3, end: 77, sink: a.sink }),
      miner.run({ start: 150, end: 200, sink: b.sink }),
    ]);
    assert.equal(na, 74);
    assert.equal(nb, 50);
    assert.deepEqual(
      [...a.outputs.keys()].sort((x, y) => x - y),
      Array.from({ length: 74 }, (_, i) => 3 + i),
    );
    for (const [n, hex] of [...a.outputs, ...b.outputs])
      assert.equal(hex, toHex(store.output(n)), `nonce ${n}`);
    assert.equal(miner.activeJobs, 0);
  });

  it('admit() holds a job until kick(); stop() drains and resolves with what was delivered', async () => {
    let allowance = 16;
    let stopped = false;
    const c = collector();
    const done = miner.run({
      start: 0,
      end: 1_000_000,
      sink: c.sink,
      stop: () => stopped,
      admit: (want) => {
        const n = Math.min(want, allowance);
        allowance -= n;
        return n;
      },
    });
    const deadline = performance.now() + 20_000;
    while (c.outputs.size < 16) {
      assert.ok(performance.now() < deadline, 'first 16 nonces');
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.equal(miner.activeJobs, 1, 'held, not finished');
    allowance = 8;
    miner.kick();
    while (c.outputs.size < 24) {
      assert.ok(performance.now() < deadline, '8 more after kick');
      await new Promise((r) => setTimeout(r, 10));
    }
    stopped = true;
    miner.kick();
    assert.equal(await done, 24);
    assert.equal(c.outputs.get(23), toHex(store.output(23)));
  });

  it('a throwing sink fails only its job; the miner goes on serving (and mine(store) too)', async () => {
    const ok = collector();
    const results = await Promise.allSettled([
      miner.run({
        start: 0,
        end: 64,
        sink: () => {
          throw new Error('client bug');
        },
      }),
      miner.run({ start: 100, end: 140, sink: ok.sink }),
    ]);
    assert.equal(results[0].status, 'rejected');
    assert.match(String((results[0] as PromiseRejectedResult).reason), /client bug/);
    assert.deepEqual(results[1], { status: 'fulfilled', value: 40 });
    assert.equal(miner.failed, undefined);
    const more = ArtifactStore.create(join(scratch, 'more'), {
      class: cls.name,
      blockHash: toHex(BLOCK_HASH),
      pubkey: toHex(PUBKEY),
      outputBytes: OUT,
    });
    await miner.mine(more, { stop: () => false, maxCount: 50 });
    assert.equal(toHex(more.root()), toHex(store.rootAt(50)));
    more.close();
  });
});
