// The legacy StdTx (`cosmos-sdk/StdTx`) in Amino JSON and Amino binary, for the tx service's
// TxEncodeAmino (JSON → binary) and TxDecodeAmino (binary → JSON), as the SDK's LegacyAmino writes
// them: {"type":"cosmos-sdk/StdTx","value":{"msg":[…],"fee":{…},"signatures":[…],"memo":"…",
// "timeout_height":"…"}}, keys in struct order. Public keys are secp256k1 only (all we accept).
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { aminoAnyCodec, aminoBinaryInterfaces } from '../amino.js';
import { aminoPrefix, decodeAminoBinary, encodeAminoBinary, type InterfaceBinary } from './binary.js';
import { type AnyCodec, COIN, f, fromAminoJson, schema, toAminoJson } from './schema.js';

export const STD_TX_NAME = 'cosmos-sdk/StdTx';
const PUBKEY_NAME = 'tendermint/PubKeySecp256k1';
const PUBKEY_URL = '/cosmos.crypto.secp256k1.PubKey';
/** Bounds on untrusted input (TxEncodeAmino's JSON, TxDecodeAmino's bytes). */
export const MAX_AMINO_TX_BYTES = 1 << 20;

const STD_TX = schema(
  f('msg', 'any', { repeated: true, keep: true, prop: 'msg' }),
  f(
    'fee',
    schema(
      f('amount', COIN, { repeated: true, keep: true }),
      f('gas', 'uint64', { keep: true }),
      f('payer', 'string'),
      f('granter', 'string'),
    ),
    { keep: true },
  ),
  f('signatures', schema(f('pub_key', 'any'), f('signature', 'bytes', { keep: true })), {
    repeated: true,
    keep: true,
  }),
  f('memo', 'string', { keep: true }),
  f('timeout_height', 'uint64', { keep: true }),
);

const pubKeyBytes = (any: { typeUrl: string; value: Uint8Array }) => {
  if (any.typeUrl !== PUBKEY_URL) throw new Error(`amino: unsupported public key ${any.typeUrl}`);
  return PubKey.decode(any.value).key;
};
const pubKeyAny = (key: Uint8Array) => ({ typeUrl: PUBKEY_URL, value: PubKey.encode({ key }).finish() });

/** Messages through the amino table; a public key as `{type, value: base64}`. */
const jsonIfaces: AnyCodec = {
  toAmino(any) {
    if (any.typeUrl === PUBKEY_URL)
      return { type: PUBKEY_NAME, value: Buffer.from(pubKeyBytes(any)).toString('base64') as never };
    return aminoAnyCodec.toAmino(any);
  },
  fromAmino(msg) {
    if (msg?.type === PUBKEY_NAME) {
      if (typeof msg.value !== 'string') throw new Error('amino: pub_key value is base64');
      return pubKeyAny(Buffer.from(msg.value, 'base64'));
    }
    return aminoAnyCodec.fromAmino(msg);
  },
};

const binIfaces: InterfaceBinary = {
  encodeAny(any) {
    if (any.typeUrl !== PUBKEY_URL) return aminoBinaryInterfaces.encodeAny(any);
    const key = pubKeyBytes(any);
    return Buffer.concat([aminoPrefix(PUBKEY_NAME), Uint8Array.of(key.length), key]);
  },
  decodeAny(bytes) {
    if (Buffer.from(bytes.subarray(0, 4)).equals(Buffer.from(aminoPrefix(PUBKEY_NAME)))) {
      const len = bytes[4] ?? 0;
      if (len > 65 || bytes.length !== 5 + len) throw new Error('amino: malformed public key');
      return pubKeyAny(bytes.slice(5));
    }
    return aminoBinaryInterfaces.decodeAny(bytes);
  },
};

/** TxEncodeAmino: the StdTx's amino JSON (wrapped in {type, value} or bare) → amino binary. */
export function stdTxJsonToBinary(json: string): Uint8Array {
  if (json.length > MAX_AMINO_TX_BYTES) throw new Error(`amino JSON over ${MAX_AMINO_TX_BYTES} bytes`);
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch (e) {
    throw new Error(`amino JSON: ${e instanceof Error ? e.message : e}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw new Error('amino JSON: not an object');
  let value = doc as Record<string, unknown>;
  if ('type' in value) {
    if (value.type !== STD_TX_NAME)
      throw new Error(`amino JSON: type ${String(value.type)} is not ${STD_TX_NAME}`);
    value = value.value as Record<string, unknown>;
    if (typeof value !== 'object' || value === null) throw new Error('amino JSON: value is not an object');
  }
  const tx = fromAminoJson(STD_TX, value, jsonIfaces);
  return Buffer.concat([aminoPrefix(STD_TX_NAME), encodeAminoBinary(STD_TX, tx, binIfaces)]);
}

/** TxDecodeAmino: amino binary of a StdTx → its amino JSON (wrapped, as LegacyAmino.MarshalJSON). */
export function stdTxBinaryToJson(bytes: Uint8Array): string {
  if (bytes.length > MAX_AMINO_TX_BYTES) throw new Error(`amino binary over ${MAX_AMINO_TX_BYTES} bytes`);
  if (!Buffer.from(bytes.subarray(0, 4)).equals(Buffer.from(aminoPrefix(STD_TX_NAME))))
    throw new Error(`amino binary is not a ${STD_TX_NAME}`);
  const tx = decodeAminoBinary(STD_TX, bytes.subarray(4), binIfaces);
  return JSON.stringify({ type: STD_TX_NAME, value: toAminoJson(STD_TX, tx, jsonIfaces) });
}
