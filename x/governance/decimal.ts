// Ratios (quorum, thresholds, vote weights) as 18-digit fixed-point decimals on bigint (atto
// units), the SDK's LegacyDec precision. Parsing reuses x/auth's strict parser; formatting writes
// the SDK's string form with all 18 fractional digits ("0.334000000000000000").
import { parseDec } from '../auth/decimal.js';

export const ONE = 10n ** 18n;

export { parseDec };

/** The SDK's LegacyDec.String(): always 18 fractional digits. */
export function decString(atto: bigint): string {
  const neg = atto < 0n;
  const a = neg ? -atto : atto;
  return `${neg ? '-' : ''}${a / ONE}.${(a % ONE).toString().padStart(18, '0')}`;
}

/** A ratio parameter in [0, 1]; `what` names it in the error. */
export function parseRatio(s: string, what: string, allowZero = true): bigint {
  let v: bigint;
  try {
    v = parseDec(s);
  } catch {
    throw new Error(`${what} must be a decimal, got '${String(s).slice(0, 40)}'`);
  }
  if (v > ONE) throw new Error(`${what} must not exceed 1, got ${s}`);
  if (!allowZero && v === 0n) throw new Error(`${what} must be positive`);
  return v;
}

/** floor(amount × ratio) for a ratio in atto units. */
export function mulFloor(amount: bigint, ratio: bigint): bigint {
  return (amount * ratio) / ONE;
}

/** ceil(amount × ratio) for a ratio in atto units. */
export function mulCeil(amount: bigint, ratio: bigint): bigint {
  return (amount * ratio + ONE - 1n) / ONE;
}
