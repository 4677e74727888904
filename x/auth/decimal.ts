// Fixed-point decimals on bigint with 18 fractional digits (the SDK's LegacyDec precision), used for
// the minimum gas price. Parsing is strict; no floats anywhere.
export const DEC_PRECISION = 18;
const SCALE = 10n ** BigInt(DEC_PRECISION);

/** Parses "0.1", "25", "0.000000000000000001" into atto-units; throws on anything else. */
export function parseDec(s: string): bigint {
  const m = /^(\d+)(?:\.(\d{1,18}))?$/.exec(s);
  if (!m) throw new Error(`invalid decimal '${s}'`);
  return BigInt(m[1]!) * SCALE + BigInt((m[2] ?? '').padEnd(DEC_PRECISION, '0') || '0');
}

export function formatDec(atto: bigint): string {
  const int = atto / SCALE;
  const frac = (atto % SCALE).toString().padStart(DEC_PRECISION, '0').replace(/0+$/, '');
  return frac ? `${int}.${frac}` : `${int}`;
}

/** ceil(amount × dec), the fee a gas limit requires at a price. */
export function mulCeil(amount: bigint, atto: bigint): bigint {
  return (amount * atto + SCALE - 1n) / SCALE;
}
