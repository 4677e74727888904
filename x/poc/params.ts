// x/poc params: the epoch length and the Sprint's (stage lengths, sample size, power cap, the PoC
// classes). generation_blocks = 0 disables the Sprint, and the defaults keep it disabled so a
// genesis that names only epoch_length encodes exactly as before (golden vectors). Profiles give
// the Sprint params a network starts with (devnet, the fast test profile, mainnet).
import { ONE, parseDec } from '../../app/runtime/decimal.js';
import { ClassParams, Params, type Params as PocParams } from '../../proto/gen/gonka/poc/v1/poc.js';
import {
  confirmationParamsFromJson,
  confirmationParamsToJson,
  confirmationProfile,
  validateConfirmationParams,
} from './confirmationParams.js';
import { pocErrors } from './errors.js';

/** About a minute of devnet blocks (DESIGN.md §9); the fast test profile uses 24–32. Mainnet: 15391. */
export const DEFAULT_EPOCH_LENGTH = 60n;
/** Below this the set emitted at boundary − 2 would land inside the epoch it was computed in. */
export const MIN_EPOCH_LENGTH = 4n;
export const MAX_EPOCH_LENGTH = 10_000_000n;
/** Blocks of every epoch left outside the Sprint (DESIGN.md §5): inference-only time. */
export const MIN_FREE_BLOCKS = 10n;
export const MAX_SAMPLE_SIZE = 1000;
/** The most participants a params set may allow (each boundary and Sprint iterates them all). */
export const MAX_PARTICIPANTS_LIMIT = 100_000;
/** A participant may announce at most this many classes; params list at most this many too. */
export const MAX_CLASSES = 8;
/** Commit counts are u64 on the wire; keep them where count × coefficient cannot overflow u64 math. */
export const MAX_CLASS_COUNT = 1n << 48n;

/** Kernel class ids (kernels/poc/classes.ts). */
export const CLASS_TINY = 1;
export const CLASS_DEVNET = 2;
export const CLASS_LARGE = 3;

// ---- fraud proofs (issue 13) ----
/** Most fraud proofs a block may recompute (param fraud_proofs_per_block is bounded by this). */
export const MAX_FRAUD_PROOFS_PER_BLOCK = 64;
export const MAX_FRAUD_PROOF_GAS = 1_000_000_000n;
/** Classes whose leaf recomputes inside a block (tens of ms at most); `large` takes seconds. */
export const FRAUD_PROVABLE_CLASSES: readonly number[] = [CLASS_TINY, CLASS_DEVNET];
/**
 * Gas of one recomputation ∝ its cost: int8 MACs per nonce ÷ 16 (tiny 1 638 400 MACs, devnet
 * 26 214 400; a proof's block costs ≈ 6 ms and ≈ 55 ms of CPU on the dev machine, BENCHMARKS.md
 * "Fraud proofs in FinalizeBlock"), so a block's gas limit also bounds its recomputation time.
 */
export const FRAUD_PROOF_GAS_TINY = 102_400n;
export const FRAUD_PROOF_GAS_DEVNET = 1_638_400n;
/** Default k of the profiles: 3 devnet proofs keep a 1 s block interval within 1.5× (BENCHMARKS.md). */
export const DEFAULT_FRAUD_PROOFS_PER_BLOCK = 3;
export const DEFAULT_FRAUD_REWARD_FRACTION = '0.1';

export const defaultPocParams = (): PocParams => Params.fromPartial({ epochLength: DEFAULT_EPOCH_LENGTH });

/** Every class the kernels know, with weight per nonce ∝ the work one nonce costs. */
export const defaultClasses = (): ClassParams[] => [
  { classId: CLASS_TINY, coefficient: '1', maxCount: 1n << 32n, fraudProvable: false, fraudProofGas: 0n },
  { classId: CLASS_DEVNET, coefficient: '4', maxCount: 1n << 32n, fraudProvable: false, fraudProofGas: 0n },
  { classId: CLASS_LARGE, coefficient: '64', maxCount: 1n << 32n, fraudProvable: false, fraudProofGas: 0n },
];

/** defaultClasses with tiny and devnet fraud-provable, each with its recompute gas. */
export const fraudProvableClasses = (): ClassParams[] =>
  defaultClasses().map((c) =>
    c.classId === CLASS_TINY
      ? { ...c, fraudProvable: true, fraudProofGas: FRAUD_PROOF_GAS_TINY }
      : c.classId === CLASS_DEVNET
        ? { ...c, fraudProvable: true, fraudProofGas: FRAUD_PROOF_GAS_DEVNET }
        : c,
  );

