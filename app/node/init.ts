// `gonkad init`: creates a node home with CometBFT's keys and config (via `cometbft init`), our
// own config, a genesis whose app_state holds every module's default genesis, and the wallet
// discovery files in <home>/chain-registry (chainRegistry.ts).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import {
  DEFAULT_GENESIS_WEIGHT,
  defaultOperator,
  setGenesisValidators,
} from '../../x/poc/genesisValidators.js';
import { toolPath } from '../paths.js';
import { registryInputOf, writeChainRegistry } from './chainRegistry.js';
import { type PeerOptions, writeCometConfig, writeGenesis } from './cometConfig.js';
import { homePaths, isInitialized, type NodeConfig, writeNodeConfig } from './home.js';
import { type Listeners, resolveListeners } from './listeners.js';

export interface InitOptions {
  home: string;
  chainId: string;
  moniker?: string;
  /** Listen addresses; services not named take their (loopback / private socket) default. */
  listen?: Partial<Listeners>;
  profile?: string;
  appState?: Record<string, unknown>;
  /** Remove an existing home first. */
  reset?: boolean;
  peers?: PeerOptions;
  /** Account operating this node's validator (x/poc participant); default: the key's own address. */
  operator?: string;
}

export function initHome(opts: InitOptions): NodeConfig {
  if (opts.reset) rmSync(opts.home, { recursive: true, force: true });
  if (isInitialized(opts.home))
    throw new Error(`${opts.home} is already initialized (use --reset to start over)`);
  mkdirSync(opts.home, { recursive: true });
  const cometbft = toolPath('cometbft');
  if (!existsSync(cometbft))
    throw new Error(`CometBFT is not installed at ${cometbft}: run \`npm run setup\``);
  const r = spawnSync(cometbft, ['init', '--home', opts.home], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cometbft init failed: ${r.stderr || r.stdout}`);
  const cfg: NodeConfig = {
    chainId: opts.chainId,
    moniker: opts.moniker ?? 'gonka-node',
    profile: opts.profile ?? 'devnet',
    listen: resolveListeners(opts.listen),
  };
  writeNodeConfig(opts.home, cfg);
  writeCometConfig(opts.home, cfg, opts.peers);
  writeGenesis(opts.home, { chainId: cfg.chainId, appState: opts.appState ?? {} });
  writeGenesisValidator(opts.home, opts.operator);
  mkdirSync(homePaths(opts.home).appStore, { recursive: true });
  writeChainRegistry(opts.home, registryInputOf(opts.home, cfg));
  return cfg;
}

/** The node's own key as the single genesis validator and x/poc participant (same weight = power). */
function writeGenesisValidator(home: string, operator?: string): void {
  const paths = homePaths(home);
  const key = JSON.parse(readFileSync(paths.privValidatorKey, 'utf8')) as { pub_key: { value: string } };
  const genesis = JSON.parse(readFileSync(paths.genesis, 'utf8'));
  const pubKeyBase64 = key.pub_key.value;
  setGenesisValidators(genesis, [
    { pubKeyBase64, operator: operator ?? defaultOperator(pubKeyBase64), weight: DEFAULT_GENESIS_WEIGHT },
  ]);
  writeFileSync(paths.genesis, `${JSON.stringify(genesis, null, 2)}\n`);
}
