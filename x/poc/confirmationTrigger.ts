// When a confirmation round starts, pure (a function of the height and the previous block's hash,
// which is fixed before block h is proposed — so nobody learns the height earlier than one block
// ahead, and the proposer of h cannot choose it):
//   r = u64 BE of SHA-256("gonka/poc/confirmation" ‖ u64 BE h ‖ last_block_hash)
//   triggers when h is in the eligible window [epoch start + margin, next poc_start − margin −
//   round length] and r mod window_len < expected_per_epoch (and no round runs: the caller).
// The last eligible start makes the round's result height next poc_start − margin, so with
// margin ≥ 1 a round always ends before the next Sprint starts.
import { createHash } from 'node:crypto';
import type { ConfirmationParams, ConfirmationRound } from '../../proto/gen/gonka/poc/v1/poc.js';
import { roundLength } from './confirmationParams.js';

const DOMAIN = Buffer.from('gonka/poc/confirmation');

export function triggerValue(height: bigint, lastBlockHash: Uint8Array): bigint {
  const h = Buffer.alloc(8);
  h.writeBigUInt64BE(height);
  return createHash('sha256').update(DOMAIN).update(h).update(lastBlockHash).digest().readBigUInt64BE(0);
}

export interface Window {
  first: bigint;
  last: bigint;
}

/** The heights a round may start at in an epoch, or undefined when none fits. */
export function eligibleWindow(
  epochStart: bigint,
  nextPocStart: bigint,
  c: ConfirmationParams,
): Window | undefined {
  const first = epochStart + c.boundaryMargin;
  const last = nextPocStart - c.boundaryMargin - roundLength(c);
  return last >= first ? { first, last } : undefined;
}

/** Whether a round starts at `height` (given no round runs then). */
export function triggers(
  height: bigint,
  lastBlockHash: Uint8Array,
  window: Window | undefined,
  expectedPerEpoch: number,
): boolean {
  if (!window || expectedPerEpoch <= 0 || height < window.first || height > window.last) return false;
  const len = window.last - window.first + 1n;
  return triggerValue(height, lastBlockHash) % len < BigInt(expectedPerEpoch);
}

/** Round `round` of `epoch` starting at `start`, its stage heights like the Sprint's. */
export function planRound(
  epoch: bigint,
  round: number,
  start: bigint,
  c: ConfirmationParams,
): ConfirmationRound {
  const commitStart = start + c.generationBlocks;
  const validationStart = commitStart + c.commitBlocks;
  return {
    epoch,
    round,
    start,
    commitStart,
    validationStart,
    resultHeight: validationStart + c.validationBlocks,
    seed: new Uint8Array(0),
    validationHash: new Uint8Array(0),
    params: c,
    finished: false,
  };
}

/** Commits: start + 1 … validation_start − 1 (the seed, block start's hash, is known after start). */
export const roundCommitOpen = (r: ConfirmationRound, h: bigint): boolean =>
  h > r.start && h < r.validationStart;

/** Votes: validation_start … result_height − 1. */
export const roundValidationOpen = (r: ConfirmationRound, h: bigint): boolean =>
  h >= r.validationStart && h < r.resultHeight;