export type SprintProfile = 'devnet' | 'fast' | 'mainnet';

/**
 * The Sprint params of a network profile. `fast` (tests, DESIGN.md §10): every stage 2 blocks in
 * a 24-block epoch. `devnet`: a 60-block epoch (≈ 1 s blocks) with 15 blocks to mine.
 */
export function sprintParams(profile: SprintProfile, withConfirmation = false): PocParams {
  const common = {
    // Confirmation rounds are opt-in per profile until the API node runs them (confirm-api).
    ...(withConfirmation ? { confirmation: confirmationProfile(profile) } : {}),
    sampleSize: 200,
    maxPowerFraction: '0.25',
    classes: fraudProvableClasses(),
    maxParticipants: profile === 'mainnet' ? 10_000 : 1_000,
    fraudProofsPerBlock: DEFAULT_FRAUD_PROOFS_PER_BLOCK,
    fraudRewardFraction: DEFAULT_FRAUD_REWARD_FRACTION,
  };
  switch (profile) {
    case 'fast':
      return Params.fromPartial({
        ...common,
        epochLength: 24n,
        generationBlocks: 2n,
        commitBlocks: 2n,
        validationBlocks: 2n,
        dkgBlocks: 2n,
      });
    case 'devnet':
      return Params.fromPartial({
        ...common,
        epochLength: 60n,
        generationBlocks: 15n,
        commitBlocks: 5n,
        validationBlocks: 8n,
        dkgBlocks: 4n,
      });
    case 'mainnet':
      return Params.fromPartial({
        ...common,
        epochLength: 15391n,
        generationBlocks: 300n,
        commitBlocks: 60n,
        validationBlocks: 240n,
        dkgBlocks: 60n,
      });
  }
}

/** Blocks from P to the epoch boundary: every stage plus the 2 blocks CometBFT needs for a set. */
export const sprintSpan = (p: PocParams): bigint =>
  p.generationBlocks + p.commitBlocks + p.validationBlocks + p.dkgBlocks + 2n;

export const sprintEnabled = (p: PocParams): boolean => p.generationBlocks > 0n;

/** A class coefficient in atto units (18 decimals); throws on anything but a decimal > 0. */
export function coefficientAtto(c: string): bigint {
  let v: bigint;
  try {
    v = parseDec(c);
  } catch {
    throw pocErrors.invalidParams(`class coefficient must be a decimal, got '${String(c).slice(0, 40)}'`);
  }
  if (v <= 0n) throw pocErrors.invalidParams('class coefficient must be positive');
  if (v > 1_000_000n * ONE) throw pocErrors.invalidParams(`class coefficient ${c} is over 1000000`);
  return v;
}

/** max_power_fraction in atto units, in (0, 1]. */
export function maxPowerFractionAtto(s: string): bigint {
  let v: bigint;
  try {
    v = parseDec(s);
  } catch {
    throw pocErrors.invalidParams(`max_power_fraction must be a decimal, got '${String(s).slice(0, 40)}'`);
  }
  if (v <= 0n || v > ONE) throw pocErrors.invalidParams(`max_power_fraction ${s} must be in (0, 1]`);
  return v;
}

/** fraud_reward_fraction in atto units, in [0, 1]; '' (the Sprint-off default) is 0. */
export function fraudRewardFractionAtto(s: string): bigint {
  if (s === '') return 0n;
  let v: bigint;
  try {
    v = parseDec(s);
  } catch {
    throw pocErrors.invalidParams(`fraud_reward_fraction must be a decimal, got '${String(s).slice(0, 40)}'`);
  }
  if (v < 0n || v > ONE) throw pocErrors.invalidParams(`fraud_reward_fraction ${s} must be in [0, 1]`);
  return v;
}

