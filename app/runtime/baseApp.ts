// BaseApp: the ABCI 2.0 application. It owns the commit multistore, the check state and the
// module manager, and turns ABCI requests into module calls. Everything below the ABCI boundary
// is synchronous; only Commit awaits (the store's atomic disk batch).

import { TxMsgData } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import {
  CheckTxType,
  type ExecTxResult,
  ResponseProcessProposal_ProposalStatus as ProposalStatus,
  type RequestCheckTx,
  type RequestExtendVote,
  type RequestFinalizeBlock,
  type RequestInfo,
  type RequestInitChain,
  type RequestPrepareProposal,
  type RequestProcessProposal,
  type RequestQuery,
  type RequestVerifyVoteExtension,
  ResponseApplySnapshotChunk,
  ResponseApplySnapshotChunk_Result,
  ResponseCheckTx,
  ResponseCommit,
  ResponseExtendVote,
  ResponseFinalizeBlock,
  ResponseInfo,
  ResponseInitChain,
  ResponseListSnapshots,
  ResponseLoadSnapshotChunk,
  ResponseOfferSnapshot,
  ResponseOfferSnapshot_Result,
  ResponsePrepareProposal,
  ResponseProcessProposal,
  ResponseQuery,
  ResponseVerifyVoteExtension,
  ResponseVerifyVoteExtension_VerifyStatus as VerifyStatus,
} from 'cosmjs-types/tendermint/abci/types';
import type { Logger } from 'pino';
import type { AbciApplication } from '../../abci/application.js';
import { BlockGasMeter, checkTxGasWithinBlock, framedTxSize } from './blockGas.js';
import { blockMaxGas, mergeConsensusParams, recordInitialConsensusParams } from './consensus/params.js';
import { type BlockHeader, Context, type ExecMode } from './context.js';
import { errorResult, isError, sdkErrors } from './errors.js';
import { EventManager, event } from './events.js';
import { failpoint } from './failpoints.js';
import { GasMeter } from './gas.js';
import { InvariantBreach } from './invariants.js';
import { type AppModule, ModuleManager } from './module.js';
import { readonlyMultiStoreAt } from './queryStore.js';
import { MsgRouter, QueryRouter } from './router.js';
import { VersionUnavailableError } from './store/index.js';
import type { CacheMultiStore, CommitMultiStore } from './store/types.js';
import type { DecodedTx, TxFormat } from './tx.js';

export const APP_NAME = 'gonka-ts';
/** ABCI query path answering the JSON list of broken invariants at a height. */
export const INVARIANTS_QUERY = '/app/invariants';
export const APP_VERSION = 1n;
/**
 * Default gas budget of one query (node config `queryGasLimit`). Reads are charged at the store
 * wrapper with the tx gas table; 500,000 gas covers a 500-entry Accounts page or about 350
 * DenomOwners entries, a few ms on a 2-core machine (BENCHMARKS.md, query-flood), so a query never
 * holds the event loop long enough to delay a block (the flood bench's ≤ 20 ms per query).
 */
export const DEFAULT_QUERY_GAS_LIMIT = 500_000n;

/** How queries are served: node config, never consensus state. */
export interface QueryOptions {
  /** Gas budget per query (> 0); DEFAULT_QUERY_GAS_LIMIT when absent. */
  gasLimit?: bigint;
  /** Serve /app/invariants (a full state scan): only for test networks and operators who ask. */
  exposeInvariants?: boolean;
}

export interface BaseAppOptions {
  store: CommitMultiStore;
  modules: AppModule[];
  txFormats: TxFormat[];
  logger: Logger;
  /** Software version reported by Info. */
  version: string;
  /** Observability hook after each commit (metrics); never affects state. */
  onCommit?(height: number, txs: number): void;
  /** Query budget and the invariants query switch (node config). */
  query?: QueryOptions;
}

