// Confirmation rounds in process, signed txs through FinalizeBlock. Epoch 40, Sprint 2/2/2/2 (the
// Sprint for epoch 1 at P = 31, weights 100 each), rounds 3/2/2 with margin 2 and
// expected_per_epoch large enough that every eligible height triggers: round 1 of epoch 1 is
// announced at 42 and runs 43 (generation) / 46 (commits until 47) / 48 (votes) / 50 (results).
// An honest participant keeps its weight, one at 0.6 of its Sprint rate gets weight × 0.6 ÷ 0.7,
// one at 0.4 is INACTIVE (weight 0, collateral cut by the downtime slash); commits and votes outside
// their windows or by the ineligible are refused with their codes; a round that would zero every
// weight changes nothing; no round starts within the margin or runs into the next Sprint.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ResponseFinalizeBlock } from 'cosmjs-types/tendermint/abci/types';
import { MsgDepositCollateral } from '../../proto/gen/gonka/collateral/v1/tx.js';
import type { ConfirmationRound } from '../../proto/gen/gonka/poc/v1/poc.js';
import { ConfirmationParams } from '../../proto/gen/gonka/poc/v1/poc.js';
import {
  QueryCommitsRequest,
  QueryCommitsResponse,
  QueryConfirmationsRequest,
  QueryConfirmationsResponse,
  QueryVotesRequest,
  QueryVotesResponse,
} from '../../proto/gen/gonka/poc/v1/query.js';
import { MsgPocCommit, MsgPocValidation } from '../../proto/gen/gonka/poc/v1/tx.js';
import { typeUrl } from '../../proto/gonka/registry.js';
import { sampleSignBytes } from '../../x/poc/sample.js';
import { blockHash, PocChain } from './poc-chain.js';
import {
  codes,
  commit,
  msgAny,
  ok,
  sprintOf,
  sprintParams,
  update,
  Verdict,
  votes,
  withSprint,
} from './poc-sprint-helpers.js';
import { CHAIN_ID, DENOM, type TestKey } from './tx-harness.js';

const Q = (m: string) => `/gonka.poc.v1.Query/${m}`;
const EPOCH = 40;
const DEPOSIT = 1_000_000n;

const roundParams = (expectedPerEpoch: number) =>
  ConfirmationParams.fromPartial({
    expectedPerEpoch,
    generationBlocks: 3n,
    commitBlocks: 2n,
    validationBlocks: 2n,
    boundaryMargin: 2n,
    sampleSize: 16,
    alpha: '0.5',
    rateTolerance: '0.7',
  });

const withRounds = (expected: number) =>
  withSprint({ ...sprintParams(EPOCH), confirmation: roundParams(expected) });

function roundCommit(participant: string, epoch: bigint, round: number, classId: number, count: bigint) {
  return msgAny(MsgPocCommit, typeUrl(MsgPocCommit), {
    participant,
    epoch,
    classId,
    count,
    round,
    root: new Uint8Array(32).fill(round),
  });
}

function roundSig(key: TestKey, r: ConfirmationRound, participant: string, classId = 1): Uint8Array {
  return key.sign(
    sampleSignBytes({
      chainId: CHAIN_ID,
      epoch: r.epoch,
      participant,
      classId,
      validationHash: r.validationHash,
      round: r.round,
    }),
  );
}

