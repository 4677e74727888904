// The ML node's inference plumbing in isolation: the ndjson splitter (lines cut anywhere across
// chunks, multi-byte characters split between chunks, the line bound, bad UTF-8) and the per-model
// queue (one at a time, in order, the bound, a waiter that leaves).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InferenceQueue, QueueFullError } from '../../app/ml/inferenceQueue.js';
import { NdjsonError, NdjsonSplitter } from '../../app/ml/ndjson.js';

describe('NdjsonSplitter', () => {
  const text = '{"a":"é€😀"}\n\n{"b":2}\n{"c":"x"}\n';
  const bytes = Buffer.from(text);

  it('yields the same lines wherever the chunks are cut', () => {
    const want = ['{"a":"é€😀"}', '{"b":2}', '{"c":"x"}'];
    for (let i = 0; i <= bytes.length; i++) {
      for (const j of [i, Math.min(bytes.length, i + 1), Math.min(bytes.length, i + 5)]) {
        const s = new NdjsonSplitter(64);
        const got: string[] = [];
        for (const chunk of [bytes.subarray(0, i), bytes.subarray(i, j), bytes.subarray(j)])
          s.push(chunk, (l) => got.push(l));
        assert.deepEqual(got, want, `cut at ${i}, ${j}`);
        assert.ok(s.atBoundary);
      }
    }
  });

  it('refuses a line over the bound, even one arriving a byte at a time', () => {
    const s = new NdjsonSplitter(8);
    assert.throws(() => {
      for (const b of Buffer.from('123456789')) s.push(Uint8Array.of(b), () => {});
    }, NdjsonError);
    assert.doesNotThrow(() => new NdjsonSplitter(8).push(Buffer.from('12345678\n'), () => {}));
  });

  it('refuses a line that is not UTF-8; reports a partial line at the end', () => {
    assert.throws(
      () => new NdjsonSplitter(64).push(Uint8Array.of(0x7b, 0xff, 0x7d, 0x0a), () => {}),
      NdjsonError,
    );
    const s = new NdjsonSplitter(64);
    s.push(Buffer.from('{"a":1}\n{"b"'), () => {});
    assert.equal(s.atBoundary, false);
  });
});

describe('InferenceQueue', () => {
  function gate() {
    let open: () => void = () => {};
    const opened = new Promise<void>((r) => {
      open = r;
    });
    return { open, opened };
  }

  it('runs one job at a time in arrival order and refuses past the bound', async () => {
    const depths: number[] = [];
    const q = new InferenceQueue(3, (d) => depths.push(d));
    const order: string[] = [];
    const g = gate();
    const a = q.run(async () => {
      order.push('a start');
      await g.opened;
      order.push('a end');
    });
    const b = q.run(async () => {
      order.push('b');
    });
    const c = q.run(async () => {
      order.push('c');
    });
    assert.equal(q.depth, 3);
    assert.ok(q.full);
    await assert.rejects(
      q.run(async () => order.push('d')),
      QueueFullError,
    );
    g.open();
    await Promise.all([a, b, c]);
    assert.deepEqual(order, ['a start', 'a end', 'b', 'c']);
    assert.equal(q.depth, 0);
    assert.equal(depths.at(-1), 0);
  });

  it('a waiter whose signal aborts leaves without running; a failing job frees the queue', async () => {
    const q = new InferenceQueue(2);
    const g = gate();
    const first = q.run(async () => {
      await g.opened;
      throw new Error('boom');
    });
    const ac = new AbortController();
    let ran = false;
    const waiting = q.run(async () => {
      ran = true;
    }, ac.signal);
    ac.abort(new Error('left'));
    await assert.rejects(waiting, /left/);
    assert.equal(q.depth, 1);
    g.open();
    await assert.rejects(first, /boom/);
    assert.equal(ran, false);
    assert.equal(await q.run(async () => 7), 7);
  });
});
