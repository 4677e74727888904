// Consensus infractions, x/slashing style: FinalizeBlock's `misbehavior` (double sign) and
// `decided_last_commit` (liveness) reach x/collateral's BeginBlock through the block header. A
// double sign jails, slashes slash_fraction_double_sign and tombstones; missing more than
// (1 − min_signed_per_window) of signed_blocks_window blocks jails for downtime_jail_blocks and
// slashes slash_fraction_downtime. Jailing sets ctx.effects.jailChanged, so x/poc sends the
// validator's power 0 at this block's EndBlock (effective at H+2). Work per block is O(validators).
import { type Misbehavior, MisbehaviorType, type VoteInfo } from 'cosmjs-types/tendermint/abci/types';
import { BlockIDFlag } from 'cosmjs-types/tendermint/types/validator';
import { bookkeeping } from '../../app/runtime/bookkeeping.js';
import type { Context } from '../../app/runtime/context.js';
import type { StoreKey } from '../../app/runtime/storeKey.js';
import type { ValidatorSigningInfo } from '../../proto/gen/gonka/collateral/v1/collateral.js';
import { collateralErrors } from './errors.js';
import * as ev from './events.js';
import type { ValidatorLookup } from './expectedKeepers.js';
import { type CollateralKeeper, SLASH_DOUBLE_SIGN, SLASH_DOWNTIME } from './keeper.js';
import type { ParsedCollateralParams } from './params.js';
import {
  clearMissed,
  getSigningInfo,
  isMissed,
  iterateSigningInfos,
  newSigningInfo,
  setMissed,
  setSigningInfo,
} from './signingInfo.js';
import { mulFloor } from './weight.js';

/** jailed_until of a tombstoned validator: never. */
export const JAILED_FOREVER = (1n << 63n) - 1n;
/** CometBFT's evidence list is bounded by its evidence max_bytes; never scan more entries than this. */
export const MAX_MISBEHAVIOR_ENTRIES = 10_000;

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** BeginBlock: every misbehavior entry, then every vote of the last commit. */
export function handleConsensusInfo(
  ctx: Context,
  store: StoreKey,
  keeper: CollateralKeeper,
  validators: ValidatorLookup,
): void {
  const info = ctx.header.consensusInfo;
  if (!info || (info.misbehavior.length === 0 && info.lastCommitVotes.length === 0)) return;
  const bound = validators.validatorCount(ctx);
  if (bound === 0) return;
  const params = keeper.parsedParams(ctx);

  const punished = new Set<string>();
  const scan = Math.min(info.misbehavior.length, MAX_MISBEHAVIOR_ENTRIES);
  for (let i = 0; i < scan && punished.size < bound; i++) {
    const p = handleMisbehavior(ctx, store, keeper, validators, params, info.misbehavior[i]!);
    if (p) punished.add(p);
  }

  // CometBFT lists each validator of the last height's set once; more entries than participants
  // is not a list it sends, so only the first `bound` are looked at.
  const seen = new Set<string>();
  const votes = info.lastCommitVotes;
  for (let i = 0; i < votes.length && i < bound; i++) {
    const addr = hex(votes[i]!.validator?.address ?? new Uint8Array(0));
    if (seen.has(addr)) continue;
    seen.add(addr);
    handleVote(ctx, store, keeper, validators, params, votes[i]!);
  }
}

/** Returns the participant punished, if the entry was valid and new. */
function handleMisbehavior(
  ctx: Context,
  store: StoreKey,
  keeper: CollateralKeeper,
  validators: ValidatorLookup,
  params: ParsedCollateralParams,
  m: Misbehavior,
): string | undefined {
  if (m.type !== MisbehaviorType.DUPLICATE_VOTE && m.type !== MisbehaviorType.LIGHT_CLIENT_ATTACK) return;
  if (!m.validator || m.validator.power <= 0n) return;
  const participant = validators.participantByConsAddress(ctx, m.validator.address);
  if (!participant) return;
  const height = ctx.header.height;
  if (m.height > height || height - m.height > params.maxEvidenceAgeBlocks) return;
  const info = getSigningInfo(ctx, store, participant) ?? newSigningInfo(participant, height);
  if (info.tombstoned) return; // already punished for good: a repeated entry changes nothing
  // Money moves in BeginBlock: a failing slash is a bookkeeping_failure event, never a halt.
  bookkeeping(ctx, { module: 'collateral', action: 'slash_double_sign', id: participant }, (inner) => {
    if (params.slashFractionDoubleSign > 0n)
      keeper.slash(inner, participant, params.slashFractionDoubleSign, SLASH_DOUBLE_SIGN);
  });
  keeper.jail(ctx, participant);
  setSigningInfo(ctx, store, { ...info, tombstoned: true, jailedUntil: JAILED_FOREVER });
  ctx.events.emit(ev.consensusSlash(participant, m.validator.power, SLASH_DOUBLE_SIGN, m.height));
  return participant;
}

