// gonkad init | start | devnet: create a node home, run a node, or run the single-validator devnet.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Command, Option } from 'commander';
import { applyGovProfile } from '../../../x/governance/genesis.js';
import { devnetGovParams } from '../../../x/governance/params.js';
import { defaultAppState } from '../../app.js';
import { addGenesisAccount, parseCoinsString } from '../../genesisAccounts.js';
import {
  configuredListeners,
  defaultHome,
  homePaths,
  isInitialized,
  readNodeConfig,
} from '../../node/home.js';
import { initHome } from '../../node/init.js';
import { deriveKey, generateMnemonic } from '../../node/keyring/hd.js';
import { type Listeners, localUrl, normalizeListener, type Service } from '../../node/listeners.js';
import { startNode } from '../../node/start.js';
import { UserError } from '../errors.js';
import type { GonkadOptions } from '../gonkad.js';

/** 1,000,000 GNK (10^15 ngonka) for the devnet's funded account. */
const DEVNET_FUNDS = '1000000000000000ngonka';

/** One flag per listener; each also has a key under `listen` in config/gonka.json. */
const listenerFlags: [Service, string, string][] = [
  ['p2p', '--p2p-laddr <host:port>', 'CometBFT P2P listen address (default 127.0.0.1:26656)'],
  ['rpc', '--rpc-laddr <host:port>', 'CometBFT RPC listen address (default 127.0.0.1:26657)'],
  ['grpc', '--grpc-address <host:port|off>', 'gRPC listen address (default 127.0.0.1:9090)'],
  [
    'rest',
    '--rest-address <host:port|off>',
    'REST (LCD), /openapi.json and the explorer page (default 127.0.0.1:1317)',
  ],
  [
    'metrics',
    '--metrics-address <host:port|off>',
    'gonkad Prometheus listen address (default 127.0.0.1:9464)',
  ],
  [
    'cometMetrics',
    '--comet-metrics-address <host:port|off>',
    "CometBFT's Prometheus listen address (default 127.0.0.1:26660)",
  ],
  [
    'abci',
    '--abci-address <unix://path|tcp://host:port>',
    'ABCI address between gonkad and CometBFT (default unix://abci.sock: a 0600 socket in the home)',
  ],
];

function addListenerFlags(cmd: Command): Command {
  for (const [service, flags, desc] of listenerFlags)
    cmd.option(flags, desc, (v: string) => {
      try {
        return normalizeListener(service, v);
      } catch (e) {
        throw new UserError(e instanceof Error ? e.message : String(e));
      }
    });
  return cmd;
}

function collectListeners(opts: Record<string, unknown>): Partial<Listeners> {
  const out: Partial<Listeners> = {};
  for (const [service, flags] of listenerFlags) {
    // commander's key for --p2p-laddr is p2pLaddr, for --comet-metrics-address cometMetricsAddress.
    const key = flags
      .split(' ')[0]!
      .slice(2)
      .replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    const v = opts[key];
    if (typeof v === 'string') out[service] = v;
  }
  return out;
}

export function register(program: Command, options: GonkadOptions = {}): void {
  const init = program
    .command('init')
    .description('create a node home: CometBFT keys and config, and a genesis with every module')
    .option('--home <dir>', 'node home directory (default $GONKA_HOME or ~/.gonka)')
    .option('--chain-id <id>', 'chain id', 'gonka-devnet')
    .option('--moniker <name>', 'node name', 'gonka-node')
    .addOption(
      new Option('--profile <name>', 'consensus timing profile')
        .choices(['devnet', 'fast'])
        .default('devnet'),
    )
    .option('--reset', 'remove an existing home first');
  addListenerFlags(init);
  init.action((opts) => {
    const home = (opts.home as string | undefined) ?? defaultHome();
    if (isInitialized(home) && !opts.reset)
      throw new UserError(`${home} is already initialized (use --reset to start over)`);
    const cfg = initHome({
      home,
      chainId: opts.chainId,
      moniker: opts.moniker,
      profile: opts.profile,
      reset: Boolean(opts.reset),
      listen: collectListeners(opts),
      appState: defaultAppState(),
    });
    process.stdout.write(`${JSON.stringify({ home, chainId: cfg.chainId, listen: cfg.listen })}\n`);
  });

  const start = program
    .command('start')
    .description(
      'run the chain node: ABCI application plus a CometBFT child process (listener flags override config/gonka.json for this run)',
    )
    .option('--home <dir>', 'node home directory (default $GONKA_HOME or ~/.gonka)')
    .option('--comet-log <file|inherit>', "CometBFT's log: a file (default <home>/cometbft.log) or 'inherit'")
    .option(
      '--check-invariants-every <n>',
      'after every Nth commit run every module invariant; a broken one halts the node (exit 1). ' +
        'Default: checkInvariantsEvery in config/gonka.json, else 0 (off)',
    )
    .option(
      '--expose-invariants-query',
      'serve the /app/invariants ABCI query, a full state scan (test networks; config key exposeInvariantsQuery)',
    );
  addListenerFlags(start).action(async (opts) => {
    const home = (opts.home as string | undefined) ?? defaultHome();
    if (!isInitialized(home))
      throw new UserError(`${home} is not an initialized node home (run \`gonkad init --home ${home}\`)`);
    process.exitCode = await startNode({
      home,
      cometLog: opts.cometLog,
      listen: collectListeners(opts),
      checkInvariantsEvery: opts.checkInvariantsEvery,
      exposeInvariantsQuery: Boolean(opts.exposeInvariantsQuery),
      extensions: options.extensions,
    });
  });

  const devnet = program
    .command('devnet')
    .description('run a single-validator devnet (what `npm start` runs); initializes the home on first use')
    .option('--home <dir>', 'devnet home (default $GONKA_HOME or ~/.gonka)')
    .option('--reset', 'start from a fresh home');
  addListenerFlags(devnet).action(async (opts) => {
    const home = (opts.home as string | undefined) ?? defaultHome();
    const listen = collectListeners(opts);
    if (opts.reset || !isInitialized(home)) {
      process.stderr.write(`[devnet] initializing a fresh devnet in ${home}\n`);
      // The funded devnet account (a devnet convenience, never for real networks).
      const funded = await deriveKey(generateMnemonic());
      const appState = defaultAppState();
      addGenesisAccount(appState, funded.address, parseCoinsString(DEVNET_FUNDS));
      applyGovProfile(appState, devnetGovParams()); // 30 s deposit and voting periods (DESIGN.md §9)
      initHome({
        home,
        chainId: 'gonka-devnet',
        moniker: 'devnet-validator',
        profile: 'devnet',
        reset: true,
        appState,
        operator: funded.address,
        listen,
      });
      const devnetDir = homePaths(home).devnet;
      mkdirSync(devnetDir, { recursive: true });
      writeFileSync(join(devnetDir, 'mnemonic.txt'), `${funded.mnemonic}\n`, { mode: 0o600 });
      process.stderr.write(
        `[devnet] funded account ${funded.address}; its mnemonic is in ${join(devnetDir, 'mnemonic.txt')}\n`,
      );
    }
    const listeners = configuredListeners(readNodeConfig(home), listen);
    const rpc = localUrl('http', listeners.rpc);
    const explorer =
      listeners.rest === 'off' ? '' : `, explorer ${localUrl('http', listeners.rest)}/explorer/`;
    process.stderr.write(`[devnet] starting; CometBFT RPC on ${rpc}${explorer} — Ctrl-C stops\n`);
    process.exitCode = await startNode({ home, listen, extensions: options.extensions });
  });
}
