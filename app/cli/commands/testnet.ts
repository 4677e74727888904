// gonkad testnet init | start | stop | status: an N-validator network on loopback (DESIGN.md §10).
// `start` runs in the foreground (it owns the peer-link relays) until Ctrl-C or `testnet stop`,
// which signals the pid it records in <dir>/launcher.pid.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { type Command, Option } from 'commander';
import { initTestnet } from '../../../testnet/config.js';
import { Testnet } from '../../../testnet/launcher.js';
import { readManifest } from '../../../testnet/manifest.js';
import { pidAlive } from '../../../testnet/node.js';
import { type PocTestnetOptions, parseThrottleList } from '../../../testnet/pocConfig.js';
import { NodeRpc, waitFor } from '../../../testnet/rpc.js';
import { defaultAppState } from '../../app.js';
import { UserError } from '../errors.js';
import type { GonkadOptions } from '../gonkad.js';

const defaultDir = () => process.env.GONKA_TESTNET_DIR ?? join(homedir(), '.gonka-testnet');
const pidFile = (dir: string) => join(dir, 'launcher.pid');

function launcherPid(dir: string): number | undefined {
  if (!existsSync(pidFile(dir))) return undefined;
  const pid = Number(readFileSync(pidFile(dir), 'utf8'));
  return Number.isInteger(pid) && pidAlive(pid) ? pid : undefined;
}

function manifestOrFail(dir: string) {
  try {
    return readManifest(dir);
  } catch (e) {
    throw new UserError(e instanceof Error ? e.message : String(e));
  }
}

/** The PoC options of `testnet init` (throws UserError on bad input). */
function pocOptions(opts: Record<string, unknown>, validators: number): PocTestnetOptions {
  const mlWorkers = Number(opts.mlWorkers);
  if (!Number.isSafeInteger(mlWorkers) || mlWorkers < 1 || mlWorkers > 64)
    throw new UserError(`--ml-workers must be an integer from 1 to 64, got '${opts.mlWorkers}'`);
  let mlThrottle: number[] | undefined;
  try {
    if (opts.mlThrottle !== undefined) mlThrottle = parseThrottleList(String(opts.mlThrottle), validators);
  } catch (e) {
    throw new UserError(e instanceof Error ? e.message : String(e));
  }
  const fraction = opts.maxPowerFraction as string | undefined;
  if (fraction !== undefined && (!/^(0\.\d{1,18}|1(\.0{1,18})?)$/.test(fraction) || /^0\.0+$/.test(fraction)))
    throw new UserError(`--max-power-fraction must be a decimal in (0, 1], got '${fraction}'`);
  let stages: PocTestnetOptions['stages'];
  if (opts.stages !== undefined) {
    const v = String(opts.stages).split(',').map(Number);
    if (v.length !== 4 || v.some((x) => !Number.isSafeInteger(x) || x < 0))
      throw new UserError(
        `--stages must be 4 block counts generation,commit,validation,dkg, got '${opts.stages}'`,
      );
    stages = { generation: v[0], commit: v[1], validation: v[2], dkg: v[3] };
  }
  const optionalInt = (name: string, v: unknown) => {
    if (v === undefined) return undefined;
    const x = Number(v);
    if (!Number.isSafeInteger(x) || x < 1)
      throw new UserError(`${name} must be a positive integer, got '${v}'`);
    return x;
  };
  const sampleSize = optionalInt('--sample-size', opts.sampleSize);
  const apiCommitEvery = optionalInt('--api-commit-every', opts.apiCommitEvery);
  return {
    classes: String(opts.classes).split(','),
    mlWorkers,
    ...(stages ? { stages } : {}),
    ...(sampleSize !== undefined ? { sampleSize } : {}),
    ...(apiCommitEvery !== undefined ? { apiCommitEvery } : {}),
    ...(mlThrottle ? { mlThrottle } : {}),
    ...(fraction !== undefined ? { maxPowerFraction: fraction } : {}),
  };
}

