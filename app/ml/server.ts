// The ML node's HTTP server (fastify; poc-http-contract): POST /v1/poc/mine streams binary frames
// of mined outputs, POST /v1/poc/stop drains every running request, GET /v1/status, GET /metrics;
// and the inference routes (inference-contract; inferenceRoutes.ts) for the models it was given.
// Every input is bounded before any work: a body limit (413), a strict JSON schema (400), range
// checks (400), a per-client rate limit (429). Errors are JSON {"error": {"code", "message"}}; bad
// input never reaches the miner and never costs the node more than its answer. The mining state
// (sessions, jobs, throttle, counters) is node.ts's.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import type { FastifyInstance } from 'fastify';
import { parseHex } from '../../kernels/poc/bytes.js';
import { POC_CLASS_NAMES, type PocClassName, pocClass } from '../../kernels/poc/classes.js';
import { HttpError, jsonHttpServer } from '../jsonHttp.js';
import { registerTestControls } from './adversary.js';
import { MAX_MINE_RANGE, type MlStatus } from './client.js';
import { MAX_FRAME_NONCES } from './frames.js';
import { DEFAULT_MAX_QUEUE, InferenceModels, type ServedModel } from './inference.js';
import { registerInferenceRoutes } from './inferenceRoutes.js';
import type { MineJob } from './job.js';
import type { MlMetrics } from './metrics.js';
import { MlNode, type MlNodeOptions, NotReadyError } from './node.js';

/** A mine request is ~250 bytes of JSON; anything much larger is not one. */
export const DEFAULT_BODY_LIMIT = 16 * 1024;
export interface MlServerOptions extends MlNodeOptions {
  bodyLimit?: number;
  /** Requests per client per window (default 600 per minute: an API node sends one per range). */
  rateLimit?: { max: number; timeWindowMs: number };
  /** TEST ONLY: serve POST /v1/test/throttle (app/ml/adversary.ts). */
  testControls?: boolean;
  /** Models served on /v1/inference/* (none: those routes answer 404 model not found). The server
   *  owns their executors and closes them. */
  models?: ServedModel[];
  /** Inference requests admitted per model, running + waiting (default 16); more get 503. */
  maxQueue?: number;
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
  if ((o.batch ?? 64) > MAX_FRAME_NONCES)
    throw new RangeError(`batch must be ≤ ${MAX_FRAME_NONCES} (one frame)`);
  const node = new MlNode(o);
  const models = new InferenceModels(o.models ?? [], o.maxQueue ?? DEFAULT_MAX_QUEUE, node.metrics, o.log);
  const app = await jsonHttpServer({
    bodyLimit: o.bodyLimit ?? DEFAULT_BODY_LIMIT,
    rateLimit: { max: o.rateLimit?.max ?? 600, timeWindowMs: o.rateLimit?.timeWindowMs ?? 60_000 },
    log: o.log,
    fastify: {
      // close() runs after stopAll() drained every stream: drop keep-alive sockets too instead of
      // waiting out their 72 s timeout.
      forceCloseConnections: true,
      // Bounds how long a client may take to send its (tiny) request; responses stream for as long
      // as mining takes.
      requestTimeout: 30_000,
    },
  });
  app.addHook('onResponse', async (_req, reply) => {
    if (reply.statusCode >= 400) node.metrics.requestErrors.inc({ code: String(reply.statusCode) });
  });

  app.post<{ Body: MineBody }>('/v1/poc/mine', { schema: mineSchema }, async (req, reply) => {
    const b = req.body;
    const { start, end } = parseRange(b);
    const input = {
      cls: pocClass(b.class),
      blockHash: parseHex(b.block_hash, 'block_hash'),
      pubkey: parsePubkey(b.pubkey),
      start,
      end,
    };
    let gone = false;
    let job: MineJob | undefined;
    // The client went away before the response finished: stop handing out its ranges.
    reply.raw.on('close', () => {
      if (reply.raw.writableFinished) return;
      gone = true;
      job?.stream.destroy();
    });
    try {
      job = await node.mine(input, () => gone);
    } catch (err) {
      if (err instanceof NotReadyError) throw new HttpError(503, err.message);
      throw err;
    }
    if (job === undefined) return reply; // the client left while its session opened
    return reply.code(200).header('content-type', 'application/octet-stream').send(job.stream);
  });

  if (o.testControls) registerTestControls(app, node);
  registerInferenceRoutes(app, models, o.log);
  app.post('/v1/poc/stop', async () => ({ stopped: await node.stopAll() }));
  app.get('/v1/status', async (): Promise<MlStatus> => node.status());
  app.get('/metrics', async (_req, reply) => {
    void reply.header('content-type', node.metrics.registry.contentType);
    return node.metrics.registry.metrics();
  });

  return {
    app,
    metrics: node.metrics,
    stopAll: () => node.stopAll(),
    async close() {
      await Promise.all([node.close(), models.close()]);
      await app.close();
    },
  };
}
