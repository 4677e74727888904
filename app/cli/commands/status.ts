// gonkad status [--node URL] [--output text|json]: what an operator checks first — height and
// whether the node is catching up, peers, the epoch and its PoC stage, this node's voting power and
// whether its validator is jailed — in one screen, or as JSON for scripts. Reads CometBFT's RPC
// (status, net_info) and ABCI queries; a query the chain does not serve (an older chain without
// x/poc's Stage) degrades to what it does serve, never fails the whole command.
import type { Command } from 'commander';
import { PageRequest } from 'cosmjs-types/cosmos/base/query/v1beta1/pagination';
import { QueryJailedRequest, QueryJailedResponse } from '../../../proto/gen/gonka/collateral/v1/query.js';
import {
  QueryEpochRequest,
  QueryEpochResponse,
  QueryParticipantsRequest,
  QueryParticipantsResponse,
  QueryStageRequest,
  QueryStageResponse,
} from '../../../proto/gen/gonka/poc/v1/query.js';
import type { ProtoCodec } from '../../runtime/router.js';
import { abciQuery, json, nodeOption } from '../chainClient.js';
import { UserError } from '../errors.js';

const RPC_TIMEOUT_MS = 5_000;
/** Pages read from a list query before giving up (1,000 entries each): bounded work. */
const MAX_PAGES = 20;

export interface NodeStatus {
  node: string;
  chainId: string;
  moniker: string;
  cometVersion: string;
  height: string;
  latestBlockTime: string;
  catchingUp: boolean;
  peers: number | null;
  epoch: { epoch: string; stage: string | null; startHeight: string | null } | null;
  validator: {
    consensusAddress: string;
    power: string;
    participant: string | null;
    jailed: boolean | null;
  };
  /** What could not be read, and why (the rest is still shown). */
  unavailable: string[];
}

/** The parts of CometBFT's `status` and `net_info` results read here. */
interface CometStatus {
  node_info?: { network?: string; moniker?: string; version?: string };
  sync_info?: { latest_block_height?: string; latest_block_time?: string; catching_up?: boolean };
  validator_info?: { address?: string; voting_power?: string; pub_key?: { value?: string } };
  n_peers?: string;
}