function epochLength(v: unknown): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 4)
    throw new UserError(`--epoch-length must be an integer ≥ 4, got '${v}'`);
  return n;
}

const serviceUrls = (p: { api?: number; ml?: number }) =>
  p.api === undefined ? '' : `  api http://127.0.0.1:${p.api}  ml http://127.0.0.1:${p.ml}`;

export function register(program: Command, options: GonkadOptions = {}): void {
  const testnet = program
    .command('testnet')
    .description('a local multi-validator network on loopback (init, start, stop, status)');
  const dirOption = [
    '--dir <dir>',
    'testnet directory (default $GONKA_TESTNET_DIR or ~/.gonka-testnet)',
  ] as const;

  testnet
    .command('init')
    .description('create N validator homes with one shared genesis and relay-linked persistent peers')
    .option('--validators <n>', 'number of validators', '4')
    .option(...dirOption)
    .option('--chain-id <id>', 'chain id', 'gonka-testnet')
    .option(
      '--weights <list>',
      'comma-separated genesis weight (= voting power) per validator, e.g. 50,30,20',
    )
    .option('--no-poc', 'chain nodes only: no API/ML nodes, the Sprint off (genesis weights stay)')
    .option(
      '--no-inference',
      'no paid inference: the ML nodes load no model and x/inference registers none (default: the demo model)',
    )
    .option('--classes <list>', 'PoC classes the API nodes mine', 'tiny')
    .option('--ml-workers <n>', 'mining worker threads per ML node', '1')
    .option('--max-power-fraction <f>', "x/poc power cap, e.g. 0.5 (default the profile's 0.25)")
    .option('--epoch-length <n>', 'blocks per epoch', '24')
    .option('--stages <g,c,v,d>', "Sprint stage lengths in blocks (default the fast profile's 2,2,2,2)")
    .option('--sample-size <n>', "leaves each validator samples per participant (default the profile's)")
    .option('--api-commit-every <s>', "seconds between an API node's commits while mining")
    .addOption(
      new Option(
        '--ml-throttle <list>',
        "TEST ONLY: nonces/s per validator's ML node, e.g. 800,400,200,100 (a token bucket at the ML node)",
      ),
    )
    .action(async (opts) => {
      const dir = (opts.dir as string | undefined) ?? defaultDir();
      const weights = opts.weights === undefined ? undefined : String(opts.weights).split(',').map(Number);
      const n = weights ? weights.length : Number(opts.validators);
      if (weights?.some((w) => !Number.isSafeInteger(w) || w <= 0))
        throw new UserError(`--weights must be positive integers, got '${opts.weights}'`);
      if (!Number.isInteger(n) || n < 1 || n > 16)
        throw new UserError(`--validators must be an integer from 1 to 16, got '${opts.validators}'`);
      if (launcherPid(dir))
        throw new UserError(
          `a testnet is running from ${dir}; stop it first (gonkad testnet stop --dir ${dir})`,
        );
      const m = await initTestnet({
        dir,
        validators: n,
        chainId: opts.chainId,
        appState: defaultAppState(),
        weights,
        epochLength: epochLength(opts.epochLength),
        poc: opts.poc === false ? undefined : pocOptions(opts, n),
        // The demo model registered and loaded by every ML node (keys: gonkad tx inference register-key).
        inference: opts.poc === false || opts.inference === false ? undefined : {},
      }).catch((e: unknown) => {
        throw e instanceof UserError ? e : new UserError(e instanceof Error ? e.message : String(e));
      });
      for (const v of m.validators)
        process.stdout.write(
          `${v.name}  home ${v.home}  rpc http://127.0.0.1:${v.ports.rpc}${serviceUrls(v.ports)}  node id ${v.nodeId}  operator ${v.operator}\n`,
        );
      process.stdout.write(
        `initialized ${n} validators in ${dir}; run \`gonkad testnet start --dir ${dir}\`\n`,
      );
    });

  testnet
    .command('start')
    .description('run every validator in the foreground until Ctrl-C (or `gonkad testnet stop`)')
    .option(...dirOption)
    .option('--no-services', 'run the chain nodes only, without the API and ML nodes')
    .action(async (opts) => {
      const dir = (opts.dir as string | undefined) ?? defaultDir();
      manifestOrFail(dir);
      const running = launcherPid(dir);
      if (running) throw new UserError(`a testnet is already running from ${dir} (pid ${running})`);
      // Each validator runs the entry this launcher runs in (the test entry's nodes get testkv).
      const net = Testnet.open(dir, { nodeEntry: options.nodeEntry, services: opts.services !== false });
      writeFileSync(pidFile(dir), `${process.pid}\n`);
      let stopping: Promise<void> | undefined;
      const stop = () => (stopping ??= net.stop().finally(() => rmSync(pidFile(dir), { force: true })));
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
      await net.start();
      for (const n of net.nodes)
        process.stderr.write(
          `[testnet] ${n.entry.name}: rpc http://127.0.0.1:${n.entry.ports.rpc}${serviceUrls(n.entry.ports)}, logs ${n.entry.home}/{gonkad,api,ml}.log\n`,
        );
      process.stderr.write('[testnet] all validators started; Ctrl-C stops them\n');
      // Stay up while the nodes run; a node that dies on its own is reported, and the rest go on.
      const reported = new Set<string>();
      while (!stopping) {
        for (const n of net.nodes) {
          if (!n.running && !reported.has(n.entry.name)) {
            reported.add(n.entry.name);
            process.stderr.write(
              `[testnet] ${n.entry.name} exited; see ${join(n.entry.home, 'gonkad.log')}\n`,
            );
          }
        }
        for (const s of net.services.all()) {
          if (!s.running && !reported.has(s.spec.name)) {
            reported.add(s.spec.name);
            process.stderr.write(`[testnet] ${s.spec.name} exited; see ${s.spec.log}\n`);
          }
        }
        await new Promise((r) => setTimeout(r, 500));
      }
      await stopping;
    });

  testnet
    .command('stop')
    .description('stop a testnet started from this directory')
    .option(...dirOption)
    .action(async (opts) => {
      const dir = (opts.dir as string | undefined) ?? defaultDir();
      const pid = launcherPid(dir);
      if (!pid) throw new UserError(`no testnet is running from ${dir}`);
      process.kill(pid, 'SIGTERM');
      await waitFor(`testnet launcher ${pid} to exit`, async () => !pidAlive(pid), 60_000);
      process.stdout.write(`stopped the testnet in ${dir}\n`);
    });

  testnet
    .command('status')
    .description("each validator's height and latest block hash")
    .option(...dirOption)
    .action(async (opts) => {
      const dir = (opts.dir as string | undefined) ?? defaultDir();
      const m = manifestOrFail(dir);
      const pid = launcherPid(dir);
      process.stdout.write(
        `testnet ${m.chainId} in ${dir}: ${pid ? `running (launcher pid ${pid})` : 'not running'}\n`,
      );
      for (const v of m.validators) {
        const rpc = new NodeRpc(`http://127.0.0.1:${v.ports.rpc}`);
        const line = await rpc
          .status()
          .then(
            (s) =>
              `height ${s.sync_info.latest_block_height}, block ${s.sync_info.latest_block_hash}, catching up ${s.sync_info.catching_up}`,
          )
          .catch(() => 'not answering');
        process.stdout.write(`${v.name}  rpc http://127.0.0.1:${v.ports.rpc}  ${line}\n`);
        for (const [kind, port] of [
          ['api', v.ports.api],
          ['ml', v.ports.ml],
        ] as const) {
          if (port === undefined) continue;
          const ok = await fetch(`http://127.0.0.1:${port}/v1/status`, { signal: AbortSignal.timeout(2000) })
            .then((r) => r.ok)
            .catch(() => false);
          process.stdout.write(`  ${kind} http://127.0.0.1:${port}  ${ok ? 'answering' : 'not answering'}\n`);
        }
      }
    });
}
