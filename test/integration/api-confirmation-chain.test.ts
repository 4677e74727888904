// A confirmation round end to end with the production app in process: after a Sprint (fake roots,
// VALID votes) decides epoch 1, the chain starts round 1; two participants run the API node's
// drivers (SprintDriver polling, ConfirmationDriver on its poll, the real broadcaster, the proofs
// server on loopback, the validator with ORT recomputation) over ML nodes backed by the reference
// kernel in worker threads. They mine the round's seed, commit with round 1, validate each
// other's (and their own) round commits over HTTP and vote with round 1; the third participant
// runs no round driver (it mined only during the Sprint). Results: the two keep their weight, the
// third is INACTIVE (weight 0).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CometClient } from '@cosmjs/tendermint-rpc';
import { CheckTxType, RequestQuery } from 'cosmjs-types/tendermint/abci/types';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { Broadcaster } from '../../app/api/broadcaster.js';
import { type BroadcastResult, ChainError, RpcChain } from '../../app/api/chain.js';
import { ConfirmationDriver } from '../../app/api/confirmation.js';
import { ApiMetrics } from '../../app/api/metrics.js';
import type { Miner } from '../../app/api/mining.js';
import { buildApiServer } from '../../app/api/server.js';
import { SprintDriver } from '../../app/api/sprint.js';
import { EpochStores } from '../../app/api/stores.js';
import { pocValidator } from '../../app/api/validation.js';
import type { MineRequest } from '../../app/ml/client.js';
import type { ProtoCodec } from '../../app/runtime/router.js';
import { POC_CLASSES } from '../../kernels/poc/classes.js';
import { ReferencePool } from '../../kernels/poc/reference-pool.js';
import { ConfirmationParams, type ConfirmationRound, Params } from '../../proto/gen/gonka/poc/v1/poc.js';
import {
  QueryCommitsRequest,
  QueryCommitsResponse,
  QueryConfirmationsRequest,
  QueryConfirmationsResponse,
  QueryVotesRequest,
  QueryVotesResponse,
} from '../../proto/gen/gonka/poc/v1/query.js';
import { PocChain } from './poc-chain.js';
import {
  commit,
  ok,
  sprintOf,
  sprintParams,
  update,
  Verdict,
  votes,
  withSprint,
} from './poc-sprint-helpers.js';
import { CHAIN_ID } from './tx-harness.js';

const Q = (m: string) => `/gonka.poc.v1.Query/${m}`;

/** RpcChain's queries over the app in process; CheckTx fills a mempool the test turns into blocks. */
class InProcessRpc extends RpcChain {
  readonly mempool: Uint8Array[] = [];
  private lock: Promise<unknown> = Promise.resolve();

  constructor(readonly chain: PocChain) {
    super('in-process', undefined as unknown as CometClient);
  }

  /** Runs f with no query or CheckTx in between (a block's FinalizeBlock + Commit). */
  exclusive<T>(f: () => Promise<T> | T): Promise<T> {
    const run = this.lock.then(f);
    this.lock = run.catch(() => {});
    return run;
  }

  override async query<Req, Res>(
    path: string,
    req: ProtoCodec<Req>,
    res: ProtoCodec<Res>,
    value: Req,
  ): Promise<Res> {
    return this.exclusive(() => {
      const r = this.chain.app.query(RequestQuery.fromPartial({ path, data: req.encode(value).finish() }));
      if (r.code) throw new ChainError(r.codespace ?? '', r.code, r.log ?? '');
      return res.decode(r.value);
    });
  }
  override async height(): Promise<bigint> {
    return this.chain.height;
  }
  override async chainId(): Promise<string> {
    return CHAIN_ID;
  }
  override async simulate(tx: Uint8Array): Promise<bigint> {
    return this.exclusive(() => {
      const out = this.chain.app.simulate(tx);
      if (out.code !== 0) throw new ChainError(out.codespace, out.code, out.log);
      return out.gasUsed;
    });
  }
  override async broadcastSync(tx: Uint8Array): Promise<BroadcastResult> {
    return this.exclusive(() => {
      const r = this.chain.app.checkTx({ tx, type: CheckTxType.NEW });
      if (r.code === 0) this.mempool.push(tx);
      const hash = createHash('sha256').update(tx).digest('hex').toUpperCase();
      return { code: r.code, codespace: r.codespace, log: r.log, hash };
    });
  }
  /** One block of the mempool; every tx in it must succeed. */
  block() {
    return this.exclusive(async () => {
      const r = await this.chain.block(this.mempool.splice(0));
      for (const t of r.txResults) assert.equal(t.code, 0, `${t.codespace} ${t.code} ${t.log}`);
      return r;
    });
  }
}

