// Fixed-point decimals on bigint with 18 fractional digits (atto units, the SDK's LegacyDec
// precision): the minimum gas price, governance ratios (quorum, thresholds, vote weights), the
// collateral slash fractions. Parsing is strict; no floats anywhere.
export const DEC_PRECISION = 18;
/** 1.0 in atto units. */
export const ONE = 10n ** BigInt(DEC_PRECISION);

/** Parses "0.1", "25", "0.000000000000000001" into atto-units; throws on anything else. */
export function parseDec(s: string): bigint {
  const m = /^(\d+)(?:\.(\d{1,18}))?$/.exec(s);
  if (!m) throw new Error(`invalid decimal '${s}'`);
  return BigInt(m[1]!) * ONE + BigInt((m[2] ?? '').padEnd(DEC_PRECISION, '0') || '0');
}

/** The shortest form: "0.1", "25" (trailing zeros dropped). */
export function formatDec(atto: bigint): string {
  const int = atto / ONE;
  const frac = (atto % ONE).toString().padStart(DEC_PRECISION, '0').replace(/0+$/, '');
  return frac ? `${int}.${frac}` : `${int}`;
}

/** The SDK's LegacyDec.String(): always 18 fractional digits ("0.334000000000000000"). */
export function decString(atto: bigint): string {
  const neg = atto < 0n;
  const a = neg ? -atto : atto;
  return `${neg ? '-' : ''}${a / ONE}.${(a % ONE).toString().padStart(DEC_PRECISION, '0')}`;
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

/** floor(amount × dec) for a decimal in atto units. */
export function mulFloor(amount: bigint, atto: bigint): bigint {
  return (amount * atto) / ONE;
}

/** ceil(amount × dec) for a decimal in atto units: the fee a gas limit requires at a price. */
export function mulCeil(amount: bigint, atto: bigint): bigint {
  return (amount * atto + ONE - 1n) / ONE;
}
