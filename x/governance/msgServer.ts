// The cosmos.gov.v1 Msg service: SubmitProposal (any routable messages whose only signer is the
// governance account), Deposit, Vote, VoteWeighted, CancelProposal, UpdateParams; plus
// /gonka.governance.v1.MsgUpdateLimits for the list and queue bounds the SDK's Params lack.
import { ProposalStatus, VoteOption, type WeightedVoteOption } from 'cosmjs-types/cosmos/gov/v1/gov';
import {
  MsgCancelProposal,
  MsgCancelProposalResponse,
  MsgDeposit,
  MsgDepositResponse,
  MsgSubmitProposal,
  MsgSubmitProposalResponse,
  MsgUpdateParams,
  MsgUpdateParamsResponse,
  MsgVote,
  MsgVoteResponse,
  MsgVoteWeighted,
  MsgVoteWeightedResponse,
} from 'cosmjs-types/cosmos/gov/v1/tx';
import { addressBytes } from '../../app/runtime/address.js';
import type { Coins } from '../../app/runtime/coins.js';
import type { Context } from '../../app/runtime/context.js';
import { decString, mulCeil, parseDec } from '../../app/runtime/decimal.js';
import { AppError, assertAuthority } from '../../app/runtime/errors.js';
import type { MsgRouter } from '../../app/runtime/router.js';
import { MsgUpdateLimits, MsgUpdateLimitsResponse } from '../../proto/gen/gonka/governance/v1/tx.js';
import { typeUrl } from '../../proto/gonka/registry.js';
import { govErrors } from './errors.js';
import * as ev from './events.js';
import { type GovKeeper, timeLe } from './keeper.js';
import { HARD_TEXT_LIMIT, parseDeposit, VALID_OPTIONS, validateOptions } from './msgs.js';
import { fromSdkParams, type GovParams, validateGovParams } from './params.js';

export const GOV_V1 = '/cosmos.gov.v1';
export const MSG_SUBMIT_PROPOSAL = `${GOV_V1}.MsgSubmitProposal`;
export const MSG_DEPOSIT = `${GOV_V1}.MsgDeposit`;
export const MSG_VOTE = `${GOV_V1}.MsgVote`;
export const MSG_VOTE_WEIGHTED = `${GOV_V1}.MsgVoteWeighted`;
export const MSG_CANCEL_PROPOSAL = `${GOV_V1}.MsgCancelProposal`;
export const MSG_UPDATE_PARAMS = `${GOV_V1}.MsgUpdateParams`;
export const MSG_UPDATE_LIMITS = typeUrl(MsgUpdateLimits);

/** The SDK's WeightedVoteOptions.String() form used in the proposal_vote event. */
function optionsString(options: WeightedVoteOption[]): string {
  return options
    .map((o) => `option:${VoteOption[o.option]} weight:"${decString(parseDec(o.weight))}"`)
    .join('\n');
}

