// Codecs for gonka.collateral.v1 (field numbers as in collateral.proto, tx.proto, query.proto).
import { PageRequest, PageResponse } from 'cosmjs-types/cosmos/base/query/v1beta1/pagination';
import { Coin } from 'cosmjs-types/cosmos/base/v1beta1/coin';
import { messageCodec } from '../../codec.js';

export interface CollateralParams {
  unbondingPeriodEpochs: bigint;
  slashFractionInvalid: string;
  slashFractionDowntime: string;
  baseWeightRatio: string;
  collateralPerWeightUnit: string;
  gracePeriodEndEpoch: bigint;
  slashFractionDoubleSign: string;
  signedBlocksWindow: bigint;
  minSignedPerWindow: string;
  downtimeJailBlocks: bigint;
  maxEvidenceAgeBlocks: bigint;
}
export const Params = messageCodec<CollateralParams>('gonka.collateral.v1.Params', [
  { name: 'unbondingPeriodEpochs', no: 1, kind: 'uint64' },
  { name: 'slashFractionInvalid', no: 2, kind: 'string' },
  { name: 'slashFractionDowntime', no: 3, kind: 'string' },
  { name: 'baseWeightRatio', no: 4, kind: 'string' },
  { name: 'collateralPerWeightUnit', no: 5, kind: 'string' },
  { name: 'gracePeriodEndEpoch', no: 6, kind: 'uint64' },
  { name: 'slashFractionDoubleSign', no: 7, kind: 'string' },
  { name: 'signedBlocksWindow', no: 8, kind: 'uint64' },
  { name: 'minSignedPerWindow', no: 9, kind: 'string' },
  { name: 'downtimeJailBlocks', no: 10, kind: 'uint64' },
  { name: 'maxEvidenceAgeBlocks', no: 11, kind: 'uint64' },
]);

export interface ValidatorSigningInfo {
  participant: string;
  startHeight: bigint;
  indexOffset: bigint;
  jailedUntil: bigint;
  tombstoned: boolean;
  missedBlocksCounter: bigint;
}
export const ValidatorSigningInfo = messageCodec<ValidatorSigningInfo>(
  'gonka.collateral.v1.ValidatorSigningInfo',
  [
    { name: 'participant', no: 1, kind: 'string' },
    { name: 'startHeight', no: 2, kind: 'uint64' },
    { name: 'indexOffset', no: 3, kind: 'uint64' },
    { name: 'jailedUntil', no: 4, kind: 'uint64' },
    { name: 'tombstoned', no: 5, kind: 'bool' },
    { name: 'missedBlocksCounter', no: 6, kind: 'uint64' },
  ],
);

export interface UnbondingEntry {
  participant: string;
  completionEpoch: bigint;
  amount: string;
}
export const UnbondingEntry = messageCodec<UnbondingEntry>('gonka.collateral.v1.UnbondingEntry', [
  { name: 'participant', no: 1, kind: 'string' },
  { name: 'completionEpoch', no: 2, kind: 'uint64' },
  { name: 'amount', no: 3, kind: 'string' },
]);

export interface MsgDepositCollateral {
  participant: string;
  amount?: Coin;
}
export const MsgDepositCollateral = messageCodec<MsgDepositCollateral>(
  'gonka.collateral.v1.MsgDepositCollateral',
  [
    { name: 'participant', no: 1, kind: 'string' },
    { name: 'amount', no: 2, kind: { message: Coin } },
  ],
);
export type Empty = Record<string, never>;
export const MsgDepositCollateralResponse = messageCodec<Empty>(
  'gonka.collateral.v1.MsgDepositCollateralResponse',
  [],
);

export type MsgWithdrawCollateral = MsgDepositCollateral;
export const MsgWithdrawCollateral = messageCodec<MsgWithdrawCollateral>(
  'gonka.collateral.v1.MsgWithdrawCollateral',
  [
    { name: 'participant', no: 1, kind: 'string' },
    { name: 'amount', no: 2, kind: { message: Coin } },
  ],
);
export const MsgWithdrawCollateralResponse = messageCodec<{ completionEpoch: bigint }>(
  'gonka.collateral.v1.MsgWithdrawCollateralResponse',
  [{ name: 'completionEpoch', no: 1, kind: 'uint64' }],
);

