// The ML node's inference side (issue 14; inference-contract "ML node"), in process with the demo
// model: streamed tokens and logprobs equal Executor.generate with the same parameters, replay
// equals Executor.replay, the artifact hash guard (409), unknown models (404), bad input (400, the
// node serving after each), the bounded queue (503), a client that disconnects (its generation
// stops at the next token, a queued one leaves the queue), mining and inference at once, and
// MlNodeClient refusing a broken ML node cleanly. One child-process start checks the CLI flags.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { type InferenceRequest, MlNodeClient, MlNodeError } from '../../app/ml/client.js';
import { DEMO_MODEL_ID, loadServedModel } from '../../app/ml/inference.js';
import type { TokenLine } from '../../app/ml/inferenceWire.js';
import { buildMlServer, type MlServer } from '../../app/ml/server.js';
import { repoPath } from '../../app/paths.js';
import { DEMO_ARTIFACT_HASH } from '../../kernels/executor/artifactHash.js';
import { Executor } from '../../kernels/executor/executor.js';
import type { GenerateRequest, TokenEvent } from '../../kernels/executor/types.js';
import { sha256 } from '../../kernels/poc/bytes.js';

const quiet = pino({ level: process.env.ML_TEST_LOG ?? 'silent' });
const silentLog = { info: () => {}, warn: () => {} };
const PROMPT = [...Buffer.from('The ML node streams: ')];
const OTHER_HASH = 'ab'.repeat(32);

let reference: Executor;
let server: MlServer;
let url: string;
let client: MlNodeClient;

async function startNode(maxQueue: number): Promise<{ server: MlServer; url: string }> {
  const model = await loadServedModel('demo', undefined, { log: silentLog });
  const s = await buildMlServer({
    log: quiet,
    workers: 1,
    batch: 16,
    workersHint: 1,
    models: [model],
    maxQueue,
  });
  return { server: s, url: await s.app.listen({ host: '127.0.0.1', port: 0 }) };
}

function request(over: Partial<InferenceRequest> = {}): InferenceRequest {
  return {
    model: DEMO_MODEL_ID,
    artifactHash: DEMO_ARTIFACT_HASH,
    promptTokens: PROMPT,
    maxTokens: 48,
    temperature: 0.9,
    topP: 0.95,
    seed: 77n,
    stop: [],
    topLogprobs: 5,
    vocabSize: 257,
    ...over,
  };
}

/** The same request straight to an Executor: its token events as the node's lines. */
async function direct(r: InferenceRequest) {
  const lines: TokenLine[] = [];
  const req: GenerateRequest = {
    promptTokens: r.promptTokens,
    maxTokens: r.maxTokens,
    temperature: r.temperature,
    topP: r.topP,
    seed: r.seed,
    stop: r.stop,
    topLogprobs: r.topLogprobs,
    onToken: (e: TokenEvent) =>
      lines.push({
        type: 'token',
        index: e.index,
        token: e.token,
        text: e.textDelta,
        logprob: e.logprobs.logprob,
        top: e.logprobs.top.map((t) => [t.token, t.logprob]),
      }),
  };
  const result = await reference.generate(req);
  return { lines, result };
}

async function streamed(r: InferenceRequest, c = client, signal?: AbortSignal) {
  const lines: TokenLine[] = [];
  const done = await c.generate(r, (l) => lines.push(l), signal);
  return { lines, done };
}

