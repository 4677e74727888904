// gonkad init | start | devnet: create a node home, run a node, or run the single-validator devnet.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Command, Option } from 'commander';
import { isPocClassName, POC_CLASSES } from '../../../kernels/poc/classes.js';
import type { Params as PocParams } from '../../../proto/gen/gonka/poc/v1/poc.js';
import { applyGovProfile } from '../../../x/governance/genesis.js';
import { devnetGovParams } from '../../../x/governance/params.js';
import type { PocGenesis } from '../../../x/poc/genesis.js';
import {
  CLASS_LARGE,
  MIN_FREE_BLOCKS,
  pocParamsToJson,
  sprintParams,
  sprintSpan,
  validatePocParams,
} from '../../../x/poc/params.js';
import { initApiKey, keyFilePath } from '../../api/key.js';
import { apiKeyHash, newApiKeySecret } from '../../apiKeySecret.js';
import { defaultAppState } from '../../app.js';
import { addGenesisAccount, parseCoinsString } from '../../genesisAccounts.js';
import {
  addInferenceGenesis,
  apiKeyGenesis,
  DEMO_MODEL_ID,
  demoModelGenesis,
} from '../../inferenceGenesis.js';
import {
  configuredListeners,
  defaultHome,
  homePaths,
  isInitialized,
  readNodeConfig,
} from '../../node/home.js';
import { initHome } from '../../node/init.js';
import { deriveKey, generateMnemonic } from '../../node/keyring/hd.js';
import {
  type Listeners,
  localUrl,
  normalizeListener,
  parseHostPort,
  type Service,
} from '../../node/listeners.js';
import { CHAIN_NODE_V8_FLAGS } from '../../node/nodeFlags.js';
import { startNode } from '../../node/start.js';
import { repoPath } from '../../paths.js';
import { UserError } from '../errors.js';
import type { GonkadOptions } from '../gonkad.js';
import { Supervisor } from '../supervisor.js';

/** 1,000,000 GNK (10^15 ngonka) for the devnet's funded account. */
const DEVNET_FUNDS = '1000000000000000ngonka';

/** The devnet API key's escrow limit per epoch: 10,000 GNK (10^13 ngonka). */
const DEVNET_KEY_LIMIT = 10_000_000_000_000n;

