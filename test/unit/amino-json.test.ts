// SIGN_MODE_LEGACY_AMINO_JSON sign bytes: for one fully populated message of every type with an
// Amino form, the chain's StdSignDoc (x/auth/ante/aminoJson.ts) must equal (1) what CosmJS writes
// with AminoTypes (createDefaultAminoConverters + gonkaAminoConverters) and serializeSignDoc, and
// (2) the pinned vector in test/fixtures/amino-sign-vectors.json (a change of any byte is a
// wallet-visible change). AMINO_RECORD=1 rewrites the vectors. Every field of every message must
// also survive toAmino → fromAmino, or a field would travel unsigned.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { makeSignDoc, serializeSignDoc } from '@cosmjs/amino';
import { AminoTypes, createDefaultAminoConverters } from '@cosmjs/stargate';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { AuthInfo, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { repoPath } from '../../app/paths.js';
import { decodeCosmosTx } from '../../app/runtime/ante/decode.js';
import {
  AMINO_ENTRIES,
  aminoAnyCodec,
  aminoEntry,
  gonkaAminoConverters,
  MAX_ANY_DEPTH,
} from '../../proto/gonka/amino.js';
import { legacyAminoSignBytes } from '../../x/auth/ante/aminoJson.js';
import type { CosmosTx } from '../../x/auth/ante/types.js';
import { AMINO_SAMPLES } from './helpers/aminoSamples.js';

const VECTORS = repoPath('test/fixtures/amino-sign-vectors.json');

const CHAIN = 'gonka-devnet';
const FEE = { amount: [{ denom: 'ngonka', amount: '2500' }], gas: '250000' };

function txOf(typeUrl: string, value: unknown, memo: string, timeoutHeight = 0n): CosmosTx {
  const e = aminoEntry(typeUrl)!;
  const any = { typeUrl, value: e.codec.encode(e.codec.fromPartial(value as never) as never).finish() };
  const bodyBytes = TxBody.encode(TxBody.fromPartial({ messages: [any], memo, timeoutHeight })).finish();
  const authInfoBytes = AuthInfo.encode(
    AuthInfo.fromPartial({
      signerInfos: [{ modeInfo: { single: { mode: SignMode.SIGN_MODE_LEGACY_AMINO_JSON } }, sequence: 7n }],
      fee: { amount: FEE.amount, gasLimit: BigInt(FEE.gas) },
    }),
  ).finish();
  const raw = TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [new Uint8Array(64)] }).finish();
  const { raw: r, body, authInfo } = decodeCosmosTx(raw);
  return {
    raw: r,
    body,
    authInfo,
    msgs: body.messages,
    gasLimit: 250000n,
    signers: [],
    hash: new Uint8Array(32),
  };
}

const aminoTypes = new AminoTypes({ ...createDefaultAminoConverters(), ...gonkaAminoConverters });

