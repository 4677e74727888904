// x/bank events, with the SDK's names and attributes (explorers search them).
import type { Event } from 'cosmjs-types/tendermint/abci/types';
import { type Coins, coinsString } from '../../app/runtime/coins.js';
import { event } from '../../app/runtime/events.js';

export const coinSpent = (spender: string, amount: readonly Coins[]): Event =>
  event('coin_spent', [
    ['spender', spender],
    ['amount', coinsString(amount)],
  ]);

export const coinReceived = (receiver: string, amount: readonly Coins[]): Event =>
  event('coin_received', [
    ['receiver', receiver],
    ['amount', coinsString(amount)],
  ]);

export const transfer = (recipient: string, sender: string, amount: readonly Coins[]): Event =>
  event('transfer', [
    ['recipient', recipient],
    ['sender', sender],
    ['amount', coinsString(amount)],
  ]);

export const messageSender = (sender: string): Event =>
  event('message', [
    ['sender', sender],
    ['module', 'bank'],
  ]);

export const coinbase = (minter: string, amount: readonly Coins[]): Event =>
  event('coinbase', [
    ['minter', minter],
    ['amount', coinsString(amount)],
  ]);

export const burn = (burner: string, amount: readonly Coins[]): Event =>
  event('burn', [
    ['burner', burner],
    ['amount', coinsString(amount)],
  ]);
