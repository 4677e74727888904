// x/collateral keeper: deposits held by the `collateral` module account, an unbonding queue by
// maturity epoch (still slashable), proportional slashing to the governance account at most once
// per (participant, reason) per epoch, and the jailed set. The epoch comes from x/poc through
// onEpochAdvance, so this module needs nothing above it.

import { addressBytes, addressString } from '../../app/runtime/address.js';
import { bookkeeping } from '../../app/runtime/bookkeeping.js';
import type { Context } from '../../app/runtime/context.js';
import { formatDec } from '../../app/runtime/decimal.js';
import { assertInvariant } from '../../app/runtime/invariants.js';
import { prefixEnd, readU64, u64 } from '../../app/runtime/keys.js';
import type { StoreKey } from '../../app/runtime/storeKey.js';
import {
  type Params as CollateralParams,
  Params,
  type UnbondingEntry,
} from '../../proto/gen/gonka/collateral/v1/collateral.js';
import { collateralErrors } from './errors.js';
import * as ev from './events.js';
import type {
  CollateralAccountKeeper,
  CollateralBankKeeper,
  EpochClock,
  ValidatorLookup,
} from './expectedKeepers.js';
import {
  COLLATERAL_PREFIX,
  collateralKey,
  JAILED_PREFIX,
  jailedKey,
  PARAMS_KEY,
  parseSlashRecordKey,
  SLASH_RECORD_PREFIX,
  STORE,
  slashRecordKey,
  UNBONDING_BY_PARTICIPANT_PREFIX,
  UNBONDING_PREFIX,
  unbondingByParticipantKey,
  unbondingByParticipantPrefix,
  unbondingEpochPrefix,
  unbondingKey,
} from './keys.js';
import {
  canonicalCollateralParams,
  defaultCollateralParams,
  ONE,
  type ParsedCollateralParams,
  parseCollateralParams,
} from './params.js';
import { getSigningInfo, newSigningInfo, setSigningInfo } from './signingInfo.js';
import { activatedWeight, mulFloor } from './weight.js';

export const COLLATERAL_MODULE = 'collateral';
export const COLLATERAL_DENOM = 'ngonka';
/** Reasons with a param-defined fraction; other modules may use their own reason strings. */
export const SLASH_INVALID = 'invalid';
export const SLASH_DOWNTIME = 'downtime';
export const SLASH_DOUBLE_SIGN = 'double_sign';
const REASON_RE = /^[a-z][a-z0-9_]{0,63}$/;

const enc = new TextEncoder();
const dec = new TextDecoder();
const amountOf = (v: Uint8Array) => BigInt(dec.decode(v));

export interface SlashResult {
  /** false when this participant was already slashed for this reason this epoch */
  applied: boolean;
  fromActive: bigint;
  fromUnbonding: bigint;
}

export class CollateralKeeper {
  /** x/poc's view of validators (wired in app.ts once x/poc exists); evidence is ignored without it. */
  validators?: ValidatorLookup;

  // Private: no keeper hands out another keeper; app.ts wires the concrete x/bank and x/auth keepers.
  constructor(
    private readonly key: StoreKey,
    private readonly bank: CollateralBankKeeper,
    private readonly auth: CollateralAccountKeeper,
    /** The governance module account's address: slashed collateral goes there (given at wiring). */
    private readonly authority: string,
  ) {}

  /** x/poc's epoch clock (wired in app.ts once x/poc exists): the only record of the epoch. */
  private epochs?: EpochClock;

  setValidatorLookup(v: ValidatorLookup): void {
    this.validators = v;
  }

  setEpochClock(c: EpochClock): void {
    this.epochs = c;
  }

  // ---- params and epoch ----------------------------------------------------------------------

  getParams(ctx: Context): CollateralParams {
    const raw = ctx.kv(this.key).get(PARAMS_KEY);
    return raw ? Params.decode(raw) : canonicalCollateralParams(defaultCollateralParams());
  }

  parsedParams(ctx: Context): ParsedCollateralParams {
    return parseCollateralParams(this.getParams(ctx));
  }

  setParams(ctx: Context, p: CollateralParams): void {
    ctx.kv(this.key).set(PARAMS_KEY, Params.encode(canonicalCollateralParams(p)).finish());
  }

  /** The current epoch, read from x/poc's clock (x/collateral stores none). */
  currentEpoch(ctx: Context): bigint {
    if (!this.epochs) throw new Error('x/collateral: no epoch clock wired (app.ts wires x/poc)');
    return this.epochs.currentEpoch(ctx);
  }

