// x/governance keeper: proposals, deposits (escrowed in the `gov_deposits` module account, apart
// from the `gov` account a passed proposal acts as), votes, the two end-time queues, params and the
// constitution. The end blocker (abci.ts) and the message server
// drive it; it never imports another module's keeper, only the interfaces in expectedKeepers.ts.
import { Deposit, Proposal, ProposalStatus, type TallyResult, Vote } from 'cosmjs-types/cosmos/gov/v1/gov';
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import { addressBytes } from '../../app/runtime/address.js';
import { bookkeeping } from '../../app/runtime/bookkeeping.js';
import { addCoins, type Coins, coinsString, parseCoins, toWire } from '../../app/runtime/coins.js';
import type { Context } from '../../app/runtime/context.js';
import { mulCeil, mulFloor } from '../../app/runtime/decimal.js';
import { prefixEnd } from '../../app/runtime/keys.js';
import type { MsgRouter } from '../../app/runtime/router.js';
import type { StoreKey } from '../../app/runtime/storeKey.js';
import { Params as ParamsProto } from '../../proto/gen/gonka/governance/v1/params.js';
import { govErrors } from './errors.js';
import * as ev from './events.js';
import type { GovAuthKeeper, GovBankKeeper, WeightKeeper } from './expectedKeepers.js';
import {
  ACTIVE_QUEUE_PREFIX,
  CONSTITUTION_KEY,
  DEPOSIT_PREFIX,
  depositKey,
  depositsPrefix,
  GOV_DEPOSITS_MODULE,
  GOV_MODULE,
  INACTIVE_QUEUE_PREFIX,
  NEXT_PROPOSAL_ID_KEY,
  OPEN_COUNT_KEY,
  PARAMS_KEY,
  PROPOSAL_PREFIX,
  proposalKey,
  QUEUE_VALUE,
  queueDueEnd,
  queueKey,
  queueKeyId,
  readU64,
  STORE,
  u64,
  VOTE_PREFIX,
  voteKey,
  votesPrefix,
} from './keys.js';
import { defaultGovParams, type GovParams, govParamsFromProto, govParamsToProto } from './params.js';
import { countVotes, emptyTally, type Tally } from './tally.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

export const addSeconds = (t: Timestamp, s: bigint): Timestamp => ({
  seconds: t.seconds + s,
  nanos: t.nanos,
});
export const timeLe = (a: Timestamp, b: Timestamp) =>
  a.seconds < b.seconds || (a.seconds === b.seconds && a.nanos <= b.nanos);

export const tallyToProto = (t: Tally): TallyResult => ({
  yesCount: t.yes.toString(),
  abstainCount: t.abstain.toString(),
  noCount: t.no.toString(),
  noWithVetoCount: t.veto.toString(),
});

export class GovKeeper {
  /** Set when the module registers its services (the router exists once BaseApp does). */
  router?: MsgRouter;

  constructor(
    private readonly key: StoreKey,
    // Private: no keeper hands out another keeper.
    private readonly auth: GovAuthKeeper,
    private readonly bank: GovBankKeeper,
    private readonly weightSource: () => WeightKeeper,
  ) {}

  private get weights(): WeightKeeper {
    return this.weightSource();
  }

  /** The address's current PoC weight (its voting power; 0 for non-participants). */
  weightOf(ctx: Context, address: string): bigint {
    return this.weights.weightOf(ctx, address);
  }

  /** Σ of every participant's current weight (the quorum's denominator). */
  totalWeight(ctx: Context): bigint {
    return this.weights.totalWeight(ctx);
  }

  /** Genesis: both accounts exist from the start. */
  ensureModuleAccounts(ctx: Context): void {
    this.auth.ensureModuleAccount(ctx, GOV_MODULE);
    this.auth.ensureModuleAccount(ctx, GOV_DEPOSITS_MODULE);
  }

  /** The governance module account: the authority of every MsgUpdateParams. */
  authority(): string {
    return this.auth.moduleAddress(GOV_MODULE);
  }

