// `gonkad start`: the chain node. Opens the app store, serves ABCI on the configured address,
// then starts CometBFT as a child process pointed at it. SIGINT/SIGTERM stop both cleanly; if
// CometBFT dies or the application hits a fatal error, the node exits non-zero with a clear message.
import { lstatSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AbciServer } from '../../abci/server.js';
import { type AppExtensions, appStoreNames, createApp } from '../app.js';
import { logger } from '../log.js';
import { repoPath } from '../paths.js';
import { useOpenSslVerifier } from '../runtime/ante/secp256k1.js';
import type { BaseApp, QueryOptions } from '../runtime/baseApp.js';
import { armFailpoint } from '../runtime/failpoints.js';
import { abciFrameLimit } from './abciLimits.js';
import { type CometProcess, spawnCometBFT } from './cometbft.js';
import { cometMaxTxBytes, syncCometListeners } from './cometConfig.js';
import { CometRpcClient } from './grpc/comet.js';
import { createDispatch, type Dispatch } from './grpc/dispatch.js';
import { LogLimiter } from './grpc/logLimiter.js';
import { QueryScheduler } from './grpc/queryScheduler.js';
import { HEIGHT_HEADER, loadServedProtos, type RunningGrpcServer, startGrpcServer } from './grpc/server.js';
import { configuredListeners, homePaths, type NodeConfig, readNodeConfig } from './home.js';
import { parseInvariantPeriod, periodicInvariantCheck } from './invariantCheck.js';
import {
  abciAddress,
  ListenerConfigError,
  type Listeners,
  localUrl,
  OFF,
  parseHostPort,
} from './listeners.js';
import { NodeMetrics } from './metrics.js';
import { openAppStore } from './openStore.js';
import { GcWindow, ThreadCpu } from './queryTiming.js';
import { reindexRecentEvents } from './reindexEvents.js';
import { type RunningRestServer, startRestServer } from './rest/server.js';

/** A node that cannot start for a reason the operator can act on: reported as one line, exit 1. */
export class StartupError extends Error {
  override name = 'StartupError';
}

export interface StartOptions {
  home: string;
  /** Where CometBFT's own log goes: a file (default <home>/cometbft.log) or 'inherit' (our stderr). */
  cometLog?: string | 'inherit';
  /** Extra app modules, wired by the entry script (the test entry adds testkv); none in gonkad. */
  extensions?: AppExtensions;
  /** Listen addresses for this run, over config/gonka.json's (`gonkad start --rpc-laddr …`). */
  listen?: Partial<Listeners>;
  /** `--check-invariants-every`: overrides the config key checkInvariantsEvery (0 = off). */
  checkInvariantsEvery?: number;
  /** Serve /app/invariants (also config key exposeInvariantsQuery). */
  exposeInvariantsQuery?: boolean;
}

/** The node's query options from its config (and the start flag), checked before anything starts. */
export function queryOptionsOf(cfg: NodeConfig, exposeFlag = false): QueryOptions {
  const raw = cfg.queryGasLimit;
  let gasLimit: bigint | undefined;
  if (raw !== undefined) {
    if (!/^[1-9]\d{0,17}$/.test(String(raw)))
      throw new StartupError(
        `queryGasLimit in config/gonka.json must be a positive integer below 10^18, got ${JSON.stringify(raw)}`,
      );
    gasLimit = BigInt(raw);
  }
  return { gasLimit, exposeInvariants: exposeFlag || cfg.exposeInvariantsQuery === true };
}

/** A query that holds the event loop this long is logged (path, ms, CPU and GC ms), a few lines a second. */
const SLOW_QUERY_MS = 20;

/**
 * Every query the app answers (ABCI or gRPC) is timed into the metrics: the event-loop time it held
 * and the CPU time the event-loop thread used meanwhile, which tells the query's own cost from time
 * the OS gave to other processes (CometBFT, clients) while the node was descheduled mid-query.
 */
