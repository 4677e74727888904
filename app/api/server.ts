// The API node's HTTP server (fastify): POST /v1/poc/proofs for validators, GET /v1/status,
// GET /metrics, and paid inference (app/api/openai, with OpenAI-shaped errors of its own).
// Every input is bounded before any work: a body limit (413), a JSON schema (400),
// at most sample_size indices each below the committed count (400), a per-client rate limit
// (429). Errors are JSON, {"error": {"code", "message"}} (the HTTP contract of issue 12).
import type { FastifyInstance } from 'fastify';
import type { ArtifactStore } from '../../kernels/poc/artifacts/store.js';
import { isPocClassName, type PocClassName } from '../../kernels/poc/classes.js';
import { HttpError, jsonHttpServer } from '../jsonHttp.js';
import type { ApiMetrics } from './metrics.js';
import { type InferenceRoutesOptions, registerInferenceRoutes } from './openai/routes.js';

/** Indices per request the schema admits at all; the chain's sample_size is checked after. */
export const MAX_INDICES = 10_000;
/** 10,000 indices of ≤ 20 digits fit; anything larger is not a proofs request. */
export const DEFAULT_BODY_LIMIT = 256 * 1024;

/** `round` 0 is the Sprint of `epoch`; n ≥ 1 confirmation round n of the running epoch `epoch`. */
export interface ProofSource {
  /** The chain's sample_size (round n ≥ 1: that round's); undefined until read (503). */
  sampleSize(epoch: bigint, round: number): number | undefined;
  /** This node's store of (epoch, round, class), if it mined one. */
  store(epoch: bigint, cls: PocClassName, round: number): ArtifactStore | undefined;
  /** The count this node last committed on chain for (epoch, round, class), if any. */
  committedCount(epoch: bigint, cls: PocClassName, round: number): number | undefined;
}

export interface ApiServerOptions {
  proofs: ProofSource;
  metrics: ApiMetrics;
  status: () => Record<string, unknown>;
  bodyLimit?: number;
  /** Requests per client per window (default 120 per minute). */
  rateLimit?: { max: number; timeWindowMs: number };
  /** Paid inference (OpenAI-compatible API and the executor role); absent: not served. */
  inference?: InferenceRoutesOptions;
}

const u64 = {
  anyOf: [
    { type: 'string', pattern: '^[0-9]{1,20}$' },
    { type: 'integer', minimum: 0 },
  ],
};

const proofsSchema = {
  body: {
    type: 'object',
    required: ['epoch', 'class', 'indices'],
    additionalProperties: false,
    properties: {
      epoch: u64,
      class: { type: 'string', maxLength: 32 },
      indices: {
        type: 'array',
        minItems: 1,
        maxItems: MAX_INDICES,
        items: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
      },
      count: u64,
      // Confirmation round (issue 13); absent or 0: the Sprint, as before.
      round: { type: 'integer', minimum: 0, maximum: 0xffff_ffff },
    },
  },
} as const;

interface ProofsBody {
  epoch: string | number;
  class: string;
  indices: number[];
  count?: string | number;
  round?: number;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

export async function buildApiServer(o: ApiServerOptions): Promise<FastifyInstance> {
  const app = await jsonHttpServer({
    bodyLimit: o.bodyLimit ?? DEFAULT_BODY_LIMIT,
    rateLimit: { max: o.rateLimit?.max ?? 120, timeWindowMs: o.rateLimit?.timeWindowMs ?? 60_000 },
  });

  app.post<{ Body: ProofsBody }>('/v1/poc/proofs', { schema: proofsSchema }, async (req) => {
    const b = req.body;
    const epoch = BigInt(b.epoch);
    if (!isPocClassName(b.class)) throw new HttpError(400, `unknown class '${b.class}'`);
    const round = b.round ?? 0;
    const what = round === 0 ? `epoch ${epoch}` : `epoch ${epoch} round ${round}`;
    const s = o.proofs.sampleSize(epoch, round);
    if (s === undefined) throw new HttpError(503, 'not ready: chain params not read yet');
    if (b.indices.length > s)
      throw new HttpError(400, `at most ${s} indices (sample_size), got ${b.indices.length}`);
    const store = o.proofs.store(epoch, b.class, round);
    if (!store) throw new HttpError(400, `no artifacts for ${what} class ${b.class}`);
    let count: number;
    if (b.count !== undefined) {
      const c = BigInt(b.count);
      if (c < 1n || c > BigInt(store.count))
        throw new HttpError(400, `count ${c} is outside 1 … ${store.count} (what this node holds)`);
      count = Number(c);
    } else {
      const committed = o.proofs.committedCount(epoch, b.class, round);
      if (committed === undefined) throw new HttpError(400, `nothing committed for ${what} class ${b.class}`);
      count = committed;
    }
    for (const i of b.indices)
      if (i >= count) throw new HttpError(400, `index ${i} is outside 0 … ${count - 1}`);
    const proofs = b.indices.map((i) => {
      const p = store.proof(i, count);
      return {
        index: p.index,
        nonce: p.nonce.toString(),
        output: Buffer.from(p.output).toString('base64'),
        path: p.path.map(hex),
      };
    });
    o.metrics.proofsServed.inc(proofs.length);
    return {
      epoch: epoch.toString(),
      // Echoed only for rounds, so a Sprint answer is byte-for-byte what it was.
      ...(round === 0 ? {} : { round }),
      class: b.class,
      count: count.toString(),
      root: hex(store.rootAt(count)),
      proofs,
    };
  });

  app.get('/v1/status', async () => o.status());

  if (o.inference) await registerInferenceRoutes(app, o.inference);

  app.get('/metrics', async (_req, reply) => {
    void reply.header('content-type', o.metrics.registry.contentType);
    return o.metrics.registry.metrics();
  });

  return app;
}
