// x/bank genesis in the SDK's JSON shape. Supply, when given, must equal the sum of balances;
// when empty it is computed. Accounts named in balances but absent from x/auth are created (after
// x/auth's own genesis accounts, so their numbers follow).
import { Metadata } from 'cosmjs-types/cosmos/bank/v1beta1/bank';
import { addCoins, coinsEqual, parseCoins, toWire, validateDenom } from '../../app/runtime/coins.js';
import type { Context } from '../../app/runtime/context.js';
import type { BankAccountKeeper } from './expectedKeepers.js';
import type { BankKeeper } from './keeper.js';
import { defaultBankParams } from './params.js';

interface CoinJson {
  denom: string;
  amount: string;
}

export interface BankGenesis {
  params: { send_enabled?: { denom: string; enabled: boolean }[]; default_send_enabled: boolean };
  balances: { address: string; coins: CoinJson[] }[];
  supply: CoinJson[];
  denom_metadata: unknown[];
  send_enabled: { denom: string; enabled: boolean }[];
}

export const NGONKA_METADATA = {
  description: 'The native token of the Gonka network',
  denom_units: [
    { denom: 'ngonka', exponent: 0, aliases: ['nanogonka'] },
    { denom: 'gonka', exponent: 9, aliases: ['GNK'] },
  ],
  base: 'ngonka',
  display: 'gonka',
  name: 'Gonka',
  symbol: 'GNK',
  uri: '',
  uri_hash: '',
};

export function defaultBankGenesis(): BankGenesis {
  return {
    params: { default_send_enabled: true },
    balances: [],
    supply: [],
    denom_metadata: [NGONKA_METADATA],
    send_enabled: [],
  };
}

export function initBankGenesis(
  ctx: Context,
  keeper: BankKeeper,
  auth: BankAccountKeeper,
  raw: unknown,
): void {
  const g = { ...defaultBankGenesis(), ...((raw ?? {}) as Partial<BankGenesis>) };
  const p = defaultBankParams();
  p.defaultSendEnabled = g.params?.default_send_enabled ?? true;
  keeper.setParams(ctx, p);
  for (const s of [...(g.params?.send_enabled ?? []), ...g.send_enabled]) {
    validateDenom(s.denom);
    keeper.setSendEnabled(ctx, s.denom, Boolean(s.enabled));
  }
  const seen = new Set<string>();
  const credited = [];
  for (const b of g.balances) {
    if (seen.has(b.address)) throw new Error(`bank genesis: duplicate balance for ${b.address}`);
    seen.add(b.address);
    const coins = parseCoins(b.coins, true);
    auth.ensureAccount(ctx, b.address);
    keeper.genesisCredit(ctx, b.address, coins);
    credited.push(coins);
  }
  if (g.supply.length > 0) {
    const total = addCoins(credited);
    if (!coinsEqual(total, parseCoins(g.supply)))
      throw new Error('bank genesis: supply does not equal the sum of balances');
  }
  for (const m of g.denom_metadata) keeper.setDenomMetadata(ctx, Metadata.fromJSON(m));
}

export function exportBankGenesis(ctx: Context, keeper: BankKeeper): BankGenesis {
  const byAddress = new Map<string, { denom: string; amount: bigint }[]>();
  for (const [, { address, coin }] of keeper.iterateAllBalances(ctx)) {
    const list = byAddress.get(address) ?? [];
    list.push(coin);
    byAddress.set(address, list);
  }
  const balances = [...byAddress.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([address, coins]) => ({ address, coins: toWire(coins) }));
  return {
    params: { default_send_enabled: keeper.getParams(ctx).defaultSendEnabled },
    balances,
    supply: toWire([...keeper.iterateSupply(ctx)].map(([, c]) => c)),
    denom_metadata: [...keeper.iterateDenomMetadata(ctx)].map(([, m]) => Metadata.toJSON(m)),
    send_enabled: [...keeper.iterateSendEnabled(ctx)].map(([, s]) => s),
  };
}