  /** The account escrowing deposits: no proposal can act as it. */
  depositsAddress(): string {
    return this.auth.moduleAddress(GOV_DEPOSITS_MODULE);
  }

  // ---- params and constitution ------------------------------------------------------------------

  getParams(ctx: Context): GovParams {
    const raw = ctx.kv(this.key).get(PARAMS_KEY);
    return raw ? govParamsFromProto(ParamsProto.decode(raw)) : defaultGovParams();
  }

  setParams(ctx: Context, p: GovParams): void {
    // gonka.governance.v1.Params, canonically encoded (fields in number order, defaults omitted).
    ctx.kv(this.key).set(PARAMS_KEY, ParamsProto.encode(govParamsToProto(p)).finish());
  }

  getConstitution(ctx: Context): string {
    const raw = ctx.kv(this.key).get(CONSTITUTION_KEY);
    return raw ? dec.decode(raw) : '';
  }

  setConstitution(ctx: Context, text: string): void {
    if (text === '') ctx.kv(this.key).delete(CONSTITUTION_KEY);
    else ctx.kv(this.key).set(CONSTITUTION_KEY, enc.encode(text));
  }

  // ---- proposals -----------------------------------------------------------------------------------

  nextProposalId(ctx: Context): bigint {
    const raw = ctx.kv(this.key).get(NEXT_PROPOSAL_ID_KEY);
    return raw ? readU64(raw) : 1n;
  }

  setNextProposalId(ctx: Context, id: bigint): void {
    ctx.kv(this.key).set(NEXT_PROPOSAL_ID_KEY, u64(id));
  }

  getProposal(ctx: Context, id: bigint): Proposal | undefined {
    const raw = ctx.kv(this.key).get(proposalKey(id));
    return raw ? Proposal.decode(raw) : undefined;
  }

  mustGetProposal(ctx: Context, id: bigint): Proposal {
    const p = this.getProposal(ctx, id);
    if (!p) throw govErrors.unknownProposal(`proposal ${id} doesn't exist`);
    return p;
  }

  setProposal(ctx: Context, p: Proposal): void {
    ctx.kv(this.key).set(proposalKey(p.id), Proposal.encode(p).finish());
  }

  *iterateProposals(ctx: Context, startKey?: Uint8Array): Generator<[Uint8Array, Proposal]> {
    for (const [k, v] of ctx.kv(this.key).iterator(startKey ?? PROPOSAL_PREFIX, prefixEnd(PROPOSAL_PREFIX)))
      yield [k, Proposal.decode(v)];
  }

  openCount(ctx: Context): bigint {
    const raw = ctx.kv(this.key).get(OPEN_COUNT_KEY);
    return raw ? readU64(raw) : 0n;
  }

  private setOpenCount(ctx: Context, n: bigint): void {
    if (n === 0n) ctx.kv(this.key).delete(OPEN_COUNT_KEY);
    else ctx.kv(this.key).set(OPEN_COUNT_KEY, u64(n));
  }

  /** Stores a new proposal in its deposit period; the caller validated its content. */
  submitProposal(
    ctx: Context,
    fields: Pick<Proposal, 'messages' | 'metadata' | 'title' | 'summary' | 'proposer' | 'expedited'>,
  ): Proposal {
    const params = this.getParams(ctx);
    const open = this.openCount(ctx);
    if (open >= params.maxOpenProposals)
      throw govErrors.tooManyOpenProposals(
        `${open} proposals are open (max_open_proposals ${params.maxOpenProposals})`,
      );
    const id = this.nextProposalId(ctx);
    this.setNextProposalId(ctx, id + 1n);
    const now = ctx.header.time;
    const p = Proposal.fromPartial({
      ...fields,
      id,
      status: ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD,
      finalTallyResult: tallyToProto(emptyTally()),
      submitTime: now,
      depositEndTime: addSeconds(now, params.maxDepositPeriodSeconds),
      totalDeposit: [],
    });
    this.setProposal(ctx, p);
    ctx.kv(this.key).set(queueKey(INACTIVE_QUEUE_PREFIX, p.depositEndTime!, id), QUEUE_VALUE);
    this.setOpenCount(ctx, open + 1n);
    ctx.events.emit(
      ev.submitProposal(
        id,
        p.messages.map((m) => m.typeUrl),
      ),
    );
    return p;
  }

