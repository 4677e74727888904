// Generates an N-validator local testnet: one home per validator (fast profile, free loopback
// ports, DESIGN.md §10 multi-validator settings), ONE genesis listing every validator copied to
// every home, and persistent_peers that point at harness-owned relays rather than at the peers
// themselves, so any link can be cut and healed.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addGenesisAccount } from '../app/genesisAccounts.js';
import { writeCometConfig } from '../app/node/cometConfig.js';
import { homePaths, readNodeConfig, writeNodeConfig } from '../app/node/home.js';
import { initHome } from '../app/node/init.js';
import { deriveKey, generateMnemonic } from '../app/node/keyring/hd.js';
import { toolPath } from '../app/paths.js';
import { applyGovProfile } from '../x/governance/genesis.js';
import { fastGovParams } from '../x/governance/params.js';
import type { PocGenesis } from '../x/poc/genesis.js';
import { setGenesisValidators } from '../x/poc/genesisValidators.js';
import { addInferenceTestnetGenesis, type InferenceTestnetOptions } from './inferenceConfig.js';
import { type LinkEntry, type TestnetManifest, type ValidatorEntry, writeManifest } from './manifest.js';
import { initServices, type PocTestnetOptions, resolvePocOptions, sprintGenesisParams } from './pocConfig.js';
import { freePorts } from './ports.js';

export interface TestnetInitOptions {
  dir: string;
  validators: number;
  chainId?: string;
  appState?: Record<string, unknown>;
  /** Voting power of each validator. */
  power?: number;
  /** Weight (= CometBFT power) per validator, e.g. [50, 30, 20]; overrides `power`. */
  weights?: number[];
  /** x/poc epoch_length; the fast test profile's 24 blocks by default (DESIGN.md §10). */
  epochLength?: number;
  /** ngonka given to each validator's operator account (default 10^12, 1000 GNK). */
  operatorFunds?: bigint;
  /**
   * A PoC testnet: an API node and an ML node per validator and the Sprint enabled in genesis.
   * Absent: chain nodes only, the Sprint off (genesis weights stay).
   */
  poc?: PocTestnetOptions;
  /**
   * Paid inference (needs `poc`): the demo model in x/inference genesis and loaded by every ML
   * node, x/inference params overrides, and bearer keys granted to validators' API nodes.
   */
  inference?: InferenceTestnetOptions;
}

/** Each validator's operator account: its mnemonic is in <home>/operator-mnemonic.txt. */
export const OPERATOR_MNEMONIC_FILE = 'operator-mnemonic.txt';

