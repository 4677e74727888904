// x/poc keeper, first piece: the epoch clock, participants with their weights, and the CometBFT
// validator set derived from those weights. x/poc is the only module that sets
// ctx.effects.validatorUpdates (DESIGN.md §2, §4).
//
// Timing: epoch e spans [start, nextStart). Updates returned by FinalizeBlock(H) take effect at
// H+2, so the next epoch's set is sent from EndBlock(nextStart − 2); the boundary block's
// BeginBlock then makes the next weights current and runs the epoch hooks (x/collateral first).

import { addressBytes, addressString } from '../../app/runtime/address.js';
import type { Context } from '../../app/runtime/context.js';
import { assertInvariant } from '../../app/runtime/invariants.js';
import { prefixEnd, readU64, u64 } from '../../app/runtime/keys.js';
import type { StoreKey } from '../../app/runtime/storeKey.js';
import {
  EpochState,
  Params,
  Participant,
  type Params as PocParams,
  type SprintState,
} from '../../proto/gen/gonka/poc/v1/poc.js';
import { ConfirmationStore } from './confirmationStore.js';
import { pocErrors } from './errors.js';
import * as ev from './events.js';
import type {
  AccountKeys,
  EpochHook,
  FraudPenalties,
  JailView,
  Slasher,
  StageHook,
  WeightActivation,
  WeightSource,
} from './expectedKeepers.js';
import { FraudStore } from './fraudStore.js';
import {
  EPOCH_KEY,
  NEXT_WEIGHT_PREFIX,
  nextWeightKey,
  PARAMS_KEY,
  PARTICIPANT_PREFIX,
  POWER_PREFIX,
  participantKey,
  powerKey,
  TOTAL_WEIGHT_KEY,
} from './keys.js';
import { defaultPocParams, sprintEnabled, sprintSpan, validatePocParams } from './params.js';
import { SprintStore } from './sprintStore.js';
import { planSprint, type StageStart, stageStartingAt } from './stages.js';
import { indexConsensusKey, indexedValidatorCount, participantByConsAddress } from './validatorIndex.js';
import { finalizeWeights } from './weights.js';

/** ed25519 public keys are 32 bytes; CometBFT rejects anything else. */
export const ED25519_PUBKEY_LENGTH = 32;
/** CometBFT's MaxTotalVotingPower is 2^60/8; keep every weight and the total far below it. */
export const MAX_WEIGHT = 1n << 50n;
/** Sprints kept with their commits, votes and results: the running one and the two before it. */
export const PRUNE_KEEP = 3n;

export interface ValidatorUpdate {
  pubKeyEd25519: Uint8Array;
  power: bigint;
}

export class PocKeeper implements WeightSource {
  private readonly hooks: EpochHook[] = [];
  private readonly stageHooks: StageHook[] = [];
  readonly sprints: SprintStore;
  /** Fraud records and the commits fraud proofs attack (fraud.ts). */
  readonly fraud: FraudStore;
  /** x/collateral's slash and jail, x/bank's reward payment (fraud proofs); set at wiring. */
  penalties?: FraudPenalties;
  /** Confirmation rounds (confirmation.ts). */
  readonly confirmations: ConfirmationStore;
  /** x/collateral's slashing (the confirmation rounds' downtime slash); set in app.ts. */
  slasher?: Slasher;
  /** x/auth's account keys (sample signatures); set at wiring. */
  accounts?: AccountKeys;
  /** x/collateral's weight activation; without it accepted weights are used as they are. */
  activation?: WeightActivation;

  constructor(
    private readonly key: StoreKey,
    private readonly jails?: JailView,
  ) {
    this.sprints = new SprintStore(key);
    this.confirmations = new ConfirmationStore(key);
    this.fraud = new FraudStore(key, this.sprints, this.confirmations);
  }

  /** Subscribes a module to the Sprint's stages (wiring time only). */
  addStageHook(hook: StageHook): void {
    if (this.stageHooks.some((h) => h.name === hook.name))
      throw new Error(`stage hook ${hook.name} added twice`);
    this.stageHooks.push(hook);
  }

