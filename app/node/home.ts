// The node home directory. CometBFT's own files live where it expects them (config/, data/);
// ours sit beside them: config/gonka.json (listen addresses and options), data/app/ (the app
// store) and abci.sock (the private ABCI socket).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { type Listeners, legacyListeners, resolveListeners } from './listeners.js';

export interface NodeConfig {
  chainId: string;
  moniker: string;
  profile: string;
  /** Per-service listen addresses (app/node/listeners.ts); a missing key takes its default. */
  listen?: Partial<Listeners>;
  /** Homes made before `listen`: one host for every service, and its ports. Read, never written. */
  host?: string;
  ports?: Record<string, number | undefined>;
  /** Run every module's invariant after every Nth Commit and halt on a broken one; 0/absent = off. */
  checkInvariantsEvery?: number;
  /** Gas budget of one query (decimal string, > 0); the app's default (3,000,000) when absent. */
  queryGasLimit?: string;
  /** Serve the /app/invariants query (a full state scan); also `gonkad start --expose-invariants-query`. */
  exposeInvariantsQuery?: boolean;
}

/** The listen addresses of a home's config, with defaults (and legacy host/ports) filled in. */
export function configuredListeners(cfg: NodeConfig, overrides: Partial<Listeners> = {}): Listeners {
  const legacy = cfg.ports ? legacyListeners(cfg.host ?? '127.0.0.1', cfg.ports) : {};
  return resolveListeners({ ...legacy, ...cfg.listen }, overrides);
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