/** The fraud-proof fields of Params and of each class (checked even with the Sprint off). */
function validateFraudParams(p: PocParams): void {
  if (p.fraudProofsPerBlock < 0 || p.fraudProofsPerBlock > MAX_FRAUD_PROOFS_PER_BLOCK)
    throw pocErrors.invalidParams(
      `fraud_proofs_per_block ${p.fraudProofsPerBlock} is outside [0, ${MAX_FRAUD_PROOFS_PER_BLOCK}]`,
    );
  fraudRewardFractionAtto(p.fraudRewardFraction);
  for (const c of p.classes) {
    if (c.fraudProofGas < 0n || c.fraudProofGas > MAX_FRAUD_PROOF_GAS)
      throw pocErrors.invalidParams(
        `class ${c.classId}: fraud_proof_gas ${c.fraudProofGas} is outside [0, ${MAX_FRAUD_PROOF_GAS}]`,
      );
    if (c.fraudProvable && !FRAUD_PROVABLE_CLASSES.includes(c.classId))
      throw pocErrors.invalidParams(
        `class ${c.classId} cannot be fraud_provable: only classes ${FRAUD_PROVABLE_CLASSES.join(', ')} recompute within a block`,
      );
  }
}

export function validatePocParams(p: PocParams | undefined): PocParams {
  if (!p) throw pocErrors.invalidParams('params must be set');
  if (p.epochLength < MIN_EPOCH_LENGTH || p.epochLength > MAX_EPOCH_LENGTH)
    throw pocErrors.invalidParams(
      `epoch_length ${p.epochLength} is outside [${MIN_EPOCH_LENGTH}, ${MAX_EPOCH_LENGTH}]`,
    );
  validateFraudParams(p);
  if (!sprintEnabled(p)) {
    validateConfirmationParams(p); // refuses rounds without the Sprint
    return p; // the Sprint is off: its other params are not read
  }
  for (const [name, v] of [
    ['commit_blocks', p.commitBlocks],
    ['validation_blocks', p.validationBlocks],
  ] as const)
    if (v < 1n) throw pocErrors.invalidParams(`${name} must be at least 1 when the Sprint is enabled`);
  if (sprintSpan(p) + MIN_FREE_BLOCKS > p.epochLength)
    throw pocErrors.invalidParams(
      `the Sprint (${sprintSpan(p)} blocks with the 2 set blocks) leaves less than ${MIN_FREE_BLOCKS} of the ${p.epochLength}-block epoch`,
    );
  if (p.sampleSize < 1 || p.sampleSize > MAX_SAMPLE_SIZE)
    throw pocErrors.invalidParams(`sample_size ${p.sampleSize} is outside [1, ${MAX_SAMPLE_SIZE}]`);
  maxPowerFractionAtto(p.maxPowerFraction);
  if (p.maxParticipants < 1 || p.maxParticipants > MAX_PARTICIPANTS_LIMIT)
    throw pocErrors.invalidParams(
      `max_participants ${p.maxParticipants} is outside [1, ${MAX_PARTICIPANTS_LIMIT}] when the Sprint is enabled`,
    );
  if (p.classes.length < 1 || p.classes.length > MAX_CLASSES)
    throw pocErrors.invalidParams(`classes: between 1 and ${MAX_CLASSES} when the Sprint is enabled`);
  let last = 0;
  for (const c of p.classes) {
    if (c.classId <= last)
      throw pocErrors.invalidParams('classes must be sorted by class_id, ids unique, ids ≥ 1');
    last = c.classId;
    coefficientAtto(c.coefficient);
    if (c.maxCount < 1n || c.maxCount > MAX_CLASS_COUNT)
      throw pocErrors.invalidParams(
        `class ${c.classId}: max_count ${c.maxCount} is outside [1, ${MAX_CLASS_COUNT}]`,
      );
  }
  validateConfirmationParams(p);
  return p;
}

export const classParams = (p: PocParams, classId: number): ClassParams | undefined =>
  p.classes.find((c) => c.classId === classId);

export interface ClassParamsJson {
  class_id: number;
  coefficient: string;
  max_count: string;
  fraud_provable?: boolean;
  fraud_proof_gas?: string;
}

/** Genesis JSON (snake_case). Sprint fields are written only when set, so a Sprint-less genesis
 * reads as it always did. */
