// x/collateral params (gonka.md §7 values). Decimals are fixed-point bigints with 18 fractional
// digits (app/runtime/decimal); the stored form is the canonical decimal string.

import { formatDec, parseDec } from '../../app/runtime/decimal.js';
import type { CollateralParams } from '../../proto/gonka/collateral/v1/codecs.js';
import { collateralErrors } from './errors.js';

export const ONE = parseDec('1');
/** The unbonding queue holds at most this many epochs of entries per participant. */
export const MAX_UNBONDING_PERIOD_EPOCHS = 1000n;
/** Bounds the missed-block bitmap (one key per missed block) and the work of a downtime reset. */
export const MAX_SIGNED_BLOCKS_WINDOW = 100_000n;
/** A jail lasts at most this many blocks (about a year at 1 s blocks). */
export const MAX_DOWNTIME_JAIL_BLOCKS = 40_000_000n;

/** Parsed params: the decimals as atto-units. */
export interface ParsedCollateralParams {
  unbondingPeriodEpochs: bigint;
  slashFractionInvalid: bigint;
  slashFractionDowntime: bigint;
  baseWeightRatio: bigint;
  collateralPerWeightUnit: bigint;
  gracePeriodEndEpoch: bigint;
  slashFractionDoubleSign: bigint;
  signedBlocksWindow: bigint;
  minSignedPerWindow: bigint;
  downtimeJailBlocks: bigint;
  maxEvidenceAgeBlocks: bigint;
}

/**
 * Double sign 5% and 50% signed as the SDK's x/slashing defaults; the window is the Cosmos Hub's 10,000
 * blocks rather than the SDK's 100, since test and devnet blocks are sub-second: 100 blocks would jail
 * a validator for a restart of half a minute.
 */
export const defaultCollateralParams = (): CollateralParams => ({
  unbondingPeriodEpochs: 1n,
  slashFractionInvalid: '0.2',
  slashFractionDowntime: '0.1',
  baseWeightRatio: '0.2',
  collateralPerWeightUnit: '4.2',
  gracePeriodEndEpoch: 180n,
  slashFractionDoubleSign: '0.05',
  signedBlocksWindow: 10_000n,
  minSignedPerWindow: '0.5',
  downtimeJailBlocks: 600n,
  maxEvidenceAgeBlocks: 100_000n,
});

function dec(name: string, s: string): bigint {
  try {
    return parseDec(s);
  } catch {
    throw collateralErrors.invalidParams(`${name} '${s}' is not a decimal with at most 18 fractional digits`);
  }
}

/** Validates and parses; throws collateral 5 naming the first bad field. */
export function parseCollateralParams(p: CollateralParams | undefined): ParsedCollateralParams {
  if (!p) throw collateralErrors.invalidParams('params must be set');
  const out: ParsedCollateralParams = {
    unbondingPeriodEpochs: p.unbondingPeriodEpochs,
    slashFractionInvalid: dec('slash_fraction_invalid', p.slashFractionInvalid),
    slashFractionDowntime: dec('slash_fraction_downtime', p.slashFractionDowntime),
    baseWeightRatio: dec('base_weight_ratio', p.baseWeightRatio),
    collateralPerWeightUnit: dec('collateral_per_weight_unit', p.collateralPerWeightUnit),
    gracePeriodEndEpoch: p.gracePeriodEndEpoch,
    slashFractionDoubleSign: dec('slash_fraction_double_sign', p.slashFractionDoubleSign),
    signedBlocksWindow: p.signedBlocksWindow,
    minSignedPerWindow: dec('min_signed_per_window', p.minSignedPerWindow),
    downtimeJailBlocks: p.downtimeJailBlocks,
    maxEvidenceAgeBlocks: p.maxEvidenceAgeBlocks,
  };
  if (out.unbondingPeriodEpochs < 1n || out.unbondingPeriodEpochs > MAX_UNBONDING_PERIOD_EPOCHS)
    throw collateralErrors.invalidParams(
      `unbonding_period_epochs ${out.unbondingPeriodEpochs} is outside [1, ${MAX_UNBONDING_PERIOD_EPOCHS}]`,
    );
  for (const [name, v] of [
    ['slash_fraction_invalid', out.slashFractionInvalid],
    ['slash_fraction_downtime', out.slashFractionDowntime],
    ['base_weight_ratio', out.baseWeightRatio],
    ['slash_fraction_double_sign', out.slashFractionDoubleSign],
    ['min_signed_per_window', out.minSignedPerWindow],
  ] as const)
    if (v > ONE) throw collateralErrors.invalidParams(`${name} ${formatDec(v)} is above 1`);
  if (out.signedBlocksWindow < 1n || out.signedBlocksWindow > MAX_SIGNED_BLOCKS_WINDOW)
    throw collateralErrors.invalidParams(
      `signed_blocks_window ${out.signedBlocksWindow} is outside [1, ${MAX_SIGNED_BLOCKS_WINDOW}]`,
    );
  if (out.downtimeJailBlocks > MAX_DOWNTIME_JAIL_BLOCKS)
    throw collateralErrors.invalidParams(
      `downtime_jail_blocks ${out.downtimeJailBlocks} is above ${MAX_DOWNTIME_JAIL_BLOCKS}`,
    );
  if (out.maxEvidenceAgeBlocks < 1n)
    throw collateralErrors.invalidParams('max_evidence_age_blocks must be positive');
  if (out.collateralPerWeightUnit === 0n)
    throw collateralErrors.invalidParams('collateral_per_weight_unit must be positive');
  return out;
}

