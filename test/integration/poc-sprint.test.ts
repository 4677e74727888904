// A full Sprint in process, signed txs through FinalizeBlock: four genesis participants announce
// class tiny, commit (the last commit counts), validators vote with real sample signatures; the
// weights become CometBFT validator updates at B − 2 and current weights at B; a participant
// without > 2/3 VALID power (UNAVAILABLE votes withhold) gets 0; a Sprint nobody passes keeps
// the weights. Then the Sprint queries, invariants and a genesis export/import round trip.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ResponseFinalizeBlock } from 'cosmjs-types/tendermint/abci/types';
import {
  QueryCommitsRequest,
  QueryCommitsResponse,
  QueryStageRequest,
  QueryStageResponse,
  QueryVotesRequest,
  QueryVotesResponse,
  QueryWeightsRequest,
  QueryWeightsResponse,
} from '../../proto/gen/gonka/poc/v1/query.js';
import { consensusKey, PocChain } from './poc-chain.js';
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

const Q = (m: string) => `/gonka.poc.v1.Query/${m}`;

describe('x/poc: a full Sprint in process', () => {
  let chain: PocChain;
  let addr: string[];
  const blocks = new Map<bigint, ResponseFinalizeBlock>();
  const weights = () =>
    new Map(chain.read((ctx) => chain.poc.participants(ctx).map((p) => [p.address, p.weight] as const)));

  before(async () => {
    // epoch 24, stages 2/2/2/2: Sprint 1 at P = 15, commits 16..18, votes 19..20, weights 21, set 23, B = 25
    chain = await PocChain.create({
      weights: [10, 10, 10, 10],
      epochLength: 24,
      appState: withSprint(sprintParams(24)),
    });
    addr = chain.keys.map((k) => k.address);
    await chain.block();
    await ok(
      chain,
      addr.map((a, i) => chain.tx(i, [update(a, [1])])),
    );
    await chain.runTo(15);
    await ok(
      chain,
      [0, 1, 2, 3].map((i) => chain.tx(i, [commit(addr[i]!, 1n, 1, BigInt(100 * (i + 1)))])),
    );
    await ok(chain, [chain.tx(3, [commit(addr[3]!, 1n, 1, 450n)])]); // the last commit counts
    await chain.runTo(19);
    const sprint = sprintOf(chain, 1n)!;
    // p0, p3: all VALID; p1: 3 VALID + 1 INVALID (30 of 40 > 2/3); p2: 2 VALID + 2 UNAVAILABLE (20 ≤ 2/3)
    const verdict = (v: number, p: number) =>
      p === 1 && v === 3
        ? Verdict.VERDICT_INVALID
        : p === 2 && v >= 2
          ? Verdict.VERDICT_UNAVAILABLE
          : Verdict.VERDICT_VALID;
    const voted = await ok(
      chain,
      [0, 1, 2, 3].map((v) =>
        chain.tx(v, [
          votes(
            chain.keys[v]!,
            sprint,
            [0, 1, 2, 3].map((p) => ({ participant: addr[p]!, verdict: verdict(v, p) })),
          ),
        ]),
      ),
    );
    // Gas is consensus data (four sample-signature checks per tx): pinned like a golden vector.
    assert.deepEqual(
      voted.txResults.map((t) => t.gasUsed),
      VOTES_GAS,
    );
    for (const [h, r] of await chain.runTo(25)) blocks.set(h, r);
  });
  after(() => chain.close());

  it('accepted weights become validator updates at B − 2 and current weights at B', () => {
    const want = [100n, 200n, 0n, 450n];
    const updates = (blocks.get(23n)?.validatorUpdates ?? []).map((u) => [
      Buffer.from(u.pubKey!.ed25519!).toString('hex'),
      u.power,
    ]);
    assert.deepEqual(
      new Map(updates as [string, bigint][]),
      new Map(want.map((w, i) => [consensusKey(i).toString('hex'), w])),
    );
    for (const h of [21n, 22n, 24n, 25n])
      assert.equal(blocks.get(h)?.validatorUpdates.length ?? 0, 0, `height ${h}`);
    const w = weights();
    assert.deepEqual(
      addr.map((a) => w.get(a)),
      want,
    );
    assert.equal(
      chain.read((ctx) => chain.poc.currentEpoch(ctx)),
      1n,
    );
  });

  it('the Sprint queries show commits, votes and weight results', () => {
    const commits = chain.query(Q('Commits'), QueryCommitsRequest, QueryCommitsResponse, {
      epoch: 1n,
      round: 0,
    }).commits;
    assert.equal(commits.length, 4);
    assert.equal(commits.find((c) => c.participant === addr[3])!.count, 450n);
    const v = chain.query(Q('Votes'), QueryVotesRequest, QueryVotesResponse, {
      epoch: 1n,
      participant: addr[2]!,
      round: 0,
    });
    assert.deepEqual(
      v.votes.map((x) => x.verdict).sort(),
      [
        Verdict.VERDICT_VALID,
        Verdict.VERDICT_VALID,
        Verdict.VERDICT_UNAVAILABLE,
        Verdict.VERDICT_UNAVAILABLE,
      ].sort(),
    );
    assert.ok(v.votes.every((x) => x.power === 10n));
    const results = chain.query(Q('Weights'), QueryWeightsRequest, QueryWeightsResponse, {
      epoch: 1n,
    }).weights;
    const byAddr = new Map(results.map((r) => [r.participant, r]));
    assert.equal(byAddr.get(addr[2]!)!.accepted, false);
    assert.equal(byAddr.get(addr[2]!)!.weight, 0n);
    assert.equal(byAddr.get(addr[3]!)!.rawWeight, 450n);
    assert.equal(byAddr.get(addr[3]!)!.weight, 450n);
    const stage = chain.query(Q('Stage'), QueryStageRequest, QueryStageResponse, {});
    assert.equal(stage.stage, 'idle');
    assert.equal(stage.sprint?.epoch, 1n);
    assert.deepEqual(chain.invariants(), []);
  });

  it('a Sprint nobody passes keeps the weights (no zero-power set)', async () => {
    const before = weights();
    const r = await chain.runTo(49); // Sprint 2: P = 39, weights_final 45, B = 49; no commits
    const summary = r.get(45n)!.events.find((e) => e.type === 'poc_weights')!;
    assert.equal(summary.attributes.find((a) => a.key === 'kept')!.value, 'true');
    assert.equal(r.get(47n)?.validatorUpdates.length ?? 0, 0);
    assert.deepEqual(weights(), before);
    assert.equal(
      chain.read((ctx) => chain.poc.currentEpoch(ctx)),
      2n,
    );
  });

  it('genesis export/import round-trips the Sprint state', async () => {
    const exported = chain.app.exportGenesis() as unknown as Record<string, any>;
    const poc = exported.poc ?? exported.app_state?.poc;
    assert.ok(poc.sprints.length >= 2);
    assert.equal(poc.commits.length, 4);
    assert.equal(poc.votes.length, 16);
    assert.equal(poc.weight_results.length, 4);
    const copy = await PocChain.fromAppState(JSON.parse(JSON.stringify(exported.app_state ?? exported)));
    try {
      await copy.block(); // exports read committed state
      assert.deepEqual(copy.app.exportGenesis().poc, exported.poc);
      assert.deepEqual(copy.invariants(), []);
    } finally {
      await copy.close();
    }
  });

  it('the Sprint invariants see a commit over its bound and a vote without a commit', async () => {
    chain.at(chain.height + 1n, (ctx, ch) => {
      const [c] = [...ch.poc.sprints.commitEntries(ctx, 1n)].map(([, x]) => x);
      ch.poc.sprints.setCommit(ctx, { ...c!, count: 5000n });
      ch.poc.sprints.setVote(ctx, {
        epoch: 1n,
        validator: addr[0]!,
        participant: addr[0]!,
        classId: 2,
        verdict: Verdict.VERDICT_VALID,
        power: 1n,
        round: 0,
      });
    });
    await chain.block();
    const broken = chain.invariants().join('\n');
    assert.match(broken, /count 5000 outside \[1, 1000\]/);
    assert.match(broken, /class 2 in epoch 1 without a commit/);
  });

  it('Sprints with their commits, votes and results are pruned to the last three', async () => {
    await chain.runTo(87); // P of the Sprint for epoch 4 (epoch 3 = [73, 97)): keeps Sprints 2, 3, 4
    assert.equal(sprintOf(chain, 1n), undefined);
    assert.ok(sprintOf(chain, 2n) && sprintOf(chain, 4n));
    const left = chain.read((ctx) => [...chain.poc.sprints.iterateAllCommits(ctx)].length);
    assert.equal(left, 0);
    assert.deepEqual(chain.invariants(), [], 'the tampered epoch-1 state is gone');
  });
});

/** Gas of the four validators' vote txs (recompute deliberately when gas changes). */
const VOTES_GAS = [73142n, 73142n, 73142n, 73142n];
