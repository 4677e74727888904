// Fraud records (0x0c) and the reads a fraud proof needs: the commit it attacks — the Sprint's
// (0x08) for round 0, a confirmation round's (0x0f, written by the confirmation rounds) for
// round ≥ 1 — and that round's state (0x0e). The 0x0e/0x0f layouts are the shared contract's
// (poc-attack-contract.md), read here through these two functions only.
import { addressBytes } from '../../app/runtime/address.js';
import type { Context } from '../../app/runtime/context.js';
import { concat, prefixEnd, u64 } from '../../app/runtime/keys.js';
import type { StoreKey } from '../../app/runtime/storeKey.js';
import { ConfirmationRound, FraudRecord, PocCommit } from '../../proto/gen/gonka/poc/v1/poc.js';
import { FRAUD_RECORD_PREFIX, fraudRecordEpochPrefix, fraudRecordKey } from './keys.js';
import type { SprintStore } from './sprintStore.js';

const u32be = (n: number) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n);
  return b;
};

/** 0x0e | epoch | round → ConfirmationRound (contract key; owned by the confirmation rounds). */
const CONFIRMATION_ROUND_PREFIX = Uint8Array.of(0x0e);
/** 0x0f | epoch | round | participant | class → PocCommit of a confirmation round (contract key). */
const ROUND_COMMIT_PREFIX = Uint8Array.of(0x0f);

export class FraudStore {
  constructor(
    private readonly key: StoreKey,
    private readonly sprints: SprintStore,
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
    const from =
      startKey && Buffer.compare(Buffer.from(startKey), Buffer.from(prefix)) > 0 ? startKey : prefix;
    for (const [k, v] of ctx.kv(this.key).iterator(from, prefixEnd(prefix))) yield [k, FraudRecord.decode(v)];
  }

  *iterateAll(ctx: Context): Generator<FraudRecord> {
    for (const [, v] of ctx.kv(this.key).iterator(FRAUD_RECORD_PREFIX, prefixEnd(FRAUD_RECORD_PREFIX)))
      yield FraudRecord.decode(v);
  }

  /** Participants with a proven round-0 forgery in `epoch`'s Sprint (any class). */
  provenInSprint(ctx: Context, epoch: bigint): Set<string> {
    const out = new Set<string>();
    const prefix = concat(fraudRecordEpochPrefix(epoch), u32be(0));
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
    if (round === 0) return this.sprints.getCommit(ctx, epoch, participant, classId);
    const raw = ctx
      .kv(this.key)
      .get(concat(ROUND_COMMIT_PREFIX, u64(epoch), u32be(round), addressBytes(participant), u32be(classId)));
    return raw ? PocCommit.decode(raw) : undefined;
  }

  /** Confirmation round `round` (≥ 1) of `epoch`, if it was triggered and is still stored. */
  confirmationRound(ctx: Context, epoch: bigint, round: number): ConfirmationRound | undefined {
    const raw = ctx.kv(this.key).get(concat(CONFIRMATION_ROUND_PREFIX, u64(epoch), u32be(round)));
    return raw ? ConfirmationRound.decode(raw) : undefined;
  }
}