async function metric(base: string, name: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{model="${DEMO_MODEL_ID}"}`));
  return line === undefined ? 0 : Number(line.split(' ').pop());
}

async function until(what: string, cond: () => Promise<boolean> | boolean, timeoutMs = 30_000) {
  const deadline = performance.now() + timeoutMs;
  while (!(await cond())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function postRaw(base: string, path: string, body: unknown) {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { error?: { code: number; message: string } } };
}

function rejectsWith(status: number | undefined, kind: string, pattern?: RegExp) {
  return (err: unknown) => {
    assert.ok(err instanceof MlNodeError, `expected MlNodeError, got ${String(err)}`);
    assert.equal(err.kind, kind, err.message);
    if (status !== undefined) assert.equal(err.status, status, err.message);
    if (pattern) assert.match(err.message, pattern);
    return true;
  };
}

before(async () => {
  reference = await Executor.load('demo', { log: silentLog });
  ({ server, url } = await startNode(4));
  client = new MlNodeClient(url);
});
after(async () => {
  await server?.close();
  await reference?.close();
});

describe('ML node inference: results', () => {
  it('lists the demo model with its artifact hash, context and vocabulary', async () => {
    assert.deepEqual(await client.inferenceModels(), [
      { id: DEMO_MODEL_ID, artifact_hash: DEMO_ARTIFACT_HASH, context_length: 1024, vocab_size: 257 },
    ]);
  });

  it('streams exactly what Executor.generate produces: tokens, text, logprobs and top-k', async () => {
    for (const r of [
      request(),
      request({ temperature: 0, topP: 1, seed: 0n, topLogprobs: 0, maxTokens: 20 }),
      request({ seed: 18446744073709551615n, topLogprobs: 20, maxTokens: 16 }),
    ]) {
      const want = await direct(r);
      const got = await streamed(r);
      // Same session options on the same machine: bit-identical logits, so exactly equal.
      assert.deepEqual(got.lines, want.lines);
      assert.deepEqual(got.done, {
        type: 'done',
        finish_reason: want.result.finishReason,
        prompt_tokens: r.promptTokens.length,
        completion_tokens: want.result.tokens.length,
      });
      assert.equal(got.lines.map((l) => l.text).join(''), want.result.text);
    }
  });

  it('a stop sequence ends the stream with finish_reason stop and the text cut before it', async () => {
    const probe = await direct(request({ temperature: 0, topP: 1, maxTokens: 40 }));
    const stop = probe.result.text.slice(10, 12);
    const r = request({ temperature: 0, topP: 1, maxTokens: 40, stop: [stop] });
    const want = await direct(r);
    const got = await streamed(r);
    assert.equal(got.done.finish_reason, 'stop');
    assert.deepEqual(got.lines, want.lines);
    assert.equal(got.lines.map((l) => l.text).join(''), want.result.text);
    assert.ok(!want.result.text.includes(stop));
  });

  it('the same seed gives the same stream; another seed another one', async () => {
    const a = await streamed(request({ seed: 5n, maxTokens: 16 }));
    const b = await streamed(request({ seed: 5n, maxTokens: 16 }));
    const c = await streamed(request({ seed: 6n, maxTokens: 16 }));
    assert.deepEqual(a, b);
    assert.notDeepEqual(
      a.lines.map((l) => l.token),
      c.lines.map((l) => l.token),
    );
  });

  it('replay equals Executor.replay', async () => {
    const out = (await direct(request({ maxTokens: 24 }))).result.tokens;
    const want = await reference.replay(PROMPT, out, 5);
    const got = await client.replay({
      model: DEMO_MODEL_ID,
      artifactHash: DEMO_ARTIFACT_HASH,
      promptTokens: PROMPT,
      tokens: out,
      topLogprobs: 5,
      vocabSize: 257,
    });
    assert.deepEqual(
      got,
      want.logprobs.map((p) => ({
        token: p.token,
        logprob: p.logprob,
        top: p.top.map((t) => [t.token, t.logprob]),
      })),
    );
  });

  it('mining and inference run at once on one node and both finish', async () => {
    const mined = client.mine(
      {
        blockHash: sha256(Uint8Array.of(1)),
        cls: 'tiny',
        pubkey: Uint8Array.from(
          Buffer.from('0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798', 'hex'),
        ),
        start: 0,
        end: 128,
      },
      () => {},
    );
    const [count, gen] = await Promise.all([mined, streamed(request({ maxTokens: 64 }))]);
    assert.equal(count, 128);
    assert.equal(gen.lines.length, gen.done.completion_tokens);
  });
});

describe('ML node inference: refusals', () => {
  it('409 when the artifact hash differs from the loaded files; 404 for an unknown model', async () => {
    await assert.rejects(
      client.generate(request({ artifactHash: OTHER_HASH }), () => {}),
      rejectsWith(409, 'http'),
    );
    await assert.rejects(
      client.replay({
        model: DEMO_MODEL_ID,
        artifactHash: OTHER_HASH,
        promptTokens: [1],
        tokens: [2],
        topLogprobs: 0,
      }),
      rejectsWith(409, 'http'),
    );
    await assert.rejects(
      client.generate(request({ model: 'gonka/other' }), () => {}),
      rejectsWith(404, 'http', /model not found/),
    );
  });

  it('a node without --model answers 404 model not found and still mines', async () => {
    const bare = await buildMlServer({ log: quiet, workers: 1, batch: 16, workersHint: 1 });
    try {
      const base = await bare.app.listen({ host: '127.0.0.1', port: 0 });
      const c = new MlNodeClient(base);
      assert.deepEqual(await c.inferenceModels(), []);
      await assert.rejects(
        c.generate(request(), () => {}),
        rejectsWith(404, 'http', /model not found/),
      );
      assert.equal((await c.status()).state, 'idle');
    } finally {
      await bare.close();
    }
  });

  it('bad inputs get 400 before anything runs, and the node serves after each', async () => {
    const ok = {
      model: DEMO_MODEL_ID,
      artifact_hash: DEMO_ARTIFACT_HASH,
      prompt_tokens: [72, 105],
      max_tokens: 4,
      temperature: 0.5,
      top_p: 0.9,
      seed: '1',
      stop: ['\n'],
      top_logprobs: 2,
    };
    const bad: [string, unknown, RegExp?][] = [
      ['token id outside the vocabulary', { ...ok, prompt_tokens: [72, 257] }, /vocabulary/],
      ['negative token id', { ...ok, prompt_tokens: [-1] }],
      ['fractional token id', { ...ok, prompt_tokens: [1.5] }],
      ['empty prompt', { ...ok, prompt_tokens: [] }],
      ['max_tokens 0', { ...ok, max_tokens: 0 }],
      ['prompt + max_tokens over the context', { ...ok, max_tokens: 1023 }, /context length/],
      ['5 stop strings', { ...ok, stop: ['a', 'b', 'c', 'd', 'e'] }],
      ['a 65-char stop string', { ...ok, stop: ['x'.repeat(65)] }],
      ['an empty stop string', { ...ok, stop: [''] }],
      ['top_logprobs 21', { ...ok, top_logprobs: 21 }],
      ['seed 2^64', { ...ok, seed: '18446744073709551616' }, /below 2\^64/],
      ['seed with a leading zero', { ...ok, seed: '01' }],
      ['seed as a number', { ...ok, seed: 1 }],
      ['missing seed', { ...ok, seed: undefined }],
      ['temperature 2.5', { ...ok, temperature: 2.5 }],
      ['top_p 0', { ...ok, top_p: 0 }],
      ['an unknown field', { ...ok, n: 2 }],
      ['a malformed hash', { ...ok, artifact_hash: 'zz' }],
      ['not JSON', '{"model":'],
    ];
    for (const [what, body, pattern] of bad) {
      const res = await postRaw(url, '/v1/inference/generate', body);
      assert.equal(res.status, 400, `${what}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error?.code, 400, what);
      if (pattern) assert.match(res.body.error?.message ?? '', pattern, what);
    }
    const replayBad: [string, unknown][] = [
      [
        'replayed token outside the vocabulary',
        { model: DEMO_MODEL_ID, artifact_hash: DEMO_ARTIFACT_HASH, prompt_tokens: [1], tokens: [300] },
      ],
      [
        'no tokens',
        { model: DEMO_MODEL_ID, artifact_hash: DEMO_ARTIFACT_HASH, prompt_tokens: [1], tokens: [] },
      ],
      [
        'over the context',
        {
          model: DEMO_MODEL_ID,
          artifact_hash: DEMO_ARTIFACT_HASH,
          prompt_tokens: [1],
          tokens: new Array(1024).fill(1),
        },
      ],
    ];
    for (const [what, body] of replayBad)
      assert.equal((await postRaw(url, '/v1/inference/replay', body)).status, 400, what);
    // Still serving, and nothing was generated by any refused request.
    const r = await streamed(request({ maxTokens: 3 }));
    assert.equal(r.done.completion_tokens, 3);
  });

  it('503 once running + waiting reach --max-queue; a queued client that leaves frees its place', async () => {
    const small = await startNode(2);
    const c = new MlNodeClient(small.url);
    const long = request({ maxTokens: 1000, topLogprobs: 0 });
    const aborts = [new AbortController(), new AbortController()];
    let firstTokens = 0;
    const running = aborts.map((a) =>
      c.generate(long, () => firstTokens++, a.signal).catch((err: unknown) => err),
    );
    try {
      await until(
        'two admitted, one streaming',
        async () => firstTokens > 0 && (await metric(small.url, 'gonka_ml_inference_queue_depth')) === 2,
      );
      // Bounded concurrent load: 6 more at once, every one refused while two are admitted.
      const extra = await Promise.all(
        Array.from({ length: 6 }, () =>
          c.generate(request({ maxTokens: 1 }), () => {}).catch((e: unknown) => e),
        ),
      );
      for (const e of extra) rejectsWith(503, 'http', /queued/)(e);
      const replay = await c
        .replay({
          model: DEMO_MODEL_ID,
          artifactHash: DEMO_ARTIFACT_HASH,
          promptTokens: [1],
          tokens: [2],
          topLogprobs: 0,
        })
        .catch((e: unknown) => e);
      rejectsWith(503, 'http')(replay);
      // The second request is waiting behind the first; its client leaves: its place frees.
      aborts[1]?.abort(new Error('client left'));
      await until(
        'the waiting request left the queue',
        async () => (await metric(small.url, 'gonka_ml_inference_queue_depth')) === 1,
      );
      assert.equal(String((await running[1]) as Error), 'Error: client left');
      const admitted = c.generate(request({ maxTokens: 2 }), () => {});
      aborts[0]?.abort(new Error('client left'));
      assert.equal((await admitted).completion_tokens, 2);
    } finally {
      for (const a of aborts) a.abort();
      await Promise.all(running);
      await small.server.close();
    }
  });

  it('a model whose executor worker is gone answers 503, not a 200 that can only fail', async () => {
    const model = await loadServedModel('demo', undefined, { log: silentLog });
    const node = await buildMlServer({ log: quiet, workers: 1, workersHint: 1, models: [model] });
    try {
      const c = new MlNodeClient(await node.app.listen({ host: '127.0.0.1', port: 0 }));
      assert.equal((await c.generate(request({ maxTokens: 2 }), () => {})).completion_tokens, 2);
      await model.executor.close(); // the worker exits, as after a crash
      await assert.rejects(
        c.generate(request(), () => {}),
        rejectsWith(503, 'http', /executor is down/),
      );
    } finally {
      await node.close();
    }
  });

  it('a client that disconnects stops its generation at the next token', async () => {
    const before = await metric(url, 'gonka_ml_inference_tokens_total');
    const abort = new AbortController();
    let seen = 0;
    const gen = client.generate(
      request({ maxTokens: 1000, topLogprobs: 0 }),
      () => {
        if (++seen === 3) abort.abort(new Error('gone'));
      },
      abort.signal,
    );
    await assert.rejects(gen, /gone/);
    await until('the queue drained', async () => (await metric(url, 'gonka_ml_inference_queue_depth')) === 0);
    const generated = (await metric(url, 'gonka_ml_inference_tokens_total')) - before;
    assert.ok(generated >= 3 && generated < 1000, `generated ${generated} tokens after the client left`);
    // The node serves the next request normally.
    assert.equal((await streamed(request({ maxTokens: 2 }))).done.completion_tokens, 2);
  });
});

