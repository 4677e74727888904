// Governance bits the e2e tests share: genesis params for a test's time scale, the proposal ids a
// submit tx names, and one vote signed and broadcast through CosmJS.
import assert from 'node:assert/strict';
import type { DeliverTxResponse, SigningStargateClient } from '@cosmjs/stargate';
import { MsgVote } from 'cosmjs-types/cosmos/gov/v1/tx';

/** Deposit/voting periods as genesis JSON durations, e.g. '20s'. */
export interface GovPeriods {
  maxDeposit: string;
  voting: string;
  expedited: string;
}

/**
 * Genesis governance params with a min deposit of `deposit` `denom` (twice that expedited) and the
 * given periods; every other param as in `params`.
 */
export function testGovParams(
  params: Record<string, unknown>,
  denom: string,
  deposit: bigint,
  periods: GovPeriods,
): Record<string, unknown> {
  return {
    ...params,
    min_deposit: [{ denom, amount: deposit.toString() }],
    expedited_min_deposit: [{ denom, amount: (2n * deposit).toString() }],
    max_deposit_period: periods.maxDeposit,
    voting_period: periods.voting,
    expedited_voting_period: periods.expedited,
  };
}

interface TxEvents {
  events: readonly { type: string; attributes: readonly { key: string; value: string }[] }[];
}

/** Every proposal id a submit tx's submit_proposal events name, in order. */
export function proposalIdsOf(r: TxEvents): bigint[] {
  return r.events
    .filter((e) => e.type === 'submit_proposal' && e.attributes.some((a) => a.key === 'proposal_id'))
    .map((e) => BigInt(e.attributes.find((a) => a.key === 'proposal_id')!.value));
}

/** The proposal id a one-proposal submit tx names. */
export function proposalIdOf(r: TxEvents): bigint {
  const [id] = proposalIdsOf(r);
  assert.ok(id !== undefined, 'the submit tx has no submit_proposal event with a proposal_id');
  return id;
}

/** `voter` votes `option` on `proposalId` in a tx of its own (fee 'auto'); the result, unchecked. */
export function castVote(
  client: SigningStargateClient,
  voter: string,
  proposalId: bigint,
  option: number,
): Promise<DeliverTxResponse> {
  return client.signAndBroadcast(
    voter,
    [{ typeUrl: '/cosmos.gov.v1.MsgVote', value: MsgVote.fromPartial({ proposalId, voter, option }) }],
    'auto',
  );
}