  /**
   * x/poc's epoch hook (x/poc has already moved its clock to `epoch`): release every entry that
   * has matured. Each release
   * is bookkeeping on its own branch: one that fails is a `bookkeeping_failure` event and its
   * entry stays queued (retried at the next epoch), never a halt.
   */
  onEpochAdvance(ctx: Context, epoch: bigint): void {
    const due = [...ctx.kv(this.key).iterator(UNBONDING_PREFIX, unbondingEpochPrefix(epoch + 1n))];
    for (const [k, v] of due) {
      const addr = k.subarray(9);
      const participant = addressString(addr);
      const amount = amountOf(v);
      bookkeeping(ctx, { module: STORE, action: 'release', id: participant }, (c) => {
        c.kv(this.key).delete(k);
        c.kv(this.key).delete(unbondingByParticipantKey(addr, readU64(k.subarray(1, 9))));
        this.bank.sendCoinsFromModule(c, COLLATERAL_MODULE, participant, [
          { denom: COLLATERAL_DENOM, amount },
        ]);
        c.events.emit(ev.released(participant, `${amount}${COLLATERAL_DENOM}`, epoch));
      });
    }
  }

  /** The ngonka balance of the collateral module account (what the held collateral must equal). */
  moduleAccountBalance(ctx: Context): bigint {
    return this.bank.balance(ctx, this.auth.moduleAddress(COLLATERAL_MODULE), COLLATERAL_DENOM);
  }

  /** Genesis: the module account exists once it holds collateral. */
  ensureModuleAccount(ctx: Context): void {
    this.auth.ensureModuleAccount(ctx, COLLATERAL_MODULE);
  }

  // ---- collateral ------------------------------------------------------------------------------

  collateralOf(ctx: Context, participant: string): bigint {
    const raw = ctx.kv(this.key).get(collateralKey(addressBytes(participant)));
    return raw ? amountOf(raw) : 0n;
  }

  private setCollateral(ctx: Context, participant: string, amount: bigint): void {
    assertInvariant(amount >= 0n, `negative collateral ${amount} for ${participant}`);
    const key = collateralKey(addressBytes(participant));
    if (amount === 0n) ctx.kv(this.key).delete(key);
    else ctx.kv(this.key).set(key, enc.encode(amount.toString()));
  }

  *iterateCollateral(ctx: Context): Generator<{ participant: string; amount: bigint }> {
    for (const [k, v] of ctx.kv(this.key).iterator(COLLATERAL_PREFIX, prefixEnd(COLLATERAL_PREFIX)))
      yield { participant: addressString(k.subarray(1)), amount: amountOf(v) };
  }

  deposit(ctx: Context, participant: string, amount: bigint): void {
    if (amount <= 0n) throw collateralErrors.invalidAmount(`deposit of ${amount} must be positive`);
    this.bank.sendCoinsToModule(ctx, participant, COLLATERAL_MODULE, [{ denom: COLLATERAL_DENOM, amount }]);
    this.setCollateral(ctx, participant, this.collateralOf(ctx, participant) + amount);
    ctx.events.emit(ev.deposit(participant, `${amount}${COLLATERAL_DENOM}`));
  }

  /** Moves active collateral into the queue; returns the epoch it is released at. */
  withdraw(ctx: Context, participant: string, amount: bigint): bigint {
    if (amount <= 0n) throw collateralErrors.invalidAmount(`withdrawal of ${amount} must be positive`);
    const have = this.collateralOf(ctx, participant);
    if (amount > have)
      throw collateralErrors.insufficientCollateral(
        `${participant} has ${have}${COLLATERAL_DENOM} deposited, asked for ${amount}${COLLATERAL_DENOM}`,
      );
    this.setCollateral(ctx, participant, have - amount);
    const completion = this.currentEpoch(ctx) + this.parsedParams(ctx).unbondingPeriodEpochs;
    const addr = addressBytes(participant);
    const key = unbondingKey(completion, addr);
    const prev = ctx.kv(this.key).get(key);
    const queued = (prev ? amountOf(prev) : 0n) + amount;
    assertInvariant(queued > 0n, `unbonding entry of ${participant} would be ${queued}`);
    ctx.kv(this.key).set(key, enc.encode(queued.toString()));
    if (!prev) ctx.kv(this.key).set(unbondingByParticipantKey(addr, completion), Uint8Array.of(1));
    ctx.events.emit(ev.withdraw(participant, `${amount}${COLLATERAL_DENOM}`, completion));
    return completion;
  }

  /** Every unbonding entry in maturity order, then address order. */
  *iterateUnbonding(ctx: Context): Generator<UnbondingEntry & { key: Uint8Array }> {
    for (const [k, v] of ctx.kv(this.key).iterator(UNBONDING_PREFIX, prefixEnd(UNBONDING_PREFIX)))
      yield {
        key: k,
        participant: addressString(k.subarray(9)),
        completionEpoch: readU64(k.subarray(1, 9)),
        amount: dec.decode(v),
      };
  }

