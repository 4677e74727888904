// The API node's ML-node scheduler: disjoint dynamic chunks over several ML nodes (a fast and a
// slow one both get work), in-order appends, a failing node's undelivered nonces re-mined by the
// others, resume from a store's count, and a stop that ends mining.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gaps, type Miner, mineWithNodes } from '../../app/api/mining.js';
import type { MineRequest } from '../../app/ml/client.js';
import { OrderedAppender } from '../../kernels/poc/artifacts/appender.js';
import { ArtifactStore } from '../../kernels/poc/artifacts/store.js';

const BYTES = 8;
const outputOf = (n: number) => {
  const b = new Uint8Array(BYTES);
  new DataView(b.buffer).setUint32(0, (n * 2654435761) >>> 0);
  return b;
};

/** Sends frames of `frame` nonces, one per `delayMs` (0: per macrotask), highest frame first. */
class FakeMiner implements Miner {
  requests: [number, number][] = [];
  constructor(
    private readonly delayMs: number,
    /** On its first request, throws after this many frames. */
    private readonly failAfterFrames?: number,
  ) {}
  async mine(
    req: MineRequest,
    onBatch: (first: number, outputs: Uint8Array[]) => void,
    signal?: AbortSignal,
  ) {
    this.requests.push([req.start, req.end]);
    const frames: number[] = [];
    for (let f = req.start; f < req.end; f += 16) frames.push(f);
    frames.reverse(); // frames come in any order
    let sent = 0;
    let framesSent = 0;
    for (const first of frames) {
      if (signal?.aborted) throw signal.reason;
      await new Promise((r) => (this.delayMs ? setTimeout(r, this.delayMs) : setImmediate(r)));
      if (this.requests.length === 1 && framesSent === this.failAfterFrames)
        throw new Error('ML node went away');
      framesSent++;
      const n = Math.min(16, req.end - first);
      onBatch(
        first,
        Array.from({ length: n }, (_, i) => outputOf(first + i)),
      );
      sent += n;
    }
    return sent;
  }
}

function tempStore() {
  const dir = mkdtempSync(join(tmpdir(), 'gonka-api-mining-'));
  const store = ArtifactStore.create(dir, {
    class: 'tiny',
    blockHash: '00',
    pubkey: '02',
    outputBytes: BYTES,
  });
  return { dir, store };
}

function assertContents(store: ArtifactStore, count: number) {
  assert.equal(store.count, count);
  for (let i = 0; i < count; i += 97) assert.deepEqual(store.output(i), outputOf(i));
  assert.deepEqual(store.output(count - 1), outputOf(count - 1));
}

describe('API node mining scheduler', () => {
  it('keeps a fast and a slow ML node busy on disjoint chunks, appending in nonce order', async () => {
    const { dir, store } = tempStore();
    const fast = new FakeMiner(0);
    const slow = new FakeMiner(3);
    await mineWithNodes([fast, slow], {
      blockHash: new Uint8Array(32),
      cls: 'tiny',
      pubkey: new Uint8Array(33),
      appender: new OrderedAppender(store),
      maxCount: 6000,
      signal: new AbortController().signal,
    });
    assertContents(store, 6000);
    assert.ok(fast.requests.length >= 1 && slow.requests.length >= 1);
    const all = [...fast.requests, ...slow.requests].sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < all.length; i++)
      assert.equal(all[i]![0], all[i - 1]![1], 'ranges are disjoint and contiguous');
    rmSync(dir, { recursive: true, force: true });
  });

  it("re-mines what a failing ML node did not deliver, and resumes from the store's count", async () => {
    const { dir, store } = tempStore();
    for (let i = 0; i < 100; i++) store.append(outputOf(i)); // mined before a restart
    const errors: unknown[] = [];
    const flaky = new FakeMiner(1, 3); // its first request fails midway
    const good = new FakeMiner(0);
    await mineWithNodes([flaky, good], {
      blockHash: new Uint8Array(32),
      cls: 'tiny',
      pubkey: new Uint8Array(33),
      appender: new OrderedAppender(store),
      maxCount: 3000,
      signal: new AbortController().signal,
      onMinerError: (_i, e) => errors.push(e),
    });
    assert.ok(errors.length >= 1);
    assert.equal(Math.min(...[...flaky.requests, ...good.requests].map((r) => r[0])), 100);
    assertContents(store, 3000);
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops when the generation stage ends', async () => {
    const { dir, store } = tempStore();
    const stop = new AbortController();
    let appended = 0;
    const run = mineWithNodes([new FakeMiner(1)], {
      blockHash: new Uint8Array(32),
      cls: 'tiny',
      pubkey: new Uint8Array(33),
      appender: new OrderedAppender(store),
      maxCount: Number.MAX_SAFE_INTEGER,
      signal: stop.signal,
      onAppended: (n) => {
        appended += n;
        if (appended >= 500) stop.abort();
      },
    });
    await run;
    assert.ok(store.count >= 500);
    assert.deepEqual(store.output(store.count - 1), outputOf(store.count - 1));
    rmSync(dir, { recursive: true, force: true });
  });

  it('gaps lists what a range is missing', () => {
    assert.deepEqual(
      gaps({ start: 0, end: 100 }, [
        { start: 10, end: 20 },
        { start: 0, end: 5 },
      ]),
      [
        { start: 5, end: 10 },
        { start: 20, end: 100 },
      ],
    );
    assert.deepEqual(gaps({ start: 0, end: 10 }, [{ start: 0, end: 10 }]), []);
  });
});