function handleVote(
  ctx: Context,
  store: StoreKey,
  keeper: CollateralKeeper,
  validators: ValidatorLookup,
  params: ParsedCollateralParams,
  vote: VoteInfo,
): void {
  if (!vote.validator || vote.validator.power <= 0n) return;
  const participant = validators.participantByConsAddress(ctx, vote.validator.address);
  // A jailed validator still signs (or not) for two more blocks: it is not counted, as in x/slashing.
  if (!participant || keeper.isJailed(ctx, participant)) return;
  const height = ctx.header.height;
  const window = params.signedBlocksWindow;
  const info = getSigningInfo(ctx, store, participant) ?? newSigningInfo(participant, height);

  const index = info.indexOffset % window;
  info.indexOffset += 1n;
  const missed = vote.blockIdFlag === BlockIDFlag.BLOCK_ID_FLAG_ABSENT;
  const wasMissed = isMissed(ctx, store, participant, index);
  if (missed && !wasMissed) {
    setMissed(ctx, store, participant, index, true);
    info.missedBlocksCounter += 1n;
  } else if (!missed && wasMissed) {
    setMissed(ctx, store, participant, index, false);
    info.missedBlocksCounter -= 1n;
  }
  if (missed) ctx.events.emit(ev.liveness(participant, info.missedBlocksCounter, height));

  const maxMissed = window - mulFloor(window, params.minSignedPerWindow);
  if (height > info.startHeight + window && info.missedBlocksCounter > maxMissed) {
    bookkeeping(ctx, { module: 'collateral', action: 'slash_downtime', id: participant }, (inner) => {
      if (params.slashFractionDowntime > 0n)
        keeper.slash(inner, participant, params.slashFractionDowntime, SLASH_DOWNTIME);
    });
    keeper.jail(ctx, participant);
    ctx.events.emit(ev.consensusSlash(participant, vote.validator.power, 'missing_signature', height));
    clearMissed(ctx, store, participant);
    info.missedBlocksCounter = 0n;
    info.indexOffset = 0n;
    info.jailedUntil = height + params.downtimeJailBlocks;
  }
  setSigningInfo(ctx, store, info);
}

/**
 * MsgUnjail: only a participant, only while jailed, never when tombstoned, only from jailed_until
 * on, and only while its collateral still activates some of its weight. Its window starts afresh
 * at this height, so it is not jailed again for blocks missed before.
 */
export function unjailValidator(
  ctx: Context,
  store: StoreKey,
  keeper: CollateralKeeper,
  validators: ValidatorLookup,
  participant: string,
): void {
  const p = validators.getParticipant(ctx, participant);
  if (!p) throw collateralErrors.notParticipant(`${participant} is not a participant`);
  if (!keeper.isJailed(ctx, participant)) throw collateralErrors.notJailed(`${participant} is not jailed`);
  const info = getSigningInfo(ctx, store, participant);
  if (info?.tombstoned) throw collateralErrors.tombstoned(`${participant} double-signed and stays jailed`);
  const height = ctx.header.height;
  if (info && height < info.jailedUntil)
    throw collateralErrors.jailPeriodNotOver(`${participant} is jailed until height ${info.jailedUntil}`);
  if (keeper.effectiveWeight(ctx, participant, p.weight) === 0n)
    throw collateralErrors.insufficientForUnjail(
      `${participant}'s collateral (${keeper.collateralOf(ctx, participant)}ngonka) activates none of its weight ${p.weight}`,
    );
  keeper.unjail(ctx, participant);
  restartWindow(ctx, store, info ?? newSigningInfo(participant, height), height);
}

function restartWindow(ctx: Context, store: StoreKey, info: ValidatorSigningInfo, height: bigint): void {
  clearMissed(ctx, store, info.participant);
  setSigningInfo(ctx, store, { ...info, startHeight: height, indexOffset: 0n, missedBlocksCounter: 0n });
}

/** A signed_blocks_window change invalidates every bitmap index: every window starts afresh. */
export function restartAllWindows(ctx: Context, store: StoreKey): void {
  const infos = [...iterateSigningInfos(ctx, store)].map(([, i]) => i);
  for (const i of infos) restartWindow(ctx, store, i, ctx.header.height);
}