async function rpc(node: string, method: string): Promise<CometStatus> {
  let res: Response;
  try {
    res = await fetch(`${node.replace(/\/$/, '')}/${method}`, {
      signal: AbortSignal.timeout(RPC_TIMEOUT_MS),
    });
  } catch (e) {
    throw new UserError(`cannot reach ${node}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const body = (await res.json().catch(() => undefined)) as { result?: unknown; error?: unknown } | undefined;
  if (!res.ok || !body?.result) throw new UserError(`${node}/${method}: HTTP ${res.status}`);
  return body.result as CometStatus;
}

/** Tries an ABCI query; on failure notes why and answers undefined. */
async function tryQuery<Req, Res>(
  node: string,
  path: string,
  req: ProtoCodec<Req>,
  res: ProtoCodec<Res>,
  value: Req,
  notes: string[],
): Promise<Res | undefined> {
  try {
    return await abciQuery(node, path, req, res, value);
  } catch (e) {
    notes.push(`${path}: ${e instanceof Error ? e.message.slice(0, 200) : String(e)}`);
    return undefined;
  }
}

/** Every page of a list query (bounded by MAX_PAGES). */
async function allPages<T>(
  fetchPage: (key: Uint8Array) => Promise<{ items: T[]; next?: Uint8Array } | undefined>,
) {
  const out: T[] = [];
  let key: Uint8Array = new Uint8Array(0);
  for (let i = 0; i < MAX_PAGES; i++) {
    const page = await fetchPage(key);
    if (!page) return undefined;
    out.push(...page.items);
    if (!page.next || page.next.length === 0) break;
    key = page.next;
  }
  return out;
}

export async function collectStatus(node: string): Promise<NodeStatus> {
  const s = await rpc(node, 'status');
  const notes: string[] = [];
  const peers = await rpc(node, 'net_info').then(
    (n) => Number(n.n_peers),
    (e: unknown) => {
      notes.push(`net_info: ${e instanceof Error ? e.message : String(e)}`);
      return null;
    },
  );
  const p = (m: string) => `/gonka.poc.v1.Query/${m}`;
  let epoch: NodeStatus['epoch'] = null;
  const stageNotes: string[] = [];
  const stage = await tryQuery(node, p('Stage'), QueryStageRequest, QueryStageResponse, {}, stageNotes);
  if (stage) epoch = { epoch: stage.epoch.toString(), stage: stage.stage, startHeight: null };
  else {
    const e = await tryQuery(node, p('Epoch'), QueryEpochRequest, QueryEpochResponse, {}, notes);
    if (e) epoch = { epoch: e.epoch.toString(), stage: null, startHeight: e.startHeight.toString() };
    notes.push(...stageNotes);
  }

  const pubKey: string = s.validator_info?.pub_key?.value ?? '';
  const participants = await allPages(async (key) => {
    const r = await tryQuery(
      node,
      p('Participants'),
      QueryParticipantsRequest,
      QueryParticipantsResponse,
      { pagination: PageRequest.fromPartial({ key, limit: 1000n }) },
      notes,
    );
    return r && { items: r.participants, next: r.pagination?.nextKey };
  });
  const mine = participants?.find((x) => Buffer.from(x.consensusPubkey).toString('base64') === pubKey);
  let jailed: boolean | null = null;
  if (mine) {
    const list = await allPages(async (key) => {
      const r = await tryQuery(
        node,
        '/gonka.collateral.v1.Query/Jailed',
        QueryJailedRequest,
        QueryJailedResponse,
        { pagination: PageRequest.fromPartial({ key, limit: 1000n }) },
        notes,
      );
      return r && { items: r.participants, next: r.pagination?.nextKey };
    });
    jailed = list ? list.includes(mine.address) : null;
  } else if (participants) notes.push('this node’s consensus key is not a registered participant');

  return {
    node,
    chainId: s.node_info?.network ?? '',
    moniker: s.node_info?.moniker ?? '',
    cometVersion: s.node_info?.version ?? '',
    height: String(s.sync_info?.latest_block_height ?? '0'),
    latestBlockTime: String(s.sync_info?.latest_block_time ?? ''),
    catchingUp: Boolean(s.sync_info?.catching_up),
    peers,
    epoch,
    validator: {
      consensusAddress: String(s.validator_info?.address ?? ''),
      power: String(s.validator_info?.voting_power ?? '0'),
      participant: mine?.address ?? null,
      jailed,
    },
    unavailable: notes,
  };
}

const yesNo = (b: boolean | null) => (b === null ? 'unknown' : b ? 'YES' : 'no');

/** One screen for a human. */
export function formatStatus(s: NodeStatus): string {
  const v = s.validator;
  const lines = [
    `chain      ${s.chainId}   node ${s.node}   moniker ${s.moniker}   CometBFT ${s.cometVersion}`,
    `height     ${s.height}   at ${s.latestBlockTime.replace(/\.\d+Z$/, 'Z')}   catching up: ${s.catchingUp ? 'YES' : 'no'}`,
    `peers      ${s.peers ?? 'unknown'}`,
    `epoch      ${s.epoch ? `${s.epoch.epoch}   stage: ${s.epoch.stage ?? 'unknown (no Stage query on this chain)'}` : 'unknown'}`,
    `validator  ${v.consensusAddress || '-'}   power ${v.power}${v.power === '0' ? ' (not in the active set)' : ''}`,
    `operator   ${v.participant ?? 'unknown'}   jailed: ${yesNo(v.jailed)}`,
  ];
  for (const n of s.unavailable) lines.push(`note       ${n}`);
  return `${lines.join('\n')}\n`;
}

export function register(program: Command): void {
  program
    .command('status')
    .description("a node's height, sync, peers, epoch and stage, its validator's power and jail state")
    .option(...nodeOption)
    .option('--output <format>', 'text or json', 'text')
    .action(async (o: { node: string; output: string }) => {
      if (o.output !== 'text' && o.output !== 'json') throw new UserError('--output is text or json');
      const s = await collectStatus(o.node);
      process.stdout.write(o.output === 'json' ? json(s) : formatStatus(s));
    });
}
