// Confirmation rounds in the `poc` store (keys.ts 0x0e–0x12): rounds by (epoch, round), their
// commits and votes, the results, and the running-round pointer. Every key starts with the epoch,
// so pruning with the Sprints is one range delete per prefix.
import { addressBytes } from '../../app/runtime/address.js';
import type { Context } from '../../app/runtime/context.js';
import { concat, prefixEnd, u64 } from '../../app/runtime/keys.js';
import type { StoreKey } from '../../app/runtime/storeKey.js';
import {
  ConfirmationResult,
  ConfirmationRound,
  PocCommit,
  PocVote,
} from '../../proto/gen/gonka/poc/v1/poc.js';
import {
  pageStart,
  ROUND_COMMIT_PREFIX,
  ROUND_PREFIX,
  ROUND_RESULT_PREFIX,
  ROUND_VOTE_PREFIX,
  RUNNING_ROUND_KEY,
  u32Key,
} from './keys.js';

const roundPart = (epoch: bigint, round: number) => concat(u64(epoch), u32Key(round));

export class ConfirmationStore {
  constructor(private readonly key: StoreKey) {}

  getRound(ctx: Context, epoch: bigint, round: number): ConfirmationRound | undefined {
    const raw = ctx.kv(this.key).get(concat(ROUND_PREFIX, roundPart(epoch, round)));
    return raw ? ConfirmationRound.decode(raw) : undefined;
  }

  setRound(ctx: Context, r: ConfirmationRound): void {
    ctx
      .kv(this.key)
      .set(concat(ROUND_PREFIX, roundPart(r.epoch, r.round)), ConfirmationRound.encode(r).finish());
  }

  /** Rounds of `epoch` in round order. */
  *roundsOf(ctx: Context, epoch: bigint): Generator<ConfirmationRound> {
    const prefix = concat(ROUND_PREFIX, u64(epoch));
    for (const [, v] of ctx.kv(this.key).iterator(prefix, prefixEnd(prefix)))
      yield ConfirmationRound.decode(v);
  }

  *iterateAllRounds(ctx: Context): Generator<ConfirmationRound> {
    for (const [, v] of ctx.kv(this.key).iterator(ROUND_PREFIX, prefixEnd(ROUND_PREFIX)))
      yield ConfirmationRound.decode(v);
  }

  /** The highest round number of `epoch` (0 when none). */
  lastRoundNumber(ctx: Context, epoch: bigint): number {
    const prefix = concat(ROUND_PREFIX, u64(epoch));
    let last = 0;
    for (const [k] of ctx.kv(this.key).iterator(prefix, prefixEnd(prefix)))
      last = Buffer.from(k).readUInt32BE(prefix.length);
    return last;
  }

  /** The round announced or running (at most one), if any. */
  running(ctx: Context): ConfirmationRound | undefined {
    const raw = ctx.kv(this.key).get(RUNNING_ROUND_KEY);
    if (!raw) return undefined;
    const b = Buffer.from(raw);
    return this.getRound(ctx, b.readBigUInt64BE(0), b.readUInt32BE(8));
  }

  setRunning(ctx: Context, r: ConfirmationRound | undefined): void {
    if (r) ctx.kv(this.key).set(RUNNING_ROUND_KEY, roundPart(r.epoch, r.round));
    else ctx.kv(this.key).delete(RUNNING_ROUND_KEY);
  }

  hasRunningPointer(ctx: Context): boolean {
    return ctx.kv(this.key).has(RUNNING_ROUND_KEY);
  }

  // ---- commits (round ≥ 1) ----

  private commitKey(epoch: bigint, round: number, participant: string, classId: number) {
    return concat(ROUND_COMMIT_PREFIX, roundPart(epoch, round), addressBytes(participant), u32Key(classId));
  }

  getCommit(
    ctx: Context,
    epoch: bigint,
    round: number,
    participant: string,
    classId: number,
  ): PocCommit | undefined {
    const raw = ctx.kv(this.key).get(this.commitKey(epoch, round, participant, classId));
    return raw ? PocCommit.decode(raw) : undefined;
  }

  setCommit(ctx: Context, c: PocCommit): void {
    ctx
      .kv(this.key)
      .set(this.commitKey(c.epoch, c.round, c.participant, c.classId), PocCommit.encode(c).finish());
  }