function nodeId(home: string): string {
  const r = spawnSync(toolPath('cometbft'), ['show-node-id', '--home', home], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cometbft show-node-id failed: ${r.stderr}`);
  return r.stdout.trim();
}

interface PrivValidatorKey {
  address: string;
  pub_key: { type: string; value: string };
}

export async function initTestnet(opts: TestnetInitOptions): Promise<TestnetManifest> {
  const n = opts.validators;
  if (!Number.isInteger(n) || n < 1 || n > 16)
    throw new Error(`validators must be an integer from 1 to 16, got ${n}`);
  const chainId = opts.chainId ?? 'gonka-testnet';
  const weights = opts.weights ?? Array.from({ length: n }, () => opts.power ?? 10);
  if (weights.length !== n || weights.some((w) => !Number.isInteger(w) || w <= 0))
    throw new Error(`weights must list ${n} positive integers, got ${JSON.stringify(opts.weights)}`);
  const poc = opts.poc ? resolvePocOptions(opts.poc, n) : undefined;
  if (opts.inference && !poc) throw new Error('an inference testnet needs poc (API and ML nodes)');
  const epochLength = opts.epochLength ?? 24;
  // Checked before anything is written: x/poc refuses stages that don't fit the epoch.
  const sprintParams = poc ? sprintGenesisParams(poc, epochLength) : undefined;
  rmSync(opts.dir, { recursive: true, force: true });
  mkdirSync(opts.dir, { recursive: true });

  const linkCount = n * (n - 1);
  const perNode = poc ? 6 : 4;
  const ports = await freePorts(n * perNode + linkCount);
  const take = () => ports.shift() as number;
  const validators: ValidatorEntry[] = [];
  for (let i = 0; i < n; i++) {
    const home = join(opts.dir, `node${i}`);
    const p: ValidatorEntry['ports'] = { rpc: take(), p2p: take(), grpc: take(), rest: take() };
    if (poc) {
      p.api = take();
      p.ml = take();
    }
    initHome({
      home,
      chainId,
      moniker: `validator-${i}`,
      profile: 'fast',
      // Loopback listeners; ABCI on each home's private socket; no metrics listeners.
      listen: {
        rpc: `tcp://127.0.0.1:${p.rpc}`,
        p2p: `tcp://127.0.0.1:${p.p2p}`,
        grpc: `127.0.0.1:${p.grpc}`,
        rest: `127.0.0.1:${p.rest}`,
        metrics: 'off',
        cometMetrics: 'off',
      },
      appState: opts.appState ?? {},
      peers: { localNetwork: true },
    });
    // The harness checks every node's invariants after each perturbation (/app/invariants).
    writeNodeConfig(home, { ...readNodeConfig(home), exposeInvariantsQuery: true });
    validators.push({ name: `validator-${i}`, home, nodeId: nodeId(home), ports: p });
  }

  const links: LinkEntry[] = [];
  for (let from = 0; from < n; from++)
    for (let to = 0; to < n; to++) if (from !== to) links.push({ from, to, port: take() });
  for (let i = 0; i < n; i++) {
    const v = validators[i] as ValidatorEntry;
    const persistentPeers = links
      .filter((l) => l.from === i)
      .map((l) => `${(validators[l.to] as ValidatorEntry).nodeId}@127.0.0.1:${l.port}`);
    writeCometConfig(v.home, readNodeConfig(v.home), { persistentPeers, localNetwork: true });
  }

  // One genesis for all: the first home's, with every validator's consensus key and weight as both
  // CometBFT power and x/poc participant weight, operated by a funded account per validator.
  const genesis = JSON.parse(
    readFileSync(homePaths((validators[0] as ValidatorEntry).home).genesis, 'utf8'),
  ) as { validators?: unknown[]; app_state?: Record<string, unknown> };
  genesis.app_state ??= {};
  const appState = genesis.app_state;
  const specs = [];
  for (const [i, v] of validators.entries()) {
    const key = JSON.parse(readFileSync(homePaths(v.home).privValidatorKey, 'utf8')) as PrivValidatorKey;
    const operator = await deriveKey(generateMnemonic());
    writeFileSync(join(v.home, OPERATOR_MNEMONIC_FILE), `${operator.mnemonic}\n`, { mode: 0o600 });
    addGenesisAccount(appState, operator.address, [
      { denom: 'ngonka', amount: opts.operatorFunds ?? 1_000_000_000_000n },
    ]);
    v.operator = operator.address;
    if (poc) v.services = await initServices(v.home, operator.mnemonic, i, poc, opts.inference !== undefined);
    specs.push({
      pubKeyBase64: key.pub_key.value,
      operator: operator.address,
      weight: BigInt(weights[i] as number),
      name: v.name,
    });
  }
  setGenesisValidators(genesis, specs);
  const pocGenesis = appState.poc as PocGenesis;
  pocGenesis.params.epoch_length = String(epochLength);
  if (sprintParams) pocGenesis.params = sprintParams;
  if (opts.inference) await addInferenceTestnetGenesis(appState, opts.inference, validators);
  applyGovProfile(appState, fastGovParams()); // 8 s periods unless the caller set its own
  const text = `${JSON.stringify(genesis, null, 2)}\n`;
  for (const v of validators) writeFileSync(homePaths(v.home).genesis, text);

  const manifest: TestnetManifest = { chainId, validators, links };
  writeManifest(opts.dir, manifest);
  return manifest;
}
