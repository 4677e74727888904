// `gonkad ml start`: the ML node (DESIGN.md §1), the process that holds the kernels and mines PoC
// nonce ranges for an API node over loopback HTTP (poc-http-contract), and with --model serves
// inference for it (inference-contract): the models are loaded and hashed before it listens, so a
// model that cannot load stops the start with one clear line. Once listening it prints
// one JSON line on stdout, {"listen": "host:port", "url": "http://host:port"}, so launchers can wait
// for it; logs go to stderr. A fatal error exits non-zero with one clear line; it never restarts
// itself (the launcher does).
import { availableParallelism } from 'node:os';
import { type Command, Option } from 'commander';
import { ExecutorInputError } from '../../../kernels/executor/errors.js';
import { type Logger, logger } from '../../log.js';
import { parseMlAdversary } from '../../ml/adversary.js';
import { MAX_FRAME_NONCES } from '../../ml/frames.js';
import { DEFAULT_MAX_QUEUE, DEMO_MODEL_ID, loadServedModel, type ServedModel } from '../../ml/inference.js';
import { MODEL_ID_PATTERN } from '../../ml/inferenceWire.js';
import { buildMlServer } from '../../ml/server.js';
import { formatHostPort, ListenerConfigError, parseHostPort } from '../../node/listeners.js';
import { StartupError } from '../../node/start.js';
import { parsePositiveInt, UserError } from '../errors.js';

export const DEFAULT_ML_LISTEN = '127.0.0.1:8100';