  minDepositFor(params: GovParams, p: Proposal): Coins[] {
    return p.expedited ? params.expeditedMinDeposit : params.minDeposit;
  }

  /** Moves the proposal from its deposit period into voting. */
  activateVoting(ctx: Context, p: Proposal): void {
    const params = this.getParams(ctx);
    const now = ctx.header.time;
    ctx.kv(this.key).delete(queueKey(INACTIVE_QUEUE_PREFIX, p.depositEndTime!, p.id));
    p.status = ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD;
    p.votingStartTime = now;
    p.votingEndTime = addSeconds(
      now,
      p.expedited ? params.expeditedVotingPeriodSeconds : params.votingPeriodSeconds,
    );
    this.setProposal(ctx, p);
    ctx.kv(this.key).set(queueKey(ACTIVE_QUEUE_PREFIX, p.votingEndTime, p.id), QUEUE_VALUE);
    ctx.events.emit(ev.votingPeriodStart(p.id));
  }

  /** Ends a proposal's life: takes it off its queue and the open count. */
  closeProposal(ctx: Context, p: Proposal, queue: 'inactive' | 'active'): void {
    const key =
      queue === 'inactive'
        ? queueKey(INACTIVE_QUEUE_PREFIX, p.depositEndTime!, p.id)
        : queueKey(ACTIVE_QUEUE_PREFIX, p.votingEndTime!, p.id);
    ctx.kv(this.key).delete(key);
    this.setOpenCount(ctx, this.openCount(ctx) - 1n);
  }

  /** Moves an expedited proposal that missed its threshold onto the regular voting period. */
  requeueAsRegular(ctx: Context, p: Proposal): void {
    const params = this.getParams(ctx);
    ctx.kv(this.key).delete(queueKey(ACTIVE_QUEUE_PREFIX, p.votingEndTime!, p.id));
    p.expedited = false;
    p.votingEndTime = addSeconds(p.votingStartTime!, params.votingPeriodSeconds);
    this.setProposal(ctx, p);
    ctx.kv(this.key).set(queueKey(ACTIVE_QUEUE_PREFIX, p.votingEndTime, p.id), QUEUE_VALUE);
  }

  deleteProposal(ctx: Context, id: bigint): void {
    ctx.kv(this.key).delete(proposalKey(id));
  }

  /** Ids whose queue end time is ≤ now, in (end time, id) order. */
  dueIds(ctx: Context, queue: 'inactive' | 'active'): bigint[] {
    const prefix = queue === 'inactive' ? INACTIVE_QUEUE_PREFIX : ACTIVE_QUEUE_PREFIX;
    const ids: bigint[] = [];
    for (const [k] of ctx.kv(this.key).iterator(prefix, queueDueEnd(prefix, ctx.header.time)))
      ids.push(queueKeyId(k));
    return ids;
  }

  // ---- deposits -------------------------------------------------------------------------------------

  getDeposit(ctx: Context, id: bigint, depositor: string): Deposit | undefined {
    const raw = ctx.kv(this.key).get(depositKey(id, addressBytes(depositor)));
    return raw ? Deposit.decode(raw) : undefined;
  }

  *iterateDeposits(ctx: Context, id: bigint, startKey?: Uint8Array): Generator<[Uint8Array, Deposit]> {
    const prefix = depositsPrefix(id);
    for (const [k, v] of ctx.kv(this.key).iterator(startKey ?? prefix, prefixEnd(prefix)))
      yield [k, Deposit.decode(v)];
  }