/** An ML node: the reference kernel in worker threads, a few nonces per frame. */
class ReferenceMiner implements Miner {
  constructor(private readonly pool: ReferencePool) {}
  async mine(
    req: MineRequest,
    onBatch: (first: number, outputs: Uint8Array[]) => void,
    signal?: AbortSignal,
  ) {
    let at = req.start;
    while (at < req.end && !signal?.aborted) {
      const n = Math.min(4, req.end - at);
      const nonces = Array.from({ length: n }, (_, i) => BigInt(at + i));
      onBatch(at, await this.pool.compute(POC_CLASSES[req.cls], req.blockHash, req.pubkey, nonces));
      at += n;
    }
    return at - req.start;
  }
}

async function until<T>(what: string, f: () => T | undefined | false, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface ApiNode {
  stores: EpochStores;
  server: FastifyInstance;
  url: string;
  sprint?: SprintDriver;
  rounds?: ConfirmationDriver;
  broadcaster?: Broadcaster;
  metrics: ApiMetrics;
}

// Sprint 1 (epoch length 24, stages 2/2/2/2): P = 15, commits 16..18, votes 19..20, B = 25.
// Rounds: gen 3 / commit 2 / validation 2, margin 2; window [27, 39 − 2 − 7 = 30] (4 heights), and
// expected_per_epoch 100 ≥ 4 makes the first eligible height start it: round 1 = 27, commit 30,
// validation 32, results 34.
const ROUND_LEAVES = 20;
const SPRINT_COUNTS = [10n, 10n, 4n];

describe('API node in a confirmation round on the chain in process', () => {
  let chain: PocChain;
  let rpc: InProcessRpc;
  let pool: ReferencePool;
  let home: string;
  const nodes: ApiNode[] = [];
  let round: ConfirmationRound;
  let results: QueryConfirmationsResponse;
  const log = pino({ level: 'silent' });
  const validated = new Set<number>();

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'gonka-api-confirm-chain-'));
    pool = new ReferencePool(2);
    const params = Params.fromPartial({
      ...sprintParams(24),
      confirmation: ConfirmationParams.fromPartial({
        expectedPerEpoch: 100,
        generationBlocks: 3n,
        commitBlocks: 2n,
        validationBlocks: 2n,
        boundaryMargin: 2n,
        sampleSize: 16,
        alpha: '0.5',
        rateTolerance: '0.7',
      }),
    });
    chain = await PocChain.create({ weights: [10, 10, 10], epochLength: 24, appState: withSprint(params) });
    rpc = new InProcessRpc(chain);
    const addr = chain.keys.map((k) => k.address);

    // Every participant's proofs server (only two will have stores to serve).
    for (let i = 0; i < 3; i++) {
      const stores = new EpochStores(join(home, `p${i}`, 'poc'));
      const metrics = new ApiMetrics();
      const node: ApiNode = { stores, metrics, server: undefined as unknown as FastifyInstance, url: '' };
      node.server = await buildApiServer({
        proofs: {
          sampleSize: (e, r) => (r === 0 ? 8 : node.rounds?.sampleSize(e, r)),
          store: (e, c, r) => stores.get(e, c, r),
          committedCount: (e, c, r) => (r === 0 ? undefined : node.rounds?.committedCount(e, r, c)),
        },
        metrics,
        status: () => ({}),
        rateLimit: { max: 1000, timeWindowMs: 60_000 },
      });
      node.url = await node.server.listen({ host: '127.0.0.1', port: 0 });
      nodes.push(node);
    }

    // The Sprint that decides epoch 1, as in poc-sprint.test.ts.
    await chain.block();
    await ok(
      chain,
      addr.map((a, i) => chain.tx(i, [update(a, [1], nodes[i]!.url)])),
    );
    await chain.runTo(15);
    await ok(
      chain,
      [0, 1, 2].map((i) => chain.tx(i, [commit(addr[i]!, 1n, 1, SPRINT_COUNTS[i]!)])),
    );
    await chain.runTo(19);
    const sprint = sprintOf(chain, 1n)!;
    await ok(
      chain,
      [0, 1, 2].map((v) =>
        chain.tx(v, [
          votes(
            chain.keys[v]!,
            sprint,
            [0, 1, 2].map((p) => ({ participant: addr[p]!, verdict: Verdict.VERDICT_VALID })),
          ),
        ]),
      ),
    );
    await chain.runTo(25);

    // Participants 0 and 1 run the API node's drivers; participant 2 does not take part in rounds.
    for (const i of [0, 1]) {
      const node = nodes[i]!;
      const key = chain.keys[i]!;
      const broadcaster = new Broadcaster({ chain: rpc, privateKey: key.secret });
      const validator = pocValidator({
        chain: rpc,
        broadcaster,
        privateKey: key.secret,
        metrics: node.metrics,
        log,
      });
      const common = {
        chain: rpc,
        broadcaster,
        stores: node.stores,
        miners: [new ReferenceMiner(pool)],
        classes: ['tiny' as const],
        metrics: node.metrics,
        log,
        commitEveryMs: 200,
        progress: () => {},
      };
      node.broadcaster = broadcaster;
      node.rounds = new ConfirmationDriver({
        ...common,
        validate: async (r, signal) => {
          const out = await validator.round(r, signal);
          validated.add(i); // every vote is in the mempool (CheckTx accepted it)
          return out;
        },
      });
      const rounds = node.rounds;
      node.sprint = new SprintDriver({
        ...common,
        apiUrl: node.url,
        pollMs: 20,
        onPoll: (h) => rounds.tick(h),
      });
      node.sprint.start();
    }

    const confirmations = () =>
      rpc.query(Q('Confirmations'), QueryConfirmationsRequest, QueryConfirmationsResponse, { epoch: 0n });
    // Up to the round's announcement.
    for (;;) {
      const q = await confirmations();
      if (q.rounds.length > 0) {
        round = q.rounds[0]!;
        break;
      }
      assert.ok(chain.height < 40n, 'no confirmation round started in epoch 1');
      await rpc.block();
    }
    // Generation: blocks up to the last generation height, then wait for the leaves.
    while (chain.height < round.commitStart - 1n) await rpc.block();
    const roundCount = (i: number) => nodes[i]!.stores.get(round.epoch, 'tiny', round.round)?.count ?? 0;
    await until(
      `${ROUND_LEAVES} round leaves on both nodes`,
      () => roundCount(0) >= ROUND_LEAVES && roundCount(1) >= ROUND_LEAVES,
    );
    await rpc.block(); // commit_start: mining stops, the final commits go out
    const finalSent = (i: number) =>
      nodes[i]!.rounds!.committedCount(round.epoch, round.round, 'tiny') === roundCount(i);
    await until('both final commits', () => {
      const mining = [0, 1].some((i) => (nodes[i]!.rounds!.status().mining as unknown[]).length > 0);
      return !mining && finalSent(0) && finalSent(1);
    });
    while (chain.height < round.validationStart) await rpc.block();
    // Validation: each node votes on both round commits.
    await until('votes from both validators', () => validated.size === 2);
    while (chain.height < round.resultHeight) await rpc.block();
    results = await confirmations();
  });

  after(async () => {
    for (const n of nodes) {
      await n.sprint?.stop();
      await n.rounds?.stop();
      n.broadcaster?.close();
      await n.server.close();
      n.stores.close();
    }
    await pool?.close();
    await chain?.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('the API nodes commit round 1 of epoch 1 with roots of the round-seed stores', async () => {
    const r = await rpc.query(Q('Commits'), QueryCommitsRequest, QueryCommitsResponse, {
      epoch: round.epoch,
      round: round.round,
    });
    const addr = chain.keys.map((k) => k.address);
    const byP = new Map(r.commits.map((c) => [c.participant, c]));
    assert.deepEqual([...byP.keys()].sort(), [addr[0], addr[1]].sort());
    for (const i of [0, 1]) {
      const c = byP.get(addr[i]!)!;
      const store = nodes[i]!.stores.get(round.epoch, 'tiny', round.round)!;
      assert.equal(c.round, round.round);
      assert.equal(c.count, BigInt(store.count));
      assert.ok(c.count >= BigInt(ROUND_LEAVES));
      assert.deepEqual(c.root, store.rootAt(store.count));
      const seed = results.rounds[0]!.seed; // filled in at BeginBlock(start), after the announcement
      assert.equal(seed.length, 32);
      assert.equal(store.meta.blockHash, Buffer.from(seed).toString('hex'));
    }
  });

  it('each API node voted VALID on both round commits with round 1', async () => {
    const r = await rpc.query(Q('Votes'), QueryVotesRequest, QueryVotesResponse, {
      epoch: round.epoch,
      round: round.round,
      participant: '',
    });
    const addr = chain.keys.map((k) => k.address);
    const got = r.votes.map(
      (v) =>
        `${v.validator === addr[0] ? 0 : 1}->${v.participant === addr[0] ? 0 : 1}:${Verdict[v.verdict]}:${v.round}`,
    );
    assert.deepEqual(got.sort(), [
      '0->0:VERDICT_VALID:1',
      '0->1:VERDICT_VALID:1',
      '1->0:VERDICT_VALID:1',
      '1->1:VERDICT_VALID:1',
    ]);
  });

  it('the round confirms both and finds the Sprint-only participant INACTIVE', () => {
    const addr = chain.keys.map((k) => k.address);
    assert.equal(results.rounds[0]?.finished, true);
    const res = new Map(results.results.map((x) => [x.participant, x]));
    for (const i of [0, 1]) {
      const x = res.get(addr[i]!)!;
      assert.equal(x.inactive, false, `participant ${i}`);
      assert.equal(x.weightAfter, x.weightBefore);
      assert.equal(x.weightBefore, SPRINT_COUNTS[i]);
    }
    const lazy = res.get(addr[2]!)!;
    assert.equal(lazy.inactive, true);
    assert.equal(lazy.weightAfter, 0n);
  });
});