  /** Commits of one round in (participant, class) order, with raw keys (pagination). */
  *commitEntries(
    ctx: Context,
    epoch: bigint,
    round: number,
    startKey?: Uint8Array,
  ): Generator<[Uint8Array, PocCommit]> {
    const prefix = concat(ROUND_COMMIT_PREFIX, roundPart(epoch, round));
    for (const [k, v] of ctx.kv(this.key).iterator(pageStart(prefix, startKey), prefixEnd(prefix)))
      yield [k, PocCommit.decode(v)];
  }

  *iterateAllCommits(ctx: Context): Generator<PocCommit> {
    for (const [, v] of ctx.kv(this.key).iterator(ROUND_COMMIT_PREFIX, prefixEnd(ROUND_COMMIT_PREFIX)))
      yield PocCommit.decode(v);
  }

  // ---- votes (round ≥ 1) ----

  private voteKey(epoch: bigint, round: number, participant: string, classId: number, validator: string) {
    return concat(
      ROUND_VOTE_PREFIX,
      roundPart(epoch, round),
      addressBytes(participant),
      u32Key(classId),
      addressBytes(validator),
    );
  }

  hasVote(
    ctx: Context,
    epoch: bigint,
    round: number,
    participant: string,
    classId: number,
    validator: string,
  ): boolean {
    return ctx.kv(this.key).has(this.voteKey(epoch, round, participant, classId, validator));
  }

  setVote(ctx: Context, v: PocVote): void {
    ctx
      .kv(this.key)
      .set(this.voteKey(v.epoch, v.round, v.participant, v.classId, v.validator), PocVote.encode(v).finish());
  }

  /** Votes on one (round, participant, class), in validator order. */
  *votesOn(
    ctx: Context,
    epoch: bigint,
    round: number,
    participant: string,
    classId: number,
  ): Generator<PocVote> {
    const prefix = concat(
      ROUND_VOTE_PREFIX,
      roundPart(epoch, round),
      addressBytes(participant),
      u32Key(classId),
    );
    for (const [, v] of ctx.kv(this.key).iterator(prefix, prefixEnd(prefix))) yield PocVote.decode(v);
  }

  /** Votes of one round (optionally on one participant), with raw keys (pagination). */
  *voteEntries(
    ctx: Context,
    epoch: bigint,
    round: number,
    participant?: string,
    startKey?: Uint8Array,
  ): Generator<[Uint8Array, PocVote]> {
    const base = concat(ROUND_VOTE_PREFIX, roundPart(epoch, round));
    const prefix = participant ? concat(base, addressBytes(participant)) : base;
    for (const [k, v] of ctx.kv(this.key).iterator(pageStart(prefix, startKey), prefixEnd(prefix)))
      yield [k, PocVote.decode(v)];
  }

  *iterateAllVotes(ctx: Context): Generator<PocVote> {
    for (const [, v] of ctx.kv(this.key).iterator(ROUND_VOTE_PREFIX, prefixEnd(ROUND_VOTE_PREFIX)))
      yield PocVote.decode(v);
  }

  // ---- results ----

  setResult(ctx: Context, r: ConfirmationResult): void {
    ctx
      .kv(this.key)
      .set(
        concat(ROUND_RESULT_PREFIX, roundPart(r.epoch, r.round), addressBytes(r.participant)),
        ConfirmationResult.encode(r).finish(),
      );
  }

  /** Results of every round of `epoch`, in (round, participant) order. */
  *resultsOf(ctx: Context, epoch: bigint): Generator<ConfirmationResult> {
    const prefix = concat(ROUND_RESULT_PREFIX, u64(epoch));
    for (const [, v] of ctx.kv(this.key).iterator(prefix, prefixEnd(prefix)))
      yield ConfirmationResult.decode(v);
  }

  *iterateAllResults(ctx: Context): Generator<ConfirmationResult> {
    for (const [, v] of ctx.kv(this.key).iterator(ROUND_RESULT_PREFIX, prefixEnd(ROUND_RESULT_PREFIX)))
      yield ConfirmationResult.decode(v);
  }

  /** Deletes rounds, commits, votes and results of epochs below `keepFrom` (with the Sprints). */
  pruneBefore(ctx: Context, keepFrom: bigint): void {
    const kv = ctx.kv(this.key);
    for (const prefix of [ROUND_PREFIX, ROUND_COMMIT_PREFIX, ROUND_VOTE_PREFIX, ROUND_RESULT_PREFIX]) {
      const old = [...kv.iterator(prefix, concat(prefix, u64(keepFrom)))].map(([k]) => k);
      for (const k of old) kv.delete(k);
    }
  }
}
