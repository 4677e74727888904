// Paid inference against the real x/inference module in process (tx-harness): two API nodes, a
// transfer agent (key 0) and an executor (key 1) that the TA picks from x/poc participants by
// their api_url, each with its own Broadcaster; the `openai` client with a key registered on
// chain. Usage equals the settled inference's token counts, the developer pays exactly
// (prompt + completion) × locked price, the executor earns it; a revoked key fails on the next
// request; a key's epoch limit stops the TA before it escrows.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { Broadcaster } from '../../app/api/broadcaster.js';
import { type BroadcastResult, ChainError, type TxChain } from '../../app/api/chain.js';
import { type AbciQuerier, RpcInferenceView } from '../../app/api/openai/chainView.js';
import type { ProtoCodec } from '../../app/runtime/router.js';
import { InferenceStatus } from '../../proto/gen/gonka/inference/v1/inference.js';
import { type Node, startNode } from './api-openai-helpers.js';
import { ExecutorBackend } from './inference-backend.js';
import {
  DEV,
  deliver,
  demoModelJson,
  EXEC,
  inferenceAppState,
  inferenceOf,
  MODEL,
  PRICE,
  registerKeyMsg,
  revokeKeyMsg,
  statsOf,
  TA,
} from './inference-helpers.js';
import { accountOf, balanceOf, CHAIN_ID, TestChain as Chain, type TestChain } from './tx-harness.js';

/** TxChain over the in-process app: CheckTx fills a mempool that commit() turns into a block. */
class InProcessTxChain implements TxChain {
  mempool: Uint8Array[] = [];
  constructor(readonly chain: TestChain) {}
  async chainId() {
    return CHAIN_ID;
  }
  async account(address: string) {
    try {
      const a = accountOf(this.chain, address);
      return { accountNumber: a.accountNumber, sequence: a.sequence };
    } catch {
      return undefined;
    }
  }
  async minGasPrice() {
    return '0.1';
  }
  async simulate(tx: Uint8Array) {
    const out = this.chain.app.simulate(tx);
    if (out.code !== 0) throw new ChainError(out.codespace, out.code, out.log);
    return out.gasUsed;
  }
  async broadcastSync(tx: Uint8Array): Promise<BroadcastResult> {
    const r = this.chain.checkTx(tx);
    if (r.code === 0) this.mempool.push(tx);
    return {
      code: r.code,
      codespace: r.codespace,
      log: r.log,
      hash: createHash('sha256').update(tx).digest('hex'),
    };
  }
  async commit() {
    const res = await this.chain.block(this.mempool.splice(0));
    for (const r of res.txResults) assert.equal(r.code, 0, r.log);
  }
}

const querier = (chain: TestChain): AbciQuerier => ({
  async query<Req, Res>(path: string, req: ProtoCodec<Req>, res: ProtoCodec<Res>, value: Req): Promise<Res> {
    const r = chain.rawQuery(path, req.encode(value).finish());
    if (r.code !== 0) throw new ChainError(r.codespace, r.code, r.log);
    return res.decode(r.value);
  },
});

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

const SECRET = 'sk-chain-developer';
const messages = [{ role: 'user' as const, content: 'Hello chain' }];
let dir: string;
let chain: TestChain;
let tx: InProcessTxChain;
let backend: ExecutorBackend;
let ta: Node;
let executor: Node;
let client: OpenAI;
let accepted = 0;

