// The gRPC query scheduler bounds its queue (RESOURCE_EXHAUSTED beyond it, no work done) and runs
// queries in slices, yielding to the event loop between them so consensus I/O interleaves.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QueryScheduler, QueueFullError } from '../../app/node/grpc/queryScheduler.js';

describe('query scheduler', () => {
  it('refuses a query beyond maxPending without running it', async () => {
    const s = new QueryScheduler({ maxPending: 3, sliceMs: 10 });
    let ran = 0;
    const accepted = Array.from({ length: 3 }, (_, i) => s.submit(() => ++ran && i));
    await assert.rejects(
      s.submit(() => ++ran),
      QueueFullError,
    );
    assert.deepEqual(await Promise.all(accepted), [0, 1, 2]);
    assert.equal(ran, 3);
    assert.equal(s.pending(), 0);
    assert.equal(await s.submit(() => 'again'), 'again', 'room again once drained');
  });

  it('yields to other macrotasks between slices', async () => {
    // sliceMs 0: every query ends its slice, so a setImmediate queued meanwhile runs between them.
    const s = new QueryScheduler({ maxPending: 100, sliceMs: 0 });
    const order: string[] = [];
    const jobs = Array.from({ length: 4 }, (_, i) =>
      s.submit(() => {
        order.push(`q${i}`);
        if (i === 0) setImmediate(() => order.push('io'));
      }),
    );
    await Promise.all(jobs);
    assert.ok(order.indexOf('io') > 0 && order.indexOf('io') < order.length - 1, order.join(','));
  });

  it('passes a query error to its caller only', async () => {
    const s = new QueryScheduler({ maxPending: 10, sliceMs: 5 });
    const bad = s.submit(() => {
      throw new Error('boom');
    });
    const good = s.submit(() => 42);
    await assert.rejects(bad, /boom/);
    assert.equal(await good, 42);
  });

  it('takes the gRPC and ABCI lanes in turn: an RPC query waits for one gRPC query, not the backlog', async () => {
    const s = new QueryScheduler({ maxPending: 100, sliceMs: 1000 });
    const order: string[] = [];
    const jobs = Array.from({ length: 10 }, (_, i) => s.submit(() => order.push(`g${i}`), 'grpc'));
    jobs.push(
      s.submit(() => order.push('a0'), 'abci'),
      s.submit(() => order.push('a1'), 'abci'),
    );
    await Promise.all(jobs);
    assert.deepEqual(order.slice(0, 4), ['g0', 'a0', 'g1', 'a1'], order.join(','));
    assert.equal(order.length, 12);
  });

  it('bounds each lane on its own: a full gRPC lane refuses gRPC only', async () => {
    const s = new QueryScheduler({ maxPending: 2, sliceMs: 10 });
    const grpc = [s.submit(() => 1, 'grpc'), s.submit(() => 2, 'grpc')];
    await assert.rejects(
      s.submit(() => 3, 'grpc'),
      QueueFullError,
    );
    assert.equal(s.pending('grpc'), 2);
    assert.equal(await s.submit(() => 'rpc', 'abci'), 'rpc', 'the ABCI lane still has room');
    assert.deepEqual(await Promise.all(grpc), [1, 2]);
    assert.equal(s.pending(), 0);
  });

  it('owes its rest even when its queue empties, so one-at-a-time queries also keep to the share', async () => {
    // CometBFT's query connection sends its next query only after the last answer: the queue is
    // empty after every query, and without a remembered rest each one would start at once.
    let clock = 1000;
    const s = new QueryScheduler({ maxPending: 10, sliceMs: 4, share: 0.5, now: () => clock });
    await s.submit(() => {
      clock += 10; // a query that held the loop 10 ms
    }, 'abci');
    assert.equal(s.pending(), 0);
    assert.equal(s.restMs(), 10, 'share 0.5: the next slice waits as long as the last one ran');
    clock += 4;
    assert.equal(s.restMs(), 6);
    clock += 6;
    assert.equal(s.restMs(), 0);
  });
});
