// The Sprint's stages in process: for the epoch starting at B, P = B − (gen + commit + validation
// + dkg + 2), with poc_stage events at P, commit_start, validation_start and weights_final for
// several stage lengths; seed = hash of block P, validation_hash = hash of block validation_start;
// a params change during a Sprint applies from the next Sprint (snapshot); generation 0 disables it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MsgUpdateParams } from '../../proto/gen/gonka/poc/v1/tx.js';
import { typeUrl } from '../../proto/gonka/registry.js';
import { blockHash, GOV_ADDRESS, PocChain, runAsAuthority } from './poc-chain.js';
import { sprintOf, sprintParams, stageEvents, withSprint } from './poc-sprint-helpers.js';

type Stages = [number, number, number, number];

/** Expected stage starts of the Sprint for the epoch starting at B. */
function expected(B: number, [g, c, v, d]: Stages): [string, number][] {
  const P = B - (g + c + v + d + 2);
  return [
    ['generation', P],
    ['commit', P + g],
    ['validation', P + g + c],
    ['weights_final', P + g + c + v],
  ];
}

async function collectStages(chain: PocChain, to: number): Promise<[string, number, string][]> {
  const out: [string, number, string][] = [];
  for (const [h, r] of await chain.runTo(to))
    for (const e of stageEvents(r)) {
      assert.equal(BigInt(e.height!), h);
      out.push([e.stage!, Number(h), e.epoch!]);
    }
  return out;
}

describe('x/poc Sprint stages', () => {
  for (const [L, stages] of [
    [24, [2, 2, 2, 2]],
    [30, [3, 1, 2, 0]],
    [40, [5, 4, 3, 6]],
  ] as [number, Stages][]) {
    it(`epoch ${L}, stages ${stages.join('/')}: stage events, seed and validation hash`, async () => {
      const chain = await PocChain.create({
        weights: [10],
        epochLength: L,
        appState: withSprint(sprintParams(L, stages)),
      });
      try {
        const got = await collectStages(chain, 2 * L + 1);
        const want = [
          ...expected(1 + L, stages).map(([s, h]) => [s, h, '1']),
          ...expected(1 + 2 * L, stages).map(([s, h]) => [s, h, '2']),
        ];
        assert.deepEqual(got, want);
        for (const epoch of [1n, 2n]) {
          const sp = sprintOf(chain, epoch)!;
          const B = 1n + epoch * BigInt(L);
          assert.equal(sp.nextStart, B);
          assert.equal(sp.setHeight, B - 2n);
          assert.deepEqual(Buffer.from(sp.seed), blockHash(sp.pocStart));
          assert.deepEqual(Buffer.from(sp.validationHash), blockHash(sp.validationStart));
        }
        assert.deepEqual(chain.invariants(), []);
      } finally {
        await chain.close();
      }
    });
  }

  it('a params change during a Sprint applies from the next Sprint (snapshot)', async () => {
    const L = 30;
    const chain = await PocChain.create({
      weights: [10],
      epochLength: L,
      appState: withSprint(sprintParams(L, [2, 2, 2, 2])),
    });
    try {
      // Sprint 1 runs 21..31 (P = 21); change the stages in its generation stage.
      chain.at(22, (ctx) =>
        runAsAuthority(
          chain,
          ctx,
          typeUrl(MsgUpdateParams),
          MsgUpdateParams.encode({ authority: GOV_ADDRESS, params: sprintParams(L, [4, 3, 3, 1]) }).finish(),
        ),
      );
      const got = await collectStages(chain, 2 * L + 1);
      assert.deepEqual(got, [
        ...expected(31, [2, 2, 2, 2]).map(([s, h]) => [s, h, '1']),
        ...expected(61, [4, 3, 3, 1]).map(([s, h]) => [s, h, '2']),
      ]);
      assert.equal(sprintOf(chain, 1n)!.params!.generationBlocks, 2n);
      assert.equal(sprintOf(chain, 2n)!.params!.generationBlocks, 4n);
    } finally {
      await chain.close();
    }
  });

  it('generation_blocks = 0 disables the Sprint: no stages, no Sprint, weights stay', async () => {
    const chain = await PocChain.create({
      weights: [10, 20],
      epochLength: 24,
      appState: withSprint(sprintParams(24, [0, 2, 2, 2])),
    });
    try {
      assert.deepEqual(await collectStages(chain, 50), []);
      assert.equal(sprintOf(chain, 1n), undefined);
      const weights = chain.read((ctx) => chain.poc.participants(ctx).map((p) => p.weight));
      assert.deepEqual(
        weights.sort((x, y) => Number(x - y)),
        [10n, 20n],
      );
      assert.equal(
        chain.read((ctx) => chain.poc.totalWeight(ctx)),
        30n,
      );
    } finally {
      await chain.close();
    }
  });
});
