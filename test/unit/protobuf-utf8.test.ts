// The native UTF-8 paths for protobuf strings (app/runtime/ante/protobufUtf8.ts) must read and
// write exactly what cosmjs-types' JavaScript loop does, for every input: the strict tx decoder
// accepts a tx only if it re-encodes to the same bytes, so any difference would change which txs
// are valid. Seeded fuzz over well-formed and malformed UTF-8 and strings with lone surrogates.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BinaryReader, BinaryWriter } from 'cosmjs-types/binary';
import { utf8Length, utf8Read, utf8Write } from 'cosmjs-types/utf8';
import '../../app/runtime/ante/protobufUtf8.js';
import { prng } from '../integration/tx-harness.js';

const UNITS = [0x41, 0x7f, 0xe9, 0x7ff, 0x800, 0x4e2d, 0xfeff, 0xffff, 0xd83d, 0xde00, 0xd800, 0xdfff];
const BYTES = [
  0x41, 0x00, 0x7f, 0x80, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xa0, 0xed, 0xef, 0xbb, 0xf0, 0x90, 0xf4, 0xf5,
  0xff,
];

function jsEncoded(s: string): Uint8Array {
  const body = new Uint8Array(utf8Length(s));
  utf8Write(s, body, 0);
  return new BinaryWriter().bytes(body).finish();
}

describe('protobuf strings: native UTF-8 paths equal the JavaScript loop', () => {
  it('encodes 20,000 random strings (pairs, lone surrogates, BOM) to the same bytes', () => {
    const rand = prng(10);
    for (let n = 0; n < 20_000; n++) {
      const len = rand(200);
      let s = '';
      for (let i = 0; i < len; i++)
        s += String.fromCharCode(rand(4) === 0 ? UNITS[rand(UNITS.length)]! : 0x61 + rand(26));
      assert.deepEqual(new BinaryWriter().string(s).finish(), jsEncoded(s), JSON.stringify(s));
    }
  });

  it('decodes 20,000 random byte strings (valid and malformed UTF-8) to the same string', () => {
    const rand = prng(11);
    for (let n = 0; n < 20_000; n++) {
      const bytes = new Uint8Array(rand(200));
      for (let i = 0; i < bytes.length; i++)
        bytes[i] = rand(3) === 0 ? BYTES[rand(BYTES.length)]! : 0x61 + rand(26);
      // a valid multi-byte sequence now and then, so the native path is taken with non-ASCII too
      if (bytes.length > 4 && rand(2) === 0) bytes.set([0xf0, 0x9f, 0x98, 0x80], rand(bytes.length - 4));
      const framed = new BinaryWriter().bytes(bytes).uint32(7).finish();
      const reader = new BinaryReader(framed);
      assert.equal(reader.string(), utf8Read(bytes, 0, bytes.length), Buffer.from(bytes).toString('hex'));
      assert.equal(reader.uint32(), 7, 'position after the string');
    }
  });
});