  /** One participant's unbonding entries in maturity order, through the participant index. */
  *iterateUnbondingOf(ctx: Context, participant: string): Generator<UnbondingEntry & { key: Uint8Array }> {
    const addr = addressBytes(participant);
    const prefix = unbondingByParticipantPrefix(addr);
    const kv = ctx.kv(this.key);
    for (const [k] of kv.iterator(prefix, prefixEnd(prefix))) {
      const completionEpoch = readU64(k.subarray(prefix.length));
      const key = unbondingKey(completionEpoch, addr);
      const v = kv.get(key);
      if (v) yield { key, participant, completionEpoch, amount: dec.decode(v) };
    }
  }

  unbondingOf(ctx: Context, participant: string): UnbondingEntry[] {
    return [...this.iterateUnbondingOf(ctx, participant)].map(({ key: _k, ...e }) => e);
  }

  /** Genesis only: writes an unbonding entry as exported. */
  setUnbonding(ctx: Context, e: UnbondingEntry): void {
    const addr = addressBytes(e.participant);
    ctx.kv(this.key).set(unbondingKey(e.completionEpoch, addr), enc.encode(BigInt(e.amount).toString()));
    ctx.kv(this.key).set(unbondingByParticipantKey(addr, e.completionEpoch), Uint8Array.of(1));
  }

  /** Genesis only. */
  setCollateralGenesis(ctx: Context, participant: string, amount: bigint): void {
    this.setCollateral(ctx, participant, amount);
  }

  // ---- slashing ---------------------------------------------------------------------------------

  /** The param fraction for the standard reasons (atto-units). */
  slashFraction(ctx: Context, reason: string): bigint {
    const p = this.parsedParams(ctx);
    if (reason === SLASH_INVALID) return p.slashFractionInvalid;
    if (reason === SLASH_DOWNTIME) return p.slashFractionDowntime;
    if (reason === SLASH_DOUBLE_SIGN) return p.slashFractionDoubleSign;
    throw collateralErrors.invalidSlash(`no param fraction for reason '${reason}'`);
  }

  /**
   * Slashes `fraction` (atto-units, 0 < f ≤ 1) of the participant's active collateral and of each
   * unbonding entry, rounding each down, and sends it to the governance account. A second slash
   * for the same reason in the same epoch does nothing.
   */
  slash(ctx: Context, participant: string, fraction: bigint, reason: string): SlashResult {
    if (fraction <= 0n || fraction > ONE)
      throw collateralErrors.invalidSlash(`fraction ${formatDec(fraction)} is outside (0, 1]`);
    if (!REASON_RE.test(reason))
      throw collateralErrors.invalidSlash(`reason '${reason}' must match ${REASON_RE}`);
    const addr = addressBytes(participant);
    const epoch = this.currentEpoch(ctx);
    const recordKey = slashRecordKey(addr, reason);
    const last = ctx.kv(this.key).get(recordKey);
    if (last && readU64(last) === epoch) return { applied: false, fromActive: 0n, fromUnbonding: 0n };
    ctx.kv(this.key).set(recordKey, u64(epoch));

    const active = this.collateralOf(ctx, participant);
    const fromActive = mulFloor(active, fraction);
    this.setCollateral(ctx, participant, active - fromActive);
    let fromUnbonding = 0n;
    const entries = [...this.iterateUnbondingOf(ctx, participant)];
    for (const e of entries) {
      const amount = BigInt(e.amount);
      const cut = mulFloor(amount, fraction);
      if (cut === 0n) continue;
      assertInvariant(cut > 0n && cut <= amount, `slash cut ${cut} of unbonding entry ${amount}`);
      fromUnbonding += cut;
      if (amount === cut) {
        ctx.kv(this.key).delete(e.key);
        ctx.kv(this.key).delete(unbondingByParticipantKey(addr, e.completionEpoch));
      } else ctx.kv(this.key).set(e.key, enc.encode((amount - cut).toString()));
    }
    const total = fromActive + fromUnbonding;
    if (total > 0n)
      this.bank.sendCoinsFromModule(ctx, COLLATERAL_MODULE, this.authority, [
        { denom: COLLATERAL_DENOM, amount: total },
      ]);
    ctx.events.emit(ev.slash(participant, reason, formatDec(fraction), fromActive, fromUnbonding, epoch));
    return { applied: true, fromActive, fromUnbonding };
  }

