// x/governance params: the SDK's cosmos.gov.v1 Params (deposits, periods, quorum / threshold /
// veto, expedited proposals, burn rules) plus the bounds that keep every list and queue finite
// (DESIGN.md §3.8). Durations are whole seconds of block time; ratios are 18-digit fixed point.
// Stored as gonka.governance.v1.Params (protobuf): cosmos.gov.v1.Params' fields plus the bounds.

import type { Coin } from 'cosmjs-types/cosmos/base/v1beta1/coin';
import { Params } from 'cosmjs-types/cosmos/gov/v1/gov';
import type { Duration } from 'cosmjs-types/google/protobuf/duration';
import { addressBytes } from '../../app/runtime/address.js';
import { type Coins, parseCoins, toWire } from '../../app/runtime/coins.js';
import { decString, ONE, parseRatio } from '../../app/runtime/decimal.js';
import type { Params as GovParamsProto } from '../../proto/gen/gonka/governance/v1/params.js';

export interface GovParams {
  minDeposit: Coins[];
  maxDepositPeriodSeconds: bigint;
  votingPeriodSeconds: bigint;
  quorum: bigint;
  threshold: bigint;
  vetoThreshold: bigint;
  minInitialDepositRatio: bigint;
  proposalCancelRatio: bigint;
  /** Where the cancel fee goes: '' burns it. */
  proposalCancelDest: string;
  expeditedVotingPeriodSeconds: bigint;
  expeditedThreshold: bigint;
  expeditedMinDeposit: Coins[];
  burnVoteQuorum: boolean;
  burnProposalDepositPrevote: boolean;
  burnVoteVeto: boolean;
  minDepositRatio: bigint;
  // Bounds (not in the SDK's Params; changed with /gonka.governance.v1.MsgUpdateLimits).
  maxMessages: bigint;
  maxTitleLength: bigint;
  maxMetadataLength: bigint;
  maxSummaryLength: bigint;
  /** Proposals in their deposit or voting period at once (bounds the end-block queues). */
  maxOpenProposals: bigint;
}

const HOUR = 3600n;
const ngonka = (amount: bigint): Coins[] => [{ denom: 'ngonka', amount }];

/** Mainnet-like defaults (research/gonka.md §9): 0.025 GNK, 48 h voting, quorum 0.25, threshold 0.5, veto 0.334, expedited 12 h at 0.667. */
export function defaultGovParams(): GovParams {
  return {
    minDeposit: ngonka(25_000_000n),
    maxDepositPeriodSeconds: 48n * HOUR,
    votingPeriodSeconds: 48n * HOUR,
    quorum: parseRatio('0.25', 'quorum'),
    threshold: parseRatio('0.5', 'threshold'),
    vetoThreshold: parseRatio('0.334', 'veto_threshold'),
    minInitialDepositRatio: 0n,
    proposalCancelRatio: parseRatio('0.5', 'proposal_cancel_ratio'),
    proposalCancelDest: '',
    expeditedVotingPeriodSeconds: 12n * HOUR,
    expeditedThreshold: parseRatio('0.667', 'expedited_threshold'),
    expeditedMinDeposit: ngonka(50_000_000n),
    burnVoteQuorum: false,
    burnProposalDepositPrevote: false,
    burnVoteVeto: true,
    minDepositRatio: parseRatio('0.01', 'min_deposit_ratio'),
    maxMessages: 16n,
    maxTitleLength: 255n,
    maxMetadataLength: 255n,
    maxSummaryLength: 10_200n,
    maxOpenProposals: 100n,
  };
}

/** The devnet's periods (DESIGN.md §9): 30 s deposit and voting, 15 s expedited. */
export function devnetGovParams(): GovParams {
  return {
    ...defaultGovParams(),
    maxDepositPeriodSeconds: 30n,
    votingPeriodSeconds: 30n,
    expeditedVotingPeriodSeconds: 15n,
  };
}

/** The fast test profile (DESIGN.md §10): 8 s deposit and voting, 4 s expedited. */
export function fastGovParams(): GovParams {
  return {
    ...defaultGovParams(),
    maxDepositPeriodSeconds: 8n,
    votingPeriodSeconds: 8n,
    expeditedVotingPeriodSeconds: 4n,
  };
}

function coinsLe(a: readonly Coins[], b: readonly Coins[]): boolean {
  // a ≤ b coin-wise (every denom of a present in b with at least that amount), for the expedited check.
  return a.every((c) => (b.find((d) => d.denom === c.denom)?.amount ?? 0n) >= c.amount);
}

