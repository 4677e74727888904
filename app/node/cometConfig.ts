// Writes CometBFT's config.toml and genesis.json for our node: loopback listeners, the consensus
// timing profile, the kv tx indexer, vote extensions from height 1, and app_state from our modules.
import { readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'smol-toml';
import { homePaths, type NodeConfig } from './home.js';
import { type ProfileName, profiles } from './profiles.js';

type Toml = Record<string, Record<string, unknown> | unknown>;

export interface PeerOptions {
  /** node-id@host:port entries; set for multi-validator networks. */
  persistentPeers?: string[];
  /** Multi-validator-on-one-machine settings (DESIGN.md §10). */
  localNetwork?: boolean;
}

export function writeCometConfig(home: string, cfg: NodeConfig, peers: PeerOptions = {}): void {
  const path = homePaths(home).cometConfig;
  const toml = parse(readFileSync(path, 'utf8')) as Toml;
  const section = (name: string) => toml[name] as Record<string, unknown>;
  const h = cfg.host;
  toml.moniker = cfg.moniker;
  toml.proxy_app = `tcp://${h}:${cfg.ports.abci}`;
  toml.abci = 'socket';
  toml.log_level = 'info';
  section('rpc').laddr = `tcp://${h}:${cfg.ports.rpc}`;
  section('rpc').pprof_laddr = '';
  section('p2p').laddr = `tcp://${h}:${cfg.ports.p2p}`;
  section('p2p').external_address = '';
  section('p2p').persistent_peers = (peers.persistentPeers ?? []).join(',');
  if (peers.localNetwork) {
    section('p2p').addr_book_strict = false;
    section('p2p').allow_duplicate_ip = true;
    section('p2p').pex = false;
  }
  Object.assign(section('consensus'), profiles[cfg.profile as ProfileName] ?? profiles.devnet);
  section('tx_index').indexer = 'kv';
  section('instrumentation').prometheus = cfg.ports.cometMetrics > 0;
  section('instrumentation').prometheus_listen_addr = `${h}:${cfg.ports.cometMetrics || 26660}`;
  writeFileSync(path, stringify(toml));
}

export interface GenesisOptions {
  chainId: string;
  appState: Record<string, unknown>;
  genesisTime?: string;
}

/** Rewrites the genesis CometBFT's init produced: our chain id, app_state and consensus params. */
export function writeGenesis(home: string, opts: GenesisOptions): void {
  const path = homePaths(home).genesis;
  const genesis = JSON.parse(readFileSync(path, 'utf8')) as {
    chain_id: string;
    initial_height: string;
    genesis_time: string;
    consensus_params: Record<string, unknown>;
    app_state?: unknown;
  };
  genesis.chain_id = opts.chainId;
  genesis.initial_height = '1';
  if (opts.genesisTime) genesis.genesis_time = opts.genesisTime;
  genesis.consensus_params.abci = { vote_extensions_enable_height: '1' };
  genesis.app_state = opts.appState;
  writeFileSync(path, `${JSON.stringify(genesis, null, 2)}\n`);
}
