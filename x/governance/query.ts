// The cosmos.gov.v1 Query service, and the cosmos.gov.v1beta1 one that CosmJS's GovExtension
// calls (proposals, proposal, deposits, deposit, tally, votes, vote, params). v1beta1 proposals
// carry their first message as `content` (the SDK's conversion for v1 proposals); v1beta1 decimals
// are LegacyDec's wire form (the 18-digit integer as a string / bytes).
import { type Proposal, ProposalStatus, type TallyResult, type Vote } from 'cosmjs-types/cosmos/gov/v1/gov';
import * as q1 from 'cosmjs-types/cosmos/gov/v1/query';
import * as g0 from 'cosmjs-types/cosmos/gov/v1beta1/gov';
import * as q0 from 'cosmjs-types/cosmos/gov/v1beta1/query';
import { addressBytes } from '../../app/runtime/address.js';
import type { Context } from '../../app/runtime/context.js';
import { parseDec } from '../../app/runtime/decimal.js';
import { sdkErrors } from '../../app/runtime/errors.js';
import { paginate } from '../../app/runtime/pagination.js';
import type { QueryRouter } from '../../app/runtime/router.js';
import { type GovKeeper, tallyToProto } from './keeper.js';
import { PROPOSAL_PREFIX } from './keys.js';
import { toSdkParams } from './params.js';
import { emptyTally } from './tally.js';

export const GOV_V1_QUERY = '/cosmos.gov.v1.Query';
export const GOV_V1BETA1_QUERY = '/cosmos.gov.v1beta1.Query';

const invalidArg = (msg: string) =>
  sdkErrors.invalidRequest(`rpc error: code = InvalidArgument desc = ${msg}`);
const notFound = (msg: string) => sdkErrors.keyNotFound(`rpc error: code = NotFound desc = ${msg}`);

function checkId(id: bigint): void {
  if (id === 0n) throw invalidArg('proposal id can not be 0');
}

function checkAddress(a: string, what: string): void {
  if (!a) throw invalidArg(`empty ${what} address`);
  addressBytes(a);
}