/** The canonical form stored and exported: decimals re-formatted, so "0.20" and "0.2" are one state. */
export function canonicalCollateralParams(p: CollateralParams | undefined): CollateralParams {
  const q = parseCollateralParams(p);
  return {
    unbondingPeriodEpochs: q.unbondingPeriodEpochs,
    slashFractionInvalid: formatDec(q.slashFractionInvalid),
    slashFractionDowntime: formatDec(q.slashFractionDowntime),
    baseWeightRatio: formatDec(q.baseWeightRatio),
    collateralPerWeightUnit: formatDec(q.collateralPerWeightUnit),
    gracePeriodEndEpoch: q.gracePeriodEndEpoch,
    slashFractionDoubleSign: formatDec(q.slashFractionDoubleSign),
    signedBlocksWindow: q.signedBlocksWindow,
    minSignedPerWindow: formatDec(q.minSignedPerWindow),
    downtimeJailBlocks: q.downtimeJailBlocks,
    maxEvidenceAgeBlocks: q.maxEvidenceAgeBlocks,
  };
}

export const collateralParamsToJson = (p: CollateralParams) => ({
  unbonding_period_epochs: p.unbondingPeriodEpochs.toString(),
  slash_fraction_invalid: p.slashFractionInvalid,
  slash_fraction_downtime: p.slashFractionDowntime,
  base_weight_ratio: p.baseWeightRatio,
  collateral_per_weight_unit: p.collateralPerWeightUnit,
  grace_period_end_epoch: p.gracePeriodEndEpoch.toString(),
  slash_fraction_double_sign: p.slashFractionDoubleSign,
  signed_blocks_window: p.signedBlocksWindow.toString(),
  min_signed_per_window: p.minSignedPerWindow,
  downtime_jail_blocks: p.downtimeJailBlocks.toString(),
  max_evidence_age_blocks: p.maxEvidenceAgeBlocks.toString(),
});

export function collateralParamsFromJson(j: unknown): CollateralParams {
  const d = defaultCollateralParams();
  if (j === undefined) return d;
  const o = j as Record<string, unknown>;
  const uint = (k: string, dflt: bigint) => {
    const v = o[k];
    if (v === undefined) return dflt;
    if (!/^\d{1,19}$/.test(String(v)))
      throw collateralErrors.invalidParams(`${k} '${String(v)}' is not an unsigned integer`);
    return BigInt(String(v));
  };
  const str = (k: string, dflt: string) => (o[k] === undefined ? dflt : String(o[k]));
  return canonicalCollateralParams({
    unbondingPeriodEpochs: uint('unbonding_period_epochs', d.unbondingPeriodEpochs),
    slashFractionInvalid: str('slash_fraction_invalid', d.slashFractionInvalid),
    slashFractionDowntime: str('slash_fraction_downtime', d.slashFractionDowntime),
    baseWeightRatio: str('base_weight_ratio', d.baseWeightRatio),
    collateralPerWeightUnit: str('collateral_per_weight_unit', d.collateralPerWeightUnit),
    gracePeriodEndEpoch: uint('grace_period_end_epoch', d.gracePeriodEndEpoch),
    slashFractionDoubleSign: str('slash_fraction_double_sign', d.slashFractionDoubleSign),
    signedBlocksWindow: uint('signed_blocks_window', d.signedBlocksWindow),
    minSignedPerWindow: str('min_signed_per_window', d.minSignedPerWindow),
    downtimeJailBlocks: uint('downtime_jail_blocks', d.downtimeJailBlocks),
    maxEvidenceAgeBlocks: uint('max_evidence_age_blocks', d.maxEvidenceAgeBlocks),
  });
}