export function pocParamsToJson(p: PocParams): { epoch_length: string } & Record<string, unknown> {
  const out: { epoch_length: string } & Record<string, unknown> = { epoch_length: p.epochLength.toString() };
  if (p.generationBlocks > 0n) out.generation_blocks = p.generationBlocks.toString();
  if (p.commitBlocks > 0n) out.commit_blocks = p.commitBlocks.toString();
  if (p.validationBlocks > 0n) out.validation_blocks = p.validationBlocks.toString();
  if (p.dkgBlocks > 0n) out.dkg_blocks = p.dkgBlocks.toString();
  if (p.sampleSize > 0) out.sample_size = p.sampleSize;
  if (p.maxPowerFraction !== '') out.max_power_fraction = p.maxPowerFraction;
  if (p.maxParticipants > 0) out.max_participants = p.maxParticipants;
  if (p.fraudProofsPerBlock > 0) out.fraud_proofs_per_block = p.fraudProofsPerBlock;
  if (p.fraudRewardFraction !== '') out.fraud_reward_fraction = p.fraudRewardFraction;
  if (p.classes.length > 0)
    out.classes = p.classes.map(
      (c): ClassParamsJson => ({
        class_id: c.classId,
        coefficient: c.coefficient,
        max_count: c.maxCount.toString(),
        ...(c.fraudProvable ? { fraud_provable: true } : {}),
        ...(c.fraudProofGas > 0n ? { fraud_proof_gas: c.fraudProofGas.toString() } : {}),
      }),
    );
  if (p.confirmation) out.confirmation = confirmationParamsToJson(p.confirmation);
  return out;
}

const U64 = /^\d{1,19}$/;

function u64Field(o: Record<string, unknown>, name: string): bigint {
  const v = o[name];
  if (v === undefined) return 0n;
  if (!U64.test(String(v)))
    throw pocErrors.invalidParams(`${name} '${String(v).slice(0, 40)}' is not an unsigned integer`);
  return BigInt(String(v));
}

export function pocParamsFromJson(j: unknown): PocParams {
  if (j === undefined || j === null) return defaultPocParams();
  if (typeof j !== 'object') throw pocErrors.invalidParams('params must be an object');
  const o = j as Record<string, unknown>;
  const epochLength = o.epoch_length === undefined ? DEFAULT_EPOCH_LENGTH : u64Field(o, 'epoch_length');
  const sample = o.sample_size;
  if (sample !== undefined && !/^\d{1,4}$/.test(String(sample)))
    throw pocErrors.invalidParams(
      `sample_size '${String(sample).slice(0, 40)}' is not a small unsigned integer`,
    );
  const maxParticipants = o.max_participants;
  if (maxParticipants !== undefined && !/^\d{1,6}$/.test(String(maxParticipants)))
    throw pocErrors.invalidParams(
      `max_participants '${String(maxParticipants).slice(0, 40)}' is not a small unsigned integer`,
    );
  const k = o.fraud_proofs_per_block;
  if (k !== undefined && !/^\d{1,4}$/.test(String(k)))
    throw pocErrors.invalidParams(
      `fraud_proofs_per_block '${String(k).slice(0, 40)}' is not a small unsigned integer`,
    );
  const classesRaw = o.classes ?? [];
  if (!Array.isArray(classesRaw) || classesRaw.length > MAX_CLASSES)
    throw pocErrors.invalidParams(`classes must be a list of at most ${MAX_CLASSES}`);
  const classes = classesRaw.map((c: unknown) => {
    const co = (c ?? {}) as Record<string, unknown>;
    if (!/^\d{1,9}$/.test(String(co.class_id)))
      throw pocErrors.invalidParams('class_id must be an unsigned integer');
    if (co.fraud_provable !== undefined && typeof co.fraud_provable !== 'boolean')
      throw pocErrors.invalidParams('fraud_provable must be a boolean');
    return ClassParams.fromPartial({
      classId: Number(co.class_id),
      coefficient: String(co.coefficient ?? '').slice(0, 64),
      maxCount: u64Field(co, 'max_count'),
      fraudProvable: co.fraud_provable === true,
      fraudProofGas: u64Field(co, 'fraud_proof_gas'),
    });
  });
  return validatePocParams(
    Params.fromPartial({
      epochLength,
      generationBlocks: u64Field(o, 'generation_blocks'),
      commitBlocks: u64Field(o, 'commit_blocks'),
      validationBlocks: u64Field(o, 'validation_blocks'),
      dkgBlocks: u64Field(o, 'dkg_blocks'),
      sampleSize: sample === undefined ? 0 : Number(sample),
      maxPowerFraction: o.max_power_fraction === undefined ? '' : String(o.max_power_fraction).slice(0, 64),
      classes,
      maxParticipants: maxParticipants === undefined ? 0 : Number(maxParticipants),
      fraudProofsPerBlock: k === undefined ? 0 : Number(k),
      fraudRewardFraction:
        o.fraud_reward_fraction === undefined ? '' : String(o.fraud_reward_fraction).slice(0, 64),
      confirmation: confirmationParamsFromJson(o.confirmation),
    }),
  );
}
