// The binary frames of `POST /v1/poc/mine` (poc-http-contract): [u64 BE first nonce][u32 BE n]
// [n × output bytes], the n nonces contiguous. The ML node writes them; MlNodeClient decodes them
// incrementally from the response body, which arrives in chunks that ignore frame boundaries.

export const FRAME_HEADER_BYTES = 12;
/**
 * Most nonces in one frame (the node's --batch is capped to it), so a client allocates at most
 * 4096 outputs per frame — 32 MiB for `large` — whatever a broken node announces.
 */
export const MAX_FRAME_NONCES = 4096;

/** The 12-byte header of a frame carrying nonces first … first + n − 1. */
export function frameHeader(first: number, n: number): Buffer {
  const header = Buffer.allocUnsafe(FRAME_HEADER_BYTES);
  header.writeBigUInt64BE(BigInt(first), 0);
  header.writeUInt32BE(n, 8);
  return header;
}

/** A frame that breaks the format or its bounds: the ML node is broken (or not an ML node). */
export class FrameError extends Error {
  override name = 'FrameError';
}

/**
 * Decodes frames from chunks. Bounds every header before allocating: n must be 1 … maxNonces and
 * the first nonce a safe integer, so a broken peer cannot make it allocate more than one frame of
 * maxNonces outputs. Range checks against the request are the caller's (it knows [start, end)).
 */
export class FrameDecoder {
  private readonly header = Buffer.alloc(FRAME_HEADER_BYTES);
  private headerFill = 0;
  /** Set while a frame's body is being filled. */
  private body: { first: number; n: number; bytes: Uint8Array; fill: number } | undefined;

  constructor(
    private readonly outputBytes: number,
    private readonly maxNonces: number,
  ) {}

  /** True when the bytes seen so far end exactly at a frame boundary. */
  get atBoundary(): boolean {
    return this.headerFill === 0 && this.body === undefined;
  }

  /** Feeds one chunk; calls onFrame for each frame it completes (outputs are views, not copies). */
  push(chunk: Uint8Array, onFrame: (first: number, outputs: Uint8Array[]) => void): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.body === undefined) {
        const take = Math.min(FRAME_HEADER_BYTES - this.headerFill, chunk.length - at);
        this.header.set(chunk.subarray(at, at + take), this.headerFill);
        this.headerFill += take;
        at += take;
        if (this.headerFill < FRAME_HEADER_BYTES) return;
        this.headerFill = 0;
        const first = this.header.readBigUInt64BE(0);
        const n = this.header.readUInt32BE(8);
        if (first > BigInt(Number.MAX_SAFE_INTEGER))
          throw new FrameError(`frame starts at nonce ${first}, beyond 2^53 − 1`);
        if (n < 1 || n > this.maxNonces)
          throw new FrameError(`frame carries ${n} nonces (expected 1 to ${this.maxNonces})`);
        const size = n * this.outputBytes;
        // Whole frame inside this chunk: hand out views of the chunk, no copy.
        if (chunk.length - at >= size) {
          this.body = { first: Number(first), n, bytes: chunk.subarray(at, at + size), fill: size };
          at += size;
        } else {
          this.body = { first: Number(first), n, bytes: new Uint8Array(size), fill: 0 };
        }
      } else {
        const b = this.body;
        const take = Math.min(b.bytes.length - b.fill, chunk.length - at);
        b.bytes.set(chunk.subarray(at, at + take), b.fill);
        b.fill += take;
        at += take;
      }
      const b = this.body;
      if (b !== undefined && b.fill === b.bytes.length) {
        this.body = undefined;
        const outputs = Array.from({ length: b.n }, (_, i) =>
          b.bytes.subarray(i * this.outputBytes, (i + 1) * this.outputBytes),
        );
        onFrame(b.first, outputs);
      }
    }
  }
}