export interface TxOutcome {
  code: number;
  codespace: string;
  log: string;
  data: Uint8Array;
  gasWanted: bigint;
  gasUsed: bigint;
  events: ExecTxResult['events'];
}

export class BaseApp implements AbciApplication {
  readonly store: CommitMultiStore;
  readonly modules: ModuleManager;
  readonly msgs = new MsgRouter();
  readonly queries = new QueryRouter();
  private readonly txFormats: TxFormat[];
  private readonly log: Logger;
  private chainId = '';
  /** CheckTx's branch of the last committed state; reset at every Commit. */
  private checkState: CacheMultiStore;
  private checkHeader: BlockHeader;
  /** block.max_gas of the last committed state (what CheckTx and Simulate enforce). */
  private checkMaxGas: bigint;
  /** Tx count of the last finalized block, for the commit log line. */
  private lastBlockTxs = 0;
  /** Time of the last finalized block: CheckTx, simulations and queries after its Commit see it. */
  private lastBlockTime: BlockHeader['time'] | undefined;

  constructor(private readonly opts: BaseAppOptions) {
    this.store = opts.store;
    this.modules = new ModuleManager(opts.modules);
    this.modules.registerServices({ msgs: this.msgs, queries: this.queries });
    this.txFormats = opts.txFormats;
    this.log = opts.logger;
    this.checkState = this.store.branchAt();
    this.checkHeader = this.emptyHeader(BigInt(this.store.lastCommitInfo().version));
    this.checkMaxGas = blockMaxGas(this.checkState);
  }

  // ---- connection: query ----------------------------------------------------------------------

  info(_req: RequestInfo): ResponseInfo {
    const last = this.store.lastCommitInfo();
    return ResponseInfo.fromPartial({
      data: APP_NAME,
      version: this.opts.version,
      appVersion: APP_VERSION,
      lastBlockHeight: BigInt(last.version),
      lastBlockAppHash: last.version > 0 ? last.hash : new Uint8Array(0),
    });
  }

  query(req: RequestQuery): ResponseQuery {
    const latest = this.store.lastCommitInfo().version;
    // The asked height stays a bigint until it is known to be a committed version: as a JavaScript
    // number 2^63−1 would round to 2^63 and come back as −2^63 in the answer.
    const asked = req.height === 0n ? BigInt(latest) : req.height;
    const height = asked > 0n && asked <= BigInt(latest) ? Number(asked) : 0;
    try {
      if (asked > BigInt(latest))
        throw sdkErrors.invalidHeight(`height ${asked} is not committed yet (latest ${latest})`);
      if (asked < 0n) throw sdkErrors.invalidHeight(`height ${asked} is negative`);
      if (height <= 0) throw sdkErrors.invalidHeight('no committed state yet');
      const storeMatch = /^\/store\/([^/]+)\/key$/.exec(req.path);
      if (storeMatch) return this.queryStore(storeMatch[1]!, req, height);
      if (req.path === INVARIANTS_QUERY) return this.queryInvariants(height);
      return this.queryRoute(req, height);
    } catch (caught) {
      // A pruned height is the caller's error (sdk 26), whichever store read found it.
      const e = caught instanceof VersionUnavailableError ? sdkErrors.invalidHeight(caught.message) : caught;
      const r = errorResult(e);
      if (r.code === 1)
        this.log.error({ err: e instanceof Error ? e.stack : String(e), path: req.path }, 'query failed');
      return ResponseQuery.fromPartial({
        code: r.code,
        codespace: r.codespace,
        log: r.log,
        height: BigInt(height),
      });
    }
  }

  /** `/store/<name>/key`: a raw store read at `height`, with a proof when asked. */
  private queryStore(name: string, req: RequestQuery, height: number): ResponseQuery {
    if (!this.store.storeNames().includes(name)) throw sdkErrors.unknownRequest(`no store named ${name}`);
    const r = this.store.query(name, req.data, height, req.prove);
    return ResponseQuery.fromPartial({
      key: req.data,
      value: r.value ?? new Uint8Array(0),
      height: BigInt(r.height),
      proofOps: r.proofOps ? { ops: r.proofOps } : undefined,
    });
  }

