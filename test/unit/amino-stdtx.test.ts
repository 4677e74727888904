// Legacy Amino StdTx (TxEncodeAmino / TxDecodeAmino): go-amino's prefix bytes for known names,
// a StdTx's binary layout (prefix 282816a9, msgs as prefix + struct, the secp256k1 key as
// eb5ae987 + length + key), JSON → binary → JSON round trips for every message sample, and
// malformed input refused with an error (never a crash).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aminoPrefix } from '../../proto/gonka/amino/binary.js';
import { stdTxBinaryToJson, stdTxJsonToBinary } from '../../proto/gonka/amino/stdTx.js';
import { aminoAnyCodec, aminoEntry } from '../../proto/gonka/amino.js';
import { AMINO_SAMPLES } from './helpers/aminoSamples.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const KEY = Buffer.alloc(33, 2);

function stdTx(msgs: unknown[], memo = 'm') {
  return {
    type: 'cosmos-sdk/StdTx',
    value: {
      msg: msgs,
      fee: { amount: [{ denom: 'ngonka', amount: '2500' }], gas: '250000' },
      signatures: [
        {
          pub_key: { type: 'tendermint/PubKeySecp256k1', value: KEY.toString('base64') },
          signature: Buffer.alloc(64, 5).toString('base64'),
        },
      ],
      memo,
      timeout_height: '0',
    },
  };
}

const aminoMsg = (typeUrl: string) => {
  const e = aminoEntry(typeUrl)!;
  const value = e.codec.encode(e.codec.fromPartial(AMINO_SAMPLES[typeUrl] as never) as never).finish();
  return aminoAnyCodec.toAmino({ typeUrl, value });
};

describe('legacy amino StdTx codec', () => {
  it('derives go-amino prefix bytes', () => {
    assert.equal(hex(aminoPrefix('tendermint/PubKeySecp256k1')), 'eb5ae987');
    assert.equal(hex(aminoPrefix('tendermint/PubKeyEd25519')), '1624de64');
    assert.equal(hex(aminoPrefix('cosmos-sdk/StdTx')), '282816a9');
    assert.equal(hex(aminoPrefix('cosmos-sdk/MsgSend')), 'a8a3619a');
  });

  it('lays a StdTx out as go-amino does', () => {
    const send = aminoMsg('/cosmos.bank.v1beta1.MsgSend');
    const bin = stdTxJsonToBinary(JSON.stringify(stdTx([send])));
    assert.equal(hex(bin.subarray(0, 4)), '282816a9');
    // field 1 (msg): length-delimited, starting with MsgSend's prefix
    assert.equal(bin[4], 0x0a);
    assert.ok(hex(bin).includes(`a8a3619a0a`), 'MsgSend prefix then its field 1');
    // the key: eb5ae987, its length 33, the key
    assert.ok(hex(bin).includes(`0a26eb5ae98721${KEY.toString('hex')}`));
  });

  it('round-trips JSON → binary → JSON for every message type', () => {
    for (const typeUrl of Object.keys(AMINO_SAMPLES)) {
      const doc = stdTx([aminoMsg(typeUrl)], 'a <memo>');
      const json = stdTxBinaryToJson(stdTxJsonToBinary(JSON.stringify(doc)));
      assert.deepEqual(JSON.parse(json), doc, typeUrl);
    }
  });

  it('refuses malformed input with an error', () => {
    for (const bad of [
      '',
      'nope',
      '[]',
      '{"type":"cosmos-sdk/MsgSend","value":{}}',
      '{"msg":[{"type":"x/Nope"}]}',
    ])
      assert.throws(() => stdTxJsonToBinary(bad), Error, bad);
    assert.throws(() => stdTxBinaryToJson(Uint8Array.of(1, 2, 3, 4, 5)), /not a cosmos-sdk\/StdTx/);
    const bin = stdTxJsonToBinary(JSON.stringify(stdTx([aminoMsg('/cosmos.gov.v1.MsgVote')])));
    for (let cut = 5; cut < bin.length; cut += 7)
      assert.throws(() => stdTxBinaryToJson(bin.subarray(0, cut)));
  });
});
