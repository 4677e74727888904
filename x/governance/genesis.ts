// x/governance genesis, in the shape of the SDK's cosmos.gov.v1 GenesisState (snake_case params,
// proposals/deposits/votes as their protobuf JSON). Timestamps are written as {seconds, nanos} so
// an export re-imports to exactly the same state (protobuf JSON timestamps would lose nanoseconds).
import { Deposit, Proposal, ProposalStatus, Vote } from 'cosmjs-types/cosmos/gov/v1/gov';
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import { addCoins, coinsEqual, parseCoins } from '../../app/runtime/coins.js';
import type { Context } from '../../app/runtime/context.js';
import type { StoreKey } from '../../app/runtime/storeKey.js';
import { govErrors } from './errors.js';
import type { GovKeeper } from './keeper.js';
import {
  ACTIVE_QUEUE_PREFIX,
  INACTIVE_QUEUE_PREFIX,
  OPEN_COUNT_KEY,
  QUEUE_VALUE,
  queueKey,
  u64,
} from './keys.js';
import {
  defaultGovParams,
  type GovParams,
  type GovParamsJson,
  govParamsFromJson,
  govParamsToJson,
} from './params.js';

type TimeJson = { seconds: string; nanos: number };

export interface GovGenesis {
  starting_proposal_id: string;
  params: GovParamsJson;
  constitution: string;
  proposals: unknown[];
  deposits: unknown[];
  votes: unknown[];
}

export function defaultGovGenesis(): GovGenesis {
  return {
    starting_proposal_id: '1',
    params: govParamsToJson(defaultGovParams()),
    constitution: '',
    proposals: [],
    deposits: [],
    votes: [],
  };
}

const TIME_FIELDS = ['submitTime', 'depositEndTime', 'votingStartTime', 'votingEndTime'] as const;

function proposalToJson(p: Proposal): unknown {
  const j = Proposal.toJSON(p) as Record<string, unknown>;
  for (const f of TIME_FIELDS) {
    const t = p[f];
    if (t) j[f] = { seconds: t.seconds.toString(), nanos: t.nanos } satisfies TimeJson;
    else delete j[f];
  }
  return j;
}

function proposalFromJson(raw: unknown): Proposal {
  const j = { ...(raw as Record<string, unknown>) };
  const times: Partial<Record<(typeof TIME_FIELDS)[number], Timestamp>> = {};
  for (const f of TIME_FIELDS) {
    const t = j[f] as TimeJson | undefined;
    if (t !== undefined) {
      if (
        !/^\d+$/.test(String(t.seconds)) ||
        !Number.isInteger(t.nanos) ||
        t.nanos < 0 ||
        t.nanos > 999_999_999
      )
        throw govErrors.invalidGenesis(`proposal ${String(j.id)}: bad ${f}`);
      times[f] = { seconds: BigInt(t.seconds), nanos: t.nanos };
    }
    delete j[f];
  }
  return { ...Proposal.fromJSON(j), ...times };
}

const fail = (msg: string) => govErrors.invalidGenesis(msg);

