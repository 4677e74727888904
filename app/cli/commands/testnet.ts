// gonkad testnet init | start | stop | status: an N-validator network on loopback (DESIGN.md §10).
// `start` runs in the foreground (it owns the peer-link relays) until Ctrl-C or `testnet stop`,
// which signals the pid it records in <dir>/launcher.pid.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { initTestnet } from '../../../testnet/config.js';
import { Testnet } from '../../../testnet/launcher.js';
import { readManifest } from '../../../testnet/manifest.js';
import { pidAlive } from '../../../testnet/node.js';
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
    .option('--weights <list>', 'comma-separated weight (= voting power) per validator, e.g. 50,30,20')
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
      });
      for (const v of m.validators)
        process.stdout.write(
          `${v.name}  home ${v.home}  rpc http://127.0.0.1:${v.ports.rpc}  node id ${v.nodeId}  operator ${v.operator}\n`,
        );
      process.stdout.write(
        `initialized ${n} validators in ${dir}; run \`gonkad testnet start --dir ${dir}\`\n`,
      );
    });

  testnet
    .command('start')
    .description('run every validator in the foreground until Ctrl-C (or `gonkad testnet stop`)')
    .option(...dirOption)
    .action(async (opts) => {
      const dir = (opts.dir as string | undefined) ?? defaultDir();
      manifestOrFail(dir);
      const running = launcherPid(dir);
      if (running) throw new UserError(`a testnet is already running from ${dir} (pid ${running})`);
      // Each validator runs the entry this launcher runs in (the test entry's nodes get testkv).
      const net = Testnet.open(dir, { nodeEntry: options.nodeEntry });
      writeFileSync(pidFile(dir), `${process.pid}\n`);
      let stopping: Promise<void> | undefined;
      const stop = () => (stopping ??= net.stop().finally(() => rmSync(pidFile(dir), { force: true })));
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
      await net.start();
      for (const n of net.nodes)
        process.stderr.write(
          `[testnet] ${n.entry.name}: rpc http://127.0.0.1:${n.entry.ports.rpc}, log ${join(n.entry.home, 'gonkad.log')}\n`,
        );
      process.stderr.write('[testnet] all validators started; Ctrl-C stops them\n');
      // Stay up while the nodes run; a node that dies on its own is reported, and the rest go on.
      const reported = new Set<number>();
      while (!stopping) {
        for (const n of net.nodes) {
          if (!n.running && !reported.has(n.index)) {
            reported.add(n.index);
            process.stderr.write(
              `[testnet] ${n.entry.name} exited; see ${join(n.entry.home, 'gonkad.log')}\n`,
            );
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
      }
    });
}
