// Shared set-up for the governance tests: an in-process chain (test/integration/tx-harness) whose
// first three keys are PoC participants of unequal weight (50, 30, 20), governance with short
// periods (10 s deposit and voting, 5 s expedited; one block = 1 s of block time), and helpers to
// build gov messages and deliver txs with correct sequences.
import { createHash } from 'node:crypto';
import { VoteOption } from 'cosmjs-types/cosmos/gov/v1/gov';
import { MsgDeposit, MsgSubmitProposal, MsgVote, MsgVoteWeighted } from 'cosmjs-types/cosmos/gov/v1/tx';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import type { Event, ExecTxResult } from 'cosmjs-types/tendermint/abci/types';
import { moduleAddress } from '../../app/runtime/address.js';
import { GOV_MODULE } from '../../x/governance/keys.js';
import { accountOf, DENOM, signTx, type TestChain } from './tx-harness.js';

export const WEIGHTS = [50n, 30n, 20n];
export const GOV_ADDRESS = moduleAddress(GOV_MODULE);
export const MIN_DEPOSIT = 1000n;

export function govAppState(keys: { address: string }[]) {
  return (s: Record<string, any>) => {
    s.poc = {
      ...(s.poc ?? {}),
      participants: WEIGHTS.map((w, i) => ({
        address: keys[i]!.address,
        consensus_pubkey: createHash('sha256').update(`gov-test-validator-${i}`).digest().toString('base64'),
        weight: w.toString(),
      })),
    };
    s.governance = {
      ...(s.governance ?? {}),
      params: {
        ...(s.governance?.params ?? {}),
        min_deposit: [{ denom: DENOM, amount: MIN_DEPOSIT.toString() }],
        expedited_min_deposit: [{ denom: DENOM, amount: (2n * MIN_DEPOSIT).toString() }],
        max_deposit_period: '10s',
        voting_period: '10s',
        expedited_voting_period: '5s',
      },
    };
  };
}

export const any = (
  typeUrl: string,
  codec: { encode(m: any): { finish(): Uint8Array } },
  value: unknown,
): Any => ({ typeUrl, value: codec.encode(value).finish() });

export function submitMsg(
  proposer: string,
  messages: Any[],
  deposit: bigint,
  extra: Partial<MsgSubmitProposal> = {},
): Any {
  return any(
    '/cosmos.gov.v1.MsgSubmitProposal',
    MsgSubmitProposal,
    MsgSubmitProposal.fromPartial({
      messages,
      initialDeposit: deposit > 0n ? [{ denom: DENOM, amount: deposit.toString() }] : [],
      proposer,
      title: 'test proposal',
      summary: 'changes something',
      ...extra,
    }),
  );
}

export const voteMsg = (id: bigint, voter: string, option: VoteOption) =>
  any('/cosmos.gov.v1.MsgVote', MsgVote, MsgVote.fromPartial({ proposalId: id, voter, option }));

export const weightedMsg = (id: bigint, voter: string, options: [VoteOption, string][]) =>
  any(
    '/cosmos.gov.v1.MsgVoteWeighted',
    MsgVoteWeighted,
    MsgVoteWeighted.fromPartial({
      proposalId: id,
      voter,
      options: options.map(([option, weight]) => ({ option, weight })),
    }),
  );

export const depositMsg = (id: bigint, depositor: string, amount: bigint, denom = DENOM) =>
  any(
    '/cosmos.gov.v1.MsgDeposit',
    MsgDeposit,
    MsgDeposit.fromPartial({ proposalId: id, depositor, amount: [{ denom, amount: amount.toString() }] }),
  );

/** Signs `msgs` with key i at its current sequence and delivers them in one block. */
export async function deliver(chain: TestChain, i: number, msgs: Any[]): Promise<ExecTxResult> {
  const key = chain.keys[i]!;
  const acct = accountOf(chain, key.address);
  const tx = signTx(key, {
    msgs,
    sequence: acct.sequence,
    accountNumber: acct.accountNumber,
    gas: 2_000_000n,
  });
  const res = await chain.block([tx]);
  return res.txResults[0]!;
}

/** Runs empty blocks (1 s each) until block time has advanced by `seconds`; returns their block events. */
export async function advance(chain: TestChain, seconds: number): Promise<{ events: Event[] }> {
  const events: Event[] = [];
  for (let i = 0; i < seconds; i++) events.push(...(await chain.block([])).events);
  return { events };
}

export const {
  VOTE_OPTION_YES: YES,
  VOTE_OPTION_NO: NO,
  VOTE_OPTION_ABSTAIN: ABSTAIN,
  VOTE_OPTION_NO_WITH_VETO: VETO,
} = VoteOption;

export function proposalIdOf(r: ExecTxResult): bigint {
  const e = r.events.find(
    (x) => x.type === 'submit_proposal' && x.attributes.some((a) => a.key === 'proposal_id'),
  );
  if (!e) throw new Error(`no submit_proposal event (code ${r.code}: ${r.log})`);
  return BigInt(e.attributes.find((a) => a.key === 'proposal_id')!.value);
}
