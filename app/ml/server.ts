// The ML node's HTTP server (fastify; poc-http-contract): POST /v1/poc/mine streams binary frames
// of mined outputs, POST /v1/poc/stop drains every running request, GET /v1/status, GET /metrics.
// Every input is bounded before any work: a body limit (413), a strict JSON schema (400), range
// checks (400), a per-client rate limit (429). Errors are JSON {"error": {"code", "message"}}; bad
// input never reaches the miner and never costs the node more than its answer.
import rateLimit from '@fastify/rate-limit';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { parseHex } from '../../kernels/poc/bytes.js';
import { POC_CLASS_NAMES, type PocClassName, pocClass } from '../../kernels/poc/classes.js';
import type { Logger } from '../log.js';
import { MAX_MINE_RANGE, type MlStatus } from './client.js';
import { MAX_FRAME_NONCES } from './frames.js';
import { MineJob } from './job.js';
import { MlMetrics } from './metrics.js';
import { RateMeter } from './rate.js';
import { MiningSessions, type SessionOptions, SessionsBusyError } from './sessions.js';
import { TokenBucket } from './throttle.js';

/** A mine request is ~250 bytes of JSON; anything much larger is not one. */
export const DEFAULT_BODY_LIMIT = 16 * 1024;
/** Mine requests served at once; each holds a connection and a few ranges in flight. */
const MAX_JOBS = 64;
/** How long /v1/poc/stop waits for running requests to drain before answering anyway. */
const STOP_DRAIN_MS = 30_000;

export interface MlServerOptions extends Omit<SessionOptions, 'log'> {
  log: Logger;
  bodyLimit?: number;
  /** Requests per client per window (default 600 per minute: an API node sends one per range). */
  rateLimit?: { max: number; timeWindowMs: number };
  /** Test only: the most nonces per second the node hands out (token bucket at its edge). */
  testThrottle?: number;
  /** Workers per session, as /v1/status reports it when the miner's own count is not known yet. */
  workersHint: number;
}

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

const decimal = { type: 'string', pattern: '^(0|[1-9][0-9]{0,19})$' } as const;

const mineSchema = {
  body: {
    type: 'object',
    required: ['block_hash', 'class', 'pubkey', 'start', 'end'],
    additionalProperties: false,
    properties: {
      block_hash: { type: 'string', pattern: '^[0-9a-fA-F]{64}$' },
      class: { type: 'string', enum: POC_CLASS_NAMES },
      pubkey: { type: 'string', pattern: '^0[23][0-9a-fA-F]{64}$' },
      start: decimal,
      end: decimal,
    },
  },
} as const;

interface MineBody {
  block_hash: string;
  class: PocClassName;
  pubkey: string;
  start: string;
  end: string;
}

/** Checks the range (end − start ≤ MAX_MINE_RANGE, end > start, nonces below 2^53). */
function parseRange(b: MineBody): { start: number; end: number } {
  const start = BigInt(b.start);
  const end = BigInt(b.end);
  if (end <= start) throw new HttpError(400, `end (${end}) must be greater than start (${start})`);
  if (end - start > BigInt(MAX_MINE_RANGE))
    throw new HttpError(400, `at most ${MAX_MINE_RANGE} nonces per request, got ${end - start}`);
  if (end > BigInt(Number.MAX_SAFE_INTEGER))
    throw new HttpError(400, `nonces must stay below 2^53 (end ${end})`);
  return { start: Number(start), end: Number(end) };
}

function parsePubkey(hex: string): Uint8Array {
  const bytes = parseHex(hex, 'pubkey');
  try {
    secp256k1.Point.fromBytes(bytes);
  } catch {
    throw new HttpError(400, 'pubkey is not a compressed secp256k1 point');
  }
  return bytes;
}

export interface MlServer {
  readonly app: FastifyInstance;
  readonly metrics: MlMetrics;
  /** Stops every running mine request and waits (bounded) until they drained; returns how many. */
  stopAll(): Promise<number>;
  /** Stops mining, closes the sessions and the HTTP server. */
  close(): Promise<void>;
}

