// Fraud records (0x0c) and the reads a fraud proof needs: the commit it attacks — the Sprint's
// (0x08) for round 0, a confirmation round's (0x0f, confirmationStore.ts) for round ≥ 1.
import { addressBytes } from '../../app/runtime/address.js';
import type { Context } from '../../app/runtime/context.js';
import { concat, prefixEnd } from '../../app/runtime/keys.js';
import type { StoreKey } from '../../app/runtime/storeKey.js';
import { FraudRecord, type PocCommit } from '../../proto/gen/gonka/poc/v1/poc.js';
import type { ConfirmationStore } from './confirmationStore.js';
import { FRAUD_RECORD_PREFIX, fraudRecordEpochPrefix, fraudRecordKey, pageStart, u32Key } from './keys.js';
import type { SprintStore } from './sprintStore.js';

export class FraudStore {
  constructor(
    private readonly key: StoreKey,
    private readonly sprints: SprintStore,
    private readonly rounds: ConfirmationStore,
  ) {}

  hasRecord(ctx: Context, epoch: bigint, round: number, participant: string, classId: number): boolean {
    return ctx.kv(this.key).has(fraudRecordKey(epoch, round, addressBytes(participant), classId));
  }

  setRecord(ctx: Context, r: FraudRecord): void {
    ctx
      .kv(this.key)
      .set(
        fraudRecordKey(r.epoch, r.round, addressBytes(r.participant), r.classId),
        FraudRecord.encode(r).finish(),
      );
  }

  /** Records of `epoch` in (round, participant, class) order, with raw keys (pagination). */
  *recordEntries(ctx: Context, epoch: bigint, startKey?: Uint8Array): Generator<[Uint8Array, FraudRecord]> {
    const prefix = fraudRecordEpochPrefix(epoch);
    for (const [k, v] of ctx.kv(this.key).iterator(pageStart(prefix, startKey), prefixEnd(prefix)))
      yield [k, FraudRecord.decode(v)];
  }

  *iterateAll(ctx: Context): Generator<FraudRecord> {
    for (const [, v] of ctx.kv(this.key).iterator(FRAUD_RECORD_PREFIX, prefixEnd(FRAUD_RECORD_PREFIX)))
      yield FraudRecord.decode(v);
  }

  /** Participants with a proven round-0 forgery in `epoch`'s Sprint (any class). */
  provenInSprint(ctx: Context, epoch: bigint): Set<string> {
    const out = new Set<string>();
    const prefix = concat(fraudRecordEpochPrefix(epoch), u32Key(0));
    for (const [, v] of ctx.kv(this.key).iterator(prefix, prefixEnd(prefix)))
      out.add(FraudRecord.decode(v).participant);
    return out;
  }

  /** The commit a fraud proof attacks: the Sprint's for round 0, the confirmation round's after. */
  commitFor(
    ctx: Context,
    epoch: bigint,
    round: number,
    participant: string,
    classId: number,
  ): PocCommit | undefined {
    return round === 0
      ? this.sprints.getCommit(ctx, epoch, participant, classId)
      : this.rounds.getCommit(ctx, epoch, round, participant, classId);
  }
}
