// Golden consensus vectors, the part shared by the recorder (test/golden/record.ts) and the replay
// test (test/integration/golden-replay.test.ts): the recording's format, a fresh production app on
// a temp store driven through InitChain / FinalizeBlock / Commit, and the conversion of ABCI
// responses into the recorded (JSON) form, so recording and replay compare like with like.
// Nothing here decides what the chain does; the recorder's scenario lives in scenario.ts.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  type Event,
  type ExecTxResult,
  RequestFinalizeBlock,
  RequestInitChain,
  RequestProcessProposal,
  type ResponseFinalizeBlock,
  type ResponseInitChain,
  ResponseProcessProposal_ProposalStatus,
  ValidatorUpdate,
} from 'cosmjs-types/tendermint/abci/types';
import { ConsensusParams } from 'cosmjs-types/tendermint/types/params';
import { pino } from 'pino';
import { appStoreNames, createApp } from '../../app/app.js';
import { repoPath } from '../../app/paths.js';
import type { BaseApp } from '../../app/runtime/baseApp.js';
import { PersistentMultiStore } from '../../app/runtime/store/index.js';

export const GOLDEN_FORMAT = 'gonka-golden-consensus/1';
/** The checked-in recording (gzipped JSON; `zcat` it to read). */
export const GOLDEN_FILE = repoPath('test', 'golden', 'consensus-v1.json');
export const RERECORD_HINT =
  'consensus-visible behaviour changed; if intended this is a consensus break (new app version): ' +
  're-record with npm run golden:record';

/** [key, value] or [key, value, 1] when the attribute is indexed. */
export type AttrRecord = [string, string] | [string, string, 1];
export interface EventRecord {
  type: string;
  attributes: AttrRecord[];
}

export interface TxResultRecord {
  code: number;
  codespace: string;
  gas_wanted: string;
  gas_used: string;
  /** TxMsgData bytes, base64. */
  data: string;
  events: EventRecord[];
  /** Not compared (messages may be reworded); kept so a reader sees why a tx failed. */
  log?: string;
}

export interface BlockRecord {
  height: string;
  time: { seconds: string; nanos: number };
  /**
   * Proposals for this height that ProcessProposal rejected before this block (each a list of
   * base64 txs, proposed with this block's other fields): a replay must reject them too.
   */
  rejected_proposals?: string[][];
  /** ProcessProposal's answer for this block's txs (a committed block is normally ACCEPT). */
  process_proposal: string;
  /** The block's txs, base64, in block order. */
  txs: string[];
  /** RequestFinalizeBlock without its txs (votes, misbehavior, proposer, hash), protobuf base64. */
  request: string;
  tx_results: TxResultRecord[];
  events: EventRecord[];
  validator_updates: unknown[];
  consensus_param_updates: unknown;
  app_hash: string;
}

export interface InitRecord {
  /** RequestInitChain (chain id, genesis time, consensus params, app_state), protobuf base64. */
  request: string;
  app_hash: string;
  validators: unknown[];
  consensus_params: unknown;
}

export interface GoldenRecording {
  format: string;
  note: string;
  init_chain: InitRecord;
  blocks: BlockRecord[];
}

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

export function eventRecords(events: readonly Event[]): EventRecord[] {
  return events.map((e) => ({
    type: e.type,
    attributes: e.attributes.map((a): AttrRecord => (a.index ? [a.key, a.value, 1] : [a.key, a.value])),
  }));
}

export function txResultRecord(r: ExecTxResult, withLog: boolean): TxResultRecord {
  const out: TxResultRecord = {
    code: r.code,
    codespace: r.codespace,
    gas_wanted: r.gasWanted.toString(),
    gas_used: r.gasUsed.toString(),
    data: b64(r.data),
    events: eventRecords(r.events),
  };
  if (withLog && r.log) out.log = r.log;
  return out;
}

export function initRecord(req: RequestInitChain, res: ResponseInitChain): InitRecord {
  return {
    request: b64(RequestInitChain.encode(req).finish()),
    app_hash: Buffer.from(res.appHash).toString('hex'),
    validators: res.validators.map((v) => ValidatorUpdate.toJSON(v)),
    consensus_params: res.consensusParams ? ConsensusParams.toJSON(res.consensusParams) : null,
  };
}

