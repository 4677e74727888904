// Issue 14 acceptance 1-3 (e2e): a real 4-validator testnet, each validator with an API node and an
// ML node serving the demo model (ORT 1 thread). The unmodified `openai` npm client (baseURL = API
// node 0, a bearer key registered in genesis, maxRetries 0) gets chat completions plain and
// streamed; usage equals the chain's token counts; the developer pays exactly (prompt + completion)
// × the locked price and the executor earns the same; grpcurl shows the inference COMPLETED. Every
// error arrives through the client with OpenAI's status and code, a key registered and revoked
// with the gonkad CLI fails on the next request, a key's epoch limit stops escrow, and a replayed
// signed request is refused. Last, an executor's ML node is SIGKILLed mid-stream: the client gets
// an error (no hang), the inference expires after expiration_blocks with a full refund and the
// executor's missed count + 1.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { apiKeyHash } from '../../app/apiKeySecret.js';
import { defaultAppState } from '../../app/app.js';
import { addGenesisAccount } from '../../app/genesisAccounts.js';
import { DEMO_MODEL_ID } from '../../app/inferenceGenesis.js';
import { toolPath } from '../../app/paths.js';
import { type Inference, InferenceStatus } from '../../proto/gen/gonka/inference/v1/inference.js';
import { checkAgreement, checkModuleInvariants, initTestnet, Testnet } from '../../testnet/index.js';
import {
  ChainReader,
  DENOM,
  type Developer,
  developer,
  expectApiError,
  gonkad,
  gonkadJson,
  openaiClient,
  type SignedRequest,
  signingFetch,
  withoutAuth,
} from './helpers/inference.js';
import { CometRpc, waitFor } from './helpers/rpc.js';

/** Blocks an open inference lives: short, so the expiry is seen within the test's budget. */
const EXPIRATION_BLOCKS = 12;
/** The limited key's epoch limit: one short request's escrow fits, a long one's does not. */
const SMALL_LIMIT = 6_000n;
const DEV_FUNDS = 10n ** 12n;
const PASS = 'inference e2e passphrase';
const SECRET_MAIN = 'gk-e2e-main-key-0000000000000000000000000000000000000000000000000000';
const SECRET_SMALL = 'gk-e2e-small-limit-key-00000000000000000000000000000000000000000000';