  /** Subscribes a module to epoch starts (wiring time only, in dependency order). */
  addEpochHook(hook: EpochHook): void {
    if (this.hooks.some((h) => h.name === hook.name)) throw new Error(`epoch hook ${hook.name} added twice`);
    this.hooks.push(hook);
  }

  epochHooks(): readonly EpochHook[] {
    return this.hooks;
  }

  // ---- params ----------------------------------------------------------------------------------

  getParams(ctx: Context): PocParams {
    const raw = ctx.kv(this.key).get(PARAMS_KEY);
    return raw ? Params.decode(raw) : defaultPocParams();
  }

  setParams(ctx: Context, p: PocParams): void {
    validatePocParams(p);
    ctx.kv(this.key).set(PARAMS_KEY, Params.encode(p).finish());
  }

  // ---- epoch clock -----------------------------------------------------------------------------

  epochState(ctx: Context): EpochState {
    const raw = ctx.kv(this.key).get(EPOCH_KEY);
    if (raw) return EpochState.decode(raw);
    return { epoch: 0n, startHeight: 1n, nextStartHeight: 1n + this.getParams(ctx).epochLength };
  }

  setEpochState(ctx: Context, s: EpochState): void {
    if (s.nextStartHeight <= s.startHeight)
      throw pocErrors.invalidGenesis(
        `epoch ${s.epoch} ends (${s.nextStartHeight}) before it starts (${s.startHeight})`,
      );
    ctx.kv(this.key).set(EPOCH_KEY, EpochState.encode(s).finish());
  }

  currentEpoch(ctx: Context): bigint {
    return this.epochState(ctx).epoch;
  }

  /** BeginBlock: at the boundary, start the next epoch (new weights, then the hooks). */
  beginBlock(ctx: Context): void {
    const s = this.epochState(ctx);
    if (ctx.header.height < s.nextStartHeight) return;
    const next: EpochState = {
      epoch: s.epoch + 1n,
      startHeight: ctx.header.height,
      nextStartHeight: ctx.header.height + this.getParams(ctx).epochLength,
    };
    this.setEpochState(ctx, next);
    this.applyNextWeights(ctx);
    ctx.events.emit(ev.newEpoch(next.epoch, next.startHeight, next.nextStartHeight));
    for (const h of this.hooks) h.onEpochAdvance(ctx, next.epoch);
  }

  /**
   * BeginBlock, after the epoch clock: start the Sprint for the next epoch at its P (params
   * snapshotted, seed = this block's hash), then the running Sprint's stage work: the validation
   * hash at validation_start, the weights at weights_final. Then the stage hooks.
   */
  sprintBeginBlock(ctx: Context): void {
    const h = ctx.header.height;
    const s = this.epochState(ctx);
    const params = this.getParams(ctx);
    if (
      sprintEnabled(params) &&
      h === s.nextStartHeight - sprintSpan(params) &&
      !this.sprints.getSprint(ctx, s.epoch + 1n)
    ) {
      if (h <= s.startHeight) ctx.events.emit(ev.pocSprintSkipped(s.epoch + 1n, h));
      else {
        const sprint = planSprint(s.epoch + 1n, s.nextStartHeight, params);
        sprint.seed = Uint8Array.from(ctx.header.hash);
        this.sprints.setSprint(ctx, sprint);
        if (sprint.epoch >= PRUNE_KEEP) {
          this.sprints.pruneBefore(ctx, sprint.epoch - PRUNE_KEEP + 1n);
          this.confirmations.pruneBefore(ctx, sprint.epoch - PRUNE_KEEP + 1n);
        }
      }
    }
    const sprint = this.sprints.latestSprint(ctx);
    if (!sprint || sprint.nextStart !== s.nextStartHeight) return;
    const stage = stageStartingAt(sprint, h);
    if (!stage) return;
    if (stage === 'validation') {
      sprint.validationHash = Uint8Array.from(ctx.header.hash);
      this.sprints.setSprint(ctx, sprint);
    } else if (stage === 'weights_final') finalizeWeights(ctx, this, this.sprints, sprint, this.activation);
    this.emitStage(ctx, stage, sprint);
  }

  private emitStage(ctx: Context, stage: StageStart, sprint: SprintState): void {
    ctx.events.emit(ev.pocStage(sprint.epoch, stage, ctx.header.height));
    for (const hook of this.stageHooks) hook.onStage(ctx, stage, sprint);
  }

