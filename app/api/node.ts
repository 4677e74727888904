// `gonkad api start`: the API node process. Loads the operator key, connects to the chain node
// (waiting for it), serves HTTP (proofs, status, metrics, and paid inference: the OpenAI-compatible
// API as transfer agent and /v1/inference/execute as executor, app/api/openai) and runs the Sprint
// driver over the configured ML nodes, with the confirmation-round driver riding its poll. Prints
// one JSON line on stdout once listening; logs go to stderr. SIGINT or SIGTERM stops it cleanly
// (stores flushed); a fatal error exits non-zero (no self-restart).
import { join } from 'node:path';
import type { PocClassName } from '../../kernels/poc/classes.js';
import type { SprintState } from '../../proto/gen/gonka/poc/v1/poc.js';
import { logger } from '../log.js';
import { MlNodeClient } from '../ml/client.js';
import { parseHostPort } from '../node/listeners.js';
import { type ApiAdversary, armed, armProofsRefusal } from './adversary.js';
import { Broadcaster } from './broadcaster.js';
import { RpcChain } from './chain.js';
import { ConfirmationDriver } from './confirmation.js';
import { loadApiKey } from './key.js';
import { ApiMetrics } from './metrics.js';
import { ReplaySet, Reservations } from './openai/auth.js';
import { BlockCachedView } from './openai/blockCachedView.js';
import { RpcInferenceView } from './openai/chainView.js';
import { PayloadStore } from './openai/payloads.js';
import { mlNodeBackend } from './openai/protocol.js';
import { loadTokenizers } from './openai/tokenizers.js';
import { buildApiServer } from './server.js';
import { SprintDriver } from './sprint.js';
import { EpochStores } from './stores.js';
import { pocValidator } from './validation.js';

export interface ApiNodeOptions {
  home: string;
  nodeRpc: string;
  mlNodes: string[];
  listen: string;
  classes: PocClassName[];
  /** The URL validators use (default http://<listen>). */
  apiUrl?: string;
  /** How long to wait for the chain node's RPC at startup (default 120 s). */
  connectTimeoutMs?: number;
  rateLimit?: { max: number; timeWindowMs: number };
  /** Interval of the commits sent while mining (default 10 s). */
  commitEveryMs?: number;
  /** TEST ONLY (--test-adversary): misbehave on purpose (app/api/adversary.ts); never on a real node. */
  adversary?: ApiAdversary;
  /** Models whose tokenizer this node loads to serve them as transfer agent: id → 'demo' or a
   *  model directory (default gonka/demo → demo). */
  models?: Record<string, string>;
  /** How long executed payloads are kept for validators (default 1 h). */
  payloadRetentionMs?: number;
  /** Requests per client per minute on the OpenAI-compatible routes (default 600). */
  inferenceRateLimit?: number;
}