/** Throws an Error naming the first invalid field (checked in a fixed order). */
export function validateGovParams(p: GovParams): void {
  if (p.minDeposit.length === 0) throw new Error('min_deposit must not be empty');
  if (p.expeditedMinDeposit.length === 0) throw new Error('expedited_min_deposit must not be empty');
  if (p.maxDepositPeriodSeconds <= 0n) throw new Error('max_deposit_period must be positive');
  if (p.votingPeriodSeconds <= 0n) throw new Error('voting_period must be positive');
  if (p.expeditedVotingPeriodSeconds <= 0n) throw new Error('expedited_voting_period must be positive');
  if (p.expeditedVotingPeriodSeconds >= p.votingPeriodSeconds)
    throw new Error('expedited_voting_period must be shorter than voting_period');
  const ratio = (v: bigint, what: string, positive: boolean) => {
    if (v < 0n || v > ONE) throw new Error(`${what} must be within [0, 1]`);
    if (positive && v === 0n) throw new Error(`${what} must be positive`);
  };
  ratio(p.quorum, 'quorum', false);
  ratio(p.threshold, 'threshold', true);
  ratio(p.vetoThreshold, 'veto_threshold', true);
  ratio(p.expeditedThreshold, 'expedited_threshold', true);
  if (p.expeditedThreshold <= p.threshold)
    throw new Error('expedited_threshold must be greater than threshold');
  if (coinsLe(p.expeditedMinDeposit, p.minDeposit) && coinsLe(p.minDeposit, p.expeditedMinDeposit))
    throw new Error('expedited_min_deposit must be greater than min_deposit');
  if (!coinsLe(p.minDeposit, p.expeditedMinDeposit))
    throw new Error('expedited_min_deposit must be at least min_deposit in every denom');
  ratio(p.minInitialDepositRatio, 'min_initial_deposit_ratio', false);
  ratio(p.proposalCancelRatio, 'proposal_cancel_ratio', false);
  ratio(p.minDepositRatio, 'min_deposit_ratio', false);
  if (p.proposalCancelDest !== '') addressBytes(p.proposalCancelDest);
  const bound = (v: bigint, what: string, max: bigint) => {
    if (v <= 0n || v > max) throw new Error(`${what} must be within [1, ${max}]`);
  };
  bound(p.maxMessages, 'max_messages', 1000n);
  bound(p.maxTitleLength, 'max_title_length', 10_000n);
  bound(p.maxMetadataLength, 'max_metadata_length', 100_000n);
  bound(p.maxSummaryLength, 'max_summary_length', 1_000_000n);
  bound(p.maxOpenProposals, 'max_open_proposals', 10_000n);
}

// ---- JSON (genesis and state) -----------------------------------------------------------------------

export interface GovParamsJson {
  min_deposit: Coin[];
  max_deposit_period: string;
  voting_period: string;
  quorum: string;
  threshold: string;
  veto_threshold: string;
  min_initial_deposit_ratio: string;
  proposal_cancel_ratio: string;
  proposal_cancel_dest: string;
  expedited_voting_period: string;
  expedited_threshold: string;
  expedited_min_deposit: Coin[];
  burn_vote_quorum: boolean;
  burn_proposal_deposit_prevote: boolean;
  burn_vote_veto: boolean;
  min_deposit_ratio: string;
  max_messages: string;
  max_title_length: string;
  max_metadata_length: string;
  max_summary_length: string;
  max_open_proposals: string;
}

const seconds = (s: bigint) => `${s}s`;

export function govParamsToJson(p: GovParams): GovParamsJson {
  // Fixed key order: this JSON is state, so its bytes must not depend on object construction.
  return {
    min_deposit: toWire(p.minDeposit),
    max_deposit_period: seconds(p.maxDepositPeriodSeconds),
    voting_period: seconds(p.votingPeriodSeconds),
    quorum: decString(p.quorum),
    threshold: decString(p.threshold),
    veto_threshold: decString(p.vetoThreshold),
    min_initial_deposit_ratio: decString(p.minInitialDepositRatio),
    proposal_cancel_ratio: decString(p.proposalCancelRatio),
    proposal_cancel_dest: p.proposalCancelDest,
    expedited_voting_period: seconds(p.expeditedVotingPeriodSeconds),
    expedited_threshold: decString(p.expeditedThreshold),
    expedited_min_deposit: toWire(p.expeditedMinDeposit),
    burn_vote_quorum: p.burnVoteQuorum,
    burn_proposal_deposit_prevote: p.burnProposalDepositPrevote,
    burn_vote_veto: p.burnVoteVeto,
    min_deposit_ratio: decString(p.minDepositRatio),
    max_messages: p.maxMessages.toString(),
    max_title_length: p.maxTitleLength.toString(),
    max_metadata_length: p.maxMetadataLength.toString(),
    max_summary_length: p.maxSummaryLength.toString(),
    max_open_proposals: p.maxOpenProposals.toString(),
  };
}

