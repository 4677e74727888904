// gRPC input helpers (issue 10): 64-bit heights parsed as bigint with range checks, varints that
// overflow 64 bits refused, and the token bucket that rate-limits caller-triggered log lines.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { status as Status } from '@grpc/grpc-js';
import { GrpcError } from '../../app/node/grpc/grpcError.js';
import { assertVarintsFit, checkHeight, INT64_MAX, parseHeightText } from '../../app/node/grpc/ints.js';
import { LogLimiter } from '../../app/node/grpc/logLimiter.js';
import { field1Varint } from '../integration/grpc-client.js';

const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof GrpcError, String(e));
    return e.code;
  }
  return undefined;
};

describe('gRPC integers', () => {
  it('parses heights as bigint without rounding, and refuses the rest with the right status', () => {
    assert.equal(parseHeightText('9223372036854775807', 'h'), INT64_MAX);
    assert.equal(parseHeightText('0', 'h'), 0n);
    assert.equal(
      code(() => parseHeightText('9223372036854775808', 'h')),
      Status.OUT_OF_RANGE,
    );
    assert.equal(
      code(() => parseHeightText('18446744073709551616', 'h')),
      Status.OUT_OF_RANGE,
    );
    for (const bad of ['', '-1', '1e+23', '0x10', ' 1', '1'.repeat(21), '9'.repeat(10_000)])
      assert.equal(
        code(() => parseHeightText(bad, 'h')),
        Status.INVALID_ARGUMENT,
        bad.slice(0, 30),
      );
    assert.equal(
      code(() => checkHeight(-1n, 'h', { allowZero: true })),
      Status.INVALID_ARGUMENT,
    );
    assert.equal(
      code(() => checkHeight(0n, 'h', { allowZero: false })),
      Status.INVALID_ARGUMENT,
    );
    assert.equal(checkHeight(INT64_MAX, 'h', { allowZero: false }), INT64_MAX);
  });

  it('refuses varints that overflow 64 bits and truncated fields', () => {
    assert.equal(
      code(() => assertVarintsFit(field1Varint((1n << 64n) - 1n))),
      undefined,
    );
    assert.equal(
      code(() => assertVarintsFit(field1Varint(1n << 64n))),
      Status.INVALID_ARGUMENT,
    );
    assert.equal(
      code(() => assertVarintsFit(Uint8Array.from([0x08, 0xff]))),
      Status.INVALID_ARGUMENT,
    );
    assert.equal(
      code(() => assertVarintsFit(Uint8Array.from([0x0a, 0x05, 1, 2]))),
      Status.INVALID_ARGUMENT,
    );
    assert.equal(
      code(() => assertVarintsFit(Uint8Array.from([0x0a, 0x02, 1, 2, 0x10, 0x01]))),
      undefined,
    );
  });
});

describe('log limiter', () => {
  it('lets a burst through, then a few lines a second, and counts what it dropped', () => {
    let now = 0;
    const l = new LogLimiter(5, 20, () => now);
    const passed = Array.from({ length: 100 }, () => l.take().ok).filter(Boolean).length;
    assert.equal(passed, 20, 'the burst');
    now += 1000; // one second later: 5 more tokens
    const next = l.take();
    assert.deepEqual(next, { ok: true, suppressed: 80 });
    assert.equal(Array.from({ length: 10 }, () => l.take().ok).filter(Boolean).length, 4);
    now += 3_600_000; // an hour later the bucket is full again, never more than the burst
    assert.equal(Array.from({ length: 100 }, () => l.take().ok).filter(Boolean).length, 20);
  });
});
