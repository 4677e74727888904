// The PoC part of a testnet (issue 12): per validator an ML node and an API node on their own free
// loopback ports, the API node's home holding the validator's operator key, and the Sprint params
// in the shared genesis (the fast profile's Sprint: stage lengths, classes, sample size, cap, each
// overridable). Everything `testnet start` and the tests need is written to the manifest.
import { join } from 'node:path';
import { initApiKey } from '../app/api/key.js';
import { DEMO_MODEL_ID } from '../app/inferenceGenesis.js';
import { isPocClassName } from '../kernels/poc/classes.js';
import type { ConfirmationParams } from '../proto/gen/gonka/poc/v1/poc.js';
import { pocParamsToJson, sprintParams, validatePocParams } from '../x/poc/params.js';
import type { ServicesEntry, TestAdversary } from './manifest.js';

export interface PocTestnetOptions {
  /** Test only: each ML node's mining throttle in nonces/s, one per validator (e.g. 800,400,200,100). */
  mlThrottle?: number[];
  /** Mining worker threads per ML node (default 1: a testnet shares one host). */
  mlWorkers?: number;
  /** Classes the API nodes mine (default ["tiny"]). */
  classes?: string[];
  /** x/poc max_power_fraction (default the profile's). */
  maxPowerFraction?: string;
  /** Stage lengths in blocks (default the fast profile's, DESIGN.md §10: 2 each). */
  stages?: Partial<SprintStages>;
  /** x/poc sample_size (default the profile's). */
  sampleSize?: number;
  /**
   * Seconds between an API node's commits while mining (default the API node's). Short Sprints
   * want it short: a commit sent during generation still counts if the final one is late.
   */
  apiCommitEvery?: number;
  /** TEST ONLY: extra ML/API node argv per validator index, arming it as an adversary (issue 13). */
  adversary?: Record<number, TestAdversary>;
  /**
   * x/poc confirmation rounds (issue 13; absent: off, as the profiles' default): a profile's round
   * params with any field overridden, e.g. `{ ...confirmationProfile('fast'), expectedPerEpoch: 10_000 }`.
   */
  confirmation?: ConfirmationParams;
}

export interface SprintStages {
  generation: number;
  commit: number;
  validation: number;
  dkg: number;
}

const fast = sprintParams('fast');
/** The fast test profile's Sprint (DESIGN.md §10: every PoC and DKG stage 2 blocks). */
export const FAST_STAGES: SprintStages = {
  generation: Number(fast.generationBlocks),
  commit: Number(fast.commitBlocks),
  validation: Number(fast.validationBlocks),
  dkg: Number(fast.dkgBlocks),
};

/** Parses "800,400,200,100" (nonces/s per validator); throws naming the bad entry. */
export function parseThrottleList(list: string, validators: number): number[] {
  const out = list.split(',').map((s) => Number(s.trim()));
  if (out.length !== validators)
    throw new Error(`--ml-throttle lists ${out.length} rates for ${validators} validators`);
  const bad = out.findIndex((r) => !Number.isSafeInteger(r) || r <= 0);
  if (bad >= 0) throw new Error(`--ml-throttle entry ${bad + 1} must be a positive integer (nonces/s)`);
  return out;
}

/** Checks the options against the validator count; returns them with defaults filled in. */
export function resolvePocOptions(o: PocTestnetOptions, validators: number) {
  const classes = o.classes ?? ['tiny'];
  const unknown = classes.find((c) => !isPocClassName(c));
  if (unknown !== undefined || classes.length === 0)
    throw new Error(`unknown PoC class '${unknown}' (tiny, devnet, large)`);
  if (o.mlThrottle && o.mlThrottle.length !== validators)
    throw new Error(`mlThrottle lists ${o.mlThrottle.length} rates for ${validators} validators`);
  const mlWorkers = o.mlWorkers ?? 1;
  if (!Number.isSafeInteger(mlWorkers) || mlWorkers < 1 || mlWorkers > 64)
    throw new Error(`mlWorkers must be an integer from 1 to 64, got ${mlWorkers}`);
  const stages = { ...FAST_STAGES, ...o.stages };
  if (Object.values(stages).some((v) => !Number.isSafeInteger(v) || v < 0))
    throw new Error(`stage lengths must be non-negative integers, got ${JSON.stringify(stages)}`);
  if (o.apiCommitEvery !== undefined && (!Number.isSafeInteger(o.apiCommitEvery) || o.apiCommitEvery < 1))
    throw new Error(`apiCommitEvery must be a positive integer (seconds), got ${o.apiCommitEvery}`);
  for (const i of Object.keys(o.adversary ?? {}))
    if (!/^[0-9]+$/.test(i) || Number(i) >= validators)
      throw new Error(`adversary names validator ${i} of ${validators}`);
  return {
    adversary: o.adversary ?? {},
    confirmation: o.confirmation,
    apiCommitEvery: o.apiCommitEvery,
    classes,
    mlWorkers,
    mlThrottle: o.mlThrottle,
    stages,
    sampleSize: o.sampleSize ?? fast.sampleSize,
    maxPowerFraction: o.maxPowerFraction ?? fast.maxPowerFraction,
  };
}

export type ResolvedPocOptions = ReturnType<typeof resolvePocOptions>;

/**
 * x/poc's genesis params for a PoC testnet: the fast profile's Sprint with the options' stage
 * lengths, sample size and cap (and the options' confirmation rounds), checked by x/poc's own validation (an epoch too short for the
 * stages fails here, not at the chain's InitChain).
 */
export function sprintGenesisParams(o: ResolvedPocOptions, epochLength: number) {
  const params = validatePocParams({
    ...fast,
    epochLength: BigInt(epochLength),
    generationBlocks: BigInt(o.stages.generation),
    commitBlocks: BigInt(o.stages.commit),
    validationBlocks: BigInt(o.stages.validation),
    dkgBlocks: BigInt(o.stages.dkg),
    sampleSize: o.sampleSize,
    maxPowerFraction: o.maxPowerFraction,
    ...(o.confirmation ? { confirmation: o.confirmation } : {}),
  });
  return pocParamsToJson(params);
}

/**
 * Creates validator i's API node home (<home>/api) with the operator's key, so the API node signs
 * as the participant the genesis lists; returns the manifest entry for its services.
 */
export async function initServices(
  home: string,
  operatorMnemonic: string,
  i: number,
  o: ResolvedPocOptions,
  serveDemoModel = false,
): Promise<ServicesEntry> {
  const apiHome = join(home, 'api');
  await initApiKey(apiHome, operatorMnemonic);
  const throttle = o.mlThrottle?.[i];
  const adversary = o.adversary[i];
  return {
    ...(adversary === undefined ? {} : { adversary }),
    apiHome,
    classes: o.classes,
    mlWorkers: o.mlWorkers,
    ...(throttle === undefined ? {} : { mlThrottle: throttle }),
    ...(o.apiCommitEvery === undefined ? {} : { apiCommitEvery: o.apiCommitEvery }),
    ...(serveDemoModel ? { models: [{ arg: 'demo', id: DEMO_MODEL_ID }] } : {}),
  };
}