  *iterateAllDeposits(ctx: Context): Generator<Deposit> {
    for (const [, v] of ctx.kv(this.key).iterator(DEPOSIT_PREFIX, prefixEnd(DEPOSIT_PREFIX)))
      yield Deposit.decode(v);
  }

  setDeposit(ctx: Context, d: Deposit): void {
    ctx.kv(this.key).set(depositKey(d.proposalId, addressBytes(d.depositor)), Deposit.encode(d).finish());
  }

  /**
   * Escrows coins for a proposal in its deposit or voting period; starts voting when the total
   * reaches the minimum. Returns whether voting started.
   */
  addDeposit(ctx: Context, p: Proposal, depositor: string, coins: Coins[]): boolean {
    const params = this.getParams(ctx);
    const allowed = new Set(this.minDepositFor(params, p).map((c) => c.denom));
    for (const c of coins)
      if (!allowed.has(c.denom))
        throw govErrors.invalidDepositDenom(
          `deposited ${coinsString(coins)}, but gov accepts only ${[...allowed].join(', ')}`,
        );
    this.bank.sendCoinsToModule(ctx, depositor, GOV_DEPOSITS_MODULE, coins);
    const prev = this.getDeposit(ctx, p.id, depositor);
    const merged = addCoins([prev ? parseCoins(prev.amount) : [], coins]);
    this.setDeposit(ctx, { proposalId: p.id, depositor, amount: toWire(merged) });
    const total = addCoins([parseCoins(p.totalDeposit, true), coins]);
    p.totalDeposit = toWire(total);
    this.setProposal(ctx, p);
    ctx.events.emit(ev.proposalDeposit(p.id, depositor, coinsString(coins)));
    const min = this.minDepositFor(params, p);
    const reached = min.every((m) => (total.find((c) => c.denom === m.denom)?.amount ?? 0n) >= m.amount);
    if (p.status === ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD && reached) {
      this.activateVoting(ctx, p);
      return true;
    }
    return false;
  }

  /** Smallest acceptable single deposit: min_deposit × min_deposit_ratio, per denom (ceil). */
  checkMinDepositRatio(params: GovParams, p: Proposal, coins: Coins[]): void {
    if (params.minDepositRatio === 0n) return;
    const min = this.minDepositFor(params, p).map((c) => ({
      denom: c.denom,
      amount: mulCeil(c.amount, params.minDepositRatio),
    }));
    const ok = coins.some((c) => c.amount >= (min.find((m) => m.denom === c.denom)?.amount ?? 0n));
    if (!ok)
      throw govErrors.minDepositTooSmall(
        `received ${coinsString(coins)} but need at least one of the following: ${coinsString(min)}`,
      );
  }

  /**
   * End block: pays every deposit back and deletes the records. Each refund is bookkeeping on its
   * own branch: one that fails (the escrow is short, which only a bug can cause now that no
   * proposal can spend it) is a `bookkeeping_failure` event, never a halt; its coins stay in
   * gov_deposits and the record goes with the proposal.
   */
  refundDeposits(ctx: Context, id: bigint): void {
    for (const [k, d] of [...this.iterateDeposits(ctx, id)]) {
      ctx.kv(this.key).delete(k);
      bookkeeping(ctx, { module: STORE, action: 'refund', id: `${id}/${d.depositor}` }, (c) =>
        this.bank.sendCoinsFromModule(c, GOV_DEPOSITS_MODULE, d.depositor, parseCoins(d.amount)),
      );
    }
  }

  /** End block: burns every deposit (supply shrinks with the escrow) and deletes the records. */
  burnDeposits(ctx: Context, id: bigint): void {
    const all: Coins[][] = [];
    for (const [k, d] of [...this.iterateDeposits(ctx, id)]) {
      all.push(parseCoins(d.amount));
      ctx.kv(this.key).delete(k);
    }
    const total = addCoins(all);
    if (total.length > 0)
      bookkeeping(ctx, { module: STORE, action: 'burn', id: id.toString() }, (c) =>
        this.bank.burnCoins(c, GOV_DEPOSITS_MODULE, total),
      );
  }

