// x/collateral genesis: params, active and unbonding collateral, the jailed set and slash
// records. The epoch is x/poc's (its genesis `epoch`); the old `current_epoch` field is refused. The module account's bank balance (bank genesis runs first)
// must equal active + unbonding, so imports cannot mint or lose collateral.

import { addressBytes } from '../../app/runtime/address.js';
import type { Context } from '../../app/runtime/context.js';
import type { StoreKey } from '../../app/runtime/storeKey.js';
import { collateralErrors } from './errors.js';
import { COLLATERAL_DENOM, COLLATERAL_MODULE, type CollateralKeeper } from './keeper.js';
import { collateralParamsFromJson, collateralParamsToJson } from './params.js';
import {
  getSigningInfo,
  isMissed,
  iterateMissedBlocks,
  iterateSigningInfos,
  missedIndexes,
  setMissed,
  setSigningInfo,
} from './signingInfo.js';

export interface CollateralGenesis {
  params: ReturnType<typeof collateralParamsToJson>;
  collateral?: { participant: string; amount: string }[];
  unbonding?: { participant: string; completion_epoch: string; amount: string }[];
  jailed?: string[];
  slash_records?: { participant: string; reason: string; epoch: string }[];
  signing_infos?: {
    participant: string;
    start_height: string;
    index_offset: string;
    jailed_until: string;
    tombstoned: boolean;
    missed_blocks_counter: string;
  }[];
  /** Missed-block bitmap entries: the window index of each missed block, per participant. */
  missed_blocks?: { participant: string; index: string }[];
}

export function defaultCollateralGenesis(): CollateralGenesis {
  return { params: collateralParamsToJson(collateralParamsFromJson(undefined)) };
}

const uint = (what: string, v: unknown, positive = false): bigint => {
  if (typeof v !== 'string' || !/^\d{1,30}$/.test(v))
    throw collateralErrors.invalidGenesis(
      `${what} must be an unsigned integer string, got ${JSON.stringify(v)}`,
    );
  const n = BigInt(v);
  if (positive && n === 0n) throw collateralErrors.invalidGenesis(`${what} must be positive`);
  return n;
};

export function initCollateralGenesis(
  ctx: Context,
  keeper: CollateralKeeper,
  store: StoreKey,
  raw: unknown,
): void {
  const g = (raw ?? defaultCollateralGenesis()) as Partial<CollateralGenesis>;
  keeper.setParams(ctx, collateralParamsFromJson(g.params));
  if (raw !== null && typeof raw === 'object' && 'current_epoch' in raw)
    throw collateralErrors.invalidGenesis(
      'current_epoch is no longer part of x/collateral genesis: x/poc owns the epoch clock (set poc.epoch.epoch; remove collateral.current_epoch)',
    );
  const seen = new Set<string>();
  for (const c of g.collateral ?? []) {
    addressBytes(c.participant);
    if (seen.has(c.participant))
      throw collateralErrors.invalidGenesis(`collateral of ${c.participant} listed twice`);
    seen.add(c.participant);
    keeper.setCollateralGenesis(ctx, c.participant, uint(`collateral of ${c.participant}`, c.amount, true));
  }
  const entries = new Set<string>();
  for (const u of g.unbonding ?? []) {
    addressBytes(u.participant);
    const id = `${u.participant}@${u.completion_epoch}`;
    if (entries.has(id)) throw collateralErrors.invalidGenesis(`unbonding entry ${id} listed twice`);
    entries.add(id);
    keeper.setUnbonding(ctx, {
      participant: u.participant,
      completionEpoch: uint(`completion_epoch of ${id}`, u.completion_epoch),
      amount: uint(`unbonding amount of ${id}`, u.amount, true).toString(),
    });
  }
  for (const a of g.jailed ?? []) keeper.jail(ctx, a);
  for (const r of g.slash_records ?? [])
    keeper.setSlashRecord(
      ctx,
      r.participant,
      r.reason,
      uint(`slash record epoch of ${r.participant}`, r.epoch),
    );
  importSigningInfos(ctx, keeper, store, g);

  const held = keeper.totalHeld(ctx);
  const balance = keeper.moduleAccountBalance(ctx);
  if (held !== balance)
    throw collateralErrors.invalidGenesis(
      `collateral held (${held}${COLLATERAL_DENOM}) must equal the ${COLLATERAL_MODULE} module account balance (${balance}${COLLATERAL_DENOM})`,
    );
  if (held > 0n) keeper.ensureModuleAccount(ctx);
}