export function registerGovQueries(queries: QueryRouter, k: GovKeeper): void {
  const proposal = (ctx: Context, id: bigint): Proposal => {
    checkId(id);
    const p = k.getProposal(ctx, id);
    if (!p) throw notFound(`proposal ${id} doesn't exist`);
    return p;
  };
  const tally = (ctx: Context, id: bigint) => {
    const p = proposal(ctx, id);
    if (p.status === ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD)
      return tallyToProto(k.currentTally(ctx, id));
    if (p.status === ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD) return tallyToProto(emptyTally());
    return p.finalTallyResult ?? tallyToProto(emptyTally());
  };
  const proposals = (ctx: Context, r: q1.QueryProposalsRequest) => {
    if (r.voter) checkAddress(r.voter, 'voter');
    if (r.depositor) checkAddress(r.depositor, 'depositor');
    return paginate(r.pagination, function* (start) {
      for (const [key, p] of k.iterateProposals(ctx, start)) {
        if (r.proposalStatus !== ProposalStatus.PROPOSAL_STATUS_UNSPECIFIED && p.status !== r.proposalStatus)
          continue;
        if (r.voter && !k.getVote(ctx, p.id, r.voter)) continue;
        if (r.depositor && !k.getDeposit(ctx, p.id, r.depositor)) continue;
        yield [key, p] as [Uint8Array, Proposal];
      }
    });
  };
  const vote = (ctx: Context, id: bigint, voter: string): Vote => {
    checkId(id);
    checkAddress(voter, 'voter');
    const v = k.getVote(ctx, id, voter);
    if (!v) throw notFound(`voter: ${voter} not found for proposal: ${id}`);
    return v;
  };
  // v1 and v1beta1 requests share these fields.
  const pagedVotes = (ctx: Context, r: q1.QueryVotesRequest) => {
    checkId(r.proposalId);
    return paginate(r.pagination, (start) => k.iterateVotes(ctx, r.proposalId, start));
  };
  const pagedDeposits = (ctx: Context, r: q1.QueryDepositsRequest) => {
    checkId(r.proposalId);
    return paginate(r.pagination, (start) => k.iterateDeposits(ctx, r.proposalId, start));
  };
  const deposit = (ctx: Context, id: bigint, depositor: string) => {
    checkId(id);
    checkAddress(depositor, 'depositor');
    const d = k.getDeposit(ctx, id, depositor);
    if (!d) throw notFound(`depositer: ${depositor} not found for proposal: ${id}`);
    return d;
  };

  // ---- cosmos.gov.v1 ----
  queries.register({
    path: `${GOV_V1_QUERY}/Constitution`,
    request: q1.QueryConstitutionRequest,
    response: q1.QueryConstitutionResponse,
    handle: (ctx) => ({ constitution: k.getConstitution(ctx) }),
  });
  queries.register({
    path: `${GOV_V1_QUERY}/Proposal`,
    request: q1.QueryProposalRequest,
    response: q1.QueryProposalResponse,
    handle: (ctx, r) => ({ proposal: proposal(ctx, r.proposalId) }),
  });
  queries.register({
    path: `${GOV_V1_QUERY}/Proposals`,
    request: q1.QueryProposalsRequest,
    response: q1.QueryProposalsResponse,
    handle(ctx, r) {
      const { items, pagination } = proposals(ctx, r);
      return { proposals: items, pagination };
    },
  });
  queries.register({
    path: `${GOV_V1_QUERY}/Vote`,
    request: q1.QueryVoteRequest,
    response: q1.QueryVoteResponse,
    handle: (ctx, r) => ({ vote: vote(ctx, r.proposalId, r.voter) }),
  });
  queries.register({
    path: `${GOV_V1_QUERY}/Votes`,
    request: q1.QueryVotesRequest,
    response: q1.QueryVotesResponse,
    handle(ctx, r) {
      const { items, pagination } = pagedVotes(ctx, r);
      return { votes: items, pagination };
    },
  });
  queries.register({
    path: `${GOV_V1_QUERY}/Params`,
    request: q1.QueryParamsRequest,
    response: q1.QueryParamsResponse,
    handle(ctx) {
      const p = toSdkParams(k.getParams(ctx));
      return {
        params: p,
        votingParams: { votingPeriod: p.votingPeriod },
        depositParams: { minDeposit: p.minDeposit, maxDepositPeriod: p.maxDepositPeriod },
        tallyParams: { quorum: p.quorum, threshold: p.threshold, vetoThreshold: p.vetoThreshold },
      };
    },
  });
  queries.register({
    path: `${GOV_V1_QUERY}/Deposit`,
    request: q1.QueryDepositRequest,
    response: q1.QueryDepositResponse,
    handle: (ctx, r) => ({ deposit: deposit(ctx, r.proposalId, r.depositor) }),
  });
  queries.register({
    path: `${GOV_V1_QUERY}/Deposits`,
    request: q1.QueryDepositsRequest,
    response: q1.QueryDepositsResponse,
    handle(ctx, r) {
      const { items, pagination } = pagedDeposits(ctx, r);
      return { deposits: items, pagination };
    },
  });
  queries.register({
    path: `${GOV_V1_QUERY}/TallyResult`,
    request: q1.QueryTallyResultRequest,
    response: q1.QueryTallyResultResponse,
    handle: (ctx, r) => ({ tally: tally(ctx, r.proposalId) }),
  });

  // ---- cosmos.gov.v1beta1 (CosmJS GovExtension) ----
  queries.register({
    path: `${GOV_V1BETA1_QUERY}/Proposal`,
    request: q0.QueryProposalRequest,
    response: q0.QueryProposalResponse,
    handle: (ctx, r) => ({ proposal: toV1beta1Proposal(proposal(ctx, r.proposalId)) }),
  });
  queries.register({
    path: `${GOV_V1BETA1_QUERY}/Proposals`,
    request: q0.QueryProposalsRequest,
    response: q0.QueryProposalsResponse,
    handle(ctx, r) {
      const { items, pagination } = proposals(ctx, r);
      return { proposals: items.map(toV1beta1Proposal), pagination };
    },
  });
  queries.register({
    path: `${GOV_V1BETA1_QUERY}/Vote`,
    request: q0.QueryVoteRequest,
    response: q0.QueryVoteResponse,
    handle: (ctx, r) => ({ vote: toV1beta1Vote(vote(ctx, r.proposalId, r.voter)) }),
  });
  queries.register({
    path: `${GOV_V1BETA1_QUERY}/Votes`,
    request: q0.QueryVotesRequest,
    response: q0.QueryVotesResponse,
    handle(ctx, r) {
      const { items, pagination } = pagedVotes(ctx, r);
      return { votes: items.map(toV1beta1Vote), pagination };
    },
  });
  queries.register({
    path: `${GOV_V1BETA1_QUERY}/Params`,
    request: q0.QueryParamsRequest,
    response: q0.QueryParamsResponse,
    handle(ctx, r) {
      const p = k.getParams(ctx);
      const sdk = toSdkParams(p);
      const legacy = (v: bigint) => new TextEncoder().encode(v.toString());
      const votingParams = g0.VotingParams.fromPartial({ votingPeriod: sdk.votingPeriod });
      const depositParams = g0.DepositParams.fromPartial({
        minDeposit: sdk.minDeposit,
        maxDepositPeriod: sdk.maxDepositPeriod,
      });
      const tallyParams = g0.TallyParams.fromPartial({
        quorum: legacy(p.quorum),
        threshold: legacy(p.threshold),
        vetoThreshold: legacy(p.vetoThreshold),
      });
      const empty = {
        voting: g0.VotingParams.fromPartial({}),
        deposit: g0.DepositParams.fromPartial({}),
        tally: g0.TallyParams.fromPartial({}),
      };
      if (r.paramsType === 'voting')
        return { votingParams, depositParams: empty.deposit, tallyParams: empty.tally };
      if (r.paramsType === 'deposit')
        return { votingParams: empty.voting, depositParams, tallyParams: empty.tally };
      if (r.paramsType === 'tallying')
        return { votingParams: empty.voting, depositParams: empty.deposit, tallyParams };
      throw invalidArg(
        `unknown params type ${r.paramsType.slice(0, 40)}: expected voting, deposit or tallying`,
      );
    },
  });
  queries.register({
    path: `${GOV_V1BETA1_QUERY}/Deposit`,
    request: q0.QueryDepositRequest,
    response: q0.QueryDepositResponse,
    handle: (ctx, r) => ({ deposit: deposit(ctx, r.proposalId, r.depositor) }),
  });
  queries.register({
    path: `${GOV_V1BETA1_QUERY}/Deposits`,
    request: q0.QueryDepositsRequest,
    response: q0.QueryDepositsResponse,
    handle(ctx, r) {
      const { items, pagination } = pagedDeposits(ctx, r);
      return { deposits: items, pagination };
    },
  });
  queries.register({
    path: `${GOV_V1BETA1_QUERY}/TallyResult`,
    request: q0.QueryTallyResultRequest,
    response: q0.QueryTallyResultResponse,
    handle: (ctx, r) => ({ tally: toV1beta1Tally(tally(ctx, r.proposalId)) }),
  });
}