function instrumentQueries(app: BaseApp, metrics: NodeMetrics): void {
  const inner = app.query.bind(app);
  const slowLog = logger('query');
  const limiter = new LogLimiter(5, 20);
  const gc = new GcWindow();
  const thread = new ThreadCpu();
  app.query = (req) => {
    const start = performance.now();
    const cpu = thread.nowMs();
    let code = -1;
    let bytes = 0;
    try {
      const res = inner(req);
      code = res.code;
      bytes = res.value.length;
      return res;
    } finally {
      const end = performance.now();
      const ms = end - start;
      const cpuMs = thread.nowMs() - cpu;
      metrics.observeQuery(ms / 1000, cpuMs / 1000);
      const slot = ms > SLOW_QUERY_MS ? limiter.take() : undefined;
      if (slot?.ok) {
        const fields = {
          path: req.path,
          height: String(req.height),
          ms: Math.round(ms),
          cpuMs: Math.round(cpuMs),
          code,
          bytes,
          suppressed: slot.suppressed,
        };
        // GC entries reach the observer a little later: log once they have.
        setTimeout(() => {
          const g = gc.overlap(start, end);
          slowLog.warn({ ...fields, gcMs: Math.round(g.ms), majorGc: g.major }, 'slow query');
        }, 50).unref();
      }
    }
  };
}

/** Removes a socket file left by a node that did not stop cleanly; refuses to remove anything else. */
function removeStaleSocket(path: string): void {
  let st: ReturnType<typeof lstatSync>;
  try {
    st = lstatSync(path);
  } catch {
    return; // nothing there
  }
  if (!st.isSocket())
    throw new StartupError(`${path} exists and is not a socket; move it away or set another ABCI address`);
  unlinkSync(path);
}

function invariantPeriodOf(opts: StartOptions, cfg: NodeConfig): number {
  try {
    if (opts.checkInvariantsEvery !== undefined)
      return parseInvariantPeriod(opts.checkInvariantsEvery, '--check-invariants-every');
    return parseInvariantPeriod(cfg.checkInvariantsEvery ?? 0, 'checkInvariantsEvery in config/gonka.json');
  } catch (e) {
    throw new StartupError(e instanceof Error ? e.message : String(e));
  }
}

/** The node's config, home paths, listeners and genesis, each checked before anything starts. */
function nodeSetup(opts: StartOptions) {
  const cfg = readNodeConfig(opts.home);
  const paths = homePaths(opts.home);
  let listen: Listeners;
  let abci: ReturnType<typeof abciAddress>;
  try {
    listen = configuredListeners(cfg, opts.listen);
    abci = abciAddress(opts.home, listen.abci);
  } catch (e) {
    if (e instanceof ListenerConfigError) throw new StartupError(e.message);
    throw e;
  }
  const genesisText = readFileSync(paths.genesis, 'utf8');
  const genesis = JSON.parse(genesisText) as {
    chain_id: string;
    consensus_params?: { block?: { max_bytes?: string } };
  };
  return { cfg, paths, listen, abci, genesis };
}

