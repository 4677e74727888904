// Wallet and explorer discovery files, written into <home>/chain-registry/ by `gonkad init` (and so
// by the devnet and testnets): chain.json and assetlist.json in the cosmos/chain-registry schema
// (test/fixtures/chain-registry/*.schema.json), and keplr-suggest-chain.json, the object a page
// passes to Keplr's `window.keplr.experimentalSuggestChain`. The REST server serves them at
// /chain-registry/<name>.
//
// Coin type 118 (the Cosmos Hub's SLIP-44 number), not a coin type of our own: `gonkad keys`,
// CosmJS and Keplr then derive the same address (m/44'/118'/0'/0/0, app/node/keyring/hd.ts) from
// one mnemonic, so an operator's account is the same in every wallet.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BECH32_PREFIX } from '../runtime/address.js';
import { formatDec, parseDec } from '../runtime/decimal.js';
import { homePaths, type NodeConfig } from './home.js';

export const REGISTRY_DIR = 'chain-registry';
export const DENOM = 'ngonka';
export const DISPLAY_DENOM = 'gnk';
export const SYMBOL = 'GNK';
export const DECIMALS = 9;
export const SLIP44 = 118;
const DEFAULT_REST = '127.0.0.1:1317';
/** The SDK's default: what the auth params hold when genesis sets none. */
const DEFAULT_MIN_GAS_PRICE = '0.1';

export interface RegistryInput {
  chainId: string;
  /** Reachable URLs (http://host:port); loopback unless an operator listens elsewhere. */
  rpc: string;
  rest: string;
  grpc?: string;
  /** Minimum gas price in ngonka per gas unit (a decimal string, x/auth min_gas_price). */
  minGasPrice: string;
  networkType: 'devnet' | 'testnet' | 'mainnet';
}

/** chain_name: the registry's pattern is lowercase letters and digits only. */
export function chainName(chainId: string): string {
  return chainId.toLowerCase().replace(/[^a-z0-9]/g, '') || 'gonka';
}

/** Keplr's low / average / high: the chain minimum, 2× and 4× it. */
function gasPrices(min: string): { low: number; average: number; high: number } {
  const m = parseDec(min);
  const n = (v: bigint) => Number(formatDec(v));
  return { low: n(m), average: n(m * 2n), high: n(m * 4n) };
}

export function chainJson(i: RegistryInput): Record<string, unknown> {
  const g = gasPrices(i.minGasPrice);
  return {
    $schema: '../chain.schema.json',
    chain_name: chainName(i.chainId),
    chain_type: 'cosmos',
    chain_id: i.chainId,
    status: 'live',
    network_type: i.networkType,
    pretty_name: `Gonka (${i.chainId})`,
    bech32_prefix: BECH32_PREFIX,
    daemon_name: 'gonkad',
    node_home: '$HOME/.gonka',
    key_algos: ['secp256k1'],
    slip44: SLIP44,
    fees: {
      fee_tokens: [
        {
          denom: DENOM,
          fixed_min_gas_price: g.low,
          low_gas_price: g.low,
          average_gas_price: g.average,
          high_gas_price: g.high,
        },
      ],
    },
    staking: { staking_tokens: [{ denom: DENOM }] },
    codebase: { consensus: { type: 'cometbft', version: '0.38.25' } },
    apis: {
      rpc: [{ address: i.rpc, provider: 'local node' }],
      rest: [{ address: i.rest, provider: 'local node' }],
      ...(i.grpc ? { grpc: [{ address: i.grpc, provider: 'local node' }] } : {}),
    },
  };
}

export function assetListJson(i: RegistryInput): Record<string, unknown> {
  return {
    $schema: '../assetlist.schema.json',
    chain_name: chainName(i.chainId),
    assets: [
      {
        description: 'The native token of the Gonka network.',
        denom_units: [
          { denom: DENOM, exponent: 0 },
          { denom: DISPLAY_DENOM, exponent: DECIMALS },
        ],
        type_asset: 'sdk.coin',
        base: DENOM,
        name: 'Gonka',
        display: DISPLAY_DENOM,
        symbol: SYMBOL,
      },
    ],
  };
}

export function keplrSuggestChainJson(i: RegistryInput): Record<string, unknown> {
  const currency = { coinDenom: SYMBOL, coinMinimalDenom: DENOM, coinDecimals: DECIMALS };
  const p = BECH32_PREFIX;
  return {
    chainId: i.chainId,
    chainName: `Gonka (${i.chainId})`,
    rpc: i.rpc,
    rest: i.rest,
    bip44: { coinType: SLIP44 },
    bech32Config: {
      bech32PrefixAccAddr: p,
      bech32PrefixAccPub: `${p}pub`,
      bech32PrefixValAddr: `${p}valoper`,
      bech32PrefixValPub: `${p}valoperpub`,
      bech32PrefixConsAddr: `${p}valcons`,
      bech32PrefixConsPub: `${p}valconspub`,
    },
    currencies: [currency],
    feeCurrencies: [{ ...currency, gasPriceStep: gasPrices(i.minGasPrice) }],
    stakeCurrency: currency,
    features: [],
  };
}

/** `tcp://h:p` or `h:p` → `http://h:p` (0.0.0.0 as 127.0.0.1: a URL must name a host). */
function httpUrl(listen: string): string {
  const hostPort = listen.replace(/^tcp:\/\//, '').replace(/^0\.0\.0\.0:/, '127.0.0.1:');
  return `http://${hostPort}`;
}

/** The inputs from a node's config and genesis (min gas price from x/auth's genesis params). */
export function registryInputOf(home: string, cfg: NodeConfig): RegistryInput {
  const genesis = JSON.parse(readFileSync(homePaths(home).genesis, 'utf8')) as {
    app_state?: { auth?: { params?: { min_gas_price?: string } } };
  };
  const listen = cfg.listen as unknown as Record<string, string | undefined>;
  const rest = listen.rest && listen.rest !== 'off' ? listen.rest : DEFAULT_REST;
  const grpc = listen.grpc && listen.grpc !== 'off' ? listen.grpc : undefined;
  const profile = cfg.profile === 'devnet' ? 'devnet' : 'testnet';
  return {
    chainId: cfg.chainId,
    rpc: httpUrl(listen.rpc ?? 'tcp://127.0.0.1:26657'),
    rest: httpUrl(rest),
    grpc: grpc ? httpUrl(grpc) : undefined,
    minGasPrice: genesis.app_state?.auth?.params?.min_gas_price ?? DEFAULT_MIN_GAS_PRICE,
    networkType: profile,
  };
}

/** Writes the three files; returns their paths. */
export function writeChainRegistry(home: string, input: RegistryInput): string[] {
  const dir = join(home, REGISTRY_DIR);
  mkdirSync(dir, { recursive: true });
  const files: [string, Record<string, unknown>][] = [
    ['chain.json', chainJson(input)],
    ['assetlist.json', assetListJson(input)],
    ['keplr-suggest-chain.json', keplrSuggestChainJson(input)],
  ];
  return files.map(([name, doc]) => {
    const path = join(dir, name);
    writeFileSync(path, `${JSON.stringify(doc, null, 2)}\n`);
    return path;
  });
}