  /** INVARIANTS_QUERY (only when the node exposes it). */
  private queryInvariants(height: number): ResponseQuery {
    // Every module's invariants over the committed state at `height`: a JSON list of the broken
    // ones ([] when all hold). A full state scan, so only a node started with
    // --expose-invariants-query serves it (test networks, an operator's own node).
    if (!this.opts.query?.exposeInvariants)
      throw sdkErrors.unauthorized(
        `${INVARIANTS_QUERY} is disabled on this node (it scans the whole state); start the node with --expose-invariants-query to serve it`,
      );
    const ctx = new Context(
      'query',
      this.emptyHeader(BigInt(height)),
      readonlyMultiStoreAt(this.store, height),
      this.modules.stores,
    );
    const broken = this.modules.invariants(ctx);
    return ResponseQuery.fromPartial({
      value: new TextEncoder().encode(JSON.stringify(broken)),
      height: BigInt(height),
    });
  }

  /** A registered gRPC-style query path, run under the node's query gas budget. */
  private queryRoute(req: RequestQuery, height: number): ResponseQuery {
    const route = this.queries.route(req.path);
    if (!route) throw sdkErrors.unknownRequest(`unknown query path ${req.path}`);
    // Every store read is charged to a meter limited by the node's query budget, so no query
    // (count_total, offset, a long prefix) can hold the single event loop for long.
    const budget = this.opts.query?.gasLimit ?? DEFAULT_QUERY_GAS_LIMIT;
    const ctx = new Context(
      'query',
      this.emptyHeader(BigInt(height)),
      readonlyMultiStoreAt(this.store, height),
      this.modules.stores,
      new GasMeter(budget),
    );
    const request = decodeOrThrow(route.request, req.data, req.path);
    let response: unknown;
    try {
      response = route.handle(ctx, request);
    } catch (e) {
      if (isError(e, 'sdk', 11))
        throw sdkErrors.outOfGas(
          `query ${req.path} needs more than this node's query gas budget of ${budget} (node config queryGasLimit); narrow it: a smaller pagination.limit, pagination.key (next_key) instead of offset, no count_total on an unindexed list`,
        );
      throw e;
    }
    return ResponseQuery.fromPartial({
      value: route.response.encode(response).finish(),
      height: BigInt(height),
    });
  }

  // ---- connection: mempool ---------------------------------------------------------------------

  checkTx(req: RequestCheckTx): ResponseCheckTx {
    const mode: ExecMode = req.type === CheckTxType.RECHECK ? 'recheck' : 'check';
    const ctx = this.txContext(mode, this.checkHeader, this.checkState, this.checkMaxGas);
    const out = this.runTx(ctx, req.tx);
    return ResponseCheckTx.fromPartial({
      code: out.code,
      codespace: out.codespace,
      log: out.log,
      gasWanted: out.gasWanted,
      gasUsed: out.gasUsed,
      events: out.events,
    });
  }

  /** Runs a tx against a branch of the check state without keeping anything (gas estimation). */
  simulate(txBytes: Uint8Array): TxOutcome {
    const ctx = this.txContext('simulate', this.checkHeader, this.checkState.branch(), this.checkMaxGas);
    return this.runTx(ctx, txBytes);
  }

  // ---- connection: consensus -------------------------------------------------------------------

