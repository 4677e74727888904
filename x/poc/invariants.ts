// x/poc's invariants (run by the module manager: in tests, after every simulated block, through
// /app/invariants and on nodes with --check-invariants-every N). Each returns what is broken.
import type { Context } from '../../app/runtime/context.js';
import type { StoreKey } from '../../app/runtime/storeKey.js';
import type { PocKeeper } from './keeper.js';
import { consAddressOf, iterateConsAddressIndex } from './validatorIndex.js';

/**
 * Σ weights = total (DESIGN.md §3.9), the validator index matches the participants, and every
 * power sent belongs to a participant.
 */
export function pocInvariants(ctx: Context, keeper: PocKeeper, store: StoreKey): string[] {
  const broken: string[] = [];
  // The total is stored and kept on every weight change, so this compares two independent
  // records: a drift in either shows.
  const sum = keeper.sumOfWeights(ctx);
  const total = keeper.totalWeight(ctx);
  if (sum !== total) broken.push(`sum of weights ${sum} != stored total weight ${total}`);
  for (const { consAddr, participant } of iterateConsAddressIndex(ctx, store)) {
    const p = keeper.getParticipant(ctx, participant);
    if (!p || !Buffer.from(consAddressOf(p.consensusPubkey)).equals(Buffer.from(consAddr)))
      broken.push(`validator index entry ${Buffer.from(consAddr).toString('hex')} is stale`);
  }
  if (keeper.validatorCount(ctx) !== keeper.participants(ctx).length)
    broken.push('validator index and participants differ in size');
  for (const v of keeper.powers(ctx))
    if (!keeper.getParticipant(ctx, v.address)) broken.push(`power sent for non-participant ${v.address}`);
  return broken;
}
