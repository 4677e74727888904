import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { encodeUvarint, FrameDecoder, FramingError, frame } from '../../abci/framing.js';

describe('ABCI framing', () => {
  it('encodes uvarints like protobuf', () => {
    assert.deepEqual([...encodeUvarint(0)], [0]);
    assert.deepEqual([...encodeUvarint(127)], [127]);
    assert.deepEqual([...encodeUvarint(128)], [0x80, 0x01]);
    assert.deepEqual([...encodeUvarint(300)], [0xac, 0x02]);
    assert.deepEqual([...encodeUvarint(2 ** 31 - 1)], [0xff, 0xff, 0xff, 0xff, 0x07]);
  });

  it('reassembles frames split at every possible byte boundary', () => {
    const messages = [randomBytes(0), randomBytes(1), randomBytes(200), randomBytes(70_000)];
    const stream = Buffer.concat(messages.map((m) => frame(m)));
    for (const cut of [1, 2, 3, 7, 129, 1000, 65_536]) {
      const d = new FrameDecoder();
      const out: Buffer[] = [];
      for (let i = 0; i < stream.length; i += cut) out.push(...d.push(stream.subarray(i, i + cut)));
      assert.equal(out.length, messages.length, `cut ${cut}`);
      for (const [i, m] of out.entries())
        assert.ok(Buffer.from(messages[i]!).equals(m), `cut ${cut} message ${i}`);
      assert.equal(d.hasPartial(), false);
    }
  });

  it('handles a 24 MB frame delivered in 64 KiB chunks with linear copying', () => {
    const big = Buffer.alloc(24 * 1024 * 1024, 7);
    const framed = frame(big);
    const d = new FrameDecoder();
    const out: Buffer[] = [];
    for (let i = 0; i < framed.length; i += 65_536) out.push(...d.push(framed.subarray(i, i + 65_536)));
    assert.equal(out.length, 1);
    assert.equal(out[0]!.length, big.length);
    assert.ok(out[0]!.equals(big));
  });

  it('reports a truncated frame as partial', () => {
    const d = new FrameDecoder();
    assert.deepEqual(d.push(frame(randomBytes(100)).subarray(0, 50)), []);
    assert.equal(d.hasPartial(), true);
  });

  it('rejects oversized and malformed length prefixes', () => {
    assert.throws(() => new FrameDecoder(1000).push(Buffer.from(encodeUvarint(1001))), FramingError);
    assert.throws(() => new FrameDecoder().push(Buffer.alloc(12, 0xff)), FramingError);
  });
});
