// The Sprint's stage heights (DESIGN.md §5), pure. For the epoch starting at B:
//   P = B − (generation + commit + validation + dkg + 2)
//   generation [P, commit_start) · commit [commit_start, validation_start) · validation
//   [validation_start, weights_final) · weights computed in BeginBlock(weights_final) · DKG
//   [weights_final, set_height) · the next set sent from EndBlock(set_height = B − 2).
// Commits are accepted from P + 1 (the seed, the hash of block P, is known only after P) to
// validation_start − 1; votes during the validation stage.
import type { Context } from '../../app/runtime/context.js';
import type { Params, SprintState } from '../../proto/gen/gonka/poc/v1/poc.js';
import { sprintSpan } from './params.js';

export type Stage = 'idle' | 'generation' | 'commit' | 'validation' | 'weights_final' | 'dkg';

/** The stages a hook is told about, at their first block (x/bls starts its DKG at weights_final). */
export type StageStart = 'generation' | 'commit' | 'validation' | 'weights_final';

/** The Sprint deciding the set of the epoch that starts at `nextStart`, with `params` (snapshot). */
export function planSprint(epoch: bigint, nextStart: bigint, params: Params): SprintState {
  const pocStart = nextStart - sprintSpan(params);
  const commitStart = pocStart + params.generationBlocks;
  const validationStart = commitStart + params.commitBlocks;
  const weightsFinal = validationStart + params.validationBlocks;
  return {
    epoch,
    pocStart,
    commitStart,
    validationStart,
    weightsFinal,
    setHeight: weightsFinal + params.dkgBlocks,
    nextStart,
    seed: new Uint8Array(0),
    validationHash: new Uint8Array(0),
    params,
  };
}

export function stageAt(s: SprintState | undefined, height: bigint): Stage {
  if (!s || height < s.pocStart || height >= s.nextStart) return 'idle';
  if (height < s.commitStart) return 'generation';
  if (height < s.validationStart) return 'commit';
  if (height < s.weightsFinal) return 'validation';
  if (height === s.weightsFinal) return 'weights_final';
  return 'dkg';
}

/** Which stage starts at `height` (undefined if none does). */
export function stageStartingAt(s: SprintState, height: bigint): StageStart | undefined {
  if (height === s.pocStart) return 'generation';
  if (height === s.commitStart) return 'commit';
  if (height === s.validationStart) return 'validation';
  if (height === s.weightsFinal) return 'weights_final';
  return undefined;
}

/** Commits: P + 1 … validation_start − 1. */
export const commitOpen = (s: SprintState, height: bigint): boolean =>
  height > s.pocStart && height < s.validationStart;

/** Votes: validation_start … weights_final − 1. */
export const validationOpen = (s: SprintState, height: bigint): boolean =>
  height >= s.validationStart && height < s.weightsFinal;

/**
 * The height a Sprint, round or fraud-proof message is judged at: the block's in FinalizeBlock; in
 * CheckTx and simulation (whose header is the last committed block) the next block's, where the tx
 * can land at the earliest.
 */
export function landingHeight(ctx: Context): bigint {
  const ahead = ctx.mode === 'check' || ctx.mode === 'recheck' || ctx.mode === 'simulate';
  return ahead ? ctx.header.height + 1n : ctx.header.height;
}
