// x/collateral's unbonding release is end-block bookkeeping (DESIGN.md §3.8): when the module
// account cannot pay a matured entry (simulated here by moving its coins out between blocks), the
// release becomes a `bookkeeping_failure` event, its entry stays queued, the chain keeps going, and
// the next epoch retries it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { BOOKKEEPING_FAILURE } from '../../app/runtime/bookkeeping.js';
import { QueryUnbondingRequest, QueryUnbondingResponse } from '../../proto/gen/gonka/collateral/v1/query.js';
import { MsgDepositCollateral, MsgWithdrawCollateral } from '../../proto/gen/gonka/collateral/v1/tx.js';
import { typeUrl } from '../../proto/gonka/registry.js';
import { COLLATERAL_MODULE } from '../../x/collateral/keeper.js';
import { PocChain } from './poc-chain.js';

const coin = (amount: bigint) => ({ denom: 'ngonka', amount: amount.toString() });
const msg = (typeUrl: string, value: Uint8Array): Any => ({ typeUrl, value });

describe('x/collateral: a failed unbonding release never halts the chain', () => {
  let chain: PocChain;
  before(async () => {
    chain = await PocChain.create({ weights: [10, 10], extraAccounts: 1, epochLength: 6 });
    await chain.block();
  });
  after(() => chain.close());

  it('records the failure, keeps the entry queued, and releases it at the next epoch', async () => {
    const a = chain.keys[0]!.address;
    const holder = chain.keys[2]!.address;
    const unbonding = () =>
      chain
        .query('/gonka.collateral.v1.Query/Unbonding', QueryUnbondingRequest, QueryUnbondingResponse, {
          participant: a,
        })
        .entries.map((e) => [e.completionEpoch, e.amount]);
    const deposit = msg(
      typeUrl(MsgDepositCollateral),
      MsgDepositCollateral.encode({ participant: a, amount: coin(1000n) }).finish(),
    );
    const withdraw = msg(
      typeUrl(MsgWithdrawCollateral),
      MsgWithdrawCollateral.encode({ participant: a, amount: coin(400n) }).finish(),
    );
    for (const r of [
      await chain.block([chain.tx(0, [deposit])]),
      await chain.block([chain.tx(0, [withdraw])]),
    ])
      assert.equal(r.txResults[0]!.code, 0, r.txResults[0]!.log);
    assert.deepEqual(unbonding(), [[1n, '400']]);

    // Before epoch 1 starts (height 7), the module account loses 700 of its 1,000.
    chain.at(6, (ctx, c) =>
      c.bank.sendCoinsFromModule(ctx, COLLATERAL_MODULE, holder, [coin(700n)].map(big)),
    );
    const before = chain.balance(a);
    const blocks = await chain.runTo(8);
    const failures = [...blocks.values()].flatMap((r) =>
      r.events.filter((e) => e.type === BOOKKEEPING_FAILURE),
    );
    assert.equal(failures.length, 1);
    const attrs = Object.fromEntries(failures[0]!.attributes.map((x) => [x.key, x.value]));
    assert.deepEqual(
      { module: attrs.module, action: attrs.action, id: attrs.id },
      { module: 'collateral', action: 'release', id: a },
    );
    assert.match(attrs.error!, /insufficient funds/);
    assert.deepEqual(unbonding(), [[1n, '400']], 'the entry stays queued');
    assert.equal(chain.balance(a), before, 'nothing was paid');
    assert.equal(chain.height, 8n, 'the chain went on');

    // The coins come back; epoch 2 (height 13) retries the release and pays it.
    chain.at(10, (ctx, c) => c.bank.sendCoinsToModule(ctx, holder, COLLATERAL_MODULE, [coin(700n)].map(big)));
    const later = await chain.runTo(13);
    assert.ok(![...later.values()].some((r) => r.events.some((e) => e.type === BOOKKEEPING_FAILURE)));
    assert.deepEqual(unbonding(), []);
    assert.equal(chain.balance(a), before + 400n);
    assert.deepEqual(chain.invariants(), []);
  });
});

function big(c: { denom: string; amount: string }) {
  return { denom: c.denom, amount: BigInt(c.amount) };
}
