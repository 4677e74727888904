// x/poc's validator set: InitChain returns the genesis weights; a weight change scheduled during
// an epoch leaves FinalizeBlock(next_start − 2) as validator_updates (CometBFT applies them at
// next_start), the boundary block starts the next epoch with those weights; jailed participants
// drop to 0 in the block that jails them and come back in the block that unjails them; a set with no power is never sent;
// an epoch_length change applies from the next epoch.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ResponseFinalizeBlock } from 'cosmjs-types/tendermint/abci/types';
import {
  QueryEpochRequest,
  QueryEpochResponse,
  QueryParticipantsRequest,
  QueryParticipantsResponse,
} from '../../proto/gen/gonka/poc/v1/query.js';
import { MsgUpdateParams } from '../../proto/gen/gonka/poc/v1/tx.js';
import { typeUrl } from '../../proto/gonka/registry.js';
import { defaultPocParams } from '../../x/poc/params.js';
import { consensusKey, GOV_ADDRESS, PocChain, runAsAuthority } from './poc-chain.js';

const updatesOf = (r: ResponseFinalizeBlock | undefined) =>
  (r?.validatorUpdates ?? []).map((u) => ({
    key: Buffer.from(u.pubKey!.ed25519!).toString('hex'),
    power: u.power,
  }));
const key = (i: number) => consensusKey(i).toString('hex');
const byKey = (xs: { key: string; power: bigint }[]) => [...xs].sort((a, b) => (a.key < b.key ? -1 : 1));

describe('x/poc validator updates', () => {
  let chain: PocChain;
  before(async () => {
    chain = await PocChain.create({ weights: [50, 30, 20], epochLength: 8 });
  });
  after(() => chain.close());

  it('InitChain returns every genesis participant with power = weight', () => {
    const got = chain.initChain.validators.map((v) => ({
      key: Buffer.from(v.pubKey!.ed25519!).toString('hex'),
      power: v.power,
    }));
    assert.deepEqual(
      byKey(got),
      byKey([
        { key: key(0), power: 50n },
        { key: key(1), power: 30n },
        { key: key(2), power: 20n },
      ]),
    );
  });

  it('sends a scheduled change at next_start − 2 and applies the weights at next_start', async () => {
    // Epoch 0 = [1, 9): the set for epoch 1 leaves FinalizeBlock(7), CometBFT uses it from 9.
    chain.at(3, (ctx, c) => {
      c.poc.setNextWeight(ctx, c.keys[0]!.address, 70n);
      c.poc.setNextWeight(ctx, c.keys[2]!.address, 0n);
    });
    const blocks = await chain.runTo(9);
    for (const [h, r] of blocks) {
      if (h === 7n)
        assert.deepEqual(
          byKey(updatesOf(r)),
          byKey([
            { key: key(0), power: 70n },
            { key: key(2), power: 0n },
          ]),
        );
      else assert.deepEqual(updatesOf(r), [], `no validator updates at height ${h}`);
    }
    // Weights change only at the boundary: block 8 still had epoch 0's weights.
    const newEpoch = blocks.get(9n)!.events.find((e) => e.type === 'new_epoch');
    assert.ok(newEpoch, 'the boundary block emits new_epoch');
    assert.deepEqual(
      newEpoch.attributes.map((a) => [a.key, a.value]),
      [
        ['epoch', '1'],
        ['start_height', '9'],
        ['next_start_height', '17'],
      ],
    );
    const e = chain.query('/gonka.poc.v1.Query/Epoch', QueryEpochRequest, QueryEpochResponse, {});
    assert.deepEqual(e, { epoch: 1n, startHeight: 9n, nextStartHeight: 17n, epochLength: 8n });
    const p = chain.query(
      '/gonka.poc.v1.Query/Participants',
      QueryParticipantsRequest,
      QueryParticipantsResponse,
      {},
    );
    assert.equal(p.totalWeight, 100n);
    assert.equal(
      chain.read((ctx) => chain.poc.weightOf(ctx, chain.keys[0]!.address)),
      70n,
    );
    assert.equal(
      chain.read((ctx) => chain.poc.weightOf(ctx, chain.keys[2]!.address)),
      0n,
    );
    assert.equal(
      chain.read((ctx) => chain.poc.weightOf(ctx, chain.keys[3]?.address ?? GOV_ADDRESS)),
      0n,
      'non-participants weigh 0',
    );
    assert.equal(
      chain.read((ctx) => chain.poc.totalWeight(ctx)),
      100n,
    );
    assert.deepEqual(chain.invariants(), []);
  });

  it('a jailed participant gets power 0 in the block that jails it, and its weight back in the block that unjails it', async () => {
    // Epoch 1 = [9, 17): jailed at 10, power 0 sent at 10 (effective 12), not again at 15.
    chain.at(10, (ctx, c) => c.collateral.jail(ctx, c.keys[1]!.address));
    let blocks = await chain.runTo(17);
    assert.deepEqual(updatesOf(blocks.get(10n)), [{ key: key(1), power: 0n }]);
    for (const [h, r] of blocks) if (h !== 10n) assert.deepEqual(updatesOf(r), [], `height ${h}`);
    // Epoch 2 = [17, 25): unjailed at 18, the weight is sent at 18.
    chain.at(18, (ctx, c) => c.collateral.unjail(ctx, c.keys[1]!.address));
    blocks = await chain.runTo(25);
    assert.deepEqual(updatesOf(blocks.get(18n)), [{ key: key(1), power: 30n }]);
    for (const [h, r] of blocks) if (h !== 18n) assert.deepEqual(updatesOf(r), [], `height ${h}`);
  });

  it('never sends a set with no power left', async () => {
    // Epoch 3 = [25, 33): jail everyone with power; the old set must stay.
    chain.at(26, (ctx, c) => {
      c.collateral.jail(ctx, c.keys[0]!.address);
      c.collateral.jail(ctx, c.keys[1]!.address);
    });
    const blocks = await chain.runTo(33);
    for (const [h, r] of blocks) assert.deepEqual(updatesOf(r), [], `height ${h}`);
    chain.at(34, (ctx, c) => {
      c.collateral.unjail(ctx, c.keys[0]!.address);
      c.collateral.unjail(ctx, c.keys[1]!.address);
    });
  });

  it('an epoch_length change by the governance authority applies from the next epoch', async () => {
    // Epoch 4 = [33, 41); the change at 35 keeps 41 as its end, epoch 5 is then 5 blocks long.
    chain.at(35, (ctx, c) =>
      runAsAuthority(
        c,
        ctx,
        typeUrl(MsgUpdateParams),
        MsgUpdateParams.encode({
          authority: GOV_ADDRESS,
          params: { ...defaultPocParams(), epochLength: 5n },
        }).finish(),
      ),
    );
    await chain.runTo(41);
    const e = chain.query('/gonka.poc.v1.Query/Epoch', QueryEpochRequest, QueryEpochResponse, {});
    assert.deepEqual(e, { epoch: 5n, startHeight: 41n, nextStartHeight: 46n, epochLength: 5n });
    await chain.runTo(46);
    assert.equal(
      chain.query('/gonka.poc.v1.Query/Epoch', QueryEpochRequest, QueryEpochResponse, {}).epoch,
      6n,
    );
    assert.deepEqual(chain.invariants(), []);
  });
});
