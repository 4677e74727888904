// x/poc events.
import type { Event } from 'cosmjs-types/tendermint/abci/types';
import { event } from '../../app/runtime/events.js';

export const newEpoch = (epoch: bigint, startHeight: bigint, nextStartHeight: bigint): Event =>
  event('new_epoch', [
    ['epoch', epoch.toString()],
    ['start_height', startHeight.toString()],
    ['next_start_height', nextStartHeight.toString()],
  ]);

/** One validator power change sent to CometBFT (effective two blocks later). */
export const validatorPower = (participant: string, power: bigint): Event =>
  event('validator_power', [
    ['participant', participant],
    ['power', power.toString()],
  ]);

export const updateParams = (module: string): Event => event('update_params', [['module', module]]);