  initChain(req: RequestInitChain): ResponseInitChain {
    if (req.initialHeight !== 1n)
      throw new Error(`initial_height ${req.initialHeight} is not supported (must be 1)`);
    if (this.store.lastCommitInfo().version !== 0)
      throw new Error('InitChain on a store that already has commits');
    this.chainId = req.chainId;
    const text = new TextDecoder().decode(req.appStateBytes);
    const appState = (text.trim() === '' ? {} : JSON.parse(text)) as Record<string, unknown>;
    const header: BlockHeader = { ...this.emptyHeader(0n), chainId: req.chainId, time: req.time };
    const branch = this.store.branch();
    const ctx = new Context('genesis', header, branch, this.modules.stores);
    this.modules.initGenesis(ctx, appState);
    // The params CometBFT starts with (a genesis update replaces sections of them), so block 1 is
    // held to the same block.max_gas as CometBFT holds it to.
    recordInitialConsensusParams(
      branch,
      mergeConsensusParams(req.consensusParams, ctx.effects.consensusParamUpdates),
    );
    branch.write();
    this.checkState = this.store.branchAt();
    this.checkHeader = header;
    this.checkMaxGas = blockMaxGas(this.checkState);
    return ResponseInitChain.fromPartial({
      appHash: this.store.workingHash(),
      validators: ctx.effects.validatorUpdates?.map(toValidatorUpdate) ?? [],
      consensusParams: ctx.effects.consensusParamUpdates,
    });
  }

  prepareProposal(req: RequestPrepareProposal): ResponsePrepareProposal {
    const state = this.store.branchAt();
    const ctx = this.txContext(
      'prepare',
      this.headerFrom(req.height, req.time, new Uint8Array(0), req.proposerAddress),
      state,
      blockMaxGas(state),
    );
    // Modules may rewrite the list (inject txs); whatever they return is then cut to what CometBFT
    // accepts: Σ framed size ≤ max_tx_bytes (its Txs.Validate, else CometBFT fails the proposal)
    // and Σ gas_wanted ≤ block.max_gas (else ProcessProposal rejects it). A tx that does not fit is
    // left out and later, smaller ones still considered.
    const txs = this.modules.prepareProposal(ctx, req);
    const blockGas = new BlockGasMeter(ctx.blockMaxGas);
    let bytes = 0n;
    const kept: Uint8Array[] = [];
    for (const tx of txs) {
      const size = framedTxSize(tx.length);
      if (bytes + size > req.maxTxBytes) continue;
      const gasWanted = ctx.blockMaxGas > 0n ? this.gasWantedOf(ctx, tx) : 0n;
      if (!blockGas.fits(gasWanted)) continue;
      blockGas.consume(gasWanted);
      bytes += size;
      kept.push(tx);
    }
    return ResponsePrepareProposal.fromPartial({ txs: kept });
  }

  processProposal(req: RequestProcessProposal): ResponseProcessProposal {
    const state = this.store.branchAt();
    const ctx = this.txContext(
      'process',
      this.headerFrom(req.height, req.time, req.hash, req.proposerAddress),
      state,
      blockMaxGas(state),
    );
    // Never reject a block because a user tx would fail; only block-level rules (Σ gas_wanted of
    // the decodable txs ≤ block.max_gas, as the SDK checks it) and module rules can reject.
    const ok = this.withinBlockGas(ctx, req.txs) && this.modules.processProposal(ctx, req);
    return ResponseProcessProposal.fromPartial({
      status: ok ? ProposalStatus.ACCEPT : ProposalStatus.REJECT,
    });
  }

  extendVote(req: RequestExtendVote): ResponseExtendVote {
    const ctx = new Context(
      'vote',
      this.headerFrom(req.height, req.time, req.hash, req.proposerAddress),
      this.store.branchAt(),
      this.modules.stores,
    );
    return ResponseExtendVote.fromPartial({ voteExtension: this.modules.extendVote(ctx, req) });
  }

  verifyVoteExtension(req: RequestVerifyVoteExtension): ResponseVerifyVoteExtension {
    const ctx = new Context(
      'vote',
      this.headerFrom(req.height, { seconds: 0n, nanos: 0 }, req.hash, new Uint8Array(0)),
      this.store.branchAt(),
      this.modules.stores,
    );
    const ok = this.modules.verifyVoteExtension(ctx, req);
    return ResponseVerifyVoteExtension.fromPartial({
      status: ok ? VerifyStatus.ACCEPT : VerifyStatus.REJECT,
    });
  }