/** The devnet's bearer key secret (`Authorization: Bearer $(cat …)`), mode 0600. */
export const devnetApiKeyFile = (home: string) => join(homePaths(home).devnet, 'api-key.txt');

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
    .description(
      'run a single-validator devnet (what `npm start` runs): chain node, ML node (serving the demo model gonka/demo) and API node (OpenAI-compatible /v1) as child processes; initializes the home on first use (inference API key in <home>/devnet/api-key.txt)',
    )
    .option('--home <dir>', 'devnet home (default $GONKA_HOME or ~/.gonka)')
    .option('--reset', 'start from a fresh home')
    .addOption(
      new Option(
        '--profile <name>',
        'timing of a fresh home: devnet (≈1 s blocks, 60-block epochs) or fast (tests: short blocks and epochs)',
      )
        .choices(['devnet', 'fast'])
        .default('devnet'),
    )
    .option('--api-listen <host:port>', 'API node HTTP listen address', '127.0.0.1:8000')
    .option('--ml-listen <host:port>', 'ML node HTTP listen address', '127.0.0.1:8100')
    .option('--ml-workers <n>', 'ML node mining worker threads (default: one per core)')
    .option('--classes <list>', 'PoC classes the API node mines', 'tiny')
    .option(
      '--generation-blocks <n>',
      "a fresh home's Sprint generation stage in blocks (benchmarks; the epoch grows to fit)",
      (v: string) => {
        if (!/^[1-9]\d{0,5}$/.test(v))
          throw new UserError(`--generation-blocks: a whole number ≥ 1, got '${v}'`);
        return BigInt(v);
      },
    );
  addListenerFlags(devnet).action(async (opts) => {
    const home = (opts.home as string | undefined) ?? defaultHome();
    const listen = collectListeners(opts);
    for (const [flag, v] of [
      ['--api-listen', opts.apiListen],
      ['--ml-listen', opts.mlListen],
    ] as const) {
      try {
        parseHostPort(v as string, flag);
      } catch (e) {
        throw new UserError(e instanceof Error ? e.message : String(e));
      }
    }
    const apiHome = join(home, 'api');
    if (opts.reset || !isInitialized(home))
      await initDevnet(
        home,
        listen,
        opts.profile as DevnetProfile,
        opts.generationBlocks as bigint | undefined,
        { apiUrl: `http://${opts.apiListen}`, classes: (opts.classes as string).split(',') },
      );
    else if (!existsSync(keyFilePath(apiHome))) {
      // A devnet home made before the API node: its funded account becomes the API node's key.
      const mnemonicFile = join(homePaths(home).devnet, 'mnemonic.txt');
      if (!existsSync(mnemonicFile))
        throw new UserError(`${home} has no ${mnemonicFile}: start over with --reset`);
      await initApiKey(apiHome, readFileSync(mnemonicFile, 'utf8').trim());
    }
    if (!existsSync(devnetApiKeyFile(home)))
      process.stderr.write(
        `[devnet] ${home} predates paid inference (no demo model, no ${devnetApiKeyFile(home)}): ` +
          'start with --reset to get them\n',
      );
    const listeners = configuredListeners(readNodeConfig(home), listen);
    const rpc = localUrl('http', listeners.rpc);
    const explorer =
      listeners.rest === 'off' ? '' : `, explorer ${localUrl('http', listeners.rest)}/explorer/`;
    const supervisor = new Supervisor(options.nodeEntry ?? repoPath('dist', 'app', 'cli', 'main.js'));
    process.stderr.write(
      `[devnet] starting chain node (RPC ${rpc}), ML node (http://${opts.mlListen}) and API node ` +
        `(http://${opts.apiListen})${explorer} — Ctrl-C stops\n`,
    );
    supervisor.spawn({
      name: 'chain',
      args: ['start', '--home', home, ...listenerArgs(listen)],
      nodeFlags: CHAIN_NODE_V8_FLAGS,
    });
    supervisor.spawn({
      name: 'ml',
      args: [
        'ml',
        'start',
        '--listen',
        opts.mlListen,
        '--model',
        'demo',
        '--model-id',
        DEMO_MODEL_ID,
        ...(opts.mlWorkers ? ['--workers', opts.mlWorkers] : []),
      ],
    });
    supervisor.spawn({
      name: 'api',
      args: [
        'api',
        'start',
        '--home',
        apiHome,
        '--node-rpc',
        rpc,
        '--ml-node',
        `http://${opts.mlListen}`,
        '--listen',
        opts.apiListen,
        '--classes',
        opts.classes,
      ],
    });
    process.exitCode = await supervisor.run();
  });
}

type DevnetProfile = 'devnet' | 'fast';

/**
 * The devnet's Sprint (x/poc genesis params): every epoch the devnet's own validator mines,
 * commits and validates itself. `devnet` (≈1 s blocks): x/poc's devnet profile, 60-block epochs
 * with 15 blocks of generation. `fast` (tests, ≈0.2 s blocks): x/poc's fast stages (2 blocks) are
 * too short for a separate ML node to start and mine, so 60-block epochs with 15 blocks of
 * generation and 20 of validation (the validator recomputes its sample with ORT).
 * --generation-blocks (benchmarks) replaces the generation length, so start-up is a small share.
 */
function devnetSprint(profile: DevnetProfile, generationBlocks?: bigint): PocParams {
  const p = profileSprint(profile);
  if (generationBlocks === undefined) return p;
  const longer = { ...p, generationBlocks };
  // validatePocParams wants MIN_FREE_BLOCKS outside the Sprint: a longer generation lengthens the epoch.
  const fits = sprintSpan(longer) + MIN_FREE_BLOCKS;
  return { ...longer, epochLength: longer.epochLength > fits ? longer.epochLength : fits };
}