  *iterateSlashRecords(ctx: Context): Generator<{ participant: string; reason: string; epoch: bigint }> {
    for (const [k, v] of ctx.kv(this.key).iterator(SLASH_RECORD_PREFIX, prefixEnd(SLASH_RECORD_PREFIX))) {
      const { addr, reason } = parseSlashRecordKey(k);
      yield { participant: addressString(addr), reason, epoch: readU64(v) };
    }
  }

  /** Genesis only. */
  setSlashRecord(ctx: Context, participant: string, reason: string, epoch: bigint): void {
    if (!REASON_RE.test(reason))
      throw collateralErrors.invalidGenesis(`slash reason '${reason}' must match ${REASON_RE}`);
    ctx.kv(this.key).set(slashRecordKey(addressBytes(participant), reason), u64(epoch));
  }

  // ---- jailed set --------------------------------------------------------------------------------

  isJailed(ctx: Context, participant: string): boolean {
    return ctx.kv(this.key).has(jailedKey(addressBytes(participant)));
  }

  /**
   * Jailed participants get no CometBFT power: x/poc sends the change at this block's EndBlock
   * (ctx.effects.jailChanged), effective two blocks later.
   */
  jail(ctx: Context, participant: string): void {
    if (this.isJailed(ctx, participant)) return;
    ctx.kv(this.key).set(jailedKey(addressBytes(participant)), Uint8Array.of(1));
    ctx.effects.jailChanged = true;
    ctx.events.emit(ev.jail(participant, true));
  }

  /**
   * Jails and refuses MsgUnjail before `height` (the signing info's jailed_until, raised, never
   * lowered): a proven PoC forger sits out the rest of the epoch it cheated for.
   */
  jailUntil(ctx: Context, participant: string, height: bigint): void {
    this.jail(ctx, participant);
    const info = getSigningInfo(ctx, this.key, participant) ?? newSigningInfo(participant, ctx.header.height);
    if (info.jailedUntil < height) setSigningInfo(ctx, this.key, { ...info, jailedUntil: height });
  }

  unjail(ctx: Context, participant: string): void {
    if (!this.isJailed(ctx, participant)) return;
    ctx.kv(this.key).delete(jailedKey(addressBytes(participant)));
    ctx.effects.jailChanged = true;
    ctx.events.emit(ev.jail(participant, false));
  }

  /** Jailed participants in address order with their raw keys, from `startKey` (pagination). */
  *iterateJailed(ctx: Context, startKey?: Uint8Array): Generator<[Uint8Array, string]> {
    for (const [k] of ctx.kv(this.key).iterator(startKey ?? JAILED_PREFIX, prefixEnd(JAILED_PREFIX)))
      yield [k, addressString(k.subarray(1))];
  }

  jailed(ctx: Context): string[] {
    return [...ctx.kv(this.key).iterator(JAILED_PREFIX, prefixEnd(JAILED_PREFIX))].map(([k]) =>
      addressString(k.subarray(1)),
    );
  }

  // ---- weight activation and invariants ------------------------------------------------------------

  /** Effective weight of `potential` for this participant now: unscaled during the grace period. */
  effectiveWeight(ctx: Context, participant: string, potential: bigint): bigint {
    const p = this.parsedParams(ctx);
    if (this.currentEpoch(ctx) < p.gracePeriodEndEpoch) return potential;
    return activatedWeight(
      potential,
      this.collateralOf(ctx, participant),
      p.baseWeightRatio,
      p.collateralPerWeightUnit,
    );
  }

  /** Σ active + Σ unbonding. */
  totalHeld(ctx: Context): bigint {
    let total = 0n;
    for (const c of this.iterateCollateral(ctx)) total += c.amount;
    for (const e of this.iterateUnbonding(ctx)) total += BigInt(e.amount);
    return total;
  }

  /** The module account holds exactly the active plus unbonding collateral. */
  invariants(ctx: Context): string[] {
    const kv = ctx.kv(this.key);
    let queued = 0;
    for (const e of this.iterateUnbonding(ctx)) {
      queued++;
      if (!kv.has(unbondingByParticipantKey(addressBytes(e.participant), e.completionEpoch)))
        return [
          `unbonding entry of ${e.participant} at epoch ${e.completionEpoch} is missing from its index`,
        ];
    }
    let indexed = 0;
    for (const _ of kv.iterator(UNBONDING_BY_PARTICIPANT_PREFIX, prefixEnd(UNBONDING_BY_PARTICIPANT_PREFIX)))
      indexed++;
    if (indexed !== queued) return [`unbonding index has ${indexed} entries, the queue ${queued}`];
    const held = this.totalHeld(ctx);
    const balance = this.moduleAccountBalance(ctx);
    return held === balance ? [] : [`collateral held ${held} != module account balance ${balance}`];
  }
}