  finalizeBlock(req: RequestFinalizeBlock): ResponseFinalizeBlock {
    const expected = BigInt(this.store.lastCommitInfo().version) + 1n;
    if (req.height !== expected)
      throw new Error(`FinalizeBlock for height ${req.height}, expected ${expected}`);
    const header: BlockHeader = {
      ...this.headerFrom(req.height, req.time, req.hash, req.proposerAddress),
      consensusInfo: { misbehavior: req.misbehavior, lastCommitVotes: req.decidedLastCommit?.votes ?? [] },
    };
    const block = this.store.branch();
    const blockCtx = this.txContext('finalize', header, block, blockMaxGas(block));
    const blockGas = new BlockGasMeter(blockCtx.blockMaxGas);
    this.loudOnBreach(() => this.modules.beginBlock(blockCtx));
    this.lastBlockTxs = req.txs.length;
    this.lastBlockTime = header.time;
    const txResults = req.txs.map((tx) => {
      const out = this.runTx(blockCtx.withGasMeter(new GasMeter()), tx, blockGas);
      return {
        code: out.code,
        codespace: out.codespace,
        log: out.log,
        data: out.data,
        gasWanted: out.gasWanted,
        gasUsed: out.gasUsed,
        events: out.events,
        info: '',
      };
    });
    this.loudOnBreach(() => this.modules.endBlock(blockCtx));
    block.write();
    const appHash = this.store.workingHash();
    return ResponseFinalizeBlock.fromPartial({
      events: blockCtx.events.events(),
      txResults,
      validatorUpdates: blockCtx.effects.validatorUpdates?.map(toValidatorUpdate) ?? [],
      consensusParamUpdates: blockCtx.effects.consensusParamUpdates,
      appHash,
    });
  }

  async commit(): Promise<ResponseCommit> {
    failpoint('before-commit');
    const info = await this.store.commit();
    this.checkState = this.store.branchAt();
    // The committed block's time, not the genesis time (or 0 after a restart) it kept before: a
    // module that reads the block time in CheckTx (x/inference's signed-request window) refused
    // fresh requests once the chain had run longer than the window.
    this.checkHeader = {
      ...this.checkHeader,
      height: BigInt(info.version),
      time: this.lastBlockTime ?? this.checkHeader.time,
    };
    this.checkMaxGas = blockMaxGas(this.checkState);
    // One line per block, so a person watching the devnet sees it advance.
    this.opts.onCommit?.(info.version, this.lastBlockTxs);
    this.log.info(
      { height: info.version, txs: this.lastBlockTxs, appHash: Buffer.from(info.hash).toString('hex') },
      'committed',
    );
    return ResponseCommit.fromPartial({ retainHeight: 0n });
  }

  // ---- connection: snapshot (state sync comes in a later issue: no snapshots offered) -----------

  listSnapshots(): ResponseListSnapshots {
    return ResponseListSnapshots.fromPartial({ snapshots: [] });
  }
  offerSnapshot(): ResponseOfferSnapshot {
    return ResponseOfferSnapshot.fromPartial({ result: ResponseOfferSnapshot_Result.REJECT });
  }
  loadSnapshotChunk(): ResponseLoadSnapshotChunk {
    return ResponseLoadSnapshotChunk.fromPartial({ chunk: new Uint8Array(0) });
  }
  applySnapshotChunk(): ResponseApplySnapshotChunk {
    return ResponseApplySnapshotChunk.fromPartial({ result: ResponseApplySnapshotChunk_Result.ABORT });
  }

  // ---- tx execution ------------------------------------------------------------------------------