describe('MlNodeClient against a broken ML node', () => {
  let fake: Server;
  let base: string;
  let respond: (res: import('node:http').ServerResponse) => void = (res) => res.end();
  before(async () => {
    fake = createServer((req, res) => {
      req.resume();
      req.on('end', () => respond(res));
    });
    await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
  });
  after(() => {
    fake.closeAllConnections();
    fake.close();
  });

  const tokenLine = (i: number, extra: Record<string, unknown> = {}) =>
    `${JSON.stringify({ type: 'token', index: i, token: 65, text: 'A', logprob: -0.5, top: [[65, -0.5]], ...extra })}\n`;
  const done = (n: number, reason = 'length') =>
    `${JSON.stringify({ type: 'done', finish_reason: reason, prompt_tokens: PROMPT.length, completion_tokens: n })}\n`;
  const r = request({ maxTokens: 2, topLogprobs: 1 });

  const cases: [string, (res: import('node:http').ServerResponse) => void, string, RegExp][] = [
    [
      '503 refusal',
      (res) => res.writeHead(503).end('{"error":{"code":503,"message":"queue full"}}'),
      'http',
      /queue full/,
    ],
    ['a non-JSON line', (res) => res.end('hello\n'), 'protocol', /not JSON/],
    ['an index out of order', (res) => res.end(tokenLine(1)), 'protocol', /out of order/],
    [
      'more tokens than max_tokens',
      (res) => res.end(tokenLine(0) + tokenLine(1) + tokenLine(2)),
      'protocol',
      /max_tokens/,
    ],
    [
      'a token id outside the vocabulary',
      (res) => res.end(tokenLine(0, { token: 999 })),
      'protocol',
      /token id/,
    ],
    ['a NaN-like logprob', (res) => res.end(tokenLine(0, { logprob: 'x' })), 'protocol', /logprob/],
    [
      'too many alternatives',
      (res) =>
        res.end(
          tokenLine(0, {
            top: [
              [1, -1],
              [2, -2],
            ],
          }),
        ),
      'protocol',
      /top/,
    ],
    ['a done that miscounts', (res) => res.end(tokenLine(0) + done(2)), 'protocol', /completion_tokens/],
    [
      'a line after done',
      (res) => res.end(tokenLine(0) + tokenLine(1) + done(2) + tokenLine(2)),
      'protocol',
      /after the done/,
    ],
    ['no done line', (res) => res.end(tokenLine(0)), 'protocol', /without a done/],
    ['an endless line', (res) => res.end('x'.repeat(100_000)), 'protocol', /longer than/],
    [
      'the node reports an error',
      (res) => res.end(`${tokenLine(0)}{"type":"error","message":"boom"}\n`),
      'failed',
      /boom/,
    ],
    [
      'the connection drops mid-stream',
      (res) => {
        res.write(tokenLine(0));
        setTimeout(() => res.destroy(), 20);
      },
      'network',
      /stream failed/,
    ],
  ];
  for (const [what, handler, kind, pattern] of cases) {
    it(`refuses ${what} with a clean MlNodeError`, async () => {
      respond = handler;
      await assert.rejects(
        new MlNodeClient(base).generate(r, () => {}),
        rejectsWith(undefined, kind, pattern),
      );
    });
  }

  it('gives up on a silent node after idleTimeoutMs instead of hanging', async () => {
    respond = (res) => res.writeHead(200).write(tokenLine(0)); // then nothing
    const c = new MlNodeClient(base, { idleTimeoutMs: 300 });
    await assert.rejects(
      c.generate(r, () => {}),
      rejectsWith(undefined, 'network', /sent nothing/),
    );
  });

  it('a well-formed stream resolves with its done line', async () => {
    respond = (res) => res.end(tokenLine(0) + tokenLine(1) + done(2));
    const lines: TokenLine[] = [];
    assert.deepEqual(await new MlNodeClient(base).generate(r, (l) => lines.push(l)), {
      type: 'done',
      finish_reason: 'length',
      prompt_tokens: PROMPT.length,
      completion_tokens: 2,
    });
    assert.equal(lines.length, 2);
  });
});

