// Codecs for gonka.auth.v1 (field numbers as in params.proto, tx.proto, query.proto).
import { messageCodec } from '../../codec.js';

/** Params as on the wire; x/auth/params.ts turns min_gas_price into fixed point. */
export interface AuthParamsProto {
  maxMemoCharacters: bigint;
  txSigLimit: bigint;
  txSizeCostPerByte: bigint;
  sigVerifyCostEd25519: bigint;
  sigVerifyCostSecp256k1: bigint;
  minGasPrice: string;
  maxTxBytes: bigint;
}
export const Params = messageCodec<AuthParamsProto>('gonka.auth.v1.Params', [
  { name: 'maxMemoCharacters', no: 1, kind: 'uint64' },
  { name: 'txSigLimit', no: 2, kind: 'uint64' },
  { name: 'txSizeCostPerByte', no: 3, kind: 'uint64' },
  { name: 'sigVerifyCostEd25519', no: 4, kind: 'uint64' },
  { name: 'sigVerifyCostSecp256k1', no: 5, kind: 'uint64' },
  { name: 'minGasPrice', no: 6, kind: 'string' },
  { name: 'maxTxBytes', no: 7, kind: 'uint64' },
]);

export interface MsgUpdateParams {
  authority: string;
  params?: AuthParamsProto;
}
export const MsgUpdateParams = messageCodec<MsgUpdateParams>('gonka.auth.v1.MsgUpdateParams', [
  { name: 'authority', no: 1, kind: 'string' },
  { name: 'params', no: 2, kind: { message: Params } },
]);
export type Empty = Record<string, never>;
export const MsgUpdateParamsResponse = messageCodec<Empty>('gonka.auth.v1.MsgUpdateParamsResponse', []);

export const QueryParamsRequest = messageCodec<Empty>('gonka.auth.v1.QueryParamsRequest', []);
export const QueryParamsResponse = messageCodec<{ params?: AuthParamsProto }>(
  'gonka.auth.v1.QueryParamsResponse',
  [{ name: 'params', no: 1, kind: { message: Params } }],
);

/** Messages a CosmJS Registry needs to sign x/auth txs: `new Registry([...authRegistryTypes])`. */
export const authRegistryTypes = [[MsgUpdateParams.typeUrl, MsgUpdateParams]] as const;