  /**
   * Precheck (size, before any decoding) → decode → message checks, gas limit ≤ block.max_gas
   * (sdk 41) → FinalizeBlock only: reserve gas_wanted on the block gas meter (sdk 11, nothing
   * runs) → ante (own branch, kept even if messages fail) → messages (own branch, written only if
   * all succeed). CheckTx stops after the ante handler, as the Cosmos SDK does.
   */
  runTx(ctx: Context, txBytes: Uint8Array, blockGas?: BlockGasMeter): TxOutcome {
    const fail = (e: unknown, gasWanted: bigint, gasUsed: bigint) => this.failedTx(e, gasWanted, gasUsed);
    const format = this.txFormats.find((f) => f.matches(txBytes));
    if (!format) return fail(sdkErrors.txDecode('unknown tx format'), 0n, 0n);
    let tx: DecodedTx;
    try {
      format.precheck?.(ctx, txBytes);
      tx = format.decode(txBytes);
    } catch (e) {
      return fail(e, 0n, 0n);
    }
    const meter = ctx.mode === 'simulate' ? new GasMeter() : new GasMeter(tx.gasLimit);
    const anteBranch = ctx.branch(meter);
    const anteCtx = anteBranch.ctx;
    try {
      for (const any of tx.msgs) {
        const { route, msg } = this.msgs.decodeAny(any);
        route.validate?.(msg);
      }
      checkTxGasWithinBlock(tx.gasLimit, ctx.blockMaxGas);
      blockGas?.consume(tx.gasLimit);
      format.ante(anteCtx, tx, txBytes);
    } catch (e) {
      return fail(e, tx.gasLimit, meter.consumed());
    }
    anteBranch.write();
    const events = [...anteCtx.events.events()];
    if (ctx.mode === 'check' || ctx.mode === 'recheck') {
      return {
        code: 0,
        codespace: '',
        log: '',
        data: new Uint8Array(0),
        gasWanted: tx.gasLimit,
        gasUsed: meter.consumed(),
        events,
      };
    }
    const msgBranch = ctx.branch(meter);
    let responses: Any[];
    try {
      responses = this.runMsgs(msgBranch.ctx, meter, tx, events);
    } catch (e) {
      const out = fail(e, tx.gasLimit, meter.consumed());
      return { ...out, events }; // ante events (fee, sequence) stand: the ante branch was kept
    }
    msgBranch.write();
    const data = TxMsgData.encode(TxMsgData.fromPartial({ msgResponses: responses })).finish();
    return {
      code: 0,
      codespace: '',
      log: '',
      data,
      gasWanted: tx.gasLimit,
      gasUsed: meter.consumed(),
      events,
    };
  }

  /** A failed tx's outcome; code 1 (an internal error) is a bug and is logged as one. */
  private failedTx(e: unknown, gasWanted: bigint, gasUsed: bigint): TxOutcome {
    const r = errorResult(e);
    if (r.code === 1) this.log.error({ err: e instanceof Error ? e.stack : String(e) }, 'tx execution bug');
    return { ...r, data: new Uint8Array(0), gasWanted, gasUsed, events: [] };
  }

  /**
   * Runs a tx's messages in order on the message branch (one context per message, its events
   * tagged with msg_index and appended to `events`); returns their responses. Throws on the first
   * failure.
   */
  private runMsgs(branchCtx: Context, meter: GasMeter, tx: DecodedTx, events: TxOutcome['events']): Any[] {
    const responses: Any[] = [];
    tx.msgs.forEach((any, index) => {
      const { route, msg } = this.msgs.decodeAny(any);
      const msgCtx = branchCtx.withGasMeter(meter);
      const res = route.handle(msgCtx, msg);
      responses.push({ typeUrl: route.responseTypeUrl, value: route.response.encode(res).finish() });
      events.push(
        event('message', [
          ['action', any.typeUrl],
          ['msg_index', String(index)],
        ]),
      );
      for (const e of msgCtx.events.events()) {
        events.push({
          ...e,
          attributes: [...e.attributes, { key: 'msg_index', value: String(index), index: true }],
        });
      }
    });
    return responses;
  }

