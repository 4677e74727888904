// PLACEHOLDER: the power cap is written by the poc-cap slice (x/poc/cap.ts on its branch); the
// integrator takes that file. Same signature; returns the weights unchanged.
export function capWeights(
  weights: readonly { address: string; weight: bigint }[],
  _maxFraction: bigint /* atto, 18 decimals */,
): { address: string; weight: bigint }[] {
  return weights.map((w) => ({ ...w }));
}
