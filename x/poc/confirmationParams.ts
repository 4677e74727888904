// Confirmation-round params (proto ConfirmationParams, Params field 12): validation, genesis JSON
// and the profiles. Absent or expected_per_epoch = 0 turns rounds off; the default genesis leaves
// the field unset so it encodes exactly as before (golden vectors).
import { ONE, parseDec } from '../../app/runtime/decimal.js';
import { ConfirmationParams, type Params as PocParams } from '../../proto/gen/gonka/poc/v1/poc.js';
import { pocErrors } from './errors.js';

/** More would mean a round almost every eligible block: nothing left to be unpredictable. */
export const MAX_EXPECTED_PER_EPOCH = 10_000;
export const MAX_ROUND_SAMPLE_SIZE = 1000;

export type ConfirmationProfile = 'devnet' | 'fast' | 'mainnet';

/** Round params per network profile (fast: the contract's test values; mainnet: Gonka's 1/epoch). */
export function confirmationProfile(profile: ConfirmationProfile): ConfirmationParams {
  switch (profile) {
    case 'fast':
      return ConfirmationParams.fromPartial({
        expectedPerEpoch: 1,
        generationBlocks: 3n,
        commitBlocks: 2n,
        validationBlocks: 2n,
        boundaryMargin: 2n,
        sampleSize: 16,
        alpha: '0.5',
        rateTolerance: '0.7',
      });
    case 'devnet':
      return ConfirmationParams.fromPartial({
        expectedPerEpoch: 1,
        generationBlocks: 6n,
        commitBlocks: 2n,
        validationBlocks: 3n,
        boundaryMargin: 3n,
        sampleSize: 64,
        alpha: '0.5',
        rateTolerance: '0.7',
      });
    case 'mainnet':
      return ConfirmationParams.fromPartial({
        expectedPerEpoch: 1,
        generationBlocks: 120n,
        commitBlocks: 30n,
        validationBlocks: 120n,
        boundaryMargin: 300n,
        sampleSize: 200,
        alpha: '0.5',
        rateTolerance: '0.7',
      });
  }
}

export const confirmationEnabled = (p: PocParams): boolean =>
  p.confirmation !== undefined && p.confirmation.expectedPerEpoch > 0 && p.generationBlocks > 0n;

/** Blocks of a round from its start to its result height. */
export const roundLength = (c: ConfirmationParams): bigint =>
  c.generationBlocks + c.commitBlocks + c.validationBlocks;

function decimalIn(name: string, s: string, allowZero: boolean): bigint {
  let v: bigint;
  try {
    v = parseDec(s);
  } catch {
    throw pocErrors.invalidParams(`confirmation.${name} must be a decimal, got '${String(s).slice(0, 40)}'`);
  }
  if (v > ONE || (!allowZero && v === 0n))
    throw pocErrors.invalidParams(`confirmation.${name} ${s} must be in ${allowZero ? '[0' : '(0'}, 1]`);
  return v;
}

export const alphaAtto = (c: ConfirmationParams): bigint => decimalIn('alpha', c.alpha, true);
export const toleranceAtto = (c: ConfirmationParams): bigint =>
  decimalIn('rate_tolerance', c.rateTolerance, false);

/**
 * Called from validatePocParams once the Sprint params are valid. Rounds need the Sprint (their
 * eligibility and claimed rate come from it) and must fit between the epoch start and the next
 * Sprint with `boundary_margin` blocks on both sides, so at least one start height is eligible.
 */
export function validateConfirmationParams(p: PocParams): void {
  const c = p.confirmation;
  if (!c || c.expectedPerEpoch === 0) return; // off: the other fields are not read
  if (p.generationBlocks === 0n)
    throw pocErrors.invalidParams('confirmation rounds need the Sprint (generation_blocks > 0)');
  if (c.expectedPerEpoch > MAX_EXPECTED_PER_EPOCH)
    throw pocErrors.invalidParams(
      `confirmation.expected_per_epoch ${c.expectedPerEpoch} is over ${MAX_EXPECTED_PER_EPOCH}`,
    );
  for (const [name, v] of [
    ['generation_blocks', c.generationBlocks],
    ['commit_blocks', c.commitBlocks],
    ['validation_blocks', c.validationBlocks],
    ['boundary_margin', c.boundaryMargin],
  ] as const)
    if (v < 1n || v > p.epochLength)
      throw pocErrors.invalidParams(`confirmation.${name} ${v} is outside [1, epoch_length]`);
  if (c.sampleSize < 1 || c.sampleSize > MAX_ROUND_SAMPLE_SIZE)
    throw pocErrors.invalidParams(
      `confirmation.sample_size ${c.sampleSize} is outside [1, ${MAX_ROUND_SAMPLE_SIZE}]`,
    );
  alphaAtto(c);
  toleranceAtto(c);
  const free = p.epochLength - (p.generationBlocks + p.commitBlocks + p.validationBlocks + p.dkgBlocks + 2n);
  if (2n * c.boundaryMargin + roundLength(c) + 1n > free)
    throw pocErrors.invalidParams(
      `a confirmation round (${roundLength(c)} blocks) with margins of ${c.boundaryMargin} does not fit the ${free} blocks before the Sprint`,
    );
}

export interface ConfirmationParamsJson {
  expected_per_epoch: number;
  generation_blocks: string;
  commit_blocks: string;
  validation_blocks: string;
  boundary_margin: string;
  sample_size: number;
  alpha: string;
  rate_tolerance: string;
}

export const confirmationParamsToJson = (c: ConfirmationParams): ConfirmationParamsJson => ({
  expected_per_epoch: c.expectedPerEpoch,
  generation_blocks: c.generationBlocks.toString(),
  commit_blocks: c.commitBlocks.toString(),
  validation_blocks: c.validationBlocks.toString(),
  boundary_margin: c.boundaryMargin.toString(),
  sample_size: c.sampleSize,
  alpha: c.alpha,
  rate_tolerance: c.rateTolerance,
});

/** Genesis JSON → params (validated later with the rest); absent → undefined (rounds off). */
export function confirmationParamsFromJson(j: unknown): ConfirmationParams | undefined {
  if (j === undefined) return undefined;
  if (j === null || typeof j !== 'object' || Array.isArray(j))
    throw pocErrors.invalidParams('confirmation must be an object');
  const o = j as Record<string, unknown>;
  const u64 = (name: string): bigint => {
    const v = o[name];
    if (v === undefined) return 0n;
    if (!/^\d{1,19}$/.test(String(v)))
      throw pocErrors.invalidParams(
        `confirmation.${name} '${String(v).slice(0, 40)}' is not an unsigned integer`,
      );
    return BigInt(String(v));
  };
  const small = (name: string): number => {
    const v = o[name];
    if (v === undefined) return 0;
    if (!/^\d{1,6}$/.test(String(v)))
      throw pocErrors.invalidParams(
        `confirmation.${name} '${String(v).slice(0, 40)}' is not a small unsigned integer`,
      );
    return Number(v);
  };
  const dec = (name: string): string => (o[name] === undefined ? '' : String(o[name]).slice(0, 64));
  return ConfirmationParams.fromPartial({
    expectedPerEpoch: small('expected_per_epoch'),
    generationBlocks: u64('generation_blocks'),
    commitBlocks: u64('commit_blocks'),
    validationBlocks: u64('validation_blocks'),
    boundaryMargin: u64('boundary_margin'),
    sampleSize: small('sample_size'),
    alpha: dec('alpha'),
    rateTolerance: dec('rate_tolerance'),
  });
}
