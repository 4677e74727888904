// POST /v1/poc/proofs on the API node's fastify server (issue 12 acceptance 4): proofs verify
// against the committed (root, count); bad input gets JSON 400 (schema, too many or out-of-range
// indices, unknown epoch or class), 413 (oversized body), 429 (over the rate limit); and the
// server keeps serving afterwards.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { ApiMetrics } from '../../app/api/metrics.js';
import { buildApiServer } from '../../app/api/server.js';
import { EpochStores } from '../../app/api/stores.js';
import { checkArtifactProof } from '../../kernels/poc/artifacts/merkle.js';
import { outputBytes, POC_CLASSES } from '../../kernels/poc/classes.js';

const BYTES = outputBytes(POC_CLASSES.tiny);
const SAMPLE_SIZE = 8;
const ROUND_SAMPLE_SIZE = 12;

/** A fake output per nonce: the store does not recompute, so any fixed bytes will do. */
const fakeOutput = (i: number) => new Uint8Array(BYTES).fill((i * 31 + 7) & 0xff);

describe('API node proofs endpoint', () => {
  let dir: string;
  let stores: EpochStores;
  let app: FastifyInstance;
  let committed = 0;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gonka-api-proofs-'));
    stores = new EpochStores(join(dir, 'poc'));
    const store = stores.openForMining(3n, 'tiny', {
      class: 'tiny',
      blockHash: '00'.repeat(32),
      pubkey: '02'.repeat(33),
      outputBytes: BYTES,
    });
    for (let i = 0; i < 100; i++) store.append(fakeOutput(i));
    committed = 90; // mined on after its last commit
    store.flush();
    // Confirmation round 2 of epoch 3: its own store (another seed), committed at 40 leaves.
    const round = stores.openForMining(
      3n,
      'tiny',
      { class: 'tiny', blockHash: '11'.repeat(32), pubkey: '02'.repeat(33), outputBytes: BYTES },
      2,
    );
    for (let i = 0; i < 40; i++) round.append(fakeOutput(1000 + i));
    round.flush();
    app = await buildApiServer({
      proofs: {
        sampleSize: (_e, r) => (r === 0 ? SAMPLE_SIZE : r === 2 ? ROUND_SAMPLE_SIZE : undefined),
        store: (e, c, r) => stores.get(e, c, r),
        committedCount: (e, c, r) =>
          e === 3n && c === 'tiny' ? (r === 0 ? committed : r === 2 ? 40 : undefined) : undefined,
      },
      metrics: new ApiMetrics(),
      status: () => ({ ok: true }),
      bodyLimit: 4096,
      rateLimit: { max: 40, timeWindowMs: 60_000 },
    });
  });
  after(async () => {
    await app.close();
    stores.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (body: unknown) =>
    app.inject({
      method: 'POST',
      url: '/v1/poc/proofs',
      headers: { 'content-type': 'application/json' },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    });

  function expectError(res: { statusCode: number; json: () => unknown }, code: number, re: RegExp) {
    assert.equal(res.statusCode, code);
    const body = res.json() as { error: { code: number; message: string } };
    assert.equal(body.error.code, code);
    assert.match(body.error.message, re);
  }

  it('returns proofs that verify against the committed count and root', async () => {
    const res = await post({ epoch: '3', class: 'tiny', indices: [0, 5, 89] });
    assert.equal(res.statusCode, 200);
    const b = res.json() as {
      count: string;
      root: string;
      proofs: { index: number; nonce: string; output: string; path: string[] }[];
    };
    assert.equal(b.count, '90');
    assert.equal(b.root, Buffer.from(stores.get(3n, 'tiny')!.rootAt(90)).toString('hex'));
    for (const p of b.proofs) {
      const check = checkArtifactProof(
        Buffer.from(b.root, 'hex'),
        90,
        {
          index: p.index,
          nonce: BigInt(p.nonce),
          output: Buffer.from(p.output, 'base64'),
          path: p.path.map((h) => Buffer.from(h, 'hex')),
        },
        BYTES,
      );
      assert.deepEqual(check, { ok: true });
      assert.deepEqual(new Uint8Array(Buffer.from(p.output, 'base64')), fakeOutput(p.index));
    }
    // An explicit count (a commitment made earlier) is honoured.
    const at = await post({ epoch: 3, class: 'tiny', indices: [1], count: '50' });
    assert.equal(at.statusCode, 200);
    assert.equal(
      (at.json() as { root: string }).root,
      Buffer.from(stores.get(3n, 'tiny')!.rootAt(50)).toString('hex'),
    );
  });

  it('serves a confirmation round\'s proofs from its own store when asked with "round"', async () => {
    const res = await post({ epoch: '3', class: 'tiny', indices: [0, 9, 10, 11, 12, 13, 14, 39], round: 2 });
    assert.equal(res.statusCode, 200, res.body);
    const b = res.json() as {
      round: number;
      count: string;
      root: string;
      proofs: { index: number; output: string }[];
    };
    assert.equal(b.round, 2);
    assert.equal(b.count, '40');
    assert.equal(b.root, Buffer.from(stores.get(3n, 'tiny', 2)!.rootAt(40)).toString('hex'));
    assert.equal(b.proofs.length, 8, "the round's sample size (12) bounds the request, not the Sprint's (8)");
    for (const p of b.proofs)
      assert.deepEqual(new Uint8Array(Buffer.from(p.output, 'base64')), fakeOutput(1000 + p.index));
    // round 0 is the Sprint, exactly as without the field (no "round" echoed).
    const sprint = await post({ epoch: '3', class: 'tiny', indices: [1], round: 0 });
    assert.equal(sprint.statusCode, 200);
    assert.equal((sprint.json() as { round?: number }).round, undefined);
    assert.equal((sprint.json() as { count: string }).count, '90');
    expectError(
      await post({ epoch: '3', class: 'tiny', indices: [40], round: 2 }),
      400,
      /index 40 is outside/,
    );
    expectError(await post({ epoch: '3', class: 'tiny', indices: [1], round: 5 }), 503, /not ready/);
    expectError(await post({ epoch: '3', class: 'tiny', indices: [1], round: -1 }), 400, /round/);
    expectError(await post({ epoch: '3', class: 'tiny', indices: [1], round: 2 ** 32 }), 400, /round/);
    expectError(await post({ epoch: '3', class: 'tiny', indices: [1], round: '2' }), 400, /round/);
  });

  it('400: too many indices, out of range, unknown epoch or class, bad schema', async () => {
    expectError(
      await post({ epoch: '3', class: 'tiny', indices: [0, 1, 2, 3, 4, 5, 6, 7, 8] }),
      400,
      /at most 8/,
    );
    expectError(await post({ epoch: '3', class: 'tiny', indices: [90] }), 400, /index 90 is outside/);
    expectError(await post({ epoch: '3', class: 'tiny', indices: [1], count: '101' }), 400, /count 101/);
    expectError(await post({ epoch: '4', class: 'tiny', indices: [1] }), 400, /no artifacts for epoch 4/);
    expectError(await post({ epoch: '3', class: 'devnet', indices: [1] }), 400, /no artifacts/);
    expectError(await post({ epoch: '3', class: 'huge', indices: [1] }), 400, /unknown class/);
    expectError(await post({ epoch: '3', class: 'tiny', indices: [] }), 400, /indices/);
    expectError(await post({ epoch: '3', class: 'tiny', indices: [-1] }), 400, /indices/);
    expectError(await post({ epoch: '3', class: 'tiny', indices: ['1'] }), 400, /indices/);
    expectError(await post({ epoch: '-3', class: 'tiny', indices: [1] }), 400, /epoch/);
    expectError(await post({ epoch: '3', class: 'tiny', indices: [1], extra: 1 }), 400, /additional/);
    expectError(await post('{"epoch": '), 400, /JSON/i);
  });

  it('413 for a body over the limit', async () => {
    const res = await post({ epoch: '3', class: 'tiny', indices: Array.from({ length: 2000 }, (_, i) => i) });
    expectError(res, 413, /too large/i);
  });

  it('429 over the rate limit, and keeps serving other clients', async () => {
    let limited: Awaited<ReturnType<typeof post>> | undefined;
    for (let i = 0; i < 60 && !limited; i++) {
      const res = await post({ epoch: '3', class: 'tiny', indices: [i % 90] });
      if (res.statusCode === 429) limited = res;
      else assert.equal(res.statusCode, 200);
    }
    assert.ok(limited, 'the rate limit answered 429 within 60 requests');
    expectError(limited, 429, /rate limit/);
    const other = await app.inject({
      method: 'POST',
      url: '/v1/poc/proofs',
      remoteAddress: '127.0.0.2',
      payload: { epoch: '3', class: 'tiny', indices: [7] },
    });
    assert.equal(other.statusCode, 200);
  });

  it('serves /metrics with the proofs count', async () => {
    const res = await app.inject({ method: 'GET', url: '/metrics', remoteAddress: '127.0.0.3' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /gonka_api_poc_proofs_served_total \d+/);
  });
});