describe('paid inference on a 4-validator testnet through the openai client', () => {
  let dir: string;
  let net: Testnet;
  let chain: ChainReader;
  let dev: Developer;
  let api0: string;
  let ta: string;
  const seen = new Set<string>();

  /** The developer's one inference not seen before, once the chain has it (the Start landed). */
  const newInference = (what: string) =>
    waitFor(
      `${what}: its inference on chain`,
      async () => {
        const fresh = (await chain.inferencesOf(dev.address)).filter((i) => !seen.has(i.id));
        assert.ok(fresh.length <= 1, `one new inference, got ${fresh.map((i) => i.id).join(', ')}`);
        if (fresh[0]) seen.add(fresh[0].id);
        return fresh[0];
      },
      30_000,
      100,
    );
  /** The inference once it reaches `status` (completed or expired). */
  const settled = (id: string, status: InferenceStatus) =>
    waitFor(
      `inference ${id} ${InferenceStatus[status]}`,
      async () => {
        const inf = await chain.inference(id);
        return inf?.status === status ? inf : undefined;
      },
      60_000,
      150,
    );
  /** Runs f; on failure the message gets every process's state and log tail. */
  const step = async <T>(what: string, f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (e) {
      const failed = await chain?.failedTxs().catch((x: unknown) => [`(tx_search: ${String(x)})`]);
      throw new Error(
        `${what}: ${e instanceof Error ? e.message : String(e)}\nfailed txs: ${JSON.stringify(failed ?? [], null, 1)}\n${await net.describe()}`,
      );
    }
  };

  before(async () => {
    dev = await developer('inference-e2e developer');
    dir = mkdtempSync(join(tmpdir(), 'gonka-infer-e2e-'));
    const appState = defaultAppState();
    addGenesisAccount(appState, dev.address, [{ denom: DENOM, amount: DEV_FUNDS }]);
    await initTestnet({
      dir,
      validators: 4,
      chainId: 'gonka-infer-e2e',
      appState,
      // No Sprint (generation 0): genesis weights stay and no mining competes with the requests;
      // the validators serve the model from block 1 (api_url and classes in genesis).
      poc: { stages: { generation: 0 } },
      inference: {
        params: { expiration_blocks: String(EXPIRATION_BLOCKS) },
        apiKeys: [
          {
            keyHash: apiKeyHash(SECRET_MAIN),
            owner: dev.address,
            transferAgent: 0,
            spendLimitPerEpoch: DEV_FUNDS,
          },
          {
            keyHash: apiKeyHash(SECRET_SMALL),
            owner: dev.address,
            transferAgent: 0,
            spendLimitPerEpoch: SMALL_LIMIT,
          },
        ],
      },
    });
    net = Testnet.open(dir);
    await net.start();
    chain = new ChainReader(new CometRpc(net.nodes[0]!.rpc.url));
    api0 = net.services.service('api', 0).spec.url;
    ta = net.manifest.validators[0]!.operator!;
    await step('participants serve the demo model', () =>
      waitFor(
        'four participants with api_url and class tiny',
        async () => {
          const ps = await chain.participants();
          return ps.filter((p) => p.apiUrl !== '' && p.classes.includes(1) && p.weight > 0n).length === 4;
        },
        90_000,
        250,
      ),
    );
  });
  after(async () => {
    await net?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lists the demo model and completes plain and streamed; usage, price and payment match the chain', async () => {
    const client = openaiClient(api0, SECRET_MAIN);
    const models = await client.models.list();
    assert.ok(
      models.data.some((m) => m.id === DEMO_MODEL_ID),
      `GET /v1/models lists ${DEMO_MODEL_ID}: ${JSON.stringify(models.data)}`,
    );
    assert.equal((await client.models.retrieve(DEMO_MODEL_ID)).id, DEMO_MODEL_ID);

    for (const stream of [false, true]) {
      const before = await chain.balance(dev.address);
      const messages = [{ role: 'user' as const, content: `Say hello (${stream ? 'streamed' : 'plain'})` }];
      let text = '';
      let usage: { prompt_tokens: number; completion_tokens: number } | undefined;
      await step(`a ${stream ? 'streamed' : 'plain'} completion`, async () => {
        if (stream) {
          const s = await client.chat.completions.create({
            model: DEMO_MODEL_ID,
            messages,
            max_tokens: 24,
            stream: true,
            stream_options: { include_usage: true },
          });
          for await (const chunk of s) {
            text += chunk.choices[0]?.delta?.content ?? '';
            if (chunk.usage) usage = chunk.usage;
          }
        } else {
          const r = await client.chat.completions.create({ model: DEMO_MODEL_ID, messages, max_tokens: 24 });
          text = r.choices[0]?.message?.content ?? '';
          usage = r.usage;
          assert.equal(r.object, 'chat.completion');
        }
      });
      assert.ok(usage, 'usage reported');
      assert.ok(
        usage.completion_tokens >= 1 && usage.completion_tokens <= 24,
        `completion tokens ${usage.completion_tokens}`,
      );
      const started = await step('the Start on chain', () => newInference(stream ? 'streamed' : 'plain'));
      const inf = await step('the inference completes', () =>
        settled(started.id, InferenceStatus.INFERENCE_STATUS_COMPLETED),
      );
      assert.equal(inf.modelId, DEMO_MODEL_ID);
      assert.equal(inf.transferAgent, ta);
      assert.equal(
        inf.promptTokens,
        BigInt(usage.prompt_tokens),
        'usage.prompt_tokens = on-chain prompt_tokens',
      );
      assert.equal(
        inf.completionTokens,
        BigInt(usage.completion_tokens),
        'usage.completion_tokens = on-chain',
      );
      const price = BigInt(inf.price);
      const cost = (inf.promptTokens + inf.completionTokens) * price;
      assert.equal(BigInt(inf.cost), cost, 'cost = (prompt + completion) × locked price');
      assert.ok(price > 0n && text.length > 0, `price ${price}, text ${JSON.stringify(text)}`);
      assert.equal(await chain.balance(dev.address), before - cost, 'the developer paid exactly the cost');
      // The executor's earnings (its bank balance also pays its own tx fees, so the stats say it).
      const stats = await chain.executorStats(inf.executor);
      assert.ok(
        stats.earned >= cost && stats.completed >= 1n,
        `executor ${inf.executor} earned ${stats.earned}`,
      );
      earnedBy.set(inf.executor, (earnedBy.get(inf.executor) ?? 0n) + cost);
      if (stream) {
        // gRPC (grpcurl by reflection) on another validator's node shows the same inference and
        // its status once that node has the block (it may be a block behind node 0).
        const grpc = net.manifest.validators[1]!.ports.grpc;
        const grpcurl = () =>
          spawnSync(
            toolPath('grpcurl'),
            [
              '-plaintext',
              '-d',
              JSON.stringify({ id: inf.id }),
              `127.0.0.1:${grpc}`,
              'gonka.inference.v1.Query/Inference',
            ],
            { encoding: 'utf8', timeout: 20_000 },
          );
        let r = grpcurl();
        await waitFor(
          `node 1 to serve inference ${inf.id} over gRPC`,
          async () => {
            r = grpcurl();
            return r.status === 0 && r.stdout.includes('INFERENCE_STATUS_COMPLETED');
          },
          30_000,
          500,
        ).catch(() => undefined);
        assert.equal(r.status, 0, r.stderr);
        const g = JSON.parse(r.stdout) as { inference: Record<string, string> };
        assert.equal(g.inference.id, inf.id);
        assert.equal(g.inference.status, 'INFERENCE_STATUS_COMPLETED');
        assert.equal(g.inference.cost, cost.toString());
        // grpcurl prints the .proto field names (reflection from our files).
        assert.equal(g.inference.completion_tokens, String(usage.completion_tokens));
      }
    }
    // Each executor's earned total is exactly what its completed inferences cost (none earned
    // anything before this test's requests).
    for (const [executor, earned] of earnedBy)
      assert.equal(
        (await chain.executorStats(executor)).earned,
        earned,
        `executor ${executor} credited exactly`,
      );
  });
  const earnedBy = new Map<string, bigint>();

  it('answers each error in OpenAI shape through the client', async () => {
    const client = openaiClient(api0, SECRET_MAIN);
    const ask = (over: Record<string, unknown>, c = client) =>
      c.chat.completions.create({
        model: DEMO_MODEL_ID,
        messages: [{ role: 'user', content: 'hi' }],
        max_tokens: 8,
        ...over,
      } as never);
    await expectApiError(ask({ model: 'gonka/no-such-model' }), 404, 'model_not_found');
    await expectApiError(ask({ max_tokens: 5000 }), 400, 'context_length_exceeded');
    await expectApiError(ask({ messages: [{ role: 'user', content: 'x'.repeat(1_100_000) }] }), 413);
    await expectApiError(ask({ temperature: 7 }), 400);
    await expectApiError(ask({ top_logprobs: 6, logprobs: true }), 400);
    await expectApiError(
      ask({}, openaiClient(api0, 'unused', withoutAuth)),
      401,
      'invalid_api_key',
      'missing key',
    );
    await expectApiError(ask({}, openaiClient(api0, 'gk-unknown')), 401, 'invalid_api_key', 'unknown key');
    // The key's epoch limit: a short request's escrow fits, a long one's does not (nothing escrowed).
    const small = openaiClient(api0, SECRET_SMALL);
    await expectApiError(ask({ max_tokens: 500 }, small), 429, 'insufficient_quota', 'past the key limit');
    const spentBefore = BigInt((await chain.apiKey(apiKeyHash(SECRET_SMALL)))?.spent || '0');
    assert.equal(spentBefore, 0n, 'a refused request escrowed nothing');
    const ok = await ask({ max_tokens: 4 }, small);
    const inf = await step('the limited key inference', () => newInference('within the key limit'));
    await step('it completes', () => settled(inf.id, InferenceStatus.INFERENCE_STATUS_COMPLETED));
    assert.ok(ok.usage && ok.usage.completion_tokens <= 4);
    for (const e of (await chain.inferencesOf(dev.address)).filter((i) => !seen.has(i.id))) seen.add(e.id);
  });

  it('a key registered and revoked with the gonkad CLI stops working on the next request', async () => {
    const keyring = join(dir, 'dev-keyring');
    const env = { GONKA_KEYRING_PASSPHRASE: PASS };
    const node = ['--node', net.nodes[0]!.rpc.url];
    await gonkadJson(['keys', 'add', 'dev', '--recover', '--home', keyring], env, `${dev.mnemonic}\n`);
    const reg = await gonkadJson(
      [
        'tx',
        'inference',
        'register-key',
        'dev',
        '--transfer-agent',
        ta,
        '--spend-limit',
        '1000000000ngonka',
        '--home',
        keyring,
        ...node,
      ],
      env,
    );
    assert.equal(reg.code, 0, JSON.stringify(reg));
    assert.match(reg.secret, /^gk-[0-9a-f]{64}$/);
    assert.equal(reg.key_hash, Buffer.from(apiKeyHash(reg.secret)).toString('hex'));
    const q = await gonkadJson(['query', 'inference', 'api-key', reg.key_hash, ...node], env);
    assert.equal(q.key.owner, dev.address);
    assert.equal(q.key.transferAgent, ta);

    const client = openaiClient(api0, reg.secret);
    const r = await client.chat.completions.create({
      model: DEMO_MODEL_ID,
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 4,
    });
    assert.ok(r.choices[0]?.message, 'the new key works');
    const inf = await step('the CLI key inference', () => newInference('CLI key'));
    await step('it completes', () => settled(inf.id, InferenceStatus.INFERENCE_STATUS_COMPLETED));

    const rev = await gonkadJson(
      ['tx', 'inference', 'revoke-key', 'dev', reg.key_hash, '--home', keyring, ...node],
      env,
    );
    assert.equal(rev.code, 0, JSON.stringify(rev));
    await expectApiError(
      client.chat.completions.create({
        model: DEMO_MODEL_ID,
        messages: [{ role: 'user', content: 'hi' }],
        max_tokens: 4,
      }),
      401,
      'invalid_api_key',
      'revoked key, the next request',
    );
    const bad = await gonkad(['tx', 'inference', 'revoke-key', 'dev', 'zz', '--home', keyring, ...node], env);
    assert.notEqual(bad.status, 0, 'a malformed key hash is refused before signing');
  });

  it('a signed request works once; its replay is refused', async () => {
    let captured: SignedRequest | undefined;
    const signer = openaiClient(api0, 'unused', signingFetch(dev, ta, { captured: (r) => (captured = r) }));
    const req = {
      model: DEMO_MODEL_ID,
      messages: [{ role: 'user' as const, content: 'signed hi' }],
      max_tokens: 4,
    };
    const r = await signer.chat.completions.create(req);
    assert.ok(r.usage, 'the signed request was served');
    const inf = await step('the signed Start on chain', () => newInference('signed request'));
    assert.equal(inf.keyHash.length, 0, 'no bearer key: a developer signature authorised it');
    await settled(inf.id, InferenceStatus.INFERENCE_STATUS_COMPLETED);
    assert.ok(captured);
    const replay = openaiClient(api0, 'unused', signingFetch(dev, ta, { replay: captured }));
    const e = await expectApiError(
      replay.chat.completions.create(req),
      401,
      undefined,
      'replayed signed request',
    );
    assert.match(String(e.code ?? e.message), /signature|replay/i);
    assert.equal(
      (await chain.inferencesOf(dev.address)).filter((i) => !seen.has(i.id)).length,
      0,
      'nothing escrowed by the replay',
    );
  });

  it('an executor whose ML node dies mid-stream: a clean client error, then expiry, full refund, missed + 1', async () => {
    const client = openaiClient(api0, SECRET_MAIN);
    const before = await chain.balance(dev.address);
    const stream = await client.chat.completions.create({
      model: DEMO_MODEL_ID,
      messages: [{ role: 'user', content: 'tell a long story' }],
      max_tokens: 900,
      stream: true,
    });
    const it = stream[Symbol.asyncIterator]();
    const first = await it.next();
    assert.equal(first.done, false, 'the stream started');
    const inf: Inference = await step('the Start on chain', () => newInference('killed executor'));
    const executor = net.manifest.validators.findIndex((v) => v.operator === inf.executor);
    assert.ok(executor >= 0, `executor ${inf.executor} is a validator`);
    const missedBefore = (await chain.executorStats(inf.executor)).missed;
    await net.services.service('ml', executor).kill9();
    // The rest of the stream: an error, well before the client's own timeout (no hang).
    const rest = (async () => {
      for (let r = await it.next(); !r.done; r = await it.next()) {
        /* drain */
      }
    })();
    await assert.rejects(
      Promise.race([
        rest,
        new Promise((_, reject) => setTimeout(() => reject(new Error('the stream hung')), 30_000).unref()),
      ]).then(() => assert.fail('the stream ended as if complete')),
      (e: Error) => !/hung|as if complete/.test(e.message),
      'the client got an error',
    );
    const expired = await step('expiry', () => settled(inf.id, InferenceStatus.INFERENCE_STATUS_EXPIRED));
    assert.equal(
      expired.expiryHeight - expired.firstHeight,
      BigInt(EXPIRATION_BLOCKS),
      'expires after expiration_blocks',
    );
    assert.equal(await chain.balance(dev.address), before, 'full refund');
    assert.equal((await chain.executorStats(inf.executor)).missed, missedBefore + 1n, 'missed + 1');
    await step('agreement', () => checkAgreement(net));
    await step('module invariants', () => checkModuleInvariants(net));
  });
});
