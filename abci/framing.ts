// ABCI socket framing (CometBFT v0.37+): every message is uvarint(len) ‖ protobuf bytes.
// The decoder buffers linearly: a large frame (FinalizeBlock with a 21 MB block) is copied once
// into a buffer of its declared size instead of re-concatenating the backlog on every chunk.

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

/**
 * Incremental frame decoder. push() chunks as they arrive; it returns every complete frame.
 * Throws FramingError on a malformed length prefix or a frame above maxFrameBytes; the stream
 * cannot be resynchronised after that.
 */
export class FrameDecoder {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** A frame whose length is known and whose body is being filled. */
  private body: Buffer | undefined;
  private bodyFilled = 0;

  constructor(private readonly maxFrameBytes = MAX_FRAME_BYTES) {}

  push(chunk: Buffer): Buffer[] {
    const frames: Buffer[] = [];
    let offset = 0;
    while (offset < chunk.length) {
      if (this.body) {
        const take = Math.min(this.body.length - this.bodyFilled, chunk.length - offset);
        chunk.copy(this.body, this.bodyFilled, offset, offset + take);
        this.bodyFilled += take;
        offset += take;
        if (this.bodyFilled === this.body.length) {
          frames.push(this.body);
          this.body = undefined;
        }
        continue;
      }
      // Reading a length prefix: it may straddle chunks, so it is assembled in `pending`.
      const rest = chunk.subarray(offset);
      const header = this.pendingBytes > 0 ? Buffer.concat([...this.pending, rest]) : rest;
      const parsed = readUvarint(header, this.maxFrameBytes);
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
        // Whole body in this chunk: hand out a copy-free view when it is the common small case.
        frames.push(chunk.subarray(offset, offset + length));
        offset += length;
      } else {
        this.body = Buffer.allocUnsafe(length);
        this.bodyFilled = 0;
      }
    }
    return frames;
  }

  /** True when a partial frame is buffered (used to detect truncated input at end of stream). */
  hasPartial(): boolean {
    return this.body !== undefined || this.pendingBytes > 0;
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
