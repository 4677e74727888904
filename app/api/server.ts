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

export interface ProofSource {
  /** The chain's sample_size; undefined until the node has read the params (503). */
  sampleSize(): number | undefined;
  /** This node's store of (epoch, class), if it mined one. */
  store(epoch: bigint, cls: PocClassName): ArtifactStore | undefined;
  /** The count this node last committed on chain for (epoch, class), if any. */
  committedCount(epoch: bigint, cls: PocClassName): number | undefined;
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
    },
  },
} as const;

interface ProofsBody {
  epoch: string | number;
  class: string;
  indices: number[];
  count?: string | number;
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
    const s = o.proofs.sampleSize();
    if (s === undefined) throw new HttpError(503, 'not ready: chain params not read yet');
    if (b.indices.length > s)
      throw new HttpError(400, `at most ${s} indices (sample_size), got ${b.indices.length}`);
    const store = o.proofs.store(epoch, b.class);
    if (!store) throw new HttpError(400, `no artifacts for epoch ${epoch} class ${b.class}`);
    let count: number;
    if (b.count !== undefined) {
      const c = BigInt(b.count);
      if (c < 1n || c > BigInt(store.count))
        throw new HttpError(400, `count ${c} is outside 1 … ${store.count} (what this node holds)`);
      count = Number(c);
    } else {
      const committed = o.proofs.committedCount(epoch, b.class);
      if (committed === undefined)
        throw new HttpError(400, `nothing committed for epoch ${epoch} class ${b.class}`);
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
