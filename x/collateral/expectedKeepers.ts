// What x/collateral's evidence and liveness handling reads from x/poc (the module above it, wired
// in app.ts): CometBFT validator addresses resolved to participants, and their weights.
import type { Context } from '../../app/runtime/context.js';

export interface ValidatorLookup {
  /** The participant whose consensus key has this 20-byte CometBFT address; undefined if none. */
  participantByConsAddress(ctx: Context, consAddr: Uint8Array): string | undefined;
  /** How many validators there can be (one per participant): bounds CometBFT's per-block lists. */
  validatorCount(ctx: Context): number;
  /** The participant, when it is one (its weight this epoch). */
  getParticipant(ctx: Context, address: string): { weight: bigint } | undefined;
}
