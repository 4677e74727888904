// cosmjs-types decodes and encodes protobuf strings with a JavaScript UTF-8 loop (≈ 30 ms per MiB
// each way here): a fee-less tx with a 1 MiB memo cost ≈ 100 ms of CheckTx CPU to decode, re-encode
// (the strict round trip) and refuse. Long strings now take native paths that give exactly the same
// result, and everything else keeps the original code:
// - decode: a fatal TextDecoder (BOM kept) succeeds only on well-formed UTF-8, where the JS loop
//   decodes the same code points; malformed input (overlongs, encoded surrogates, truncation)
//   throws and falls back to the loop, so the strict decoder accepts and rejects the same txs.
// - encode: for a well-formed string (no lone surrogates) Buffer's UTF-8 equals the JS loop's.
// The generated gonka codecs (proto/gen: ts-proto on @bufbuild/protobuf's wire runtime) get the
// same semantics through configureTextEncoding: TextDecoder alone would read a malformed string as
// U+FFFD where the JS loop keeps the code units (an encoded lone surrogate round-trips there), so
// the strict round trip would accept and reject different gonka messages than before.
// Imported for its side effect by the tx pipeline; idempotent.
import { configureTextEncoding } from '@bufbuild/protobuf/wire';
import { BinaryReader, BinaryWriter } from 'cosmjs-types/binary';
import { utf8Length, utf8Read, utf8Write } from 'cosmjs-types/utf8';

/** Below this many bytes or chars the JS loop is as fast as a native call. */
const NATIVE_FROM = 64;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** String.prototype.isWellFormed (Node 20; ES2024, beyond this project's lib). */
type WellFormed = { isWellFormed(): boolean };
type Reader = { bytes(): Uint8Array; pos: number };
type Writer = { bytes(b: Uint8Array): BinaryWriter };

const reader = BinaryReader.prototype as unknown as { string(this: Reader): string; __nativeUtf8?: true };
const writer = BinaryWriter.prototype as unknown as {
  string(this: Writer, v: string): BinaryWriter;
  __nativeUtf8?: true;
};

if (!reader.__nativeUtf8) {
  const jsRead = reader.string;
  reader.string = function (this: Reader): string {
    const start = this.pos;
    const bytes = this.bytes();
    if (bytes.length >= NATIVE_FROM) {
      try {
        return utf8.decode(bytes);
      } catch {
        // malformed: the JS loop's own (lenient) reading, as before
      }
    }
    this.pos = start;
    return jsRead.call(this);
  };
  reader.__nativeUtf8 = true;
}

if (!writer.__nativeUtf8) {
  const jsWrite = writer.string;
  writer.string = function (this: Writer, value: string): BinaryWriter {
    if (value.length >= NATIVE_FROM && (value as unknown as WellFormed).isWellFormed())
      return this.bytes(Buffer.from(value, 'utf8'));
    return jsWrite.call(this, value);
  };
  writer.__nativeUtf8 = true;
}

const encoder = new TextEncoder();
configureTextEncoding({
  checkUtf8: (text) => (text as unknown as WellFormed).isWellFormed(),
  encodeUtf8(text) {
    if ((text as unknown as WellFormed).isWellFormed()) return encoder.encode(text);
    const out = new Uint8Array(utf8Length(text));
    utf8Write(text, out, 0);
    return out;
  },
  decodeUtf8(bytes, strict) {
    try {
      return utf8.decode(bytes);
    } catch (e) {
      if (strict) throw e;
      return utf8Read(bytes, 0, bytes.length);
    }
  },
});
