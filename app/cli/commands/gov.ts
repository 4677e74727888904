// gonkad tx gov submit-proposal|deposit|vote|cancel-proposal and gonkad query gov
// proposal|proposals|vote|votes|deposit|deposits|tally|params|constitution|authority: cosmos.gov.v1
// through CosmJS (signed with a keyring key) and ABCI queries over a node's CometBFT RPC. Hooks
// into the `tx` and `query` groups (see collateral.ts's `group`).
import { readFileSync } from 'node:fs';
import type { EncodeObject } from '@cosmjs/proto-signing';
import type { Command } from 'commander';
import { ProposalStatus, proposalStatusFromJSON, VoteOption } from 'cosmjs-types/cosmos/gov/v1/gov';
import * as q1 from 'cosmjs-types/cosmos/gov/v1/query';
import {
  MsgCancelProposal,
  MsgDeposit,
  MsgSubmitProposal,
  MsgVote,
  MsgVoteWeighted,
} from 'cosmjs-types/cosmos/gov/v1/tx';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { GOV_MODULE } from '../../../x/governance/keys.js';
import { productionModules } from '../../app.js';
import { parseCoinsString } from '../../genesisAccounts.js';
import { moduleAddress } from '../../runtime/address.js';
import { MsgRouter, QueryRouter } from '../../runtime/router.js';
import {
  abciQuery,
  checkAddress,
  group,
  json,
  nodeOption,
  signAndSend as sendTx,
  type TxOpts,
  txOptions,
} from '../chainClient.js';
import { UserError } from '../errors.js';

const fail = (e: unknown): never => {
  throw new UserError(e instanceof Error ? e.message : String(e));
};

/** Every message the chain routes, with its codec: whatever a proposal may carry, this knows. */
function appMsgRouter(): MsgRouter {
  const msgs = new MsgRouter();
  const queries = new QueryRouter();
  for (const m of productionModules()) m.registerServices?.({ msgs, queries });
  return msgs;
}

const camel = (s: string) => s.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
function camelize(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(camelize);
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [camel(k), camelize(x)]));
  return v;
}

/**
 * A proposal message from the proposal file: `{"@type": "<type url>", ...fields}` (snake_case or
 * camelCase, protobuf JSON), or `{"type_url": "...", "value": "<base64 protobuf>"}`.
 */
export function messageFromJson(router: MsgRouter, raw: unknown, i: number): Any {
  const o = raw as Record<string, unknown>;
  if (typeof o?.type_url === 'string' || typeof o?.typeUrl === 'string') {
    const typeUrl = String(o.type_url ?? o.typeUrl);
    return { typeUrl, value: Uint8Array.from(Buffer.from(String(o.value ?? ''), 'base64')) };
  }
  const typeUrl = o?.['@type'];
  if (typeof typeUrl !== 'string')
    throw new UserError(`messages[${i}] needs "@type" (a type URL) or "type_url" + "value"`);
  if (!router.has(typeUrl))
    throw new UserError(`messages[${i}]: the chain routes no message type ${typeUrl}`);
  const type = router.route(typeUrl).request as {
    fromJSON?: (x: unknown) => unknown;
    fromPartial?: (x: unknown) => unknown;
    encode(m: unknown): { finish(): Uint8Array };
  };
  const { '@type': _t, ...fields } = o;
  const value = camelize(fields);
  try {
    const msg = type.fromJSON ? type.fromJSON(value) : type.fromPartial ? type.fromPartial(value) : value;
    return { typeUrl, value: type.encode(msg).finish() };
  } catch (e) {
    throw new UserError(`messages[${i}] (${typeUrl}): ${e instanceof Error ? e.message : String(e)}`);
  }
}

const OPTIONS: Record<string, VoteOption> = {
  yes: VoteOption.VOTE_OPTION_YES,
  no: VoteOption.VOTE_OPTION_NO,
  abstain: VoteOption.VOTE_OPTION_ABSTAIN,
  no_with_veto: VoteOption.VOTE_OPTION_NO_WITH_VETO,
};

function parseOption(s: string): VoteOption {
  const o = OPTIONS[s.toLowerCase()];
  if (o === undefined)
    throw new UserError(`vote option must be yes, no, abstain or no_with_veto, got '${s}'`);
  return o;
}

function parseId(s: string): bigint {
  if (!/^\d{1,19}$/.test(s) || BigInt(s) === 0n)
    throw new UserError(`proposal id must be a positive integer, got '${s}'`);
  return BigInt(s);
}

function coins(s: string) {
  try {
    return parseCoinsString(s).map((c) => ({ denom: c.denom, amount: c.amount.toString() }));
  } catch (e) {
    return fail(e);
  }
}

/** Signs and broadcasts; a submitted proposal's id is added to the printed result. */
function signAndSend(from: string, opts: TxOpts, build: (address: string) => EncodeObject[]): Promise<void> {
  return sendTx(from, opts, build, (res) => {
    const ids = res.events.flatMap((e) =>
      e.type === 'submit_proposal'
        ? e.attributes.filter((a) => a.key === 'proposal_id').map((a) => a.value)
        : [],
    );
    return ids.length > 0 ? { proposal_ids: ids } : {};
  });
}

