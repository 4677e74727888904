// The fixed functions of spec §3: the exponential table E and the nonlinearity G.

/** round(2^14 · 2^(−r/8)) for r = 0…7; normative integers, never recomputed in floating point. */
export const EXP_C: readonly number[] = Object.freeze([16384, 15024, 13777, 12634, 11585, 10624, 9742, 8933]);

/** E(y) for y ≥ 0: C[y mod 8] >> ⌊y/8⌋ (zero from y = 113 on). */
export function expE(y: number): number {
  const q = y >> 3;
  return q >= 15 ? 0 : (EXP_C[y & 7] as number) >> q;
}

/** E(0 … 128) as int32; the graphs clamp their index to 128, where E is 0. */
export const EXP_TABLE: Int32Array = Int32Array.from({ length: 129 }, (_, y) => expE(y));

/** G(x) = ⌊x·(x+256)/512⌋ for int8 x, range [−32, 95]. */
export function geluG(x: number): number {
  return Math.floor((x * (x + 256)) / 512);
}

/** G indexed by x + 128, for x in [−128, 127]. */
export const GELU_TABLE: Int32Array = Int32Array.from({ length: 256 }, (_, i) => geluG(i - 128));
