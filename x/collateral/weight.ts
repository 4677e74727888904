// The weight-activation function (gonka.md §7) the PoC issue applies to accepted weights:
// a free base share of the potential weight, plus as much of the rest as collateral activates.
//   base = floor(potential × base_weight_ratio)
//   effective = base + min(potential − base, floor(collateral / collateral_per_weight_unit))
// All fixed-point on bigint (18 fractional digits), rounding down, so every node agrees.
import { DEC_PRECISION } from '../../app/runtime/decimal.js';

const SCALE = 10n ** BigInt(DEC_PRECISION);

export function activatedWeight(
  potential: bigint,
  collateral: bigint,
  baseWeightRatio: bigint,
  collateralPerWeightUnit: bigint,
): bigint {
  if (potential <= 0n) return 0n;
  if (collateralPerWeightUnit <= 0n) throw new Error('collateral_per_weight_unit must be positive');
  const base = (potential * baseWeightRatio) / SCALE;
  const activatable = (collateral * SCALE) / collateralPerWeightUnit;
  const rest = potential - base;
  return base + (activatable < rest ? activatable : rest);
}

/** floor(amount × fraction) for a fraction in atto-units. */
export const mulFloor = (amount: bigint, fraction: bigint): bigint => (amount * fraction) / SCALE;