  /**
   * gas_wanted of a tx as block gas counts it: 0 for a tx no format decodes (it fails in
   * FinalizeBlock before reserving block gas, so it never makes a block too heavy).
   */
  private gasWantedOf(ctx: Context, txBytes: Uint8Array): bigint {
    const format = this.txFormats.find((f) => f.matches(txBytes));
    if (!format) return 0n;
    try {
      format.precheck?.(ctx, txBytes);
      return format.decode(txBytes).gasLimit;
    } catch {
      return 0n;
    }
  }

  /** Σ gas_wanted ≤ block.max_gas (always true without a limit; nothing decoded then). */
  private withinBlockGas(ctx: Context, txs: Uint8Array[]): boolean {
    if (ctx.blockMaxGas <= 0n) return true;
    let total = 0n;
    for (const tx of txs) {
      total += this.gasWantedOf(ctx, tx);
      if (total > ctx.blockMaxGas) return false;
    }
    return true;
  }

  /** A context for running txs or proposals: block.max_gas travels with it to ante. */
  private txContext(mode: ExecMode, header: BlockHeader, ms: CacheMultiStore, maxGas: bigint): Context {
    return new Context(mode, header, ms, this.modules.stores, new GasMeter(), new EventManager(), {}, maxGas);
  }

  /**
   * An exception escaping BeginBlock/EndBlock would halt the chain at this height on every node:
   * it is an invariant breach (DESIGN.md §3.8-9), logged loudly with the module before the
   * ABCI server reports it as fatal and the node exits.
   */
  private loudOnBreach(run: () => void): void {
    try {
      run();
    } catch (e) {
      const breach = e instanceof InvariantBreach ? e : undefined;
      this.log.fatal(
        { module: breach?.module, phase: breach?.phase, err: breach?.cause ?? e },
        breach?.message ??
          `INVARIANT BREACH in block execution: ${e instanceof Error ? e.message : String(e)}`,
      );
      throw e;
    }
  }

  /** Invariants of every module over the last committed state plus the working state. */
  checkInvariants(): string[] {
    const ctx = new Context('query', this.checkHeader, this.store.branchAt(), this.modules.stores);
    return this.modules.invariants(ctx);
  }

  /** Genesis export of the working state (equal to the last commit between blocks). */
  exportGenesis(): Record<string, unknown> {
    const ctx = new Context('query', this.checkHeader, this.store.branchAt(), this.modules.stores);
    return this.modules.exportGenesis(ctx);
  }

  private emptyHeader(height: bigint): BlockHeader {
    return {
      chainId: this.chainId,
      height,
      time: { seconds: 0n, nanos: 0 },
      hash: new Uint8Array(0),
      proposerAddress: new Uint8Array(0),
    };
  }

  private headerFrom(
    height: bigint,
    time: BlockHeader['time'],
    hash: Uint8Array,
    proposer: Uint8Array,
  ): BlockHeader {
    return { chainId: this.chainId, height, time, hash, proposerAddress: proposer };
  }

  /** The chain id is not persisted by CometBFT's Info; the node passes it in at start. */
  setChainId(chainId: string): void {
    this.chainId = chainId;
    this.checkHeader = { ...this.checkHeader, chainId };
  }
}

function decodeOrThrow<T>(codec: { decode(b: Uint8Array): T }, bytes: Uint8Array, what: string): T {
  try {
    return codec.decode(bytes);
  } catch (e) {
    throw sdkErrors.txDecode(
      `cannot decode request for ${what}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

function toValidatorUpdate(v: { pubKeyEd25519: Uint8Array; power: bigint }) {
  return { pubKey: { ed25519: v.pubKeyEd25519 }, power: v.power };
}
