// gonkad init | start | devnet: create a node home, run a node, or run the single-validator devnet.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Command, Option } from 'commander';
import { addGenesisAccount, parseCoinsString } from '../../../x/bank/genesisAccounts.js';
import { applyGovProfile } from '../../../x/governance/genesis.js';
import { devnetGovParams } from '../../../x/governance/params.js';
import { defaultAppState } from '../../app.js';
import { defaultHome, homePaths, isInitialized, type NodePorts } from '../../node/home.js';
import { initHome } from '../../node/init.js';
import { deriveKey, generateMnemonic } from '../../node/keyring/hd.js';
import { startNode } from '../../node/start.js';
import { UserError } from '../errors.js';

/** 1,000,000 GNK (10^15 ngonka) for the devnet's funded account. */
const DEVNET_FUNDS = '1000000000000000ngonka';

const portOptions: [keyof NodePorts, string][] = [
  ['rpc', 'CometBFT RPC port'],
  ['p2p', 'CometBFT P2P port'],
  ['abci', 'ABCI socket port'],
  ['grpc', 'gRPC port'],
  ['cometMetrics', 'CometBFT Prometheus port (0 = off)'],
  ['appMetrics', 'gonkad Prometheus port (0 = off)'],
];

function parsePort(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UserError(`invalid port '${v}'`);
  return n;
}

function flag(name: string): string {
  return `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}-port <port>`;
}

function collectPorts(opts: Record<string, unknown>): Partial<NodePorts> {
  const ports: Partial<NodePorts> = {};
  for (const [name] of portOptions) {
    const v = opts[`${name}Port`];
    if (v !== undefined) ports[name] = v as number;
  }
  return ports;
}

export function register(program: Command): void {
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
    .option('--reset', 'remove an existing home first')
    .option('--host <ip>', 'listen address for every service', '127.0.0.1');
  for (const [name, desc] of portOptions) init.option(flag(name), desc, parsePort);
  init.action((opts) => {
    const home = (opts.home as string | undefined) ?? defaultHome();
    if (isInitialized(home) && !opts.reset)
      throw new UserError(`${home} is already initialized (use --reset to start over)`);
    const cfg = initHome({
      home,
      chainId: opts.chainId,
      moniker: opts.moniker,
      host: opts.host,
      profile: opts.profile,
      reset: Boolean(opts.reset),
      ports: collectPorts(opts),
      appState: defaultAppState(),
    });
    process.stdout.write(`${JSON.stringify({ home, chainId: cfg.chainId, ports: cfg.ports })}\n`);
  });

  program
    .command('start')
    .description('run the chain node: ABCI application plus a CometBFT child process')
    .option('--home <dir>', 'node home directory (default $GONKA_HOME or ~/.gonka)')
    .option('--comet-log <file|inherit>', "CometBFT's log: a file (default <home>/cometbft.log) or 'inherit'")
    .option(
      '--expose-invariants-query',
      'serve the /app/invariants ABCI query, a full state scan (test networks; config key exposeInvariantsQuery)',
    )
    .action(async (opts) => {
      const home = (opts.home as string | undefined) ?? defaultHome();
      if (!isInitialized(home))
        throw new UserError(`${home} is not an initialized node home (run \`gonkad init --home ${home}\`)`);
      process.exitCode = await startNode({
        home,
        cometLog: opts.cometLog,
        exposeInvariantsQuery: Boolean(opts.exposeInvariantsQuery),
      });
    });

  program
    .command('devnet')
    .description('run a single-validator devnet (what `npm start` runs); initializes the home on first use')
    .option('--home <dir>', 'devnet home (default $GONKA_HOME or ~/.gonka)')
    .option('--reset', 'start from a fresh home')
    .action(async (opts) => {
      const home = (opts.home as string | undefined) ?? defaultHome();
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
        });
        const devnetDir = homePaths(home).devnet;
        mkdirSync(devnetDir, { recursive: true });
        writeFileSync(join(devnetDir, 'mnemonic.txt'), `${funded.mnemonic}\n`, { mode: 0o600 });
        process.stderr.write(
          `[devnet] funded account ${funded.address}; its mnemonic is in ${join(devnetDir, 'mnemonic.txt')}\n`,
        );
      }
      process.stderr.write(`[devnet] starting; CometBFT RPC on http://127.0.0.1:26657 — Ctrl-C stops\n`);
      process.exitCode = await startNode({ home });
    });
}