/** Waits (bounded) until `n` more txs reached the mempool, then makes a block of them. */
async function commitAfter(n: number): Promise<void> {
  const target = accepted + n;
  const deadline = Date.now() + 10_000;
  while (tx.mempool.length < n) {
    if (Date.now() > deadline)
      throw new Error(`${tx.mempool.length} of ${n} txs reached the mempool (${target})`);
    await new Promise((r) => setTimeout(r, 10));
  }
  await tx.commit();
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'api-openai-chain-'));
  const artifactHex = demoModelJson().artifact_hash as string;
  const ports = [await freePort(), await freePort()];
  const seed = 'api-openai-chain';
  let keys: { address: string }[] = [];
  chain = await Chain.create({
    accounts: 4,
    seed,
    appState: (s) => {
      keys = s.bank.balances.map((b: { address: string }) => ({ address: b.address }));
      inferenceAppState(keys, (st) => {
        for (const [i, p] of (st.poc.participants as { api_url?: string }[]).entries())
          p.api_url = i === EXEC ? `http://127.0.0.1:${ports[1]}` : '';
      })(s);
    },
  });
  tx = new InProcessTxChain(chain);
  const view = new RpcInferenceView(querier(chain));
  backend = await ExecutorBackend.demo(MODEL, artifactHex);
  const nodeKey = (i: number) => {
    const k = chain.keys[i]!;
    return { secret: k.secret, pub: k.pubKey, address: k.address };
  };
  const broadcaster = (i: number) =>
    new Broadcaster({ chain: tx, privateKey: chain.keys[i]!.secret, onSent: () => accepted++ });
  const bTa = broadcaster(TA);
  const bEx = broadcaster(EXEC);
  ta = await startNode({
    backend,
    artifactHex,
    payloadDir: join(dir, 'ta'),
    view,
    key: nodeKey(TA),
    submit: (m, g) => bTa.submit(m, g),
    port: ports[0],
  });
  executor = await startNode({
    backend,
    artifactHex,
    payloadDir: join(dir, 'exec'),
    view,
    key: nodeKey(EXEC),
    submit: (m, g) => bEx.submit(m, g),
    port: ports[1],
  });
  const r = await deliver(chain, DEV, [
    registerKeyMsg(chain.keys[DEV]!.address, SECRET, chain.keys[TA]!.address, 10_000_000n),
  ]);
  assert.equal(r.code, 0, r.log);
  client = new OpenAI({ baseURL: `${ta.url}/v1`, apiKey: SECRET, maxRetries: 0, timeout: 20_000 });
});

after(async () => {
  await ta?.app.close();
  await executor?.app.close();
  await backend?.ex.close();
  await chain?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('paid inference on the in-process chain', () => {
  it('settles: usage = on-chain tokens, developer pays (prompt + completion) × price, executor earns it', async () => {
    const dev = chain.keys[DEV]!.address;
    const devBefore = balanceOf(chain, dev);
    const earnedBefore = BigInt(statsOf(chain, chain.keys[EXEC]!.address)?.earned ?? '0');
    const r = await client.chat.completions.create({ model: MODEL, messages, max_tokens: 8 });
    assert.equal(ta.sent.length, 1, 'the TA queued the Start');
    await commitAfter(2); // the TA's Start and the executor's Finish
    const inf = inferenceOf(chain, r.id);
    assert.equal(inf.status, InferenceStatus.INFERENCE_STATUS_COMPLETED);
    assert.equal(inf.executor, chain.keys[EXEC]!.address);
    assert.equal(BigInt(r.usage!.prompt_tokens), inf.promptTokens);
    assert.equal(BigInt(r.usage!.completion_tokens), inf.completionTokens);
    const cost = (inf.promptTokens + inf.completionTokens) * PRICE;
    assert.equal(inf.cost, cost.toString());
    assert.equal(devBefore - balanceOf(chain, dev), cost);
    assert.equal(BigInt(statsOf(chain, chain.keys[EXEC]!.address).earned) - earnedBefore, cost);
  });

  it('streams; a revoked key fails on the next request', async () => {
    const s = await client.chat.completions.create({ model: MODEL, messages, max_tokens: 4, stream: true });
    for await (const _ of s);
    await commitAfter(2);
    const r = await deliver(chain, DEV, [revokeKeyMsg(chain.keys[DEV]!.address, SECRET)]);
    assert.equal(r.code, 0, r.log);
    await assert.rejects(
      client.chat.completions.create({ model: MODEL, messages, max_tokens: 4 }),
      (e: unknown) => e instanceof OpenAI.APIError && e.status === 401 && e.code === 'invalid_api_key',
    );
  });

  it("a key's epoch limit stops the TA before it escrows (429 insufficient_quota)", async () => {
    const secret = 'sk-chain-small';
    const r = await deliver(chain, DEV, [
      registerKeyMsg(chain.keys[DEV]!.address, secret, chain.keys[TA]!.address, 50n * PRICE),
    ]);
    assert.equal(r.code, 0, r.log);
    const small = new OpenAI({ baseURL: `${ta.url}/v1`, apiKey: secret, maxRetries: 0 });
    const sentBefore = ta.sent.length;
    await assert.rejects(
      small.chat.completions.create({ model: MODEL, messages, max_tokens: 60 }),
      (e: unknown) => e instanceof OpenAI.APIError && e.status === 429 && e.code === 'insufficient_quota',
    );
    assert.equal(ta.sent.length, sentBefore, 'no Start queued');
  });
});
