// The happy path over the real pieces: the `openai` client → API node (TA) → API node (executor
// role, itself) → ML node over HTTP (`buildMlServer` with the demo model, its artifact hash) and
// back, plain and streamed; the ML node killed mid-request ends the client's request with a clean
// error and queues no Finish (the chain then expires and refunds the inference).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import pino from 'pino';
import { mlNodeBackend } from '../../app/api/openai/protocol.js';
import { MlNodeClient } from '../../app/ml/client.js';
import { loadServedModel } from '../../app/ml/inference.js';
import { buildMlServer, type MlServer } from '../../app/ml/server.js';
import { DEMO_ARTIFACT_HASH } from '../../kernels/executor/index.js';
import { MsgFinishInference, MsgStartInference } from '../../proto/gen/gonka/inference/v1/tx.js';
import { keyOf, MODEL, type Node, startNode } from './api-openai-helpers.js';

const SECRET = 'sk-mlnode-developer';
const dev = keyOf('api-openai-mlnode developer');
const messages = [{ role: 'user' as const, content: 'Tell me a story.' }];
const quiet = pino({ level: 'silent' });

let dir: string;
let ml: MlServer;
let node: Node;
let client: OpenAI;

const finishes = () =>
  node.sent
    .filter((a) => a.typeUrl.endsWith('MsgFinishInference'))
    .map((a) => MsgFinishInference.decode(a.value));
const starts = () =>
  node.sent
    .filter((a) => a.typeUrl.endsWith('MsgStartInference'))
    .map((a) => MsgStartInference.decode(a.value));

async function waitFor(what: string, cond: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'api-openai-ml-'));
  const served = await loadServedModel('demo', MODEL, { log: { info: () => {}, warn: () => {} } });
  assert.equal(served.artifactHash, DEMO_ARTIFACT_HASH);
  ml = await buildMlServer({ log: quiet, workers: 1, workersHint: 1, models: [served] });
  const mlUrl = await ml.app.listen({ host: '127.0.0.1', port: 0 });
  node = await startNode({
    backend: mlNodeBackend(new MlNodeClient(mlUrl, { idleTimeoutMs: 3_000 })),
    artifactHex: DEMO_ARTIFACT_HASH,
    payloadDir: join(dir, 'payloads'),
    idleTimeoutMs: 5_000,
  });
  node.view.addKey(SECRET, dev.address, node.address, 10_000_000n);
  node.view.balances.set(dev.address, 10_000_000n);
  client = new OpenAI({ baseURL: `${node.url}/v1`, apiKey: SECRET, maxRetries: 0, timeout: 30_000 });
});

after(async () => {
  await node?.app.close();
  await ml?.close().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
});

describe('chat completions through a real ML node', () => {
  it('plain and streamed completions; usage equals the Start/Finish token counts', async () => {
    const r = await client.chat.completions.create({ model: MODEL, messages, max_tokens: 16 });
    assert.equal(r.object, 'chat.completion');
    assert.ok((r.usage?.completion_tokens ?? 0) >= 1);
    await waitFor('Finish', () => finishes().length === 1);
    assert.equal(BigInt(r.usage?.completion_tokens ?? -1), finishes()[0]?.completionTokens);
    assert.equal(BigInt(r.usage?.prompt_tokens ?? -1), starts()[0]?.promptTokens);

    const s = await client.chat.completions.create({
      model: MODEL,
      messages,
      max_tokens: 16,
      stream: true,
      stream_options: { include_usage: true },
      logprobs: true,
      top_logprobs: 2,
    });
    let usage: OpenAI.CompletionUsage | null | undefined;
    let entries = 0;
    for await (const c of s) {
      if (c.choices.length === 0) usage = c.usage;
      entries += c.choices[0]?.logprobs?.content?.length ?? 0;
    }
    assert.equal(entries, usage?.completion_tokens);
    await waitFor('second Finish', () => finishes().length === 2);
    assert.equal(BigInt(usage?.completion_tokens ?? -1), finishes()[1]?.completionTokens);
  });

  it('the ML node killed mid-request: a clean client error, no Finish, no hang', async () => {
    const before = finishes().length;
    const s = await client.chat.completions.create({ model: MODEL, messages, max_tokens: 900, stream: true });
    let chunks = 0;
    await assert.rejects(async () => {
      for await (const _ of s) {
        chunks++;
        if (chunks === 3) void ml.close();
      }
    }, OpenAI.APIError);
    assert.ok(chunks >= 3);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(finishes().length, before);
    // The next request finds no ML node: a clean 5xx, not a hang.
    await assert.rejects(
      client.chat.completions.create({ model: MODEL, messages, max_tokens: 4 }),
      (e: unknown) => e instanceof OpenAI.APIError && (e.status ?? 0) >= 500,
    );
  });
});