export function exportCollateralGenesis(
  ctx: Context,
  keeper: CollateralKeeper,
  store: StoreKey,
): CollateralGenesis {
  return {
    params: collateralParamsToJson(keeper.getParams(ctx)),
    collateral: [...keeper.iterateCollateral(ctx)].map((c) => ({
      participant: c.participant,
      amount: c.amount.toString(),
    })),
    unbonding: [...keeper.iterateUnbonding(ctx)].map((e) => ({
      participant: e.participant,
      completion_epoch: e.completionEpoch.toString(),
      amount: e.amount,
    })),
    jailed: keeper.jailed(ctx),
    slash_records: [...keeper.iterateSlashRecords(ctx)].map((r) => ({
      participant: r.participant,
      reason: r.reason,
      epoch: r.epoch.toString(),
    })),
    signing_infos: [...iterateSigningInfos(ctx, store)].map(([, i]) => ({
      participant: i.participant,
      start_height: i.startHeight.toString(),
      index_offset: i.indexOffset.toString(),
      jailed_until: i.jailedUntil.toString(),
      tombstoned: i.tombstoned,
      missed_blocks_counter: i.missedBlocksCounter.toString(),
    })),
    missed_blocks: [...iterateMissedBlocks(ctx, store)].map((m) => ({
      participant: m.participant,
      index: m.index.toString(),
    })),
  };
}

/** Signing infos and their bitmaps: each counter must equal its missed entries, each index < window. */
function importSigningInfos(
  ctx: Context,
  keeper: CollateralKeeper,
  store: StoreKey,
  g: Partial<CollateralGenesis>,
): void {
  const window = keeper.parsedParams(ctx).signedBlocksWindow;
  for (const i of g.signing_infos ?? []) {
    addressBytes(i.participant);
    if (getSigningInfo(ctx, store, i.participant))
      throw collateralErrors.invalidGenesis(`signing info of ${i.participant} listed twice`);
    setSigningInfo(ctx, store, {
      participant: i.participant,
      startHeight: uint(`start_height of ${i.participant}`, i.start_height),
      indexOffset: uint(`index_offset of ${i.participant}`, i.index_offset),
      jailedUntil: uint(`jailed_until of ${i.participant}`, i.jailed_until),
      tombstoned: i.tombstoned === true,
      missedBlocksCounter: uint(`missed_blocks_counter of ${i.participant}`, i.missed_blocks_counter),
    });
  }
  for (const m of g.missed_blocks ?? []) {
    const what = `missed block ${m.participant}@${m.index}`;
    if (!getSigningInfo(ctx, store, m.participant))
      throw collateralErrors.invalidGenesis(`${what}: no signing info for the participant`);
    const index = uint(what, m.index);
    if (index >= window)
      throw collateralErrors.invalidGenesis(`${what}: index is not below the window ${window}`);
    if (isMissed(ctx, store, m.participant, index))
      throw collateralErrors.invalidGenesis(`${what} listed twice`);
    setMissed(ctx, store, m.participant, index, true);
  }
  for (const [, i] of iterateSigningInfos(ctx, store))
    if (BigInt(missedIndexes(ctx, store, i.participant).length) !== i.missedBlocksCounter)
      throw collateralErrors.invalidGenesis(
        `signing info of ${i.participant}: missed_blocks_counter does not match its missed blocks`,
      );
}