function roundVotes(
  key: TestKey,
  r: ConfirmationRound,
  items: { participant: string; classId?: number; verdict?: Verdict; sig?: Uint8Array }[],
) {
  return msgAny(MsgPocValidation, typeUrl(MsgPocValidation), {
    validator: key.address,
    epoch: r.epoch,
    round: r.round,
    validations: items.map((v) => ({
      participant: v.participant,
      classId: v.classId ?? 1,
      verdict: v.verdict ?? Verdict.VERDICT_VALID,
      sampleSig: v.sig ?? roundSig(key, r, v.participant, v.classId ?? 1),
    })),
  });
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const attrs = (r: ResponseFinalizeBlock | undefined, type: string) =>
  (r?.events ?? [])
    .filter((e) => e.type === type)
    .map((e) => Object.fromEntries(e.attributes.map((a) => [a.key, a.value])) as Record<string, string>);

describe('x/poc: confirmation rounds in process', () => {
  let chain: PocChain;
  let addr: string[];
  const blocks = new Map<bigint, ResponseFinalizeBlock>();
  const weights = () =>
    new Map(chain.read((ctx) => chain.poc.participants(ctx).map((p) => [p.address, p.weight] as const)));
  const round = (epoch: bigint, n: number) =>
    chain.read((ctx) => chain.poc.confirmations.getRound(ctx, epoch, n));
  const run = async (h: number) => {
    for (const [k, v] of await chain.runTo(h)) blocks.set(k, v);
  };

  before(async () => {
    // p0..p3 take part; p4 never commits in the Sprint (weight 0 in epoch 1: not eligible).
    chain = await PocChain.create({
      weights: [10, 10, 10, 10, 10],
      epochLength: EPOCH,
      appState: withRounds(10_000),
    });
    addr = chain.keys.map((k) => k.address);
    await chain.block(); // genesis is committed with the first block
    await ok(chain, [
      ...addr.map((a, i) => chain.tx(i, [update(a, i === 3 ? [1, 2] : [1])])),
      chain.tx(2, [
        msgAny(MsgDepositCollateral, typeUrl(MsgDepositCollateral), {
          participant: addr[2],
          amount: { denom: DENOM, amount: DEPOSIT.toString() },
        }),
      ]),
    ]);
    // Sprint for epoch 1: P = 31, commits 32..34, votes 35..36, weights 37, B = 41.
    await run(31);
    await ok(
      chain,
      [0, 1, 2, 3].map((i) => chain.tx(i, [commit(addr[i]!, 1n, 1, 100n)])),
    );
    await run(35); // validation_hash = hash of block 35; votes land at 36
    const sprint = sprintOf(chain, 1n)!;
    await ok(
      chain,
      [0, 1, 2, 3].map((v) =>
        chain.tx(v, [
          votes(
            chain.keys[v]!,
            sprint,
            [0, 1, 2, 3].map((p) => ({ participant: addr[p]! })),
          ),
        ]),
      ),
    );
    await run(42);
  });
  after(() => chain.close());

  it('no round in an epoch without a deciding Sprint; round 1 of epoch 1 is announced at 42', () => {
    assert.deepEqual(
      addr.map((a) => weights().get(a)),
      [100n, 100n, 100n, 100n, 0n],
    );
    for (let h = 1n; h < 42n; h++)
      assert.deepEqual(attrs(blocks.get(h), 'poc_confirmation'), [], `height ${h}`);
    assert.deepEqual(attrs(blocks.get(42n), 'poc_confirmation'), [
      { epoch: '1', round: '1', stage: 'announced', height: '42' },
    ]);
    const r = round(1n, 1)!;
    assert.deepEqual(
      [r.start, r.commitStart, r.validationStart, r.resultHeight, r.finished, r.seed.length],
      [43n, 46n, 48n, 50n, false, 0],
    );
  });

  it('commits: refused before start + 1, for an unknown round, when ineligible, out of range; kept in the window', async () => {
    const early = await chain.block([chain.tx(0, [roundCommit(addr[0]!, 1n, 1, 1, 150n)])]); // 43 = start
    assert.deepEqual(codes(early), [['poc', 6]]);
    blocks.set(43n, early);
    assert.deepEqual(attrs(early, 'poc_confirmation'), [
      { epoch: '1', round: '1', stage: 'generation', height: '43' },
    ]);
    assert.equal(hex(round(1n, 1)!.seed), hex(blockHash(43n)));
    const refused = await chain.block([
      chain.tx(0, [roundCommit(addr[0]!, 1n, 2, 1, 150n)]), // 26: no round 2
      chain.tx(0, [roundCommit(addr[0]!, 0n, 1, 1, 150n)]), // 26: no round 1 of epoch 0
      chain.tx(4, [roundCommit(addr[4]!, 1n, 1, 1, 150n)]), // 27: no weight, no accepted Sprint
      chain.tx(3, [roundCommit(addr[3]!, 1n, 1, 2, 150n)]), // 27: no Sprint commit for class 2
      chain.tx(0, [roundCommit(addr[0]!, 1n, 1, 3, 150n)]), // 8: not one of p0's classes
      chain.tx(0, [roundCommit(addr[0]!, 1n, 1, 1, 1001n)]), // 9: over max_count 1000
    ]); // 44
    assert.deepEqual(codes(refused), [
      ['poc', 26],
      ['poc', 26],
      ['poc', 27],
      ['poc', 27],
      ['poc', 8],
      ['poc', 9],
    ]);
    // 45: p0 and p3 honest (150 in 3 blocks = the Sprint's 100 in 2), p1 at 0.6, p2 at 0.4.
    const committed = await ok(
      chain,
      [0, 1, 2, 3].map((i) => chain.tx(i, [roundCommit(addr[i]!, 1n, 1, 1, COUNTS[i]!)])),
    );
    assert.deepEqual(
      committed.txResults.map((t) => t.gasUsed),
      ROUND_COMMIT_GAS,
    );
    const ev = committed.txResults[0]!.events.find((e) => e.type === 'poc_commit')!;
    assert.equal(ev.attributes.find((a) => a.key === 'round')?.value, '1');
    await run(46);
    const tooEarly = await chain.block([
      chain.tx(0, [roundVotes(chain.keys[0]!, round(1n, 1)!, [{ participant: addr[1]! }])]),
    ]); // 47: votes open at 48
    assert.deepEqual(codes(tooEarly), [['poc', 6]]);
    const listed = chain.query(Q('Commits'), QueryCommitsRequest, QueryCommitsResponse, {
      epoch: 0n,
      round: 1,
    }).commits;
    assert.deepEqual(
      new Map(listed.map((c) => [c.participant, [c.count, c.round, c.height]])),
      new Map([0, 1, 2, 3].map((i) => [addr[i]!, [COUNTS[i]!, 1, 45n]])),
    );
    // Round 0 queries still show the Sprint's commits only.
    const sprintCommits = chain.query(Q('Commits'), QueryCommitsRequest, QueryCommitsResponse, {
      epoch: 1n,
      round: 0,
    }).commits;
    assert.deepEqual(
      sprintCommits.map((c) => c.count),
      [100n, 100n, 100n, 100n],
    );
  });

  it('votes: the round sample doc with its validation_hash, in [validation_start, result_height); 10/11/12/13/26', async () => {
    // Block 48's hash is the round's validation_hash; the test knows it before the block runs.
    const r = { ...round(1n, 1)!, validationHash: Uint8Array.from(blockHash(48n)) };
    const [k0, k4] = [chain.keys[0]!, chain.keys[4]!];
    const b48 = await chain.block([
      chain.tx(0, [roundCommit(addr[0]!, 1n, 1, 1, 150n)]), // 6: commits closed
      chain.tx(4, [roundVotes(k4, r, [{ participant: addr[0]! }])]), // 11: no weight
      chain.tx(0, [roundVotes(k0, r, [{ participant: addr[4]! }])]), // 13: no round commit
      chain.tx(0, [
        roundVotes(k0, r, [{ participant: addr[1]!, sig: roundSig(k0, { ...r, round: 0 }, addr[1]!) }]),
      ]), // 12: the Sprint's doc
      chain.tx(0, [roundVotes(k0, r, [{ participant: addr[1]! }, { participant: addr[1]! }])]), // 10: twice in one msg
      chain.tx(0, [roundVotes(k0, { ...r, round: 2 }, [{ participant: addr[1]! }])]), // 26: no round 2
      ...[0, 1, 2, 3].map((v) =>
        chain.tx(v, [
          roundVotes(
            chain.keys[v]!,
            r,
            [0, 1, 2, 3].map((p) => ({ participant: addr[p]! })),
          ),
        ]),
      ),
    ]);
    assert.deepEqual(codes(b48), [
      ['poc', 6],
      ['poc', 11],
      ['poc', 13],
      ['poc', 12],
      ['poc', 10],
      ['poc', 26],
      ['', 0],
      ['', 0],
      ['', 0],
      ['', 0],
    ]);
    assert.equal(hex(round(1n, 1)!.validationHash), hex(blockHash(48n)));
    assert.deepEqual(
      b48.txResults.slice(6).map((t) => t.gasUsed),
      ROUND_VOTE_GAS,
    );
    const again = await chain.block([chain.tx(0, [roundVotes(k0, r, [{ participant: addr[1]! }])])]); // 49
    assert.deepEqual(codes(again), [['poc', 10]]);
    const closed = await chain.block([
      chain.tx(1, [roundVotes(chain.keys[1]!, r, [{ participant: addr[0]! }])]),
    ]); // 50
    assert.deepEqual(codes(closed), [['poc', 26]]); // finished in BeginBlock(50)
    blocks.set(50n, closed);
    const v = chain.query(Q('Votes'), QueryVotesRequest, QueryVotesResponse, {
      epoch: 1n,
      participant: addr[1]!,
      round: 1,
    }).votes;
    assert.equal(v.length, 4);
    assert.ok(v.every((x) => x.round === 1 && x.power === 100n && x.verdict === Verdict.VERDICT_VALID));
  });

  it('results at result_height: kept, × 0.6/0.7, INACTIVE with the downtime slash; powers resent', () => {
    assert.deepEqual(
      addr.map((a) => weights().get(a)),
      [100n, 85n, 0n, 100n, 0n], // floor(100 × 0.6 ÷ 0.7) = 85
    );
    const b = blocks.get(50n)!;
    assert.deepEqual(attrs(b, 'poc_confirmation'), [
      { epoch: '1', round: '1', stage: 'results', height: '50' },
      { epoch: '1', round: '2', stage: 'announced', height: '50' }, // the next may follow at once
    ]);
    const results = new Map(attrs(b, 'poc_confirmation_result').map((e) => [e.participant, e]));
    assert.deepEqual(
      [0, 1, 2, 3].map((i) => {
        const e = results.get(addr[i]!)!;
        return [e.claimed_rate, e.measured_rate, e.weight_after, e.inactive, e.slashed];
      }),
      [
        ['50', '50', '100', 'false', '0'],
        ['50', '30', '85', 'false', '0'],
        ['50', '20', '0', 'true', String(DEPOSIT / 10n)], // slash_fraction_downtime 0.1
        ['50', '50', '100', 'false', '0'],
      ],
    );
    assert.equal(results.has(addr[4]!), false, 'p4 is not eligible');
    const collateral = chain.read((ctx) => chain.collateral.collateralOf(ctx, addr[2]!));
    assert.equal(collateral, DEPOSIT - DEPOSIT / 10n);
    assert.equal(
      chain.read((ctx) => chain.poc.totalWeight(ctx)),
      285n,
    );
    // EndBlock(50) sends the changed powers (effective at 52), like a jailing.
    assert.deepEqual(b.validatorUpdates.map((u) => u.power).sort(), [0n, 85n]);
    assert.deepEqual(chain.invariants(), []);
  });

  it('a round that would zero every weight changes nothing and slashes nobody', async () => {
    await run(58); // round 2: 51 / 54 / 56 / 58, nobody commits
    const r2 = round(1n, 2)!;
    assert.deepEqual([r2.start, r2.resultHeight, r2.finished], [51n, 58n, true]);
    const results = attrs(blocks.get(58n), 'poc_confirmation_result');
    assert.equal(results.length, 3);
    assert.ok(
      results.every((e) => e.inactive === 'true' && e.weight_after === e.weight_before && e.slashed === '0'),
    );
    assert.deepEqual(
      addr.map((a) => weights().get(a)),
      [100n, 85n, 0n, 100n, 0n],
    );
    assert.equal(blocks.get(58n)!.validatorUpdates.length, 0);
  });

  it('an honest round keeps the weights; a capped weight never grows back', async () => {
    await run(59); // round 3: 59 / 62 / 64 / 66
    await ok(
      chain,
      [0, 1, 3].map((i) => chain.tx(i, [roundCommit(addr[i]!, 1n, 3, 1, 150n)])),
    ); // 60
    await run(64); // validation_hash of round 3 = hash of block 64; votes land at 65
    const r3 = round(1n, 3)!;
    await ok(
      chain,
      [0, 1, 3].map((v) =>
        chain.tx(v, [
          roundVotes(
            chain.keys[v]!,
            r3,
            [0, 1, 3].map((p) => ({ participant: addr[p]! })),
          ),
        ]),
      ),
    ); // 65
    await run(66);
    assert.deepEqual(
      addr.map((a) => weights().get(a)),
      [100n, 85n, 0n, 100n, 0n],
    );
  });

  it('no round starts within boundary_margin of the epoch start or runs into the next Sprint', async () => {
    await run(83); // the Sprint for epoch 2 at 71 (nobody commits: weights kept); epoch 2 = [81, 121)
    const all = chain.read((ctx) => [...chain.poc.confirmations.iterateAllRounds(ctx)]);
    assert.deepEqual(
      all.map((r) => [r.epoch, r.round, r.start, r.resultHeight]),
      [
        [1n, 1, 43n, 50n],
        [1n, 2, 51n, 58n],
        [1n, 3, 59n, 66n],
        [2n, 1, 83n, 90n],
      ],
    );
    const nextPocStart = sprintOf(chain, 2n)!.pocStart;
    assert.equal(nextPocStart, 71n);
    for (const r of all.filter((x) => x.epoch === 1n)) {
      assert.ok(r.start >= 41n + 2n);
      assert.ok(r.resultHeight <= nextPocStart - 2n);
    }
    const c = chain.query(Q('Confirmations'), QueryConfirmationsRequest, QueryConfirmationsResponse, {
      epoch: 1n,
    });
    assert.deepEqual(
      c.rounds.map((r) => [r.round, r.finished]),
      [
        [1, true],
        [2, true],
        [3, true],
      ],
    );
    assert.equal(c.results.length, 4 + 3 + 3);
    const running = chain.query(Q('Confirmations'), QueryConfirmationsRequest, QueryConfirmationsResponse, {
      epoch: 0n,
    });
    assert.deepEqual(
      running.rounds.map((r) => [r.epoch, r.round, r.finished]),
      [[2n, 1, false]],
    );
  });

  it('genesis export/import round-trips rounds, their commits, votes, results and the running round', async () => {
    const exported = chain.app.exportGenesis() as unknown as Record<string, any>;
    const poc = exported.poc;
    assert.equal(poc.confirmation_rounds.length, 4);
    assert.equal(poc.round_commits.length, 4 + 3);
    assert.equal(poc.round_votes.length, 16 + 9);
    assert.equal(poc.confirmation_results.length, 10);
    assert.equal(poc.params.confirmation.expected_per_epoch, 10_000);
    const copy = await PocChain.fromAppState(JSON.parse(JSON.stringify(exported)));
    try {
      await copy.block();
      assert.deepEqual(copy.app.exportGenesis().poc, exported.poc);
      assert.deepEqual(copy.invariants(), []);
      assert.equal(
        copy.read((ctx) => copy.poc.confirmations.running(ctx)?.round),
        1,
      );
    } finally {
      await copy.close();
    }
    const tampered = (edit: (poc: any) => void) => {
      const g = JSON.parse(JSON.stringify(exported));
      edit(g.poc);
      return g;
    };
    const refused: [(poc: any) => void, RegExp][] = [
      [(poc) => (poc.confirmation_rounds[0].finished = false), /more than one unfinished/],
      [(poc) => (poc.confirmation_rounds[0].params.alpha = '2'), /alpha/],
      [(poc) => (poc.round_commits[0].round = 9), /no round 9/],
      [(poc) => (poc.round_votes[0].round = 0), /at least 1/],
    ];
    for (const [edit, re] of refused) {
      await assert.rejects(async () => {
        const bad = await PocChain.fromAppState(tampered(edit));
        await bad.close();
      }, re);
    }
  });

  it('the invariants see a second running round and a round commit by the ineligible', async () => {
    chain.at(chain.height + 1n, (ctx, ch) => {
      const r = ch.poc.confirmations.getRound(ctx, 1n, 3)!;
      ch.poc.confirmations.setRound(ctx, { ...r, finished: false });
      ch.poc.confirmations.setCommit(ctx, {
        participant: addr[4]!,
        epoch: 1n,
        round: 3,
        classId: 1,
        count: 5n,
        root: new Uint8Array(32),
        height: 60n,
      });
    });
    await chain.block();
    const broken = chain.invariants().join('\n');
    assert.match(broken, /more than one running confirmation round/);
    assert.match(broken, /not eligible/);
    chain.at(chain.height + 1n, (ctx, ch) => {
      const r = ch.poc.confirmations.getRound(ctx, 1n, 3)!;
      ch.poc.confirmations.setRound(ctx, { ...r, finished: true });
    });
    await chain.block();
  });

  it('rounds are pruned with the Sprints (the last three epochs kept)', async () => {
    await run(151); // the Sprint for epoch 4 starts at 151: epochs 1.. below 2 go
    const epochs = chain.read((ctx) =>
      [...chain.poc.confirmations.iterateAllRounds(ctx)].map((r) => r.epoch),
    );
    assert.ok(epochs.length > 0 && epochs.every((e) => e >= 2n), `rounds of epochs ${epochs}`);
    const commits = chain.read((ctx) => [...chain.poc.confirmations.iterateAllCommits(ctx)].length);
    assert.equal(commits, 0);
    assert.deepEqual(chain.invariants(), []);
  });
});

describe('x/poc: the chain triggers where the pure function says', () => {
  it('expected_per_epoch 1: the only round of epoch 1 starts at 62 (golden, from the block hashes)', async () => {
    const chain = await PocChain.create({ weights: [10], epochLength: EPOCH, appState: withRounds(1) });
    try {
      const a = chain.keys[0]!.address;
      await chain.block();
      await ok(chain, [chain.tx(0, [update(a, [1])])]);
      await chain.runTo(31);
      await ok(chain, [chain.tx(0, [commit(a, 1n, 1, 100n)])]);
      await chain.runTo(35);
      await ok(chain, [chain.tx(0, [votes(chain.keys[0]!, sprintOf(chain, 1n)!, [{ participant: a }])])]);
      const r = await chain.runTo(70);
      const announced = [...r].filter(([, b]) =>
        attrs(b, 'poc_confirmation').some((e) => e.stage === 'announced'),
      );
      assert.deepEqual(
        announced.map(([h]) => h),
        [61n],
      );
      const round1 = chain.read((ctx) => chain.poc.confirmations.getRound(ctx, 1n, 1))!;
      assert.deepEqual([round1.start, round1.resultHeight, round1.finished], [62n, 69n, true]);
    } finally {
      await chain.close();
    }
  });
});

const COUNTS = [150n, 90n, 60n, 150n];
/** Gas of the four round commit txs and vote txs (consensus data: recompute deliberately). */
const ROUND_COMMIT_GAS = [38576n, 38536n, 38536n, 38582n];
const ROUND_VOTE_GAS = [73864n, 73894n, 73897n, 73900n];
