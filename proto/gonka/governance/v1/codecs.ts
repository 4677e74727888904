// Codecs for gonka.governance.v1 (field numbers as in params.proto). Only the stored Params so far;
// MsgUpdateLimits is still x/governance/limitsMsg.ts.
import { Coin } from 'cosmjs-types/cosmos/base/v1beta1/coin';
import type { Params as SdkGovParams } from 'cosmjs-types/cosmos/gov/v1/gov';
import { Duration } from 'cosmjs-types/google/protobuf/duration';
import { messageCodec } from '../../codec.js';

/** cosmos.gov.v1.Params' fields (1-16) plus the bounds (17-21). */
export interface GovParamsProto extends SdkGovParams {
  maxMessages: bigint;
  maxTitleLength: bigint;
  maxMetadataLength: bigint;
  maxSummaryLength: bigint;
  maxOpenProposals: bigint;
}
export const Params = messageCodec<GovParamsProto>('gonka.governance.v1.Params', [
  { name: 'minDeposit', no: 1, kind: { message: Coin }, repeated: true },
  { name: 'maxDepositPeriod', no: 2, kind: { message: Duration } },
  { name: 'votingPeriod', no: 3, kind: { message: Duration } },
  { name: 'quorum', no: 4, kind: 'string' },
  { name: 'threshold', no: 5, kind: 'string' },
  { name: 'vetoThreshold', no: 6, kind: 'string' },
  { name: 'minInitialDepositRatio', no: 7, kind: 'string' },
  { name: 'proposalCancelRatio', no: 8, kind: 'string' },
  { name: 'proposalCancelDest', no: 9, kind: 'string' },
  { name: 'expeditedVotingPeriod', no: 10, kind: { message: Duration } },
  { name: 'expeditedThreshold', no: 11, kind: 'string' },
  { name: 'expeditedMinDeposit', no: 12, kind: { message: Coin }, repeated: true },
  { name: 'burnVoteQuorum', no: 13, kind: 'bool' },
  { name: 'burnProposalDepositPrevote', no: 14, kind: 'bool' },
  { name: 'burnVoteVeto', no: 15, kind: 'bool' },
  { name: 'minDepositRatio', no: 16, kind: 'string' },
  { name: 'maxMessages', no: 17, kind: 'uint64' },
  { name: 'maxTitleLength', no: 18, kind: 'uint64' },
  { name: 'maxMetadataLength', no: 19, kind: 'uint64' },
  { name: 'maxSummaryLength', no: 20, kind: 'uint64' },
  { name: 'maxOpenProposals', no: 21, kind: 'uint64' },
]);
