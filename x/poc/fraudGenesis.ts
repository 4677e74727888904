// Genesis JSON of the fraud records (snake_case, written only when present so an export without
// any reads as before). Each record needs its Sprint and its commit: both are exported beside it
// and pruned with it.
import { addressBytes } from '../../app/runtime/address.js';
import type { Context } from '../../app/runtime/context.js';
import type { FraudRecord } from '../../proto/gen/gonka/poc/v1/poc.js';
import { pocErrors } from './errors.js';
import { small, u } from './genesisFields.js';
import type { PocKeeper } from './keeper.js';

export interface FraudGenesis {
  fraud_records?: Record<string, unknown>[];
}

const amount = (what: string, v: unknown): string => {
  if (typeof v !== 'string' || !/^\d{1,40}$/.test(v))
    throw pocErrors.invalidGenesis(`${what} must be a decimal integer string`);
  return v;
};

export function exportFraudGenesis(ctx: Context, keeper: PocKeeper): FraudGenesis {
  const records = [...keeper.fraud.iterateAll(ctx)].map((r) => ({
    epoch: r.epoch.toString(),
    round: r.round,
    participant: r.participant,
    class_id: r.classId,
    index: r.index.toString(),
    prover: r.prover,
    height: r.height.toString(),
    slashed: r.slashed,
    reward: r.reward,
  }));
  return records.length ? { fraud_records: records } : {};
}

export function initFraudGenesis(ctx: Context, keeper: PocKeeper, g: FraudGenesis): void {
  const list = g.fraud_records ?? [];
  if (!Array.isArray(list)) throw pocErrors.invalidGenesis('fraud_records must be a list');
  for (const j of list as Record<string, unknown>[]) {
    const address = (what: string, v: unknown): string => {
      if (typeof v !== 'string') throw pocErrors.invalidGenesis(`${what} must be an address`);
      addressBytes(v);
      return v;
    };
    const r: FraudRecord = {
      epoch: u('fraud record epoch', j.epoch),
      round: small('fraud record round', j.round ?? 0),
      participant: address('fraud record participant', j.participant),
      classId: small('fraud record class_id', j.class_id),
      index: u('fraud record index', j.index),
      prover: address('fraud record prover', j.prover),
      height: u('fraud record height', j.height),
      slashed: amount('fraud record slashed', j.slashed),
      reward: amount('fraud record reward', j.reward),
    };
    if (!keeper.getParticipant(ctx, r.participant))
      throw pocErrors.invalidGenesis(`fraud record of non-participant ${r.participant}`);
    if (keeper.fraud.hasRecord(ctx, r.epoch, r.round, r.participant, r.classId))
      throw pocErrors.invalidGenesis('fraud record listed twice');
    keeper.fraud.setRecord(ctx, r);
  }
}
