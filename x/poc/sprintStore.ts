// The Sprint's state in the `poc` store: Sprints by epoch, commits, votes and weight results
// (keys.ts), and pruning: everything of epochs older than the last PRUNE_KEEP_EPOCHS Sprints is
// deleted when a new Sprint starts, so the state stays bounded.
import { addressBytes } from '../../app/runtime/address.js';
import type { Context } from '../../app/runtime/context.js';
import { concat, prefixEnd, readU64, u64 } from '../../app/runtime/keys.js';
import type { StoreKey } from '../../app/runtime/storeKey.js';
import { PocCommit, PocVote, SprintState, WeightResult } from '../../proto/gen/gonka/poc/v1/poc.js';
import {
  COMMIT_PREFIX,
  commitEpochPrefix,
  commitKey,
  FRAUD_RECORD_PREFIX,
  LATEST_SPRINT_KEY,
  pageStart,
  SPRINT_PREFIX,
  sprintKey,
  VOTE_PREFIX,
  voteClassPrefix,
  voteEpochPrefix,
  voteKey,
  voteTargetPrefix,
  WEIGHT_RESULT_PREFIX,
  weightResultEpochPrefix,
  weightResultKey,
} from './keys.js';

export class SprintStore {
  constructor(private readonly key: StoreKey) {}

  getSprint(ctx: Context, epoch: bigint): SprintState | undefined {
    const raw = ctx.kv(this.key).get(sprintKey(epoch));
    return raw ? SprintState.decode(raw) : undefined;
  }

  setSprint(ctx: Context, s: SprintState): void {
    ctx.kv(this.key).set(sprintKey(s.epoch), SprintState.encode(s).finish());
    const latest = this.latestEpoch(ctx);
    if (latest === undefined || s.epoch >= latest) ctx.kv(this.key).set(LATEST_SPRINT_KEY, u64(s.epoch));
  }

  latestEpoch(ctx: Context): bigint | undefined {
    const raw = ctx.kv(this.key).get(LATEST_SPRINT_KEY);
    return raw ? readU64(raw) : undefined;
  }

  latestSprint(ctx: Context): SprintState | undefined {
    const e = this.latestEpoch(ctx);
    return e === undefined ? undefined : this.getSprint(ctx, e);
  }

  *iterateSprints(ctx: Context): Generator<SprintState> {
    for (const [, v] of ctx.kv(this.key).iterator(SPRINT_PREFIX, prefixEnd(SPRINT_PREFIX)))
      yield SprintState.decode(v);
  }

  // ---- commits ----

  getCommit(ctx: Context, epoch: bigint, participant: string, classId: number): PocCommit | undefined {
    const raw = ctx.kv(this.key).get(commitKey(epoch, addressBytes(participant), classId));
    return raw ? PocCommit.decode(raw) : undefined;
  }

  setCommit(ctx: Context, c: PocCommit): void {
    ctx
      .kv(this.key)
      .set(commitKey(c.epoch, addressBytes(c.participant), c.classId), PocCommit.encode(c).finish());
  }

  /** Commits of `epoch` in (participant address, class) order, with raw keys (pagination). */
  *commitEntries(ctx: Context, epoch: bigint, startKey?: Uint8Array): Generator<[Uint8Array, PocCommit]> {
    const prefix = commitEpochPrefix(epoch);
    for (const [k, v] of ctx.kv(this.key).iterator(pageStart(prefix, startKey), prefixEnd(prefix)))
      yield [k, PocCommit.decode(v)];
  }

  *iterateAllCommits(ctx: Context): Generator<PocCommit> {
    for (const [, v] of ctx.kv(this.key).iterator(COMMIT_PREFIX, prefixEnd(COMMIT_PREFIX)))
      yield PocCommit.decode(v);
  }

  // ---- votes ----

  hasVote(ctx: Context, epoch: bigint, participant: string, classId: number, validator: string): boolean {
    return ctx.kv(this.key).has(voteKey(epoch, addressBytes(participant), classId, addressBytes(validator)));
  }

  setVote(ctx: Context, v: PocVote): void {
    ctx
      .kv(this.key)
      .set(
        voteKey(v.epoch, addressBytes(v.participant), v.classId, addressBytes(v.validator)),
        PocVote.encode(v).finish(),
      );
  }

  /** Votes on (epoch, participant, class), in validator address order. */
  *votesOn(ctx: Context, epoch: bigint, participant: string, classId: number): Generator<PocVote> {
    const prefix = voteClassPrefix(epoch, addressBytes(participant), classId);
    for (const [, v] of ctx.kv(this.key).iterator(prefix, prefixEnd(prefix))) yield PocVote.decode(v);
  }

  /** Votes of `epoch` (optionally on one participant), with raw keys (pagination). */
  *voteEntries(
    ctx: Context,
    epoch: bigint,
    participant?: string,
    startKey?: Uint8Array,
  ): Generator<[Uint8Array, PocVote]> {
    const prefix = participant ? voteTargetPrefix(epoch, addressBytes(participant)) : voteEpochPrefix(epoch);
    for (const [k, v] of ctx.kv(this.key).iterator(pageStart(prefix, startKey), prefixEnd(prefix)))
      yield [k, PocVote.decode(v)];
  }

  *iterateAllVotes(ctx: Context): Generator<PocVote> {
    for (const [, v] of ctx.kv(this.key).iterator(VOTE_PREFIX, prefixEnd(VOTE_PREFIX)))
      yield PocVote.decode(v);
  }

  // ---- weight results ----

  /** `participant`'s WeightResult of the Sprint deciding `epoch` (confirmation rounds' eligibility). */
  getWeightResult(ctx: Context, epoch: bigint, participant: string): WeightResult | undefined {
    const raw = ctx.kv(this.key).get(weightResultKey(epoch, addressBytes(participant)));
    return raw ? WeightResult.decode(raw) : undefined;
  }

  setWeightResult(ctx: Context, r: WeightResult): void {
    ctx
      .kv(this.key)
      .set(weightResultKey(r.epoch, addressBytes(r.participant)), WeightResult.encode(r).finish());
  }

  *weightResultEntries(
    ctx: Context,
    epoch: bigint,
    startKey?: Uint8Array,
  ): Generator<[Uint8Array, WeightResult]> {
    const prefix = weightResultEpochPrefix(epoch);
    for (const [k, v] of ctx.kv(this.key).iterator(pageStart(prefix, startKey), prefixEnd(prefix)))
      yield [k, WeightResult.decode(v)];
  }

  *iterateAllWeightResults(ctx: Context): Generator<WeightResult> {
    for (const [, v] of ctx.kv(this.key).iterator(WEIGHT_RESULT_PREFIX, prefixEnd(WEIGHT_RESULT_PREFIX)))
      yield WeightResult.decode(v);
  }

  /** Deletes sprints, commits, votes, results and fraud records of epochs below `keepFrom`. */
  pruneBefore(ctx: Context, keepFrom: bigint): void {
    const kv = ctx.kv(this.key);
    for (const prefix of [
      SPRINT_PREFIX,
      COMMIT_PREFIX,
      VOTE_PREFIX,
      WEIGHT_RESULT_PREFIX,
      FRAUD_RECORD_PREFIX,
    ]) {
      const old = [...kv.iterator(prefix, concat(prefix, u64(keepFrom)))].map(([k]) => k);
      for (const k of old) kv.delete(k);
    }
  }
}
