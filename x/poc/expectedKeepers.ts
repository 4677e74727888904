// What x/poc needs from modules below it (x/collateral) and offers to modules above it
// (x/governance, x/bls, x/inference). Keeping these as interfaces lets each side be tested alone.
import type { Context } from '../../app/runtime/context.js';

/** A subscriber to the epoch clock. Hooks run in registration order in the boundary block's BeginBlock. */
export interface EpochHook {
  readonly name: string;
  /** Called once when `epoch` starts (its first block), after x/poc applied the new weights. */
  onEpochAdvance(ctx: Context, epoch: bigint): void;
}

/** The part of x/collateral x/poc reads: jailed participants get no CometBFT power. */
export interface JailView {
  isJailed(ctx: Context, participant: string): boolean;
}

/** The read API of x/poc that governance (voting power) and later modules use. */
export interface WeightSource {
  /** The participant's weight this epoch; 0n for non-participants. */
  weightOf(ctx: Context, address: string): bigint;
  /** Σ weight over all participants this epoch. */
  totalWeight(ctx: Context): bigint;
  /** Every participant, in address-byte order. */
  participants(ctx: Context): { address: string; consensusPubkey: Uint8Array; weight: bigint }[];
  /** Current epoch index (0 at genesis). */
  currentEpoch(ctx: Context): bigint;
}

/** x/auth's view x/poc needs: an account's secp256k1 key (the kernel key, sample signatures). */
export interface AccountKeys {
  /** The 33-byte compressed secp256k1 key on the account; undefined when none is set yet. */
  pubkeyOf(ctx: Context, address: string): Uint8Array | undefined;
}

/** x/collateral's weight activation (gonka.md §7), applied to accepted PoC weights. */
export interface WeightActivation {
  effectiveWeight(ctx: Context, participant: string, potential: bigint): bigint;
}

/** A subscriber to the Sprint's stages; hooks run in registration order in BeginBlock of the stage's
 * first block, after x/poc's own work for that stage (at weights_final: the weights are scheduled). */
export interface StageHook {
  readonly name: string;
  onStage(
    ctx: Context,
    stage: import('./stages.js').StageStart,
    sprint: import('../../proto/gen/gonka/poc/v1/poc.js').SprintState,
  ): void;
}

/**
 * What a proven forgery does outside x/poc (fraud.ts), wired in app.ts from x/collateral and x/bank:
 * the slash, the jail and the prover's reward from the governance account (where slashes go).
 */
export interface FraudPenalties {
  /** slash(participant, slash_fraction_invalid, 'poc_fraud'); the amount cut (0 when already
   * slashed for 'poc_fraud' this epoch). */
  slashForFraud(ctx: Context, participant: string): bigint;
  /** Jails `participant` and refuses its MsgUnjail before height `until`. */
  jail(ctx: Context, participant: string, until: bigint): void;
  /** Sends `amount` of the collateral denom from the governance account to `to`. */
  payFromGovernance(ctx: Context, to: string, amount: bigint): void;
}

/** x/collateral's slashing as x/poc uses it (confirmation rounds: the downtime slash). */
export interface Slasher {
  slashFraction(ctx: Context, reason: string): bigint;
  slash(
    ctx: Context,
    participant: string,
    fraction: bigint,
    reason: string,
  ): { applied: boolean; fromActive: bigint; fromUnbonding: bigint };
}