/** Every message of a proposal routes, passes its own validation and is signed by the authority alone. */
function checkProposalMessages(k: GovKeeper, messages: MsgSubmitProposal['messages']): void {
  const router = k.router!;
  const authority = k.authority();
  messages.forEach((any, i) => {
    if (!router.has(any.typeUrl)) throw govErrors.unroutableProposalMsg(`message ${i}: ${any.typeUrl}`);
    let decoded: unknown;
    let route: ReturnType<MsgRouter['route']>;
    try {
      ({ route, msg: decoded } = router.decodeAny(any));
      route.validate?.(decoded);
    } catch (e) {
      throw govErrors.invalidProposalMsg(
        `message ${i} (${any.typeUrl}): ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    const signers = route.signers(decoded);
    if (signers.length !== 1 || signers[0] !== authority)
      throw govErrors.invalidSigner(`message ${i} (${any.typeUrl}) signers ${signers.join(',')}`);
  });
}

/** The proposal's initial deposit, refused below min_initial_deposit_ratio of the min deposit. */
function checkedInitialDeposit(k: GovKeeper, params: GovParams, m: MsgSubmitProposal): Coins[] {
  const initial = parseDeposit(m.initialDeposit, true);
  const minInitial = k
    .minDepositFor(params, { expedited: m.expedited } as Parameters<GovKeeper['minDepositFor']>[1])
    .map((c) => ({ denom: c.denom, amount: mulCeil(c.amount, params.minInitialDepositRatio) }))
    .filter((c) => c.amount > 0n);
  for (const need of minInitial) {
    const have = initial.find((c) => c.denom === need.denom)?.amount ?? 0n;
    if (have < need.amount)
      throw govErrors.minDepositTooSmall(
        `initial deposit ${have}${need.denom} < ${need.amount}${need.denom}`,
      );
  }
  return initial;
}

/** What the registered GovMsgs handlers share, bound to the keeper. */
function govMsgHelpers(k: GovKeeper) {
  const checkAuthority = (a: string) => assertAuthority(k.authority(), a);

  const vote = (ctx: Context, id: bigint, voter: string, options: WeightedVoteOption[], metadata: string) => {
    const params = k.getParams(ctx);
    if (BigInt(metadata.length) > params.maxMetadataLength)
      throw govErrors.metadataTooLong(`${metadata.length} > ${params.maxMetadataLength}`);
    const p = k.mustGetProposal(ctx, id);
    if (p.status !== ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD)
      throw govErrors.inactiveProposal(`proposal ${id} is not in its voting period`);
    if (timeLe(p.votingEndTime!, ctx.header.time))
      throw govErrors.votingPeriodEnded(
        `proposal ${id}'s voting period ended at ${p.votingEndTime!.seconds}`,
      );
    // Only weighted participants vote: bounds the votes a tally reads by the participant count.
    if (k.weightOf(ctx, voter) === 0n) throw govErrors.noVotingPower(`${voter} has no PoC weight`);
    const normalized = options.map((o) => ({ option: o.option, weight: decString(parseDec(o.weight)) }));
    k.setVote(ctx, { proposalId: id, voter, options: normalized, metadata });
    ctx.events.emit(ev.proposalVote(id, voter, optionsString(normalized)));
    ctx.events.emit(ev.messageModule(voter));
    return {};
  };
  return { checkAuthority, vote };
}

/** MsgSubmitProposal: checks every inner message routes and is signed by the authority. */
function registerSubmitProposal(msgs: MsgRouter, k: GovKeeper): void {
  msgs.register({
    typeUrl: MSG_SUBMIT_PROPOSAL,
    request: MsgSubmitProposal,
    responseTypeUrl: `${GOV_V1}.MsgSubmitProposalResponse`,
    response: MsgSubmitProposalResponse,
    signers: (m) => [m.proposer],
    validate(m) {
      addressBytes(m.proposer);
      parseDeposit(m.initialDeposit, true);
      if (m.title.trim() === '') throw govErrors.invalidProposalContent('proposal title cannot be empty');
      if (m.summary.trim() === '') throw govErrors.invalidProposalContent('proposal summary cannot be empty');
      for (const s of [m.title, m.summary, m.metadata])
        if (s.length > HARD_TEXT_LIMIT) throw govErrors.metadataTooLong();
    },
    handle(ctx, m) {
      const params = k.getParams(ctx);
      if (BigInt(m.messages.length) > params.maxMessages)
        throw govErrors.tooManyMessages(`${m.messages.length} > max_messages ${params.maxMessages}`);
      if (BigInt(m.title.length) > params.maxTitleLength)
        throw govErrors.invalidProposalContent(`title longer than ${params.maxTitleLength}`);
      if (BigInt(m.metadata.length) > params.maxMetadataLength)
        throw govErrors.metadataTooLong(`${m.metadata.length} > ${params.maxMetadataLength}`);
      if (BigInt(m.summary.length) > params.maxSummaryLength)
        throw govErrors.summaryTooLong(`${m.summary.length} > ${params.maxSummaryLength}`);
      checkProposalMessages(k, m.messages);
      const initial = checkedInitialDeposit(k, params, m);
      const p = k.submitProposal(ctx, {
        messages: m.messages,
        metadata: m.metadata,
        title: m.title,
        summary: m.summary,
        proposer: m.proposer,
        expedited: m.expedited,
      });
      if (initial.length > 0) k.addDeposit(ctx, p, m.proposer, initial);
      ctx.events.emit(ev.messageModule(m.proposer));
      return { proposalId: p.id };
    },
  });
}

/** MsgDeposit, MsgVote and MsgVoteWeighted. */
function registerDepositAndVotes(msgs: MsgRouter, k: GovKeeper, h: ReturnType<typeof govMsgHelpers>): void {
  const { vote } = h;
  msgs.register({
    typeUrl: MSG_DEPOSIT,
    request: MsgDeposit,
    responseTypeUrl: `${GOV_V1}.MsgDepositResponse`,
    response: MsgDepositResponse,
    signers: (m) => [m.depositor],
    validate(m) {
      addressBytes(m.depositor);
      parseDeposit(m.amount, false);
    },
    handle(ctx, m) {
      const p = k.mustGetProposal(ctx, m.proposalId);
      if (
        p.status !== ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD &&
        p.status !== ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD
      )
        throw govErrors.inactiveProposal(`proposal ${m.proposalId} is finished`);
      const coins = parseDeposit(m.amount, false);
      k.checkMinDepositRatio(k.getParams(ctx), p, coins);
      k.addDeposit(ctx, p, m.depositor, coins);
      ctx.events.emit(ev.messageModule(m.depositor));
      return {};
    },
  });

  msgs.register({
    typeUrl: MSG_VOTE,
    request: MsgVote,
    responseTypeUrl: `${GOV_V1}.MsgVoteResponse`,
    response: MsgVoteResponse,
    signers: (m) => [m.voter],
    validate(m) {
      addressBytes(m.voter);
      if (!VALID_OPTIONS.has(m.option)) throw govErrors.invalidVote(`option ${m.option}`);
      if (m.metadata.length > HARD_TEXT_LIMIT) throw govErrors.metadataTooLong();
    },
    handle: (ctx, m) => vote(ctx, m.proposalId, m.voter, [{ option: m.option, weight: '1' }], m.metadata),
  });

  msgs.register({
    typeUrl: MSG_VOTE_WEIGHTED,
    request: MsgVoteWeighted,
    responseTypeUrl: `${GOV_V1}.MsgVoteWeightedResponse`,
    response: MsgVoteWeightedResponse,
    signers: (m) => [m.voter],
    validate(m) {
      addressBytes(m.voter);
      validateOptions(m.options);
      if (m.metadata.length > HARD_TEXT_LIMIT) throw govErrors.metadataTooLong();
    },
    handle: (ctx, m) => vote(ctx, m.proposalId, m.voter, m.options, m.metadata),
  });
}

/** MsgCancelProposal: only the proposer, only while open. */
function registerCancelProposal(msgs: MsgRouter, k: GovKeeper): void {
  msgs.register({
    typeUrl: MSG_CANCEL_PROPOSAL,
    request: MsgCancelProposal,
    responseTypeUrl: `${GOV_V1}.MsgCancelProposalResponse`,
    response: MsgCancelProposalResponse,
    signers: (m) => [m.proposer],
    validate(m) {
      addressBytes(m.proposer);
    },
    handle(ctx, m) {
      const p = k.mustGetProposal(ctx, m.proposalId);
      if (p.proposer !== m.proposer)
        throw govErrors.invalidProposer(`${m.proposer} is not the proposer of proposal ${m.proposalId}`);
      const open =
        p.status === ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD ||
        p.status === ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD;
      if (!open) throw govErrors.inactiveProposal(`proposal ${m.proposalId} is finished`);
      if (
        p.status === ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD &&
        timeLe(p.votingEndTime!, ctx.header.time)
      )
        throw govErrors.votingPeriodEnded(`proposal ${m.proposalId}'s voting period ended`);
      const params = k.getParams(ctx);
      k.closeProposal(
        ctx,
        p,
        p.status === ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD ? 'inactive' : 'active',
      );
      k.chargeCancelAndRefund(ctx, p.id, params);
      k.deleteVotes(ctx, p.id);
      k.deleteProposal(ctx, p.id);
      ctx.events.emit(ev.cancelProposal(p.id, m.proposer));
      ctx.events.emit(ev.messageModule(m.proposer));
      return { proposalId: p.id, canceledTime: ctx.header.time, canceledHeight: ctx.header.height };
    },
  });
}

/** The gov authority's parameter messages: MsgUpdateParams and MsgUpdateLimits. */
function registerParamsMsgs(msgs: MsgRouter, k: GovKeeper, h: ReturnType<typeof govMsgHelpers>): void {
  const { checkAuthority } = h;
  msgs.register({
    typeUrl: MSG_UPDATE_PARAMS,
    request: MsgUpdateParams,
    responseTypeUrl: `${GOV_V1}.MsgUpdateParamsResponse`,
    response: MsgUpdateParamsResponse,
    signers: (m) => [m.authority],
    validate(m) {
      addressBytes(m.authority);
    },
    handle(ctx, m) {
      checkAuthority(m.authority);
      let next: GovParams;
      try {
        next = fromSdkParams(m.params, k.getParams(ctx));
      } catch (e) {
        throw e instanceof AppError ? e : govErrors.invalidParams(e instanceof Error ? e.message : String(e));
      }
      k.setParams(ctx, next);
      return {};
    },
  });

  msgs.register({
    typeUrl: MSG_UPDATE_LIMITS,
    request: MsgUpdateLimits,
    responseTypeUrl: typeUrl(MsgUpdateLimitsResponse),
    response: MsgUpdateLimitsResponse,
    signers: (m) => [m.authority],
    validate(m) {
      addressBytes(m.authority);
    },
    handle(ctx, m) {
      checkAuthority(m.authority);
      const { authority: _, ...limits } = m;
      const next = { ...k.getParams(ctx), ...limits };
      try {
        validateGovParams(next);
      } catch (e) {
        throw govErrors.invalidParams(e instanceof Error ? e.message : String(e));
      }
      k.setParams(ctx, next);
      return {};
    },
  });
}

export function registerGovMsgs(msgs: MsgRouter, k: GovKeeper): void {
  const h = govMsgHelpers(k);
  registerSubmitProposal(msgs, k);
  registerDepositAndVotes(msgs, k, h);
  registerCancelProposal(msgs, k);
  registerParamsMsgs(msgs, k, h);
}