async function openStoreOrFail(dir: string, extensions: AppExtensions) {
  try {
    return await openAppStore(dir, appStoreNames(extensions));
  } catch (e) {
    throw new StartupError(
      `cannot open the app store in ${dir}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

/** Re-indexes the last committed heights for tx lookups; a failure only warns. */
async function reindexOnStart(
  home: string,
  lastHeight: number,
  log: ReturnType<typeof logger>,
): Promise<void> {
  try {
    const r = await reindexRecentEvents(home, lastHeight);
    if (r) log.info(r, 're-indexed the last committed heights for tx and event lookups');
  } catch (e) {
    // The chain itself is unaffected; only lookups of txs in those heights may miss.
    log.warn(
      { err: e instanceof Error ? e.message : String(e) },
      'could not re-index recent heights (cometbft reindex-event); tx lookups for them may miss',
    );
  }
}

async function serveGrpc(
  app: BaseApp,
  address: string,
  rpcUrl: string,
  version: string,
  home: string,
  shared: { dispatch: Dispatch; scheduler: QueryScheduler },
): Promise<RunningGrpcServer> {
  const { host, port } = parseHostPort(address, 'grpc');
  const server = await startGrpcServer({
    app,
    host,
    port,
    rpcUrl,
    version,
    logger: logger('grpc'),
    maxTxBytes: BigInt(cometMaxTxBytes(home)),
    ...shared,
  });
  logger('node').info({ grpc: `${address} (port ${server.port})` }, 'gRPC server listening');
  return server;
}

/** REST (LCD) on its own listener, answering through the gRPC server's dispatcher and scheduler. */
async function serveRest(
  address: string,
  rpcUrl: string,
  version: string,
  home: string,
  dispatch: Dispatch,
): Promise<RunningRestServer> {
  const { host, port } = parseHostPort(address, 'rest');
  const server = await startRestServer({
    host,
    port,
    definition: loadServedProtos(),
    dispatch,
    rpcUrl,
    version,
    logger: logger('rest'),
    maxTxBytes: BigInt(cometMaxTxBytes(home)),
    home,
  });
  logger('node').info(
    { rest: `${address} (port ${server.port})`, routes: server.routes.length },
    'REST (LCD) listening: /openapi.json, explorer at /explorer/',
  );
  return server;
}

async function serveMetrics(metrics: NodeMetrics, address: string): Promise<{ close(): Promise<void> }> {
  const { host, port } = parseHostPort(address, 'metrics');
  const m = await metrics.serve(host, port);
  logger('node').info(
    { metrics: `${address} (port ${m.port}) GET /metrics` },
    'Prometheus metrics listening',
  );
  return m;
}

/** The app over the store, its commits and queries feeding the metrics and the invariant check. */
function instrumentedApp(
  store: Awaited<ReturnType<typeof openAppStore>>,
  version: string,
  extensions: AppExtensions,
  metrics: NodeMetrics,
  invariantPeriod: number,
  queryOptions: QueryOptions,
): BaseApp {
  const checkInvariants = periodicInvariantCheck(
    () => app.checkInvariants(),
    invariantPeriod,
    logger('invariants'),
  );
  const app: BaseApp = createApp(
    store,
    logger('app'),
    version,
    extensions,
    (height, txs) => {
      metrics.height.set(height);
      metrics.txs.inc(txs);
      checkInvariants(height);
    },
    queryOptions,
  );
  instrumentQueries(app, metrics);
  return app;
}

/** Serves ABCI (replacing a stale socket) and syncs CometBFT's listeners; on failure closes both. */
async function listenAbciOrFail(
  server: AbciServer,
  store: Awaited<ReturnType<typeof openAppStore>>,
  abci: ReturnType<typeof abciAddress>,
  home: string,
  listen: Listeners,
): Promise<void> {
  try {
    if (abci.socketPath) removeStaleSocket(abci.socketPath);
    await server.listen(abci.address);
    // CometBFT reads its listeners from config.toml: ours are the source (flags included).
    syncCometListeners(home, listen);
  } catch (e) {
    await server.close();
    await store.close();
    if (e instanceof StartupError) throw e;
    throw new StartupError(
      `cannot listen for ABCI on ${abci.address}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

/**
 * Test-only crash points and the OpenSSL verifier switch come from the environment here, at the
 * node's edge, never inside consensus code.
 */
function armFromEnvironment(): void {
  armFailpoint(process.env.GONKA_FAILPOINT);
  if (process.env.GONKA_SECP256K1 === 'openssl') useOpenSslVerifier();
}

function abciServer(
  app: BaseApp,
  frameLimit: ReturnType<typeof abciFrameLimit>,
  metrics: NodeMetrics,
  onFatal: (err: Error) => void,
  queries: QueryScheduler,
): AbciServer {
  return new AbciServer(app, {
    // RPC abci_query goes through the same scheduler as gRPC queries (its own lane): together
    // they get a bounded share of the loop, never back-to-back runs between consensus requests.
    // The query connection sends one query at a time, so its lane never fills.
    runQuery: async (query) => await queries.submit(query, 'abci'),
    logger: logger('abci'),
    maxFrameBytes: () => frameLimit.cap(),
    onResponse: (kind, res) => frameLimit.observe(kind, res),
    onFatal,
    observe: (method, seconds) => {
      metrics.abciRequests.inc({ method });
      metrics.abciSeconds.observe({ method }, seconds);
    },
  });
}

/** Spawns CometBFT and records its pid; `exited` hears why if it ever exits. */
function startComet(opts: StartOptions, exited: (reason: string) => void): CometProcess {
  const cometLog = opts.cometLog ?? join(opts.home, 'cometbft.log');
  const comet = spawnCometBFT(opts.home, cometLog);
  // Operators and the test harness signal CometBFT by this pid (never by process name).
  writeFileSync(join(opts.home, 'cometbft.pid'), `${comet.child.pid}\n`);
  comet.exited.then(({ code, signal }) => {
    const how = signal ? `signal ${signal}` : `exit code ${code}`;
    exited(
      `CometBFT exited unexpectedly (${how}); see ${cometLog === 'inherit' ? 'the output above' : cometLog}`,
    );
  });
  return comet;
}

export async function startNode(opts: StartOptions): Promise<number> {
  const log = logger('node');
  armFromEnvironment();
  const { cfg, paths, listen, abci, genesis } = nodeSetup(opts);
  const invariantPeriod = invariantPeriodOf(opts, cfg);
  const queryOptions = queryOptionsOf(cfg, opts.exposeInvariantsQuery);
  const extensions = opts.extensions ?? {};
  const version = (JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as { version: string }).version;
  const store = await openStoreOrFail(paths.appStore, extensions);
  const metrics = new NodeMetrics();
  const app = instrumentedApp(store, version, extensions, metrics, invariantPeriod, queryOptions);
  if (invariantPeriod > 0) log.info({ every: invariantPeriod }, 'checking invariants after commits');
  app.setChainId(genesis.chain_id);
  const last = store.lastCommitInfo();
  log.info({ home: opts.home, chainId: genesis.chain_id, height: last.version }, 'app store opened');

  let comet: CometProcess | undefined;
  let grpcServer: RunningGrpcServer | undefined;
  let restServer: RunningRestServer | undefined;
  let metricsServer: { close(): Promise<void> } | undefined;
  let stopping = false;
  let resolveExit!: (code: number) => void;
  const exitCode = new Promise<number>((r) => (resolveExit = r));

  const shutdown = async (code: number, reason: string) => {
    if (stopping) return;
    stopping = true;
    (code === 0 ? log.info.bind(log) : log.error.bind(log))({ reason }, 'shutting down');
    await restServer?.close();
    await grpcServer?.close();
    await metricsServer?.close();
    await comet?.stop();
    await server.close();
    if (abci.socketPath) rmSync(abci.socketPath, { force: true });
    await store.close();
    resolveExit(code);
  };

  const frameLimit = abciFrameLimit({
    home: opts.home,
    genesisBytes: statSync(paths.genesis).size,
    genesisMaxBlockBytes: genesis.consensus_params?.block?.max_bytes,
    lastHeight: () => store.lastCommitInfo().version,
  });
  // One scheduler for both query doors (gRPC and CometBFT RPC abci_query).
  const queries = new QueryScheduler();
  const server = abciServer(
    app,
    frameLimit,
    metrics,
    (err) => void shutdown(1, `fatal application error: ${err.message}`),
    queries,
  );
  const abciAddr = abci.address;
  await listenAbciOrFail(server, store, abci, opts.home, listen);
  const rpcUrl = localUrl('http', listen.rpc);
  log.info({ abci: abciAddr, rpc: rpcUrl, p2p: listen.p2p }, 'ABCI server listening; starting CometBFT');

  await reindexOnStart(opts.home, last.version, log);
  comet = startComet(opts, (reason) => {
    if (!stopping) void shutdown(1, reason);
  });

  const fail = (what: string) => (e: unknown) =>
    void shutdown(1, `${what}: ${e instanceof Error ? e.message : String(e)}`);
  // gRPC and REST share one dispatcher, and with ABCI queries one scheduler (one budget).
  const dispatch = createDispatch({
    app,
    rpc: new CometRpcClient(rpcUrl),
    version,
    scheduler: queries,
    heightHeaderName: HEIGHT_HEADER,
  });
  if (listen.grpc !== OFF)
    grpcServer = await serveGrpc(app, listen.grpc, rpcUrl, version, opts.home, {
      dispatch,
      scheduler: queries,
    }).catch(fail(`cannot start the gRPC server on ${listen.grpc}`));
  if (listen.rest !== OFF)
    restServer = await serveRest(listen.rest, rpcUrl, version, opts.home, dispatch).catch(
      fail(`cannot start the REST server on ${listen.rest}`),
    );
  if (listen.metrics !== OFF)
    metricsServer = await serveMetrics(metrics, listen.metrics).catch(
      fail(`cannot serve metrics on ${listen.metrics}`),
    );

  return untilExit(exitCode, (sig) => void shutdown(0, `received ${sig}`));
}

/** Waits for the node's exit code, stopping it (onSignal) on SIGINT or SIGTERM meanwhile. */
async function untilExit(
  exitCode: Promise<number>,
  onSignal: (sig: NodeJS.Signals) => void,
): Promise<number> {
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const code = await exitCode;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  return code;
}
