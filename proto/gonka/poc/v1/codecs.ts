// Codecs for gonka.poc.v1 (field numbers as in poc.proto, tx.proto, query.proto).
import { PageRequest, PageResponse } from 'cosmjs-types/cosmos/base/query/v1beta1/pagination';
import { messageCodec } from '../../codec.js';

export interface PocParams {
  epochLength: bigint;
}
export interface EpochState {
  epoch: bigint;
  startHeight: bigint;
  nextStartHeight: bigint;
}
export interface Participant {
  address: string;
  consensusPubkey: Uint8Array;
  weight: bigint;
}

export const Params = messageCodec<PocParams>('gonka.poc.v1.Params', [
  { name: 'epochLength', no: 1, kind: 'uint64' },
]);
export const EpochState = messageCodec<EpochState>('gonka.poc.v1.EpochState', [
  { name: 'epoch', no: 1, kind: 'uint64' },
  { name: 'startHeight', no: 2, kind: 'uint64' },
  { name: 'nextStartHeight', no: 3, kind: 'uint64' },
]);
export const Participant = messageCodec<Participant>('gonka.poc.v1.Participant', [
  { name: 'address', no: 1, kind: 'string' },
  { name: 'consensusPubkey', no: 2, kind: 'bytes' },
  { name: 'weight', no: 3, kind: 'uint64' },
]);

export interface MsgUpdateParams {
  authority: string;
  params?: PocParams;
}
export const MsgUpdateParams = messageCodec<MsgUpdateParams>('gonka.poc.v1.MsgUpdateParams', [
  { name: 'authority', no: 1, kind: 'string' },
  { name: 'params', no: 2, kind: { message: Params } },
]);
export type Empty = Record<string, never>;
export const MsgUpdateParamsResponse = messageCodec<Empty>('gonka.poc.v1.MsgUpdateParamsResponse', []);

export const QueryParamsRequest = messageCodec<Empty>('gonka.poc.v1.QueryParamsRequest', []);
export const QueryParamsResponse = messageCodec<{ params?: PocParams }>('gonka.poc.v1.QueryParamsResponse', [
  { name: 'params', no: 1, kind: { message: Params } },
]);
export const QueryEpochRequest = messageCodec<Empty>('gonka.poc.v1.QueryEpochRequest', []);
export interface QueryEpochResponse extends EpochState {
  epochLength: bigint;
}
export const QueryEpochResponse = messageCodec<QueryEpochResponse>('gonka.poc.v1.QueryEpochResponse', [
  { name: 'epoch', no: 1, kind: 'uint64' },
  { name: 'startHeight', no: 2, kind: 'uint64' },
  { name: 'nextStartHeight', no: 3, kind: 'uint64' },
  { name: 'epochLength', no: 4, kind: 'uint64' },
]);
export const QueryParticipantsRequest = messageCodec<{ pagination?: PageRequest }>(
  'gonka.poc.v1.QueryParticipantsRequest',
  [{ name: 'pagination', no: 1, kind: { message: PageRequest } }],
);
export interface QueryParticipantsResponse {
  participants: Participant[];
  /** Σ weight of every participant (not only this page). */
  totalWeight: bigint;
  pagination?: PageResponse;
}
export const QueryParticipantsResponse = messageCodec<QueryParticipantsResponse>(
  'gonka.poc.v1.QueryParticipantsResponse',
  [
    { name: 'participants', no: 1, kind: { message: Participant }, repeated: true },
    { name: 'totalWeight', no: 2, kind: 'uint64' },
    { name: 'pagination', no: 3, kind: { message: PageResponse } },
  ],
);

/** Messages a CosmJS Registry needs to sign x/poc txs: `new Registry([...pocRegistryTypes])`. */
export const pocRegistryTypes = [[MsgUpdateParams.typeUrl, MsgUpdateParams]] as const;