  /**
   * EndBlock: from nextStart − 2 on, send CometBFT whatever differs from the next epoch's set;
   * before that, only when this block jailed or unjailed someone, the current set with the jailed at
   * 0 — so a jailing takes effect at H+2 instead of at the next epoch.
   */
  endBlock(ctx: Context): void {
    const s = this.epochState(ctx);
    if (ctx.header.height + 2n >= s.nextStartHeight)
      this.emitValidatorUpdates(ctx, this.targetPowers(ctx, true));
    else if (ctx.effects.jailChanged) this.emitValidatorUpdates(ctx, this.targetPowers(ctx, false));
  }

  // ---- participants and weights ------------------------------------------------------------------

  getParticipant(ctx: Context, address: string): Participant | undefined {
    const raw = ctx.kv(this.key).get(participantKey(addressBytes(address)));
    return raw ? Participant.decode(raw) : undefined;
  }

  /** Writes a participant, moves the stored total by the change in its weight and keeps the
   * CometBFT-address index in step with its consensus key. */
  setParticipant(ctx: Context, p: Participant): void {
    validateParticipant(p);
    const old = this.getParticipant(ctx, p.address);
    const before = old?.weight ?? 0n;
    ctx.kv(this.key).set(participantKey(addressBytes(p.address)), Participant.encode(p).finish());
    if (p.weight !== before) this.setTotalWeight(ctx, this.totalWeight(ctx) - before + p.weight);
    indexConsensusKey(ctx, this.key, p.address, old?.consensusPubkey, p.consensusPubkey);
  }

  /** The participant running the CometBFT validator with this 20-byte address, if any. */
  participantByConsAddress(ctx: Context, consAddr: Uint8Array): string | undefined {
    return participantByConsAddress(ctx, this.key, consAddr);
  }

  /** How many validators there can be (one per participant): bounds CometBFT's per-block lists. */
  validatorCount(ctx: Context): number {
    return indexedValidatorCount(ctx, this.key);
  }

  *iterateParticipants(ctx: Context): Generator<Participant> {
    for (const [, v] of ctx.kv(this.key).iterator(PARTICIPANT_PREFIX, prefixEnd(PARTICIPANT_PREFIX)))
      yield Participant.decode(v);
  }

  /** Participants with their raw store keys, from `startKey` (pagination). */
  *iterateParticipantEntries(ctx: Context, startKey?: Uint8Array): Generator<[Uint8Array, Participant]> {
    for (const [k, v] of ctx
      .kv(this.key)
      .iterator(startKey ?? PARTICIPANT_PREFIX, prefixEnd(PARTICIPANT_PREFIX)))
      yield [k, Participant.decode(v)];
  }

  /** Every participant's address, in address-byte order. */
  *iterateParticipantsSorted(ctx: Context): Generator<string> {
    for (const p of this.iterateParticipants(ctx)) yield p.address;
  }

  participants(ctx: Context): Participant[] {
    return [...this.iterateParticipants(ctx)];
  }

  weightOf(ctx: Context, address: string): bigint {
    return this.getParticipant(ctx, address)?.weight ?? 0n;
  }

  /** Σ of every participant's weight this epoch: the stored total, one read (not a scan). */
  totalWeight(ctx: Context): bigint {
    const raw = ctx.kv(this.key).get(TOTAL_WEIGHT_KEY);
    return raw ? readU64(raw) : 0n;
  }

  private setTotalWeight(ctx: Context, total: bigint): void {
    assertInvariant(total >= 0n, `poc total weight would become ${total}`);
    if (total === 0n) ctx.kv(this.key).delete(TOTAL_WEIGHT_KEY);
    else ctx.kv(this.key).set(TOTAL_WEIGHT_KEY, u64(total));
  }

  /** Σ weights recomputed from the participants (the invariant's other side). */
  sumOfWeights(ctx: Context): bigint {
    let sum = 0n;
    for (const p of this.iterateParticipants(ctx)) sum += p.weight;
    return sum;
  }

