// Writes CometBFT's config.toml and genesis.json for our node: its listeners (from ours: loopback
// by default, proxy_app on the private ABCI socket), the consensus timing profile, the kv tx
// indexer, vote extensions from height 1, and app_state from our modules.
import { readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'smol-toml';
import { configuredListeners, homePaths, type NodeConfig } from './home.js';
import { abciAddress, type Listeners, OFF } from './listeners.js';
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
  toml.moniker = cfg.moniker;
  toml.abci = 'socket';
  toml.log_level = 'info';
  applyListeners(home, toml, configuredListeners(cfg));
  section('p2p').external_address = '';
  section('p2p').persistent_peers = (peers.persistentPeers ?? []).join(',');
  if (peers.localNetwork) {
    section('p2p').addr_book_strict = false;
    section('p2p').allow_duplicate_ip = true;
    section('p2p').pex = false;
  }
  Object.assign(section('consensus'), profiles[cfg.profile as ProfileName] ?? profiles.devnet);
  section('tx_index').indexer = 'kv';
  writeFileSync(path, stringify(toml));
}

/**
 * Rewrites only CometBFT's listener keys from ours. `gonkad start` calls it every start, so
 * gonka.json (and start's flags) stay the one place listeners are set, and a home from before
 * per-service listeners moves its proxy_app to the private ABCI socket.
 */
export function syncCometListeners(home: string, listeners: Listeners): void {
  const path = homePaths(home).cometConfig;
  const toml = parse(readFileSync(path, 'utf8')) as Toml;
  applyListeners(home, toml, listeners);
  writeFileSync(path, stringify(toml));
}

function applyListeners(home: string, toml: Toml, l: Listeners): void {
  const section = (name: string) => toml[name] as Record<string, unknown>;
  toml.proxy_app = abciAddress(home, l.abci).address;
  section('rpc').laddr = l.rpc;
  // Listeners we do not offer stay off: pprof and CometBFT's deprecated BroadcastTx gRPC.
  section('rpc').pprof_laddr = '';
  section('rpc').grpc_laddr = '';
  section('p2p').laddr = l.p2p;
  section('instrumentation').prometheus = l.cometMetrics !== OFF;
  section('instrumentation').prometheus_listen_addr =
    l.cometMetrics === OFF ? '127.0.0.1:26660' : l.cometMetrics;
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

/**
 * The largest tx CometBFT's mempool accepts (`mempool.max_tx_bytes`, CometBFT's default 1 MiB when
 * absent): the gRPC server sizes its message limit from it, so any tx CometBFT would take can be
 * broadcast or simulated through gRPC and nothing much larger is ever buffered.
 */
export function cometMaxTxBytes(home: string): number {
  const toml = parse(readFileSync(homePaths(home).cometConfig, 'utf8')) as Toml;
  const value = (toml.mempool as Record<string, unknown> | undefined)?.max_tx_bytes;
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : 1_048_576;
}