function parseSeconds(v: unknown, what: string): bigint {
  const m = /^(\d{1,15})s$/.exec(String(v));
  if (!m) throw new Error(`${what} must be whole seconds like "30s", got '${String(v).slice(0, 40)}'`);
  return BigInt(m[1]!);
}

function parseCount(v: unknown, what: string): bigint {
  if (!/^\d{1,15}$/.test(String(v))) throw new Error(`${what} must be a non-negative integer`);
  return BigInt(String(v));
}

function parseBool(v: unknown, what: string): boolean {
  if (typeof v !== 'boolean') throw new Error(`${what} must be true or false`);
  return v;
}

/** Params from genesis JSON; absent fields take the defaults. Validates the result. */
export function govParamsFromJson(raw: Partial<GovParamsJson> | undefined): GovParams {
  const d = defaultGovParams();
  const j = raw ?? {};
  const pick = <K extends keyof GovParamsJson, T>(
    k: K,
    dflt: T,
    parse: (v: NonNullable<GovParamsJson[K]>) => T,
  ): T => (j[k] === undefined ? dflt : parse(j[k] as NonNullable<GovParamsJson[K]>));
  const coins = (what: string) => (v: Coin[]) => {
    try {
      return parseCoins(v);
    } catch (e) {
      throw new Error(`${what}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const p: GovParams = {
    minDeposit: pick('min_deposit', d.minDeposit, coins('min_deposit')),
    maxDepositPeriodSeconds: pick('max_deposit_period', d.maxDepositPeriodSeconds, (v) =>
      parseSeconds(v, 'max_deposit_period'),
    ),
    votingPeriodSeconds: pick('voting_period', d.votingPeriodSeconds, (v) =>
      parseSeconds(v, 'voting_period'),
    ),
    quorum: pick('quorum', d.quorum, (v) => parseRatio(v, 'quorum')),
    threshold: pick('threshold', d.threshold, (v) => parseRatio(v, 'threshold')),
    vetoThreshold: pick('veto_threshold', d.vetoThreshold, (v) => parseRatio(v, 'veto_threshold')),
    minInitialDepositRatio: pick('min_initial_deposit_ratio', d.minInitialDepositRatio, (v) =>
      parseRatio(v, 'min_initial_deposit_ratio'),
    ),
    proposalCancelRatio: pick('proposal_cancel_ratio', d.proposalCancelRatio, (v) =>
      parseRatio(v, 'proposal_cancel_ratio'),
    ),
    proposalCancelDest: pick('proposal_cancel_dest', d.proposalCancelDest, (v) => String(v)),
    expeditedVotingPeriodSeconds: pick('expedited_voting_period', d.expeditedVotingPeriodSeconds, (v) =>
      parseSeconds(v, 'expedited_voting_period'),
    ),
    expeditedThreshold: pick('expedited_threshold', d.expeditedThreshold, (v) =>
      parseRatio(v, 'expedited_threshold'),
    ),
    expeditedMinDeposit: pick('expedited_min_deposit', d.expeditedMinDeposit, coins('expedited_min_deposit')),
    burnVoteQuorum: pick('burn_vote_quorum', d.burnVoteQuorum, (v) => parseBool(v, 'burn_vote_quorum')),
    burnProposalDepositPrevote: pick('burn_proposal_deposit_prevote', d.burnProposalDepositPrevote, (v) =>
      parseBool(v, 'burn_proposal_deposit_prevote'),
    ),
    burnVoteVeto: pick('burn_vote_veto', d.burnVoteVeto, (v) => parseBool(v, 'burn_vote_veto')),
    minDepositRatio: pick('min_deposit_ratio', d.minDepositRatio, (v) => parseRatio(v, 'min_deposit_ratio')),
    maxMessages: pick('max_messages', d.maxMessages, (v) => parseCount(v, 'max_messages')),
    maxTitleLength: pick('max_title_length', d.maxTitleLength, (v) => parseCount(v, 'max_title_length')),
    maxMetadataLength: pick('max_metadata_length', d.maxMetadataLength, (v) =>
      parseCount(v, 'max_metadata_length'),
    ),
    maxSummaryLength: pick('max_summary_length', d.maxSummaryLength, (v) =>
      parseCount(v, 'max_summary_length'),
    ),
    maxOpenProposals: pick('max_open_proposals', d.maxOpenProposals, (v) =>
      parseCount(v, 'max_open_proposals'),
    ),
  };
  validateGovParams(p);
  return p;
}

// ---- cosmos.gov.v1 Params (queries and MsgUpdateParams) ---------------------------------------------

const duration = (s: bigint): Duration => ({ seconds: s, nanos: 0 });

export function toSdkParams(p: GovParams): Params {
  return Params.fromPartial({
    minDeposit: toWire(p.minDeposit),
    maxDepositPeriod: duration(p.maxDepositPeriodSeconds),
    votingPeriod: duration(p.votingPeriodSeconds),
    quorum: decString(p.quorum),
    threshold: decString(p.threshold),
    vetoThreshold: decString(p.vetoThreshold),
    minInitialDepositRatio: decString(p.minInitialDepositRatio),
    proposalCancelRatio: decString(p.proposalCancelRatio),
    proposalCancelDest: p.proposalCancelDest,
    expeditedVotingPeriod: duration(p.expeditedVotingPeriodSeconds),
    expeditedThreshold: decString(p.expeditedThreshold),
    expeditedMinDeposit: toWire(p.expeditedMinDeposit),
    burnVoteQuorum: p.burnVoteQuorum,
    burnProposalDepositPrevote: p.burnProposalDepositPrevote,
    burnVoteVeto: p.burnVoteVeto,
    minDepositRatio: decString(p.minDepositRatio),
  });
}

function durationSeconds(d: Duration | undefined, what: string): bigint {
  if (!d) throw new Error(`${what} must be set`);
  if (d.nanos !== 0) throw new Error(`${what} must be whole seconds`);
  return d.seconds;
}

/** SDK Params from MsgUpdateParams over the current bounds (which that message does not carry). Throws Error. */
export function fromSdkParams(sdk: Params, current: GovParams): GovParams {
  const coins = (v: Coin[], what: string) => {
    try {
      return parseCoins(v);
    } catch (e) {
      throw new Error(`${what}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const p: GovParams = {
    ...current,
    minDeposit: coins(sdk.minDeposit, 'min_deposit'),
    maxDepositPeriodSeconds: durationSeconds(sdk.maxDepositPeriod, 'max_deposit_period'),
    votingPeriodSeconds: durationSeconds(sdk.votingPeriod, 'voting_period'),
    quorum: parseRatio(sdk.quorum, 'quorum'),
    threshold: parseRatio(sdk.threshold, 'threshold'),
    vetoThreshold: parseRatio(sdk.vetoThreshold, 'veto_threshold'),
    minInitialDepositRatio: parseRatio(sdk.minInitialDepositRatio || '0', 'min_initial_deposit_ratio'),
    proposalCancelRatio: parseRatio(sdk.proposalCancelRatio || '0', 'proposal_cancel_ratio'),
    proposalCancelDest: sdk.proposalCancelDest,
    expeditedVotingPeriodSeconds: durationSeconds(sdk.expeditedVotingPeriod, 'expedited_voting_period'),
    expeditedThreshold: parseRatio(sdk.expeditedThreshold, 'expedited_threshold'),
    expeditedMinDeposit: coins(sdk.expeditedMinDeposit, 'expedited_min_deposit'),
    burnVoteQuorum: sdk.burnVoteQuorum,
    burnProposalDepositPrevote: sdk.burnProposalDepositPrevote,
    burnVoteVeto: sdk.burnVoteVeto,
    minDepositRatio: parseRatio(sdk.minDepositRatio || '0', 'min_deposit_ratio'),
  };
  validateGovParams(p);
  return p;
}

// ---- gonka.governance.v1 Params (state) --------------------------------------------------------------

export function govParamsToProto(p: GovParams): GovParamsProto {
  return {
    ...toSdkParams(p),
    maxMessages: p.maxMessages,
    maxTitleLength: p.maxTitleLength,
    maxMetadataLength: p.maxMetadataLength,
    maxSummaryLength: p.maxSummaryLength,
    maxOpenProposals: p.maxOpenProposals,
  };
}

/** Params from their stored form; validated as every other way in is. Throws Error. */
export function govParamsFromProto(m: GovParamsProto): GovParams {
  const bounds = {
    maxMessages: m.maxMessages,
    maxTitleLength: m.maxTitleLength,
    maxMetadataLength: m.maxMetadataLength,
    maxSummaryLength: m.maxSummaryLength,
    maxOpenProposals: m.maxOpenProposals,
  };
  return fromSdkParams(m, { ...defaultGovParams(), ...bounds });
}
