// x/governance events with the SDK's names and attributes (x/gov/types/events.go).
import type { Event } from 'cosmjs-types/tendermint/abci/types';
import { event } from '../../app/runtime/events.js';

export const RESULT = {
  dropped: 'proposal_dropped',
  passed: 'proposal_passed',
  rejected: 'proposal_rejected',
  failed: 'proposal_failed',
  expeditedRejected: 'expedited_proposal_rejected',
} as const;

export const submitProposal = (id: bigint, msgTypeUrls: string[]): Event =>
  event('submit_proposal', [
    ['proposal_id', id.toString()],
    ['proposal_messages', `,${msgTypeUrls.join(',')}`],
  ]);

export const votingPeriodStart = (id: bigint): Event =>
  event('submit_proposal', [['voting_period_start', id.toString()]]);

export const proposalDeposit = (id: bigint, depositor: string, amount: string): Event =>
  event('proposal_deposit', [
    ['amount', amount],
    ['proposal_id', id.toString()],
    ['depositor', depositor],
  ]);

export const proposalVote = (id: bigint, voter: string, options: string): Event =>
  event('proposal_vote', [
    ['voter', voter],
    ['option', options],
    ['proposal_id', id.toString()],
  ]);

export const cancelProposal = (id: bigint, sender: string): Event =>
  event('cancel_proposal', [
    ['sender', sender],
    ['proposal_id', id.toString()],
  ]);

export const inactiveProposal = (id: bigint, result: string): Event =>
  event('inactive_proposal', [
    ['proposal_id', id.toString()],
    ['proposal_result', result],
  ]);

export const activeProposal = (id: bigint, result: string, log?: string): Event =>
  event('active_proposal', [
    ['proposal_id', id.toString()],
    ['proposal_result', result],
    ...(log ? ([['proposal_log', log, false]] as [string, string, boolean][]) : []),
  ]);

export const messageModule = (sender: string): Event =>
  event('message', [
    ['module', 'gov'],
    ['sender', sender],
  ]);