async function connectWithRetry(
  url: string,
  timeoutMs: number,
  log: ReturnType<typeof logger>,
): Promise<RpcChain> {
  const deadline = Date.now() + timeoutMs;
  let warned = false;
  for (;;) {
    try {
      const chain = await RpcChain.connect(url);
      await chain.height();
      return chain;
    } catch (e) {
      if (Date.now() > deadline)
        throw new Error(`chain node RPC ${url} unreachable: ${e instanceof Error ? e.message : String(e)}`);
      if (!warned) log.info({ rpc: url }, 'waiting for the chain node');
      warned = true;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

const describeAdversary = (a: ApiAdversary | undefined) =>
  JSON.stringify(a, (_, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v));

/** Runs until SIGINT/SIGTERM; resolves with the exit code. */
export async function startApiNode(o: ApiNodeOptions): Promise<number> {
  const log = logger('api');
  const key = await loadApiKey(o.home);
  const { host, port } = parseHostPort(o.listen, '--listen');
  const chain = await connectWithRetry(o.nodeRpc, o.connectTimeoutMs ?? 120_000, log);
  const metrics = new ApiMetrics();
  const broadcaster = new Broadcaster({
    chain,
    privateKey: key.privateKey,
    onSent: () => metrics.txsSent.inc(),
    onError: (e) => {
      metrics.broadcastErrors.inc();
      log.warn({ err: e.message }, 'broadcast refused');
    },
  });
  const stores = new EpochStores(join(o.home, 'poc'));
  const miners = o.mlNodes.map((u) => new MlNodeClient(u));
  const apiUrl = o.apiUrl ?? `http://${o.listen}`;
  const validator = pocValidator({ chain, broadcaster, privateKey: key.privateKey, metrics, log });
  const rounds = new ConfirmationDriver({
    chain,
    broadcaster,
    stores,
    miners,
    classes: o.classes,
    metrics,
    log,
    commitEveryMs: o.commitEveryMs,
    adversary: o.adversary,
    validate: (r, signal) => validator.round(r, signal),
  });
  const driver = new SprintDriver({
    chain,
    broadcaster,
    stores,
    miners,
    classes: o.classes,
    apiUrl,
    metrics,
    log,
    commitEveryMs: o.commitEveryMs,
    adversary: o.adversary,
    validate: (s: SprintState, signal: AbortSignal) => validator.sprint(s, signal),
    onPoll: (h) => rounds.tick(h),
  });
  const view = new BlockCachedView(new RpcInferenceView(chain), () => chain.height());
  const payloads = new PayloadStore({ dir: join(o.home, 'payloads'), retentionMs: o.payloadRetentionMs });
  const pruneTimer = setInterval(() => payloads.prune(), 60_000);
  pruneTimer.unref();
  const submit = (msgs: Parameters<Broadcaster['submit']>[0], extraGas?: bigint) =>
    broadcaster.submit(msgs, extraGas);
  const server = await buildApiServer({
    proofs: {
      sampleSize: (e, r) => (r === 0 ? driver.sampleSize() : rounds.sampleSize(e, r)),
      store: (e, c, r) => stores.get(e, c, r),
      committedCount: (e, c, r) => (r === 0 ? driver.committedCount(e, c) : rounds.committedCount(e, r, c)),
    },
    metrics,
    status: () => ({ ...driver.status(), confirmation: rounds.status() }),
    rateLimit: o.rateLimit,
    inference: {
      log,
      rateLimit: { max: o.inferenceRateLimit ?? 600, timeWindowMs: 60_000 },
      ta: {
        view,
        transferAgent: key.address,
        replay: new ReplaySet(),
        now: Date.now,
        tokenizers: loadTokenizers(o.models ?? { 'gonka/demo': 'demo' }),
        submit,
        reservations: new Reservations(),
        forward: { privateKey: key.privateKey, pubKey: broadcaster.pubKey },
        log,
        onStart: () => metrics.inferencesStarted.inc(),
      },
      executor: {
        view,
        address: key.address,
        backends: o.mlNodes.map((u) => mlNodeBackend(new MlNodeClient(u))),
        payloads,
        submit,
        log,
        onFinish: () => metrics.inferencesExecuted.inc(),
      },
    },
  });
  if (armed(o.adversary)) log.warn({ adversary: describeAdversary(o.adversary) }, 'TEST ADVERSARY armed');
  armProofsRefusal(server, o.adversary);
  const address = await server.listen({ host, port });
  driver.start();
  log.info(
    { address: key.address, listen: address, mlNodes: o.mlNodes, classes: o.classes },
    'API node running',
  );
  process.stdout.write(`${JSON.stringify({ listen: address, address: key.address, api_url: apiUrl })}\n`);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, 'API node stopping');
      try {
        await driver.stop();
        await rounds.stop();
        clearInterval(pruneTimer);
        broadcaster.close();
        await server.close();
        stores.close();
        chain.disconnect();
        resolve(0);
      } catch (e) {
        log.error({ err: e instanceof Error ? e.message : String(e) }, 'API node stop failed');
        resolve(1);
      }
    };
    process.once('SIGINT', () => void shutdown('SIGINT'));
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
  });
}