const zeroTime = { seconds: 0n, nanos: 0 };

/** v1 tally counts → v1beta1 field names; a proposal without a final tally counts zeros. */
function toV1beta1Tally(t: TallyResult | undefined): g0.TallyResult {
  return {
    yes: t?.yesCount ?? '0',
    abstain: t?.abstainCount ?? '0',
    no: t?.noCount ?? '0',
    noWithVeto: t?.noWithVetoCount ?? '0',
  };
}

export function toV1beta1Proposal(p: Proposal): g0.Proposal {
  return g0.Proposal.fromPartial({
    proposalId: p.id,
    content: p.messages[0],
    status: p.status as number as g0.ProposalStatus,
    finalTallyResult: toV1beta1Tally(p.finalTallyResult),
    submitTime: p.submitTime ?? zeroTime,
    depositEndTime: p.depositEndTime ?? zeroTime,
    totalDeposit: p.totalDeposit,
    votingStartTime: p.votingStartTime ?? zeroTime,
    votingEndTime: p.votingEndTime ?? zeroTime,
  });
}

export function toV1beta1Vote(v: Vote): g0.Vote {
  const options = v.options.map((o) => ({
    option: o.option as number as g0.VoteOption,
    weight: parseDec(o.weight).toString(),
  }));
  return g0.Vote.fromPartial({
    proposalId: v.proposalId,
    voter: v.voter,
    option: options.length === 1 ? options[0]!.option : g0.VoteOption.VOTE_OPTION_UNSPECIFIED,
    options,
  });
}

export { PROPOSAL_PREFIX };
