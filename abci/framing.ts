// ABCI socket framing (CometBFT v0.37+): every message is uvarint(len) ‖ protobuf bytes.
// The decoder buffers linearly: a large frame (FinalizeBlock with a 21 MB block) is joined once
// from its chunks instead of re-concatenating the backlog on every chunk.

/** Frames above this size are refused: CometBFT's own reader caps a frame at 2^31 − 1 bytes. */
export const MAX_FRAME_BYTES = 2 ** 31 - 1;

export class FramingError extends Error {
  override name = 'FramingError';
}

export function encodeUvarint(n: number): Uint8Array {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return Uint8Array.from(out);
}

/** Length-prefixes one encoded message. */
export function frame(message: Uint8Array): Buffer {
  const prefix = encodeUvarint(message.length);
  const out = Buffer.allocUnsafe(prefix.length + message.length);
  out.set(prefix, 0);
  out.set(message, prefix.length);
  return out;
}

/** A frame-size limit: a fixed number, or a callback read at every length prefix (so it can follow
 * consensus params that change at run time). */
export type FrameLimit = number | (() => number);

/**
 * Incremental frame decoder. push() chunks as they arrive; it returns every complete frame.
 * Throws FramingError on a malformed length prefix or a frame above the limit — checked on the
 * prefix, before any memory is set aside for the body; the stream cannot be resynchronised after.
 * A body is collected from the chunks as they arrive and joined once complete, so a peer that
 * announces a large frame and sends nothing costs nothing (no allocation on the prefix alone).
 */
export class FrameDecoder {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Declared length of the frame whose body is being collected; -1 while reading a prefix. */
  private bodyLength = -1;
  private bodyParts: Buffer[] = [];
  private bodyFilled = 0;

  constructor(private readonly maxFrameBytes: FrameLimit = MAX_FRAME_BYTES) {}

  push(chunk: Buffer): Buffer[] {
    const frames: Buffer[] = [];
    let offset = 0;
    while (offset < chunk.length) {
      if (this.bodyLength >= 0) {
        const take = Math.min(this.bodyLength - this.bodyFilled, chunk.length - offset);
        // Views keep the chunk alive until the frame is joined; chunks are at most a socket read.
        this.bodyParts.push(chunk.subarray(offset, offset + take));
        this.bodyFilled += take;
        offset += take;
        if (this.bodyFilled === this.bodyLength) {
          frames.push(Buffer.concat(this.bodyParts, this.bodyLength));
          this.bodyParts = [];
          this.bodyLength = -1;
        }
        continue;
      }
      // Reading a length prefix: it may straddle chunks, so it is assembled in `pending`.
      const rest = chunk.subarray(offset);
      const header = this.pendingBytes > 0 ? Buffer.concat([...this.pending, rest]) : rest;
      const limit = typeof this.maxFrameBytes === 'number' ? this.maxFrameBytes : this.maxFrameBytes();
      const parsed = readUvarint(header, Math.min(limit, MAX_FRAME_BYTES));
      if (parsed === undefined) {
        // Incomplete prefix (at most 9 bytes so far): keep it and wait for more.
        this.pending = [Buffer.from(header)];
        this.pendingBytes = header.length;
        return frames;
      }
      const consumedFromChunk = parsed.bytes - this.pendingBytes;
      this.pending = [];
      this.pendingBytes = 0;
      offset += consumedFromChunk;
      const length = parsed.value;
      const available = chunk.length - offset;
      if (available >= length) {
        // Whole body in this chunk: a copy-free view.
        frames.push(chunk.subarray(offset, offset + length));
        offset += length;
      } else {
        this.bodyLength = length;
        this.bodyFilled = 0;
      }
    }
    return frames;
  }

  /** True when a partial frame is buffered (used to detect truncated input at end of stream). */
  hasPartial(): boolean {
    return this.bodyLength >= 0 || this.pendingBytes > 0;
  }
}

/** Reads a uvarint; undefined when the buffer ends before the varint does. */
function readUvarint(buf: Buffer, max: number): { value: number; bytes: number } | undefined {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i]!;
    if (i >= 9) throw new FramingError('malformed length prefix: varint longer than 9 bytes');
    value += (b & 0x7f) * scale;
    if (value > max) throw new FramingError(`frame of ${value}+ bytes exceeds the ${max}-byte limit`);
    if ((b & 0x80) === 0) return { value, bytes: i + 1 };
    scale *= 0x80;
  }
  return undefined;
}