export async function buildMlServer(o: MlServerOptions): Promise<MlServer> {
  const log = o.log;
  if ((o.batch ?? 64) > MAX_FRAME_NONCES)
    throw new RangeError(`batch must be ≤ ${MAX_FRAME_NONCES} (one frame)`);
  const sessions = new MiningSessions({ ...o, log });
  const meter = new RateMeter();
  const metrics = new MlMetrics(() => meter.perSecond());
  const throttle = o.testThrottle === undefined ? undefined : new TokenBucket(o.testThrottle);
  if (throttle) log.warn({ noncesPerSecond: o.testThrottle }, 'TEST THROTTLE armed: mining is rate-limited');
  const jobs = new Set<MineJob>();
  let mined = 0n;
  let kickTimer: NodeJS.Timeout | undefined;
  /** Bumped by every stop, so a request still waiting for its session when stop came stops too. */
  let stopGeneration = 0;

  /** One timer for the throttle's refill, kicking every running job's miner. */
  const kickLater = (ms: number) => {
    if (kickTimer !== undefined) return;
    kickTimer = setTimeout(() => {
      kickTimer = undefined;
      for (const job of jobs) job.session.miner.kick();
    }, ms);
  };

  const app = Fastify({
    logger: false,
    bodyLimit: o.bodyLimit ?? DEFAULT_BODY_LIMIT,
    // close() runs after stopAll() drained every stream: drop keep-alive sockets too instead of
    // waiting out their 72 s timeout.
    forceCloseConnections: true,
    // Bounds how long a client may take to send its (tiny) request; responses stream for as long
    // as mining takes.
    requestTimeout: 30_000,
    // Strict schemas: no type coercion, no silently dropped properties.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
  });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    let code = err.statusCode ?? 500;
    if (err.validation) code = 400;
    if (code < 400 || code > 599) code = 500;
    if (code === 500) log.error({ err, url: req.url }, 'request failed');
    const message = code === 500 ? 'internal error' : err.message;
    void reply.code(code).send({ error: { code, message } });
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send({ error: { code: 404, message: `no route ${req.method} ${req.url}` } });
  });
  app.addHook('onResponse', async (_req, reply) => {
    if (reply.statusCode >= 400) metrics.requestErrors.inc({ code: String(reply.statusCode) });
  });

  await app.register(rateLimit, {
    max: o.rateLimit?.max ?? 600,
    timeWindow: o.rateLimit?.timeWindowMs ?? 60_000,
    errorResponseBuilder: (_req, ctx) =>
      new HttpError(429, `rate limit: at most ${ctx.max} requests per ${ctx.after}`),
  });

  app.post<{ Body: MineBody }>('/v1/poc/mine', { schema: mineSchema }, async (req, reply) => {
    const b = req.body;
    const { start, end } = parseRange(b);
    const cls = pocClass(b.class);
    const blockHash = parseHex(b.block_hash, 'block_hash');
    const pubkey = parsePubkey(b.pubkey);
    if (jobs.size >= MAX_JOBS)
      throw new HttpError(503, `already serving ${MAX_JOBS} mine requests; retry later`);
    const generation = stopGeneration;
    let gone = false;
    let job: MineJob | undefined;
    // The client went away before the response finished: stop handing out its ranges.
    reply.raw.on('close', () => {
      if (reply.raw.writableFinished) return;
      gone = true;
      job?.stream.destroy();
    });
    let session: Awaited<ReturnType<MiningSessions['acquire']>>;
    try {
      session = await sessions.acquire(cls, blockHash, pubkey);
    } catch (err) {
      if (err instanceof SessionsBusyError) throw new HttpError(503, err.message);
      log.error({ err, class: cls.name }, 'could not open a mining session');
      throw new HttpError(503, `could not open a mining session: ${(err as Error).message}`);
    }
    metrics.sessions.set(sessions.size);
    if (gone) {
      sessions.release(session);
      return reply;
    }
    job = new MineJob(session, start, end, {
      throttle,
      kickLater,
      onSent: (count) => {
        mined += BigInt(count);
        metrics.noncesMined.inc(count);
        meter.record(count);
      },
    });
    const running = job;
    jobs.add(running);
    metrics.activeJobs.set(jobs.size);
    // A stop that came while this request waited for its session applies to it too.
    if (generation !== stopGeneration) running.stop();
    running.done.then(
      (sent) => {
        log.debug({ start, end, sent }, 'mine request done');
        running.stream.push(null);
      },
      (err: unknown) => {
        // A worker failed mid-stream: the 200 is already out, so cut the response; the client
        // sees a truncated stream, never a wrong one. The failed session is dropped on release.
        log.error({ err, start, end }, 'mining failed');
        running.stream.destroy(err instanceof Error ? err : new Error(String(err)));
      },
    );
    running.done
      .catch(() => undefined)
      .finally(() => {
        jobs.delete(running);
        metrics.activeJobs.set(jobs.size);
        sessions.release(session);
        metrics.sessions.set(sessions.size);
      });
    return reply.code(200).header('content-type', 'application/octet-stream').send(running.stream);
  });

  const stopAll = async (): Promise<number> => {
    stopGeneration++;
    const running = [...jobs];
    for (const job of running) job.stop();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, STOP_DRAIN_MS);
    });
    await Promise.race([Promise.allSettled(running.map((j) => j.done)), deadline]);
    clearTimeout(timer);
    return running.length;
  };

  app.post('/v1/poc/stop', async () => ({ stopped: await stopAll() }));

  app.get('/v1/status', async (): Promise<MlStatus> => {
    const last = sessions.last;
    return {
      state: jobs.size > 0 ? 'mining' : 'idle',
      class: last?.cls.name ?? null,
      nonces_per_s: Math.round(meter.perSecond() * 10) / 10,
      mined: mined.toString(),
      workers: o.workersHint,
      form: last?.form ?? null,
    };
  });

  app.get('/metrics', async (_req, reply) => {
    void reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  return {
    app,
    metrics,
    stopAll,
    async close() {
      await stopAll();
      if (kickTimer !== undefined) clearTimeout(kickTimer);
      await sessions.close();
      await app.close();
    },
  };
}
