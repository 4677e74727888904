// The API node's OpenAI-compatible API through the real `openai` client (maxRetries: 0): plain,
// streamed, include_usage and logprobs completions on the real demo model (in process behind the
// executor role), the Start/Finish msgs queued for them, the stored payload, each error status and
// code, signed requests and their replay, and an executor that dies or stalls mid-request ending
// in a clean error instead of a hang.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import OpenAI from 'openai';
import { tokensHash } from '../../app/api/openai/msgs.js';
import { MsgFinishInference, MsgStartInference } from '../../proto/gen/gonka/inference/v1/tx.js';
import { developerSignBytes, inferenceSeed } from '../../x/inference/seed.js';
import { keyOf, MODEL, type Node, startNode } from './api-openai-helpers.js';
import { ExecutorBackend } from './inference-backend.js';

const ARTIFACT = 'ab'.repeat(32);
const SECRET = 'sk-test-developer';
const dev = keyOf('api-openai developer');

let dir: string;
let backend: ExecutorBackend;
let node: Node;
let client: OpenAI;

const starts = () =>
  node.sent
    .filter((a) => a.typeUrl.endsWith('MsgStartInference'))
    .map((a) => MsgStartInference.decode(a.value));
const finishes = () =>
  node.sent
    .filter((a) => a.typeUrl.endsWith('MsgFinishInference'))
    .map((a) => MsgFinishInference.decode(a.value));
const messages = [{ role: 'user' as const, content: 'Hello, how are you?' }];

/** Finish msgs are queued after the stream ends: wait (bounded) for the n-th. */
async function finishCount(n: number): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (finishes().length < n) {
    if (Date.now() > deadline) throw new Error(`only ${finishes().length} Finish msgs`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function expectApiError(p: Promise<unknown>, status: number, code: string | null): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof OpenAI.APIError, `not an APIError: ${String(e)}`);
    assert.equal(e.status, status, e.message);
    if (code !== null) assert.equal(e.code, code, e.message);
    return true;
  });
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'api-openai-'));
  backend = await ExecutorBackend.demo(MODEL, ARTIFACT);
  node = await startNode({
    backend,
    artifactHex: ARTIFACT,
    payloadDir: join(dir, 'payloads'),
    idleTimeoutMs: 1_500,
  });
  client = new OpenAI({ baseURL: `${node.url}/v1`, apiKey: SECRET, maxRetries: 0, timeout: 20_000 });
});

after(async () => {
  await node?.app.close();
  await backend?.ex.close();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  node.sent.length = 0;
  node.view.keys.clear();
  node.view.addKey(SECRET, dev.address, node.address, 10_000_000n);
  node.view.balances.set(dev.address, 10_000_000n);
  backend.failAfter = backend.stallAfter = backend.refuse = undefined;
});

