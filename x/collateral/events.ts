// x/collateral events.
import type { Event } from 'cosmjs-types/tendermint/abci/types';
import { event } from '../../app/runtime/events.js';

export const deposit = (participant: string, amount: string): Event =>
  event('deposit_collateral', [
    ['participant', participant],
    ['amount', amount],
  ]);

export const withdraw = (participant: string, amount: string, completionEpoch: bigint): Event =>
  event('withdraw_collateral', [
    ['participant', participant],
    ['amount', amount],
    ['completion_epoch', completionEpoch.toString()],
  ]);

export const released = (participant: string, amount: string, epoch: bigint): Event =>
  event('collateral_released', [
    ['participant', participant],
    ['amount', amount],
    ['epoch', epoch.toString()],
  ]);

export const slash = (
  participant: string,
  reason: string,
  fraction: string,
  active: bigint,
  unbonding: bigint,
  epoch: bigint,
): Event =>
  event('slash_collateral', [
    ['participant', participant],
    ['reason', reason],
    ['fraction', fraction],
    ['slashed_active', active.toString()],
    ['slashed_unbonding', unbonding.toString()],
    ['epoch', epoch.toString()],
  ]);

export const jail = (participant: string, jailed: boolean): Event =>
  event(jailed ? 'jail' : 'unjail', [['participant', participant]]);

export const updateParams = (): Event => event('update_params', [['module', 'collateral']]);

/** x/slashing's `liveness` event: one per missed block of a validator counted in the window. */
export const liveness = (participant: string, missedBlocks: bigint, height: bigint): Event =>
  event('liveness', [
    ['address', participant],
    ['missed_blocks', missedBlocks.toString()],
    ['height', height.toString()],
  ]);

/** x/slashing's `slash` event for a consensus infraction (double_sign or missing_signature). */
export const consensusSlash = (
  participant: string,
  power: bigint,
  reason: string,
  infractionHeight: bigint,
): Event =>
  event('slash', [
    ['address', participant],
    ['power', power.toString()],
    ['reason', reason],
    ['jailed', participant],
    ['infraction_height', infractionHeight.toString()],
  ]);
