// x/auth events.
import type { Event } from 'cosmjs-types/tendermint/abci/types';
import { event } from '../../app/runtime/events.js';

export const updateParams = (): Event => event('update_params', [['module', 'auth']]);