export interface MsgUpdateParams {
  authority: string;
  params?: CollateralParams;
}
export const MsgUpdateParams = messageCodec<MsgUpdateParams>('gonka.collateral.v1.MsgUpdateParams', [
  { name: 'authority', no: 1, kind: 'string' },
  { name: 'params', no: 2, kind: { message: Params } },
]);
export const MsgUpdateParamsResponse = messageCodec<Empty>('gonka.collateral.v1.MsgUpdateParamsResponse', []);

export const MsgUnjail = messageCodec<{ participant: string }>('gonka.collateral.v1.MsgUnjail', [
  { name: 'participant', no: 1, kind: 'string' },
]);
export const MsgUnjailResponse = messageCodec<Empty>('gonka.collateral.v1.MsgUnjailResponse', []);

export const QueryParamsRequest = messageCodec<Empty>('gonka.collateral.v1.QueryParamsRequest', []);
export const QueryParamsResponse = messageCodec<{ params?: CollateralParams }>(
  'gonka.collateral.v1.QueryParamsResponse',
  [{ name: 'params', no: 1, kind: { message: Params } }],
);
export const QueryCollateralRequest = messageCodec<{ participant: string }>(
  'gonka.collateral.v1.QueryCollateralRequest',
  [{ name: 'participant', no: 1, kind: 'string' }],
);
export const QueryCollateralResponse = messageCodec<{ amount?: Coin }>(
  'gonka.collateral.v1.QueryCollateralResponse',
  [{ name: 'amount', no: 1, kind: { message: Coin } }],
);
export const QueryUnbondingRequest = messageCodec<{ participant: string }>(
  'gonka.collateral.v1.QueryUnbondingRequest',
  [{ name: 'participant', no: 1, kind: 'string' }],
);
export const QueryUnbondingResponse = messageCodec<{ entries: UnbondingEntry[] }>(
  'gonka.collateral.v1.QueryUnbondingResponse',
  [{ name: 'entries', no: 1, kind: { message: UnbondingEntry }, repeated: true }],
);
export const QueryJailedRequest = messageCodec<{ pagination?: PageRequest }>(
  'gonka.collateral.v1.QueryJailedRequest',
  [{ name: 'pagination', no: 1, kind: { message: PageRequest } }],
);
export const QueryJailedResponse = messageCodec<{ participants: string[]; pagination?: PageResponse }>(
  'gonka.collateral.v1.QueryJailedResponse',
  [
    { name: 'participants', no: 1, kind: 'string', repeated: true },
    { name: 'pagination', no: 2, kind: { message: PageResponse } },
  ],
);

export const QuerySigningInfoRequest = messageCodec<{ address: string }>(
  'gonka.collateral.v1.QuerySigningInfoRequest',
  [{ name: 'address', no: 1, kind: 'string' }],
);
export const QuerySigningInfoResponse = messageCodec<{ info?: ValidatorSigningInfo }>(
  'gonka.collateral.v1.QuerySigningInfoResponse',
  [{ name: 'info', no: 1, kind: { message: ValidatorSigningInfo } }],
);
export const QuerySigningInfosRequest = messageCodec<{ pagination?: PageRequest }>(
  'gonka.collateral.v1.QuerySigningInfosRequest',
  [{ name: 'pagination', no: 1, kind: { message: PageRequest } }],
);
export const QuerySigningInfosResponse = messageCodec<{
  infos: ValidatorSigningInfo[];
  pagination?: PageResponse;
}>('gonka.collateral.v1.QuerySigningInfosResponse', [
  { name: 'infos', no: 1, kind: { message: ValidatorSigningInfo }, repeated: true },
  { name: 'pagination', no: 2, kind: { message: PageResponse } },
]);

/** Messages a CosmJS Registry needs to sign x/collateral txs: `new Registry([...collateralRegistryTypes])`. */
export const collateralRegistryTypes = [
  [MsgDepositCollateral.typeUrl, MsgDepositCollateral],
  [MsgWithdrawCollateral.typeUrl, MsgWithdrawCollateral],
  [MsgUpdateParams.typeUrl, MsgUpdateParams],
  [MsgUnjail.typeUrl, MsgUnjail],
] as const;