describe('legacy amino JSON sign bytes', () => {
  it('has a sample for every message with an amino form, and names fit Ledger (≤ 39 chars)', () => {
    assert.deepEqual(Object.keys(AMINO_SAMPLES).sort(), AMINO_ENTRIES.map((e) => e.typeUrl).sort());
    for (const e of AMINO_ENTRIES) assert.ok(e.aminoType.length <= 39, e.aminoType);
    assert.equal(new Set(AMINO_ENTRIES.map((e) => e.aminoType)).size, AMINO_ENTRIES.length);
  });

  it('equals CosmJS serializeSignDoc with AminoTypes, and the pinned vectors', () => {
    const got: Record<string, string> = {};
    for (const [typeUrl, value] of Object.entries(AMINO_SAMPLES)) {
      const memo = 'a <memo> & more';
      const chain = legacyAminoSignBytes(txOf(typeUrl, value, memo, 99n), CHAIN, 12n, 7n);
      const cosmjs = serializeSignDoc(
        makeSignDoc([aminoTypes.toAmino({ typeUrl, value })], FEE, CHAIN, memo, 12, 7, 99n),
      );
      assert.equal(Buffer.from(chain).toString(), Buffer.from(cosmjs).toString(), typeUrl);
      got[typeUrl] = Buffer.from(chain).toString();
    }
    if (process.env.AMINO_RECORD === '1') writeFileSync(VECTORS, `${JSON.stringify(got, null, 2)}\n`);
    const pinned = JSON.parse(readFileSync(VECTORS, 'utf8')) as Record<string, string>;
    assert.deepEqual(got, pinned);
  });

  it('writes the SDK shapes: omitted defaults, dont_omitempty, int64 strings, enums as numbers', () => {
    const vote = legacyAminoSignBytes(
      txOf('/cosmos.gov.v1.MsgVote', { proposalId: 0n, voter: 'gonka1v', option: 1 }, ''),
      CHAIN,
      0n,
      0n,
    );
    assert.equal(
      Buffer.from(vote).toString(),
      '{"account_number":"0","chain_id":"gonka-devnet","fee":{"amount":[{"amount":"2500","denom":"ngonka"}],"gas":"250000"},"memo":"","msgs":[{"type":"cosmos-sdk/v1/MsgVote","value":{"option":1,"proposal_id":"0","voter":"gonka1v"}}],"sequence":"0"}',
    );
    const send = legacyAminoSignBytes(
      txOf('/cosmos.bank.v1beta1.MsgSend', { fromAddress: 'a', toAddress: 'b', amount: [] }, 'm'),
      CHAIN,
      1n,
      2n,
    );
    assert.match(
      Buffer.from(send).toString(),
      /"value":\{"amount":\[\],"from_address":"a","to_address":"b"\}/,
    );
  });

  it('covers every field: fromAmino(toAmino(msg)) re-encodes to the same protobuf', () => {
    for (const [typeUrl, value] of Object.entries(AMINO_SAMPLES)) {
      const e = aminoEntry(typeUrl)!;
      const bytes = e.codec.encode(e.codec.fromPartial(value as never) as never).finish();
      const decoded = e.codec.decode(bytes);
      const back = aminoTypes.fromAmino(aminoTypes.toAmino({ typeUrl, value: decoded }));
      assert.equal(back.typeUrl, typeUrl);
      const again = e.codec.encode(e.codec.fromPartial(back.value as never) as never).finish();
      assert.deepEqual(Buffer.from(again), Buffer.from(bytes), typeUrl);
    }
  });

  it('refuses what amino JSON cannot sign: extension options, unknown messages', () => {
    const tx = txOf('/cosmos.bank.v1beta1.MsgSend', AMINO_SAMPLES['/cosmos.bank.v1beta1.MsgSend'], '');
    tx.body.extensionOptions.push({ typeUrl: '/x.Ext', value: new Uint8Array() });
    assert.throws(() => legacyAminoSignBytes(tx, CHAIN, 0n, 0n), /extension options/);
    const unknown = txOf('/cosmos.bank.v1beta1.MsgSend', AMINO_SAMPLES['/cosmos.bank.v1beta1.MsgSend'], '');
    unknown.body.messages[0] = { typeUrl: '/x.MsgNope', value: new Uint8Array() };
    assert.throws(() => legacyAminoSignBytes(unknown, CHAIN, 0n, 0n), /no amino JSON form/);
  });

  it('bounds how deep messages nest (a machine-independent error, not a stack overflow)', () => {
    const e = aminoEntry('/cosmos.gov.v1.MsgSubmitProposal')!;
    const wrap = (inner: { typeUrl: string; value: Uint8Array }) => ({
      typeUrl: e.typeUrl,
      value: e.codec
        .encode(e.codec.fromPartial({ messages: [inner], proposer: 'p' } as never) as never)
        .finish(),
    });
    let any: { typeUrl: string; value: Uint8Array } = {
      typeUrl: '/cosmos.gov.v1.MsgCancelProposal',
      value: new Uint8Array(),
    };
    for (let i = 1; i < MAX_ANY_DEPTH; i++) any = wrap(any);
    assert.doesNotThrow(() => aminoAnyCodec.toAmino(any));
    const tooDeep = wrap(any);
    assert.throws(() => aminoAnyCodec.toAmino(tooDeep), /nested deeper than 8/);
    const tx = txOf(e.typeUrl, e.codec.decode(tooDeep.value), '');
    assert.throws(() => legacyAminoSignBytes(tx, CHAIN, 0n, 0n), /nested deeper/);
    let huge = any;
    for (let i = 0; i < 1000; i++) huge = wrap(huge);
    assert.throws(() => aminoAnyCodec.toAmino(huge), /nested deeper/);
  });
});