describe('gonkad ml start --model', () => {
  const main = repoPath('dist', 'app', 'cli', 'main.js');
  let child: ChildProcess | undefined;
  after(() => child?.kill('SIGTERM'));

  it('serves the demo under --model-id and refuses a missing model directory with one line', async () => {
    child = spawn(
      process.execPath,
      [
        main,
        'ml',
        'start',
        '--listen',
        '127.0.0.1:0',
        '--workers',
        '1',
        '--model',
        'demo',
        '--model-id',
        'test/demo',
        '--max-queue',
        '3',
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d;
    });
    await until('the ML node listening', () => out.includes('\n'));
    const { url: childUrl } = JSON.parse(out.split('\n')[0] as string) as { url: string };
    const models = await new MlNodeClient(childUrl).inferenceModels();
    assert.deepEqual(
      models.map((m) => [m.id, m.artifact_hash]),
      [['test/demo', DEMO_ARTIFACT_HASH]],
    );
    const exited = new Promise((r) => child?.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    child = undefined;

    const bad = spawn(
      process.execPath,
      [main, 'ml', 'start', '--listen', '127.0.0.1:0', '--model', '/nonexistent/model'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let err = '';
    bad.stderr?.on('data', (d) => {
      err += d;
    });
    const code = await new Promise((r) => bad.once('exit', r));
    assert.notEqual(code, 0);
    assert.match(err, /model directory not found/);
  });
});
