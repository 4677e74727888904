// The node home directory. CometBFT's own files live where it expects them (config/, data/);
// ours sit beside them: config/gonka.json (our ports and options) and data/app/ (the app store).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface NodePorts {
  rpc: number;
  p2p: number;
  abci: number;
  grpc: number;
  /** CometBFT's Prometheus listener; 0 = disabled. */
  cometMetrics: number;
  /** Our prom-client listener; 0 = disabled. */
  appMetrics: number;
}

export const defaultPorts: NodePorts = {
  rpc: 26657,
  p2p: 26656,
  abci: 26658,
  grpc: 9090,
  cometMetrics: 26660,
  appMetrics: 9464,
};

export interface NodeConfig {
  chainId: string;
  moniker: string;
  /** Listen host for every service (127.0.0.1 by default). */
  host: string;
  ports: NodePorts;
  profile: string;
  /** Gas budget of one query (decimal string, > 0); the app's default (3,000,000) when absent. */
  queryGasLimit?: string;
  /** Serve the /app/invariants query (a full state scan); also `gonkad start --expose-invariants-query`. */
  exposeInvariantsQuery?: boolean;
}

/** $GONKA_HOME, else ~/.gonka. */
export function defaultHome(): string {
  return process.env.GONKA_HOME ?? join(homedir(), '.gonka');
}

export const homePaths = (home: string) => ({
  config: join(home, 'config'),
  cometConfig: join(home, 'config', 'config.toml'),
  genesis: join(home, 'config', 'genesis.json'),
  nodeConfig: join(home, 'config', 'gonka.json'),
  privValidatorKey: join(home, 'config', 'priv_validator_key.json'),
  nodeKey: join(home, 'config', 'node_key.json'),
  data: join(home, 'data'),
  appStore: join(home, 'data', 'app'),
  devnet: join(home, 'devnet'),
});

export function isInitialized(home: string): boolean {
  const p = homePaths(home);
  return existsSync(p.genesis) && existsSync(p.nodeConfig) && existsSync(p.cometConfig);
}

export function readNodeConfig(home: string): NodeConfig {
  const path = homePaths(home).nodeConfig;
  if (!existsSync(path))
    throw new Error(`${home} is not an initialized node home (run \`gonkad init --home ${home}\`)`);
  return JSON.parse(readFileSync(path, 'utf8')) as NodeConfig;
}

export function writeNodeConfig(home: string, cfg: NodeConfig): void {
  writeFileSync(homePaths(home).nodeConfig, `${JSON.stringify(cfg, null, 2)}\n`);
}