function profileSprint(profile: DevnetProfile): PocParams {
  const devnet = sprintParams('devnet');
  if (profile === 'devnet') return devnet;
  return {
    ...devnet,
    epochLength: 60n,
    generationBlocks: 15n,
    commitBlocks: 5n,
    validationBlocks: 20n,
    dkgBlocks: 2n,
  };
}

async function initDevnet(
  home: string,
  listen: Partial<Listeners>,
  profile: DevnetProfile,
  generationBlocks: bigint | undefined,
  serving: { apiUrl: string; classes: string[] },
): Promise<void> {
  process.stderr.write(`[devnet] initializing a fresh devnet in ${home}\n`);
  // The funded devnet account (a devnet convenience, never for real networks): it operates the
  // validator and is the API node's key, so the validator mines and validates itself.
  const funded = await deriveKey(generateMnemonic());
  const appState = defaultAppState();
  addGenesisAccount(appState, funded.address, parseCoinsString(DEVNET_FUNDS));
  applyGovProfile(appState, devnetGovParams()); // 30 s deposit and voting periods (DESIGN.md §9)
  // Only the classes an ML node mines on CPU in a devnet's minutes.
  const sprint = devnetSprint(profile, generationBlocks);
  sprint.classes = sprint.classes.filter((c) => c.classId !== CLASS_LARGE);
  (appState.poc as { params: unknown }).params = pocParamsToJson(validatePocParams(sprint));
  // Paid inference out of the box: the demo model registered, and a bearer key of the funded
  // account granting the devnet's own API node (same account) DEVNET_KEY_LIMIT per epoch.
  const apiKeySecret = newApiKeySecret();
  addInferenceGenesis(appState, {
    models: [await demoModelGenesis()],
    apiKeys: [apiKeyGenesis(apiKeyHash(apiKeySecret), funded.address, funded.address, DEVNET_KEY_LIMIT)],
  });
  initHome({
    home,
    chainId: 'gonka-devnet',
    moniker: 'devnet-validator',
    profile,
    reset: true,
    appState,
    operator: funded.address,
    listen,
  });
  announceApiNode(homePaths(home).genesis, funded.address, serving);
  const devnetDir = homePaths(home).devnet;
  mkdirSync(devnetDir, { recursive: true });
  const mnemonicFile = join(devnetDir, 'mnemonic.txt');
  writeFileSync(mnemonicFile, `${funded.mnemonic}\n`, { mode: 0o600 });
  await initApiKey(join(home, 'api'), funded.mnemonic);
  writeFileSync(devnetApiKeyFile(home), `${apiKeySecret}\n`, { mode: 0o600 });
  process.stderr.write(
    `[devnet] funded account ${funded.address}; its mnemonic is in ${mnemonicFile}, ` +
      `its inference API key in ${devnetApiKeyFile(home)}\n`,
  );
}

/**
 * The validator's participant serves from block 1: its API node's URL and PoC classes in the
 * x/poc genesis (the API node would set them with MsgUpdateParticipant once a Sprint starts, so
 * the first inference requests found no executor). A later run on another --api-listen still
 * updates them on chain.
 */
function announceApiNode(
  genesisFile: string,
  operator: string,
  serving: { apiUrl: string; classes: string[] },
): void {
  const genesis = JSON.parse(readFileSync(genesisFile, 'utf8')) as { app_state: { poc: PocGenesis } };
  const p = genesis.app_state.poc.participants.find((x) => x.address === operator);
  if (!p) throw new Error(`the devnet genesis has no participant ${operator}`);
  p.api_url = serving.apiUrl;
  p.classes = serving.classes.filter(isPocClassName).map((c) => POC_CLASSES[c].id);
  writeFileSync(genesisFile, `${JSON.stringify(genesis, null, 2)}\n`);
}

/** Listener overrides as `gonkad start` flags. */
function listenerArgs(listen: Partial<Listeners>): string[] {
  const out: string[] = [];
  for (const [service, flags] of listenerFlags) {
    const v = listen[service];
    if (v !== undefined) out.push(flags.split(' ')[0]!, v);
  }
  return out;
}