function registerTx(program: Command): void {
  const gov = group(program, 'tx', 'sign and broadcast transactions')
    .command('gov')
    .description('x/governance transactions (cosmos.gov.v1)');
  txOptions(
    gov
      .command('submit-proposal')
      .description(
        'submit a proposal from a JSON file: {"messages": [{"@type": "<type url>", ...}], "deposit": "1000ngonka", "title", "summary", "metadata"?, "expedited"?}',
      )
      .argument('<from>', 'name of the proposer key in the keyring')
      .argument('<proposal-file>', 'path of the proposal JSON'),
  ).action(async (from: string, file: string, opts: TxOpts) => {
    let doc: Record<string, unknown>;
    try {
      doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (e) {
      throw new UserError(`cannot read proposal file ${file}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!Array.isArray(doc.messages ?? [])) throw new UserError('"messages" must be a list');
    const router = appMsgRouter();
    const messages = ((doc.messages ?? []) as unknown[]).map((m, i) => messageFromJson(router, m, i));
    const initialDeposit = doc.deposit ? coins(String(doc.deposit)) : [];
    await signAndSend(from, opts, (proposer) => [
      {
        typeUrl: '/cosmos.gov.v1.MsgSubmitProposal',
        value: MsgSubmitProposal.fromPartial({
          messages,
          initialDeposit,
          proposer,
          title: String(doc.title ?? ''),
          summary: String(doc.summary ?? ''),
          metadata: String(doc.metadata ?? ''),
          expedited: doc.expedited === true,
        }),
      },
    ]);
  });
  txOptions(
    gov
      .command('deposit')
      .description('add a deposit to a proposal')
      .argument('<from>', 'key name')
      .argument('<proposal-id>')
      .argument('<coins>', 'e.g. 1000000ngonka'),
  ).action(async (from: string, id: string, amount: string, opts: TxOpts) => {
    const proposalId = parseId(id);
    const c = coins(amount);
    await signAndSend(from, opts, (depositor) => [
      {
        typeUrl: '/cosmos.gov.v1.MsgDeposit',
        value: MsgDeposit.fromPartial({ proposalId, depositor, amount: c }),
      },
    ]);
  });
  txOptions(
    gov
      .command('vote')
      .description('vote on a proposal: yes|no|abstain|no_with_veto, or weighted "yes=0.6,no=0.4"')
      .argument('<from>', 'key name (a participant: voting power is its PoC weight)')
      .argument('<proposal-id>')
      .argument('<option>')
      .option('--metadata <text>', 'vote metadata', ''),
  ).action(async (from: string, id: string, option: string, opts: TxOpts) => {
    const proposalId = parseId(id);
    if (option.includes('=')) {
      const options = option.split(',').map((part) => {
        const [o, w] = part.split('=');
        if (!w || !/^\d+(\.\d{1,18})?$/.test(w))
          throw new UserError(`bad weighted option '${part}' (expected option=weight)`);
        return { option: parseOption(o ?? ''), weight: w };
      });
      await signAndSend(from, opts, (voter) => [
        {
          typeUrl: '/cosmos.gov.v1.MsgVoteWeighted',
          value: MsgVoteWeighted.fromPartial({ proposalId, voter, options, metadata: opts.metadata ?? '' }),
        },
      ]);
    } else {
      const o = parseOption(option);
      await signAndSend(from, opts, (voter) => [
        {
          typeUrl: '/cosmos.gov.v1.MsgVote',
          value: MsgVote.fromPartial({ proposalId, voter, option: o, metadata: opts.metadata ?? '' }),
        },
      ]);
    }
  });
  txOptions(
    gov
      .command('cancel-proposal')
      .description("cancel one's own open proposal (proposal_cancel_ratio of the deposit is burned)")
      .argument('<from>', 'key name')
      .argument('<proposal-id>'),
  ).action(async (from: string, id: string, opts: TxOpts) => {
    const proposalId = parseId(id);
    await signAndSend(from, opts, (proposer) => [
      {
        typeUrl: '/cosmos.gov.v1.MsgCancelProposal',
        value: MsgCancelProposal.fromPartial({ proposalId, proposer }),
      },
    ]);
  });
}

function registerQuery(program: Command): void {
  const q = group(program, 'query', 'query chain state')
    .command('gov')
    .description('x/governance queries (cosmos.gov.v1)');
  const path = (m: string) => `/cosmos.gov.v1.Query/${m}`;
  const out = <T>(codec: { toJSON(m: T): unknown }, v: T) => process.stdout.write(json(codec.toJSON(v)));
  q.command('proposal')
    .description('one proposal')
    .argument('<proposal-id>')
    .option(...nodeOption)
    .action(async (id: string, o: { node: string }) => {
      out(
        q1.QueryProposalResponse,
        await abciQuery(o.node, path('Proposal'), q1.QueryProposalRequest, q1.QueryProposalResponse, {
          proposalId: parseId(id),
        }),
      );
    });
  q.command('proposals')
    .description('proposals, oldest first')
    .option('--status <status>', 'deposit_period|voting_period|passed|rejected|failed')
    .option('--voter <address>')
    .option('--depositor <address>')
    .option('--limit <n>', 'page size', '100')
    .option(...nodeOption)
    .action(
      async (o: { node: string; status?: string; voter?: string; depositor?: string; limit: string }) => {
        let proposalStatus = ProposalStatus.PROPOSAL_STATUS_UNSPECIFIED;
        if (o.status) {
          proposalStatus = proposalStatusFromJSON(`PROPOSAL_STATUS_${o.status.toUpperCase()}`);
          if (proposalStatus === ProposalStatus.UNRECOGNIZED)
            throw new UserError(`unknown --status '${o.status}'`);
        }
        if (o.voter) checkAddress(o.voter);
        if (o.depositor) checkAddress(o.depositor);
        if (!/^\d{1,4}$/.test(o.limit)) throw new UserError('--limit must be an integer up to 1000');
        const req = q1.QueryProposalsRequest.fromPartial({
          proposalStatus,
          voter: o.voter ?? '',
          depositor: o.depositor ?? '',
          pagination: { limit: BigInt(o.limit) },
        });
        out(
          q1.QueryProposalsResponse,
          await abciQuery(
            o.node,
            path('Proposals'),
            q1.QueryProposalsRequest,
            q1.QueryProposalsResponse,
            req,
          ),
        );
      },
    );
  q.command('vote')
    .description("a voter's vote on a proposal")
    .argument('<proposal-id>')
    .argument('<voter>')
    .option(...nodeOption)
    .action(async (id: string, voter: string, o: { node: string }) => {
      checkAddress(voter);
      out(
        q1.QueryVoteResponse,
        await abciQuery(o.node, path('Vote'), q1.QueryVoteRequest, q1.QueryVoteResponse, {
          proposalId: parseId(id),
          voter,
        }),
      );
    });
  q.command('votes')
    .description('votes on a proposal in its voting period')
    .argument('<proposal-id>')
    .option(...nodeOption)
    .action(async (id: string, o: { node: string }) => {
      out(
        q1.QueryVotesResponse,
        await abciQuery(
          o.node,
          path('Votes'),
          q1.QueryVotesRequest,
          q1.QueryVotesResponse,
          q1.QueryVotesRequest.fromPartial({ proposalId: parseId(id) }),
        ),
      );
    });
  q.command('deposit')
    .description("a depositor's deposit on a proposal")
    .argument('<proposal-id>')
    .argument('<depositor>')
    .option(...nodeOption)
    .action(async (id: string, depositor: string, o: { node: string }) => {
      checkAddress(depositor);
      out(
        q1.QueryDepositResponse,
        await abciQuery(o.node, path('Deposit'), q1.QueryDepositRequest, q1.QueryDepositResponse, {
          proposalId: parseId(id),
          depositor,
        }),
      );
    });
  q.command('deposits')
    .description('deposits on an open proposal')
    .argument('<proposal-id>')
    .option(...nodeOption)
    .action(async (id: string, o: { node: string }) => {
      out(
        q1.QueryDepositsResponse,
        await abciQuery(
          o.node,
          path('Deposits'),
          q1.QueryDepositsRequest,
          q1.QueryDepositsResponse,
          q1.QueryDepositsRequest.fromPartial({ proposalId: parseId(id) }),
        ),
      );
    });
  q.command('tally')
    .description('the tally by PoC weight (live while voting, final after)')
    .argument('<proposal-id>')
    .option(...nodeOption)
    .action(async (id: string, o: { node: string }) => {
      out(
        q1.QueryTallyResultResponse,
        await abciQuery(
          o.node,
          path('TallyResult'),
          q1.QueryTallyResultRequest,
          q1.QueryTallyResultResponse,
          { proposalId: parseId(id) },
        ),
      );
    });
  q.command('params')
    .description('governance params')
    .option(...nodeOption)
    .action(async (o: { node: string }) => {
      out(
        q1.QueryParamsResponse,
        await abciQuery(o.node, path('Params'), q1.QueryParamsRequest, q1.QueryParamsResponse, {
          paramsType: '',
        }),
      );
    });
  q.command('constitution')
    .description('the chain constitution')
    .option(...nodeOption)
    .action(async (o: { node: string }) => {
      out(
        q1.QueryConstitutionResponse,
        await abciQuery(
          o.node,
          path('Constitution'),
          q1.QueryConstitutionRequest,
          q1.QueryConstitutionResponse,
          {},
        ),
      );
    });
  q.command('authority')
    .description('the governance module account: the authority every MsgUpdateParams in a proposal must name')
    .option('--node <url>', 'accepted for uniformity; the address is derived locally')
    .action(() => {
      process.stdout.write(json({ authority: moduleAddress(GOV_MODULE) }));
    });
}

export function register(program: Command): void {
  registerTx(program);
  registerQuery(program);
}