export function initGovGenesis(ctx: Context, k: GovKeeper, store: StoreKey, raw: unknown): void {
  const g = { ...defaultGovGenesis(), ...((raw ?? {}) as Partial<GovGenesis>) };
  let params: GovParams;
  try {
    params = govParamsFromJson(g.params);
  } catch (e) {
    throw fail(`params: ${e instanceof Error ? e.message : String(e)}`);
  }
  k.setParams(ctx, params);
  k.setConstitution(ctx, String(g.constitution ?? ''));
  if (!/^\d{1,19}$/.test(String(g.starting_proposal_id)) || BigInt(g.starting_proposal_id) < 1n)
    throw fail('starting_proposal_id must be a positive integer');
  const nextId = BigInt(g.starting_proposal_id);
  k.setNextProposalId(ctx, nextId);
  // Both accounts exist from genesis: gov (the authority proposals act as; it receives slashed
  // collateral) and gov_deposits (the escrow of deposits, which genesis balances must cover).
  k.ensureModuleAccounts(ctx);

  const proposals = new Map<bigint, Proposal>();
  let open = 0n;
  for (const rawP of g.proposals) {
    const p = proposalFromJson(rawP);
    if (p.id === 0n || p.id >= nextId) throw fail(`proposal id ${p.id} must be in [1, starting_proposal_id)`);
    if (proposals.has(p.id)) throw fail(`duplicate proposal ${p.id}`);
    proposals.set(p.id, p);
    k.setProposal(ctx, p);
    if (p.status === ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD) {
      if (!p.depositEndTime) throw fail(`proposal ${p.id} has no deposit_end_time`);
      ctx.kv(store).set(queueKey(INACTIVE_QUEUE_PREFIX, p.depositEndTime, p.id), QUEUE_VALUE);
      open++;
    } else if (p.status === ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD) {
      if (!p.votingEndTime || !p.votingStartTime) throw fail(`proposal ${p.id} has no voting times`);
      ctx.kv(store).set(queueKey(ACTIVE_QUEUE_PREFIX, p.votingEndTime, p.id), QUEUE_VALUE);
      open++;
    }
  }
  if (open > params.maxOpenProposals) throw fail(`${open} open proposals exceed max_open_proposals`);
  if (open > 0n) ctx.kv(store).set(OPEN_COUNT_KEY, u64(open));

  const depositSums = new Map<bigint, ReturnType<typeof parseCoins>[]>();
  for (const rawD of g.deposits) {
    const d = Deposit.fromJSON(rawD);
    const p = proposals.get(d.proposalId);
    if (!p) throw fail(`deposit for unknown proposal ${d.proposalId}`);
    if (k.getDeposit(ctx, d.proposalId, d.depositor))
      throw fail(`duplicate deposit ${d.proposalId}/${d.depositor}`);
    k.setDeposit(ctx, d);
    depositSums.set(d.proposalId, [...(depositSums.get(d.proposalId) ?? []), parseCoins(d.amount)]);
  }
  for (const p of proposals.values()) {
    const open =
      p.status === ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD ||
      p.status === ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD;
    const sum = addCoins(depositSums.get(p.id) ?? []);
    if (open && !coinsEqual(sum, parseCoins(p.totalDeposit, true)))
      throw fail(`proposal ${p.id}: deposits do not sum to total_deposit`);
  }
  for (const rawV of g.votes) {
    const v = Vote.fromJSON(rawV);
    const p = proposals.get(v.proposalId);
    if (!p || p.status !== ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD)
      throw fail(`vote for proposal ${v.proposalId}, which is not in its voting period`);
    k.setVote(ctx, v);
  }
  const broken = k.invariants(ctx);
  if (broken.length > 0) throw fail(broken.join('; '));
}

export function exportGovGenesis(ctx: Context, k: GovKeeper): GovGenesis {
  return {
    starting_proposal_id: k.nextProposalId(ctx).toString(),
    params: govParamsToJson(k.getParams(ctx)),
    constitution: k.getConstitution(ctx),
    proposals: [...k.iterateProposals(ctx)].map(([, p]) => proposalToJson(p)),
    deposits: [...k.iterateAllDeposits(ctx)].map((d) => Deposit.toJSON(d)),
    votes: [...k.iterateAllVotes(ctx)].map((v) => Vote.toJSON(v)),
  };
}

/**
 * Gives a genesis app_state the periods of a profile (devnet 30 s, fast tests 8 s) unless its
 * governance params were already changed from the mainnet-like defaults by the caller.
 */
export function applyGovProfile(appState: Record<string, unknown>, params: GovParams): void {
  appState.governance ??= defaultGovGenesis();
  const gov = appState.governance as GovGenesis;
  const dflt = JSON.stringify(govParamsToJson(defaultGovParams()));
  // Compared as written (not parsed): an invalid custom genesis is still the caller's, refused at InitChain.
  if (gov.params === undefined || JSON.stringify(gov.params) === dflt) gov.params = govParamsToJson(params);
}
