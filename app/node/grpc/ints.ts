// 64-bit integers from gRPC callers, as bigint with range checks: a height or page never passes
// through a JavaScript number (2^63−1 would round to 2^63 and print as 9223372036854776000, larger
// ones as 1e+23). Out-of-range values are OUT_OF_RANGE, malformed ones INVALID_ARGUMENT.
import { status as Status } from '@grpc/grpc-js';
import { GrpcError } from './grpcError.js';

export const INT64_MAX = (1n << 63n) - 1n;
export const UINT64_MAX = (1n << 64n) - 1n;

/** A decimal int64 text ≥ 0 (e.g. the x-cosmos-block-height header). */
export function parseHeightText(text: string, what: string): bigint {
  // 20 digits hold every uint64; longer text is refused before BigInt parses it.
  if (!/^\d{1,20}$/.test(text)) {
    const shown = text.length > 32 ? `${text.slice(0, 32)}…` : text;
    throw new GrpcError(Status.INVALID_ARGUMENT, `invalid ${what} '${shown}': want a decimal height`);
  }
  const v = BigInt(text);
  if (v > INT64_MAX)
    throw new GrpcError(Status.OUT_OF_RANGE, `${what} ${v} is out of range (largest height is 2^63-1)`);
  return v;
}

/** A decoded int64 height field: negative values are the caller's mistake. */
export function checkHeight(v: bigint, what: string, opts: { allowZero: boolean }): bigint {
  if (v < 0n || (!opts.allowZero && v === 0n))
    throw new GrpcError(
      Status.INVALID_ARGUMENT,
      `${what} must be ${opts.allowZero ? 'zero (latest) or positive' : 'positive'}, got ${v}`,
    );
  if (v > INT64_MAX) throw new GrpcError(Status.OUT_OF_RANGE, `${what} ${v} is out of range`);
  return v;
}

/**
 * Refuses varints that overflow 64 bits among a message's top-level fields. Protobuf readers in JS
 * drop the overflow silently (2^64 reads back as 0); Go's protobuf refuses such a message, and so do
 * we, before decoding. Nested messages are not walked; no proxied request nests an integer.
 */
export function assertVarintsFit(bytes: Uint8Array): void {
  let i = 0;
  const varint = (): bigint => {
    let v = 0n;
    for (let n = 0; n < 10; n++) {
      if (i >= bytes.length) throw malformed('truncated varint');
      const b = bytes[i++]!;
      if (n === 9 && b > 1) throw malformed('varint overflows 64 bits');
      v |= BigInt(b & 0x7f) << BigInt(7 * n);
      if ((b & 0x80) === 0) return v;
    }
    throw malformed('varint longer than 10 bytes');
  };
  while (i < bytes.length) {
    const tag = varint();
    switch (Number(tag & 7n)) {
      case 0:
        varint();
        break;
      case 1:
        i += 8;
        break;
      case 2: {
        const len = varint();
        if (len > BigInt(bytes.length - i)) throw malformed('length-delimited field runs past the end');
        i += Number(len);
        break;
      }
      case 5:
        i += 4;
        break;
      default:
        throw malformed(`unsupported wire type ${tag & 7n}`);
    }
    if (i > bytes.length) throw malformed('field runs past the end');
  }
}

const malformed = (why: string) => new GrpcError(Status.INVALID_ARGUMENT, `malformed request: ${why}`);
