// The ML node's wire pieces: the frame decoder gets the same frames however the stream is cut into
// chunks and refuses bad headers before allocating; the test throttle's token bucket and the
// nonces/s meter, on a fake clock.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FrameDecoder, FrameError, frameHeader } from '../../app/ml/frames.js';
import { RateMeter } from '../../app/ml/rate.js';
import { TokenBucket } from '../../app/ml/throttle.js';

const OUT = 8;

function frame(first: number, n: number): Buffer {
  const body = Buffer.alloc(n * OUT);
  for (let i = 0; i < n; i++) body.writeBigUInt64BE(BigInt(first + i), i * OUT);
  return Buffer.concat([frameHeader(first, n), body]);
}

function decodeAll(stream: Buffer, cuts: number[], maxNonces = 100) {
  const got: [number, string[]][] = [];
  const decoder = new FrameDecoder(OUT, maxNonces);
  let at = 0;
  for (const cut of [...cuts, stream.length]) {
    decoder.push(stream.subarray(at, cut), (first, outputs) =>
      got.push([first, outputs.map((o) => Buffer.from(o).toString('hex'))]),
    );
    at = cut;
  }
  return { got, atBoundary: decoder.atBoundary };
}

describe('ML node frames', () => {
  const stream = Buffer.concat([frame(10, 3), frame(0, 1), frame(2 ** 40, 7), frame(5, 2)]);
  const whole = decodeAll(stream, []).got;

  it('decodes frames with their nonces and outputs', () => {
    assert.deepEqual(
      whole.map(([first, outputs]) => [first, outputs.length]),
      [
        [10, 3],
        [0, 1],
        [2 ** 40, 7],
        [5, 2],
      ],
    );
    assert.equal(whole[2]![1][6], (2n ** 40n + 6n).toString(16).padStart(16, '0'));
  });

  it('gets the same frames for every single cut and for byte-by-byte chunks', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      const r = decodeAll(stream, [cut]);
      assert.deepEqual(r.got, whole, `cut at ${cut}`);
      assert.ok(r.atBoundary);
    }
    const bytes = Array.from({ length: stream.length - 1 }, (_, i) => i + 1);
    assert.deepEqual(decodeAll(stream, bytes).got, whole);
  });

  it('reports a stream that ends inside a frame', () => {
    assert.equal(decodeAll(stream.subarray(0, stream.length - 1), []).atBoundary, false);
    assert.equal(decodeAll(stream.subarray(0, 5), []).atBoundary, false);
  });

  it('refuses n = 0, n above the bound and a first nonce beyond 2^53 before allocating', () => {
    assert.throws(() => decodeAll(frameHeader(0, 0), []), FrameError);
    assert.throws(() => decodeAll(frameHeader(0, 101), []), FrameError);
    const far = Buffer.from(frameHeader(0, 1));
    far.writeBigUInt64BE(2n ** 53n, 0);
    assert.throws(() => decodeAll(far, []), /beyond 2\^53/);
  });
});

describe('ML node throttle and rate meter', () => {
  it('the token bucket hands out at most capacity + rate·t, in whole ranges', () => {
    let now = 0;
    const bucket = new TokenBucket(400, 100, () => now);
    let taken = 0;
    for (let step = 0; step <= 1000; step++) {
      now = step * 10; // 10 s in 10 ms steps, asking for 64 each time
      for (let n = bucket.take(64); n > 0; n = bucket.take(64)) {
        assert.equal(n, 64);
        taken += n;
      }
    }
    assert.ok(taken <= 100 + 400 * 10, `${taken}`);
    assert.ok(taken >= 400 * 10 - 64, `${taken}`);
    assert.equal(bucket.take(500), 0, 'a request above capacity waits for capacity, not forever');
    now += 250;
    assert.equal(bucket.take(500), 100);
    assert.equal(bucket.msUntil(10), 25);
  });

  it('the rate meter averages over its window', () => {
    let now = 0;
    const meter = new RateMeter(5000, 250, () => now);
    assert.equal(meter.perSecond(), 0);
    for (let t = 0; t < 10_000; t += 100) {
      now = t;
      meter.record(50); // 500/s
    }
    now = 10_000;
    assert.ok(Math.abs(meter.perSecond() - 500) < 30, `${meter.perSecond()}`);
    now = 20_000;
    assert.equal(meter.perSecond(), 0);
  });
});