  /** Schedules a participant's weight for the next epoch (PoC results, later issues; tests now). */
  setNextWeight(ctx: Context, address: string, weight: bigint): void {
    if (!this.getParticipant(ctx, address)) throw pocErrors.unknownParticipant(address);
    if (weight < 0n || weight > MAX_WEIGHT)
      throw pocErrors.invalidParticipant(`weight ${weight} is outside [0, ${MAX_WEIGHT}]`);
    ctx.kv(this.key).set(nextWeightKey(addressBytes(address)), u64(weight));
  }

  /** Scheduled next-epoch weights, in address-byte order. */
  nextWeights(ctx: Context): { address: string; weight: bigint }[] {
    const out = [];
    for (const [k, v] of ctx.kv(this.key).iterator(NEXT_WEIGHT_PREFIX, prefixEnd(NEXT_WEIGHT_PREFIX)))
      out.push({ address: addressString(k.subarray(1)), weight: readU64(v) });
    return out;
  }

  private applyNextWeights(ctx: Context): void {
    const kv = ctx.kv(this.key);
    const pending = [...kv.iterator(NEXT_WEIGHT_PREFIX, prefixEnd(NEXT_WEIGHT_PREFIX))];
    for (const [k, v] of pending) {
      const address = addressString(k.subarray(1));
      const p = this.getParticipant(ctx, address);
      if (p) this.setParticipant(ctx, { ...p, weight: readU64(v) });
      kv.delete(k);
    }
  }

  // ---- validator set -------------------------------------------------------------------------------

  /** The CometBFT power last sent for each participant (absent = 0), in address-byte order. */
  powers(ctx: Context): { address: string; power: bigint }[] {
    const out = [];
    for (const [k, v] of ctx.kv(this.key).iterator(POWER_PREFIX, prefixEnd(POWER_PREFIX)))
      out.push({ address: addressString(k.subarray(1)), power: readU64(v) });
    return out;
  }

  setPower(ctx: Context, address: string, power: bigint): void {
    const key = powerKey(addressBytes(address));
    if (power === 0n) ctx.kv(this.key).delete(key);
    else ctx.kv(this.key).set(key, u64(power));
  }

  /** Power each participant should have: its (next, when `next`) weight, 0 while jailed. */
  targetPowers(ctx: Context, next: boolean): Map<string, bigint> {
    const scheduled = next
      ? new Map(this.nextWeights(ctx).map((w) => [w.address, w.weight]))
      : new Map<string, bigint>();
    const out = new Map<string, bigint>();
    for (const p of this.iterateParticipants(ctx)) {
      const w = scheduled.get(p.address) ?? p.weight;
      out.set(p.address, this.jails?.isJailed(ctx, p.address) ? 0n : w);
    }
    return out;
  }

  /**
   * Sends CometBFT the changes from the stored powers to `target`, in address order. A set with no
   * power left would halt CometBFT, so such a target is not sent (the old set stays).
   */
  emitValidatorUpdates(ctx: Context, target: Map<string, bigint>): ValidatorUpdate[] {
    let total = 0n;
    for (const w of target.values()) total += w;
    if (total === 0n) return [];
    const current = new Map(this.powers(ctx).map((p) => [p.address, p.power]));
    const updates: ValidatorUpdate[] = [];
    for (const p of this.iterateParticipants(ctx)) {
      const want = target.get(p.address) ?? 0n;
      if ((current.get(p.address) ?? 0n) === want) continue;
      updates.push({ pubKeyEd25519: p.consensusPubkey, power: want });
      this.setPower(ctx, p.address, want);
      ctx.events.emit(ev.validatorPower(p.address, want));
    }
    if (updates.length > 0)
      ctx.effects.validatorUpdates = [...(ctx.effects.validatorUpdates ?? []), ...updates];
    return updates;
  }
}

export function validateParticipant(p: Participant): void {
  addressBytes(p.address);
  if (p.consensusPubkey.length !== ED25519_PUBKEY_LENGTH)
    throw pocErrors.invalidParticipant(
      `${p.address}: consensus_pubkey must be a ${ED25519_PUBKEY_LENGTH}-byte ed25519 key, got ${p.consensusPubkey.length} bytes`,
    );
  if (p.weight < 0n || p.weight > MAX_WEIGHT)
    throw pocErrors.invalidParticipant(`${p.address}: weight ${p.weight} is outside [0, ${MAX_WEIGHT}]`);
}