interface StartOptions {
  listen: string;
  workers?: string;
  threads: string;
  batch: string;
  rateLimit: string;
  maxSessions: string;
  testThrottle?: string;
  testAdversary: string[];
  testControls?: boolean;
  model: string[];
  modelId: string[];
  maxQueue: string;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Loads every --model (paired with --model-id by position); closes what loaded if one fails. */
async function loadModels(specs: string[], ids: string[], log: Logger): Promise<ServedModel[]> {
  if (ids.length > specs.length)
    throw new UserError(`--model-id given ${ids.length} times for ${specs.length} --model`);
  const idRe = new RegExp(MODEL_ID_PATTERN);
  for (const id of ids) if (!idRe.test(id)) throw new UserError(`--model-id: '${id}' is not a model id`);
  const loaded: ServedModel[] = [];
  try {
    for (const [i, spec] of specs.entries()) {
      const executorLog = {
        info: (message: string) => log.info({ model: spec }, message),
        warn: (message: string) => log.warn({ model: spec }, message),
      };
      loaded.push(await loadServedModel(spec, ids[i], { log: executorLog }));
    }
    const seen = new Set<string>();
    for (const m of loaded) {
      if (seen.has(m.id)) throw new UserError(`model id ${m.id} served twice (give --model-id)`);
      seen.add(m.id);
    }
    return loaded;
  } catch (err) {
    for (const m of loaded) await m.executor.close().catch(() => undefined);
    if (err instanceof ExecutorInputError) throw new UserError(`--model: ${err.message}`);
    throw err;
  }
}

async function start(opts: StartOptions): Promise<void> {
  let listen: { host: string; port: number };
  try {
    listen = parseHostPort(opts.listen, '--listen');
  } catch (err) {
    if (err instanceof ListenerConfigError) throw new UserError(err.message);
    throw err;
  }
  const workers = opts.workers === undefined ? undefined : parsePositiveInt(opts.workers, '--workers');
  const threads = parsePositiveInt(opts.threads, '--threads');
  const batch = parsePositiveInt(opts.batch, '--batch');
  const rateLimit = parsePositiveInt(opts.rateLimit, '--rate-limit');
  const maxSessions = parsePositiveInt(opts.maxSessions, '--max-sessions');
  const testThrottle =
    opts.testThrottle === undefined ? undefined : parsePositiveInt(opts.testThrottle, '--test-throttle');
  let adversary: ReturnType<typeof parseMlAdversary>;
  try {
    adversary = parseMlAdversary(opts.testAdversary);
  } catch (err) {
    throw new UserError(`--test-adversary: ${(err as Error).message}`);
  }
  if (batch > MAX_FRAME_NONCES)
    throw new UserError(`--batch: at most ${MAX_FRAME_NONCES} nonces per onnxruntime run (one frame)`);
  const maxQueue = parsePositiveInt(opts.maxQueue, '--max-queue');

  const log = logger('ml');
  const models = await loadModels(opts.model, opts.modelId, log);
  for (const m of models)
    log.info({ model: m.id, artifactHash: m.artifactHash, dir: m.executor.info.dir }, 'serving model');
  const server = await buildMlServer({
    models,
    maxQueue,
    log,
    workers,
    threads,
    batch,
    maxSessions,
    rateLimit: { max: rateLimit, timeWindowMs: 60_000 },
    testThrottle,
    adversary,
    testControls: opts.testControls === true,
    workersHint: workers ?? Math.max(1, availableParallelism()),
  });
  let address: string;
  try {
    address = await server.app.listen({ host: listen.host, port: listen.port });
  } catch (err) {
    await server.close().catch(() => undefined);
    throw new StartupError(`ML node cannot listen on ${opts.listen}: ${(err as Error).message}`);
  }
  const bound = server.app.server.address();
  const hostPort =
    bound !== null && typeof bound === 'object'
      ? formatHostPort({ host: bound.address, port: bound.port })
      : opts.listen;
  process.stdout.write(`${JSON.stringify({ listen: hostPort, url: `http://${hostPort}` })}\n`);
  log.info({ url: address, workers, threads, batch, testThrottle }, 'ML node listening');

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'ML node stopping');
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`error: ML node shutdown failed: ${(err as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

export function register(program: Command): void {
  const ml = program
    .command('ml')
    .description('the ML node: runs the kernels (PoC mining, inference) for an API node');
  ml.command('start')
    .description(
      'serve POST /v1/poc/mine, POST /v1/poc/stop, GET /v1/status, GET /metrics and, for each --model, ' +
        'GET /v1/inference/models, POST /v1/inference/generate and /v1/inference/replay; prints ' +
        '{"listen","url"} on stdout once listening',
    )
    .option(
      '--model <demo|dir>',
      'serve this model for inference (repeatable): "demo" or a model directory',
      collect,
      [],
    )
    .option(
      '--model-id <id>',
      `the id the Nth --model is served under (repeatable; default "${DEMO_MODEL_ID}" for demo, else the config's name)`,
      collect,
      [],
    )
    .option(
      '--max-queue <n>',
      'inference requests admitted per model, running + waiting; more get 503',
      String(DEFAULT_MAX_QUEUE),
    )
    .option('--listen <host:port>', 'HTTP listen address (port 0: any free port)', DEFAULT_ML_LISTEN)
    .option(
      '--workers <n>',
      'mining worker threads per session, each with its own onnxruntime session (default: one per core)',
    )
    .option('--threads <n>', 'onnxruntime intra-op threads per worker', '1')
    .option('--batch <n>', 'nonces per onnxruntime run', '64')
    .option('--rate-limit <n>', 'requests per client per minute', '600')
    .option('--max-sessions <n>', 'mining sessions (block hash, class, pubkey) kept open at once', '2')
    .addOption(
      new Option(
        '--test-throttle <nonces/s>',
        'TEST ONLY: cap the nonces per second this node mines and sends (a token bucket); never on a real node',
      ),
    )
    .addOption(
      new Option(
        '--test-adversary <mode>',
        'TEST ONLY, never on a real node: fabricate=<fraction> replaces that fraction of outputs with garbage (repeatable)',
      )
        .argParser((v: string, prev: string[]) => [...prev, v])
        .default([]),
    )
    .addOption(
      new Option(
        '--test-controls',
        'TEST ONLY, never on a real node: serve POST /v1/test/throttle {"nonces_per_s": n|null}',
      ),
    )
    .action(start);
}