  /** Cancel: cancel_ratio of each deposit is burned (or sent to cancel_dest); the rest is refunded. */
  chargeCancelAndRefund(ctx: Context, id: bigint, params: GovParams): void {
    const fees: Coins[][] = [];
    for (const [k, d] of [...this.iterateDeposits(ctx, id)]) {
      const coins = parseCoins(d.amount);
      const fee = coins
        .map((c) => ({ denom: c.denom, amount: mulFloor(c.amount, params.proposalCancelRatio) }))
        .filter((c) => c.amount > 0n);
      const refund = coins
        .map((c) => ({
          denom: c.denom,
          amount: c.amount - (fee.find((f) => f.denom === c.denom)?.amount ?? 0n),
        }))
        .filter((c) => c.amount > 0n);
      if (refund.length > 0) this.bank.sendCoinsFromModule(ctx, GOV_DEPOSITS_MODULE, d.depositor, refund);
      fees.push(fee);
      ctx.kv(this.key).delete(k);
    }
    const total = addCoins(fees);
    if (total.length === 0) return;
    if (params.proposalCancelDest === '') this.bank.burnCoins(ctx, GOV_DEPOSITS_MODULE, total);
    else this.bank.sendCoinsFromModule(ctx, GOV_DEPOSITS_MODULE, params.proposalCancelDest, total);
  }

  // ---- votes ------------------------------------------------------------------------------------------

  getVote(ctx: Context, id: bigint, voter: string): Vote | undefined {
    const raw = ctx.kv(this.key).get(voteKey(id, addressBytes(voter)));
    return raw ? Vote.decode(raw) : undefined;
  }

  setVote(ctx: Context, v: Vote): void {
    ctx.kv(this.key).set(voteKey(v.proposalId, addressBytes(v.voter)), Vote.encode(v).finish());
  }

  *iterateVotes(ctx: Context, id: bigint, startKey?: Uint8Array): Generator<[Uint8Array, Vote]> {
    const prefix = votesPrefix(id);
    for (const [k, v] of ctx.kv(this.key).iterator(startKey ?? prefix, prefixEnd(prefix)))
      yield [k, Vote.decode(v)];
  }

  *iterateAllVotes(ctx: Context): Generator<Vote> {
    for (const [, v] of ctx.kv(this.key).iterator(VOTE_PREFIX, prefixEnd(VOTE_PREFIX))) yield Vote.decode(v);
  }

  deleteVotes(ctx: Context, id: bigint): void {
    for (const [k] of [...this.iterateVotes(ctx, id)]) ctx.kv(this.key).delete(k);
  }

  /** The current tally of a proposal's votes by current weights (no side effects). */
  currentTally(ctx: Context, id: bigint): Tally {
    return countVotes(
      ctx,
      this.weights,
      (function* (it) {
        for (const [, v] of it) yield v;
      })(this.iterateVotes(ctx, id)),
    );
  }

  // ---- invariants -------------------------------------------------------------------------------------

  /**
   * The deposit escrow (gov_deposits) holds at least every recorded deposit (more only after a
   * refund or burn failed, which left its coins there); open count matches the queues.
   */
  invariants(ctx: Context): string[] {
    const broken: string[] = [];
    const sums = addCoins([...this.iterateAllDeposits(ctx)].map((d) => parseCoins(d.amount)));
    const escrow = this.depositsAddress();
    for (const c of sums) {
      const have = this.bank.balance(ctx, escrow, c.denom);
      if (have < c.amount)
        broken.push(`gov_deposits holds ${have}${c.denom} < deposits ${c.amount}${c.denom}`);
    }
    let open = 0n;
    for (const [, p] of this.iterateProposals(ctx)) {
      if (
        p.status === ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD ||
        p.status === ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD
      )
        open++;
    }
    if (open !== this.openCount(ctx))
      broken.push(`open proposal count ${this.openCount(ctx)} != ${open} proposals in deposit or voting`);
    return broken;
  }
}