describe('OpenAI-compatible chat completions', () => {
  it('answers a plain completion whose usage matches the queued Start and Finish', async () => {
    const r = await client.chat.completions.create({
      model: MODEL,
      messages,
      max_tokens: 12,
      temperature: 0.7,
    });
    assert.equal(r.object, 'chat.completion');
    assert.equal(r.model, MODEL);
    assert.equal(r.choices.length, 1);
    assert.equal(r.choices[0]?.message.role, 'assistant');
    assert.ok(['stop', 'length'].includes(r.choices[0]?.finish_reason ?? ''));
    assert.equal(r.choices[0]?.logprobs, null);
    await finishCount(1);
    const [s] = starts();
    const [f] = finishes();
    assert.ok(s && f);
    assert.equal(s.inferenceId, r.id);
    assert.equal(f.inferenceId, r.id);
    assert.equal(s.requestedBy, dev.address);
    assert.equal(s.executor, node.address);
    assert.equal(s.maxTokens, 12n);
    assert.deepEqual(Buffer.from(s.keyHash), Buffer.from(createHash('sha256').update(SECRET).digest()));
    assert.equal(BigInt(r.usage?.prompt_tokens ?? -1), s.promptTokens);
    assert.equal(BigInt(r.usage?.completion_tokens ?? -1), f.completionTokens);
    assert.equal(r.usage?.total_tokens, (r.usage?.prompt_tokens ?? 0) + (r.usage?.completion_tokens ?? 0));
    assert.equal(f.promptTokens, s.promptTokens);

    // The payload: what the executor ran, with 5 alternatives per position; its hash is on chain.
    const res = await fetch(`${node.url}/v1/inference/payloads/${r.id}`);
    assert.equal(res.status, 200);
    const bytes = Buffer.from(await res.arrayBuffer());
    assert.deepEqual(createHash('sha256').update(bytes).digest(), Buffer.from(f.payloadHash));
    const payload = JSON.parse(bytes.toString()) as {
      tokens: number[];
      logprobs: { top: unknown[] }[];
      seed: string;
      request: { prompt_tokens: number[] };
    };
    assert.deepEqual(Buffer.from(s.promptHash), Buffer.from(tokensHash(payload.request.prompt_tokens)));
    assert.equal(payload.seed, inferenceSeed(r.id).toString());
    assert.equal(BigInt(payload.tokens.length), f.completionTokens);
    assert.deepEqual(Buffer.from(f.responseHash), Buffer.from(tokensHash(payload.tokens)));
    for (const p of payload.logprobs) assert.equal(p.top.length, 5);
  });

  it('streams chunks in OpenAI shape, the same text as the tokens, and the usage chunk', async () => {
    const stream = await client.chat.completions.create({
      model: MODEL,
      messages,
      max_tokens: 10,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined | null;
    let chunks = 0;
    let last: OpenAI.ChatCompletionChunk | undefined;
    for await (const c of stream) {
      chunks++;
      last = c;
      assert.equal(c.object, 'chat.completion.chunk');
      if (c.choices.length > 0) {
        assert.equal(c.usage, null);
        text += c.choices[0]?.delta.content ?? '';
        finish = c.choices[0]?.finish_reason ?? finish;
      } else usage = c.usage;
    }
    assert.ok(chunks >= 3);
    assert.equal(last?.choices.length, 0, 'the usage chunk comes last');
    assert.ok(finish === 'length' || finish === 'stop');
    await finishCount(1);
    const [f] = finishes();
    assert.equal(BigInt(usage?.completion_tokens ?? -1), f?.completionTokens);
    assert.equal(BigInt(usage?.prompt_tokens ?? -1), starts()[0]?.promptTokens);
    assert.equal(typeof text, 'string');
  });

  it('returns logprobs with token strings, bytes and the asked number of alternatives', async () => {
    const r = await client.chat.completions.create({
      model: MODEL,
      messages,
      max_tokens: 6,
      logprobs: true,
      top_logprobs: 3,
    });
    const lp = r.choices[0]?.logprobs?.content;
    assert.ok(lp && lp.length === r.usage?.completion_tokens);
    for (const e of lp) {
      assert.equal(typeof e.token, 'string');
      assert.ok(e.logprob <= 0);
      assert.deepEqual(e.bytes, [...Buffer.from(e.token)]);
      assert.equal(e.top_logprobs.length, 3);
      assert.ok(e.top_logprobs[0]!.logprob >= e.top_logprobs[2]!.logprob);
    }
    // Streamed: one entry per chunk that carries a token.
    const s = await client.chat.completions.create({
      model: MODEL,
      messages,
      max_tokens: 4,
      stream: true,
      logprobs: true,
      top_logprobs: 1,
    });
    let n = 0;
    for await (const c of s)
      for (const e of c.choices[0]?.logprobs?.content ?? []) n += e.top_logprobs.length === 1 ? 1 : 100;
    assert.ok(n >= 1 && n <= 4);
  });

  it('lists the chain models it can serve', async () => {
    const list = await client.models.list();
    assert.deepEqual(
      list.data.map((m) => m.id),
      [MODEL],
    );
    const m = await client.models.retrieve(MODEL);
    assert.equal(m.id, MODEL);
    assert.equal(m.object, 'model');
    await expectApiError(client.models.retrieve('nope/x'), 404, 'model_not_found');
    const id = (await (await fetch(`${node.url}/v1/identity`)).json()) as { address: string; pubkey: string };
    assert.equal(id.address, node.address);
    assert.equal(Buffer.from(id.pubkey, 'base64').length, 33);
  });
});

describe('OpenAI-compatible errors', () => {
  it('401 invalid_api_key: unknown, revoked on the next request, or granting another TA', async () => {
    const other = new OpenAI({ baseURL: `${node.url}/v1`, apiKey: 'sk-unknown', maxRetries: 0 });
    await expectApiError(other.chat.completions.create({ model: MODEL, messages }), 401, 'invalid_api_key');
    const k = node.view.keys.values().next().value!;
    await client.chat.completions.create({ model: MODEL, messages, max_tokens: 1 });
    k.revoked = true;
    await expectApiError(
      client.chat.completions.create({ model: MODEL, messages, max_tokens: 1 }),
      401,
      'invalid_api_key',
    );
    k.revoked = false;
    k.transferAgent = dev.address;
    await expectApiError(
      client.chat.completions.create({ model: MODEL, messages, max_tokens: 1 }),
      401,
      'invalid_api_key',
    );
    const res = await fetch(`${node.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL, messages }),
    });
    assert.equal(res.status, 401);
    const body = (await res.json()) as { error: Record<string, unknown> };
    assert.deepEqual(Object.keys(body.error).sort(), ['code', 'message', 'param', 'type']);
    assert.equal(body.error.code, 'invalid_api_key');
  });

  it('404 model_not_found, 400 context_length_exceeded, 400 bad params, 413 too large', async () => {
    await expectApiError(
      client.chat.completions.create({ model: 'gonka/none', messages }),
      404,
      'model_not_found',
    );
    await expectApiError(
      client.chat.completions.create({ model: MODEL, messages, max_tokens: 5000 }),
      400,
      'context_length_exceeded',
    );
    await expectApiError(client.chat.completions.create({ model: MODEL, messages, n: 2 }), 400, null);
    await expectApiError(
      client.chat.completions.create({ model: MODEL, messages, logprobs: true, top_logprobs: 6 }),
      400,
      null,
    );
    await expectApiError(client.chat.completions.create({ model: MODEL, messages: [] }), 400, null);
    await expectApiError(
      client.chat.completions.create({
        model: MODEL,
        messages: [{ role: 'user', content: 'x'.repeat(1_100_000) }],
      }),
      413,
      null,
    );
    const bad = await fetch(`${node.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${SECRET}` },
      body: '{"model": ',
    });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: { type: string } }).error.type, 'invalid_request_error');
    assert.equal(starts().length, 0, 'nothing escrowed for a refused request');
  });

  it('429 insufficient_quota: past the key epoch limit or the balance, counting escrows in flight', async () => {
    const k = node.view.keys.values().next().value!;
    // Price 3: 1 prompt token × ... the escrow is (prompt + max_tokens) × 3.
    k.spendLimitPerEpoch = '100';
    await expectApiError(
      client.chat.completions.create({ model: MODEL, messages, max_tokens: 100 }),
      429,
      'insufficient_quota',
    );
    k.spendLimitPerEpoch = '10000000';
    k.spent = '9999990';
    k.spentEpoch = 1n;
    await expectApiError(
      client.chat.completions.create({ model: MODEL, messages, max_tokens: 5 }),
      429,
      'insufficient_quota',
    );
    k.spentEpoch = 0n; // another epoch's spending does not count
    await client.chat.completions.create({ model: MODEL, messages, max_tokens: 1 });
    node.view.balances.set(dev.address, 10n);
    await expectApiError(
      client.chat.completions.create({ model: MODEL, messages, max_tokens: 5 }),
      429,
      'insufficient_quota',
    );
  });

  it('503 when no participant serves the model', async () => {
    const saved = node.view.participantsList;
    node.view.participantsList = saved.map((p) => ({ ...p, classes: [1] }));
    try {
      await expectApiError(client.chat.completions.create({ model: MODEL, messages }), 503, null);
    } finally {
      node.view.participantsList = saved;
    }
  });
});

describe('signed requests', () => {
  const signed = (body: string, ts: bigint, key = dev) => {
    const h = createHash('sha256').update(body).digest();
    const sig = secp256k1.sign(developerSignBytes(h, ts, node.address), key.secret);
    return {
      'content-type': 'application/json',
      'x-gonka-requester': key.address,
      'x-gonka-pubkey': Buffer.from(key.pub).toString('base64'),
      'x-gonka-timestamp': ts.toString(),
      'x-gonka-signature': Buffer.from(sig).toString('base64'),
    };
  };

  it('accepts a signed request once, refuses its replay, a stale timestamp and a wrong body', async () => {
    const body = JSON.stringify({ model: MODEL, messages, max_tokens: 2 });
    const headers = signed(body, BigInt(Date.now()));
    const ok = await fetch(`${node.url}/v1/chat/completions`, { method: 'POST', headers, body });
    assert.equal(ok.status, 200, await ok.clone().text());
    const [s] = starts();
    assert.equal(s?.devSig?.timestampMs, BigInt(headers['x-gonka-timestamp']));
    assert.equal(s?.keyHash.length, 0);
    const replay = await fetch(`${node.url}/v1/chat/completions`, { method: 'POST', headers, body });
    assert.equal(replay.status, 401);
    assert.equal(((await replay.json()) as { error: { code: string } }).error.code, 'invalid_signature');
    const stale = await fetch(`${node.url}/v1/chat/completions`, {
      method: 'POST',
      headers: signed(body, BigInt(Date.now() - 120_000)),
      body,
    });
    assert.equal(stale.status, 401);
    const other = await fetch(`${node.url}/v1/chat/completions`, {
      method: 'POST',
      headers: signed(body, BigInt(Date.now())),
      body: body.replace('"max_tokens":2', '"max_tokens":3'),
    });
    assert.equal(other.status, 401);
    assert.equal(starts().length, 1);
  });
});

describe('executor failures', () => {
  it('an ML node dying mid-stream ends the SSE stream with an error the client raises', async () => {
    backend.failAfter = 2;
    const stream = await client.chat.completions.create({
      model: MODEL,
      messages,
      max_tokens: 20,
      stream: true,
    });
    await assert.rejects(async () => {
      for await (const _ of stream);
    }, OpenAI.APIError);
    await expectApiError(
      client.chat.completions.create({ model: MODEL, messages, max_tokens: 20 }),
      502,
      null,
    );
    assert.equal(finishes().length, 0, 'no Finish: the inference expires and is refunded');
  });

  it('a stalled executor times out instead of hanging', async () => {
    backend.stallAfter = 1;
    await expectApiError(
      client.chat.completions.create({ model: MODEL, messages, max_tokens: 20 }),
      502,
      null,
    );
  });

  it('an ML node refusing before the stream is a 503 JSON error', async () => {
    backend.refuse = 503;
    await expectApiError(
      client.chat.completions.create({ model: MODEL, messages, max_tokens: 3, stream: true }),
      503,
      null,
    );
  });

  it('the executor refuses an unsigned, mis-signed or non-participant transfer agent', async () => {
    const body = JSON.stringify({
      inference_id: 'inf-x1',
      model: MODEL,
      prompt_tokens: [1, 2],
      max_tokens: 2,
      temperature: 1,
      top_p: 1,
      stop: [],
      transfer_agent: node.address,
      requested_by: dev.address,
    });
    const post = (headers: Record<string, string>) =>
      fetch(`${node.url}/v1/inference/execute`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
    assert.equal((await post({})).status, 401);
    const sig = secp256k1.sign(Buffer.from(body), dev.secret);
    const asDev = {
      'x-gonka-ta-pubkey': Buffer.from(dev.pub).toString('base64'),
      'x-gonka-ta-signature': Buffer.from(sig).toString('base64'),
    };
    assert.equal((await post(asDev)).status, 401, 'signed by a key that is not transfer_agent');
    const b2 = body.replace(node.address, dev.address);
    const sig2 = secp256k1.sign(Buffer.from(b2), dev.secret);
    const r = await fetch(`${node.url}/v1/inference/execute`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-gonka-ta-pubkey': asDev['x-gonka-ta-pubkey'],
        'x-gonka-ta-signature': Buffer.from(sig2).toString('base64'),
      },
      body: b2,
    });
    assert.equal(r.status, 403);
  });
});
