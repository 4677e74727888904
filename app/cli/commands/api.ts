// gonkad api init | start: the API node (app/api), the operator's agent beside the chain node.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Command, Option } from 'commander';
import { isPocClassName, type PocClassName } from '../../../kernels/poc/classes.js';
import { type ApiAdversary, parseApiAdversary } from '../../api/adversary.js';
import { initApiKey, keyFilePath } from '../../api/key.js';
import { startApiNode } from '../../api/node.js';
import { defaultHome } from '../../node/home.js';
import { parseHostPort } from '../../node/listeners.js';
import { UserError } from '../errors.js';

/** The API node's home when --home is not given: <$GONKA_HOME or ~/.gonka>/api. */
const defaultApiHome = () => join(defaultHome(), 'api');

const collect = (v: string, prev: string[]) => [...prev, v];

function parseClasses(v: string): PocClassName[] {
  const names = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0) throw new UserError('--classes needs at least one class');
  for (const n of names) if (!isPocClassName(n)) throw new UserError(`unknown PoC class '${n}'`);
  return names as PocClassName[];
}

/** `--serve-model ID=DIR` (or ID=demo), repeatable → id → spec; none given: gonka/demo=demo. */
function parseServedModels(v: string[]): Record<string, string> {
  if (v.length === 0) return { 'gonka/demo': 'demo' };
  const out: Record<string, string> = {};
  for (const s of v) {
    const eq = s.indexOf('=');
    const id = s.slice(0, eq);
    if (eq < 1 || eq === s.length - 1 || !/^[a-zA-Z0-9._/-]{1,128}$/.test(id))
      throw new UserError(`--serve-model wants ID=DIR (or ID=demo), got '${s}'`);
    out[id] = s.slice(eq + 1);
  }
  return out;
}

function positiveInt(v: string, what: string): number {
  if (!/^\d{1,9}$/.test(v) || Number(v) < 1) throw new UserError(`${what} must be a positive integer`);
  return Number(v);
}

export function register(program: Command): void {
  const api = program
    .command('api')
    .description(
      'the API node: Sprint mining, proofs and validation; paid inference (OpenAI-compatible /v1)',
    );

  api
    .command('init')
    .description(`write the operator key file (<home>/key.json, mode 0600; its mnemonic is never printed)`)
    .option('--home <dir>', 'API node home (default $GONKA_HOME/api or ~/.gonka/api)')
    .option('--mnemonic-file <file>', 'use the BIP39 mnemonic in this file instead of a new one')
    .action(async (opts) => {
      const home = (opts.home as string | undefined) ?? defaultApiHome();
      let mnemonic: string | undefined;
      if (opts.mnemonicFile) mnemonic = readFileSync(opts.mnemonicFile as string, 'utf8').trim();
      try {
        const address = await initApiKey(home, mnemonic);
        process.stdout.write(`${JSON.stringify({ home, address, key_file: keyFilePath(home) })}\n`);
      } catch (e) {
        throw new UserError(e instanceof Error ? e.message : String(e));
      }
    });

  api
    .command('start')
    .description('run the API node: proofs endpoint, metrics and the Sprint driver over its ML nodes')
    .option('--home <dir>', 'API node home (default $GONKA_HOME/api or ~/.gonka/api)')
    .option('--node-rpc <url>', 'CometBFT RPC of the chain node', 'http://127.0.0.1:26657')
    .option(
      '--ml-node <url>',
      'an ML node to drive (repeatable; default http://127.0.0.1:8100)',
      collect,
      [] as string[],
    )
    .option('--listen <host:port>', 'HTTP listen address', '127.0.0.1:8000')
    .option('--api-url <url>', 'URL validators fetch proofs from (default http://<listen>)')
    .option('--classes <list>', 'PoC classes to mine, comma-separated', 'tiny')
    .option('--commit-every <seconds>', 'interval of the commits sent while mining', '10')
    .option('--rate-limit <n>', 'HTTP requests per client per minute', '120')
    .option(
      '--serve-model <id=dir>',
      'a model whose tokenizer this node loads to serve it on /v1/chat/completions (repeatable; DIR or demo; default gonka/demo=demo)',
      collect,
      [] as string[],
    )
    .option(
      '--payload-retention <seconds>',
      'how long executed inference payloads are kept for validators',
      '3600',
    )
    .option('--inference-rate-limit <n>', 'OpenAI-compatible API requests per client per minute', '600')
    .addOption(
      new Option(
        '--test-adversary <mode>',
        'TEST ONLY, never on a real node: refuse-proofs | overcount=<factor> | copy-from=<hex pubkey> | sprint-only (repeatable)',
      )
        .argParser(collect)
        .default([] as string[]),
    )
    .action(async (opts) => {
      const home = (opts.home as string | undefined) ?? defaultApiHome();
      const mlNodes =
        (opts.mlNode as string[]).length > 0 ? (opts.mlNode as string[]) : ['http://127.0.0.1:8100'];
      for (const u of mlNodes)
        if (!/^https?:\/\/[^\s]+$/.test(u)) throw new UserError(`invalid --ml-node URL '${u}'`);
      try {
        parseHostPort(opts.listen as string, '--listen');
      } catch (e) {
        throw new UserError(e instanceof Error ? e.message : String(e));
      }
      let adversary: ApiAdversary;
      try {
        adversary = parseApiAdversary(opts.testAdversary as string[]);
      } catch (e) {
        throw new UserError(`--test-adversary: ${e instanceof Error ? e.message : String(e)}`);
      }
      process.exitCode = await startApiNode({
        adversary,
        home,
        nodeRpc: opts.nodeRpc as string,
        mlNodes,
        listen: opts.listen as string,
        apiUrl: opts.apiUrl as string | undefined,
        classes: parseClasses(opts.classes as string),
        commitEveryMs: positiveInt(opts.commitEvery as string, '--commit-every') * 1000,
        rateLimit: { max: positiveInt(opts.rateLimit as string, '--rate-limit'), timeWindowMs: 60_000 },
        models: parseServedModels(opts.serveModel as string[]),
        payloadRetentionMs: positiveInt(opts.payloadRetention as string, '--payload-retention') * 1000,
        inferenceRateLimit: positiveInt(opts.inferenceRateLimit as string, '--inference-rate-limit'),
      });
    });
}