export function blockRecord(
  req: RequestFinalizeBlock,
  res: ResponseFinalizeBlock,
  withLog: boolean,
  processProposal: string,
  rejected: Uint8Array[][] = [],
): BlockRecord {
  return {
    height: req.height.toString(),
    time: { seconds: req.time!.seconds.toString(), nanos: req.time!.nanos },
    ...(rejected.length > 0 ? { rejected_proposals: rejected.map((txs) => txs.map(b64)) } : {}),
    process_proposal: processProposal,
    txs: req.txs.map(b64),
    request: b64(RequestFinalizeBlock.encode({ ...req, txs: [] }).finish()),
    tx_results: res.txResults.map((r) => txResultRecord(r, withLog)),
    events: eventRecords(res.events),
    validator_updates: res.validatorUpdates.map((v) => ValidatorUpdate.toJSON(v)),
    consensus_param_updates: res.consensusParamUpdates
      ? ConsensusParams.toJSON(res.consensusParamUpdates)
      : null,
    app_hash: Buffer.from(res.appHash).toString('hex'),
  };
}

/** The RequestFinalizeBlock a block record was made from. */
export function requestOf(block: BlockRecord): RequestFinalizeBlock {
  const req = RequestFinalizeBlock.decode(Buffer.from(block.request, 'base64'));
  req.txs = block.txs.map((t) => new Uint8Array(Buffer.from(t, 'base64')));
  return req;
}

export function readRecording(path = GOLDEN_FILE): GoldenRecording {
  const raw = readFileSync(path);
  const text = path.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
  const rec = JSON.parse(text) as GoldenRecording;
  if (rec.format !== GOLDEN_FORMAT)
    throw new Error(`${path}: format ${rec.format}, expected ${GOLDEN_FORMAT}`);
  return rec;
}

/** The production app (no test fixtures) on a fresh persistent store in a temp dir. */
export class GoldenApp {
  private constructor(
    readonly app: BaseApp,
    readonly store: PersistentMultiStore,
    readonly dir: string,
  ) {}

  static async open(): Promise<GoldenApp> {
    const dir = mkdtempSync(join(tmpdir(), 'gonka-golden-'));
    const store = await PersistentMultiStore.open(dir, appStoreNames(), { keepRecent: 2 });
    return new GoldenApp(createApp(store, pino({ level: 'silent' }), 'golden'), store, dir);
  }

  initChain(req: RequestInitChain): ResponseInitChain {
    const res = this.app.initChain(req);
    this.app.setChainId(req.chainId);
    return res;
  }

  /** ProcessProposal for the block `req` describes, carrying `txs`: 'ACCEPT', 'REJECT', … */
  processProposal(req: RequestFinalizeBlock, txs: Uint8Array[]): string {
    const res = this.app.processProposal(
      RequestProcessProposal.fromPartial({
        txs,
        proposedLastCommit: req.decidedLastCommit,
        misbehavior: req.misbehavior,
        hash: req.hash,
        height: req.height,
        time: req.time,
        nextValidatorsHash: req.nextValidatorsHash,
        proposerAddress: req.proposerAddress,
      }),
    );
    return ResponseProcessProposal_ProposalStatus[res.status] ?? String(res.status);
  }

  async finalizeAndCommit(req: RequestFinalizeBlock): Promise<ResponseFinalizeBlock> {
    const res = this.app.finalizeBlock(req);
    await this.app.commit();
    return res;
  }

  async close(): Promise<void> {
    await this.store.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Path and values of the first difference between two JSON values (undefined when equal). */
export function firstDifference(
  expected: unknown,
  actual: unknown,
  path = '',
): { path: string; expected: unknown; actual: unknown } | undefined {
  if (expected === actual) return undefined;
  const isObj = (v: unknown) => typeof v === 'object' && v !== null;
  if (!isObj(expected) || !isObj(actual) || Array.isArray(expected) !== Array.isArray(actual))
    return { path, expected, actual };
  if (Array.isArray(expected) && Array.isArray(actual)) {
    const n = Math.max(expected.length, actual.length);
    for (let i = 0; i < n; i++) {
      if (i >= expected.length || i >= actual.length)
        return {
          path: `${path}[${i}]`,
          expected: expected[i] ?? '<absent>',
          actual: actual[i] ?? '<absent>',
        };
      const d = firstDifference(expected[i], actual[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  const e = expected as Record<string, unknown>;
  const a = actual as Record<string, unknown>;
  for (const k of [...new Set([...Object.keys(e), ...Object.keys(a)])]) {
    if (!(k in e) || !(k in a))
      return { path: `${path}.${k}`, expected: e[k] ?? '<absent>', actual: a[k] ?? '<absent>' };
    const d = firstDifference(e[k], a[k], `${path}.${k}`);
    if (d) return d;
  }
  return undefined;
}
