// Splits an ndjson byte stream into lines with a bound on each line's length, so a peer that never
// sends a newline cannot make the reader buffer without limit. UTF-8 is decoded per line (a chunk
// may end inside a character; bytes are split at 0x0a, which never occurs inside one).

/** A line over the bound, or one that is not UTF-8. */
export class NdjsonError extends Error {
  override name = 'NdjsonError';
}

export class NdjsonSplitter {
  private parts: Uint8Array[] = [];
  private partBytes = 0;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  constructor(private readonly maxLineBytes: number) {}

  /** True when no partial line is buffered. */
  get atBoundary(): boolean {
    return this.partBytes === 0;
  }

  /** Feeds a chunk; calls onLine for every complete line (without its newline; empty lines skipped). */
  push(chunk: Uint8Array, onLine: (line: string) => void): void {
    let from = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, from);
      const end = nl < 0 ? chunk.length : nl;
      if (this.partBytes + (end - from) > this.maxLineBytes)
        throw new NdjsonError(`a line is longer than ${this.maxLineBytes} bytes`);
      if (nl < 0) {
        if (end > from) {
          // A copy (Buffer#slice would be a view of a chunk the stream may reuse).
          this.parts.push(Uint8Array.prototype.slice.call(chunk, from, end));
          this.partBytes += end - from;
        }
        return;
      }
      let bytes = chunk.subarray(from, end);
      if (this.partBytes > 0) {
        this.parts.push(bytes);
        bytes = Buffer.concat(this.parts);
        this.parts = [];
        this.partBytes = 0;
      }
      from = nl + 1;
      if (bytes.length === 0) continue;
      let text: string;
      try {
        text = this.decoder.decode(bytes);
      } catch {
        throw new NdjsonError('a line is not UTF-8');
      }
      onLine(text);
    }
  }
}
