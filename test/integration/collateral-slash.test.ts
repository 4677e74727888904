// Issue 5 acceptance 2 (in process): deposit and withdraw through signed txs, the unbonding entry
// released at its epoch, slashing during unbonding taken proportionally from active and unbonding
// collateral into the governance account, at most once per reason per epoch — with balances, the
// collateral-held invariant and the supply invariant checked after every block.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TxMsgData } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { parseDec } from '../../app/runtime/decimal.js';
import {
  MsgDepositCollateral,
  MsgWithdrawCollateral,
  MsgWithdrawCollateralResponse,
  QueryCollateralRequest,
  QueryCollateralResponse,
  QueryUnbondingRequest,
  QueryUnbondingResponse,
} from '../../proto/gonka/collateral/v1/codecs.js';
import { GOV_ADDRESS, PocChain } from './poc-chain.js';

const coin = (amount: bigint) => ({ denom: 'ngonka', amount: amount.toString() });
const depositMsg = (participant: string, amount: bigint): Any => ({
  typeUrl: MsgDepositCollateral.typeUrl,
  value: MsgDepositCollateral.encode({ participant, amount: coin(amount) }).finish(),
});
const withdrawMsg = (participant: string, amount: bigint): Any => ({
  typeUrl: MsgWithdrawCollateral.typeUrl,
  value: MsgWithdrawCollateral.encode({ participant, amount: coin(amount) }).finish(),
});

describe('x/collateral deposits, unbonding and slashing', () => {
  let chain: PocChain;
  let supply0: bigint;
  const held = (i: number) =>
    chain.query('/gonka.collateral.v1.Query/Collateral', QueryCollateralRequest, QueryCollateralResponse, {
      participant: chain.keys[i]!.address,
    }).amount!.amount;
  const unbonding = (i: number) =>
    chain
      .query('/gonka.collateral.v1.Query/Unbonding', QueryUnbondingRequest, QueryUnbondingResponse, {
        participant: chain.keys[i]!.address,
      })
      .entries.map((e) => [e.completionEpoch, e.amount]);
  const block = async (txs: Uint8Array[] = []) => {
    const r = await chain.block(txs);
    for (const t of r.txResults) assert.equal(t.code, 0, t.log);
    assert.deepEqual(chain.invariants(), [], `invariants at height ${chain.height}`);
    assert.equal(
      chain.supply(),
      supply0,
      'supply is unchanged (slashed coins move to gov, nothing is minted or burned)',
    );
    return r;
  };

  before(async () => {
    chain = await PocChain.create({ weights: [10, 10], epochLength: 6 });
    await chain.block(); // height 1: genesis committed
    supply0 = chain.supply();
    assert.ok(supply0 > 0n);
  });
  after(() => chain.close());

  it('deposits and withdraws into an unbonding entry that matures after unbonding_period_epochs', async () => {
    const a = chain.keys[0]!.address;
    const before = chain.balance(a);
    await block([chain.tx(0, [depositMsg(a, 1000n)])]);
    assert.equal(held(0), '1000');
    const r = await block([chain.tx(0, [withdrawMsg(a, 400n)])]);
    const res = MsgWithdrawCollateralResponse.decode(
      TxMsgData.decode(r.txResults[0]!.data).msgResponses[0]!.value,
    );
    assert.equal(res.completionEpoch, 1n, 'epoch 0 + unbonding_period_epochs (1)');
    assert.equal(held(0), '600');
    assert.deepEqual(unbonding(0), [[1n, '400']]);
    const fees = before - chain.balance(a) - 1000n;
    assert.ok(fees > 0n, 'fees were paid');
  });

  it('slashes active and unbonding collateral proportionally, once per reason per epoch', async () => {
    const a = chain.keys[0]!.address;
    const gov0 = chain.balance(GOV_ADDRESS);
    const results: unknown[] = [];
    chain.at(chain.height + 1n, (ctx, c) => {
      results.push(c.collateral.slash(ctx, a, c.collateral.slashFraction(ctx, 'invalid'), 'invalid'));
      results.push(c.collateral.slash(ctx, a, parseDec('0.5'), 'invalid')); // same reason, same epoch: nothing
    });
    await block();
    assert.deepEqual(results, [
      { applied: true, fromActive: 120n, fromUnbonding: 80n },
      { applied: false, fromActive: 0n, fromUnbonding: 0n },
    ]);
    assert.equal(held(0), '480');
    assert.deepEqual(unbonding(0), [[1n, '320']]);
    assert.equal(chain.balance(GOV_ADDRESS) - gov0, 200n, 'the slashed coins are in the governance account');

    chain.at(chain.height + 1n, (ctx, c) =>
      results.push(c.collateral.slash(ctx, a, c.collateral.slashFraction(ctx, 'downtime'), 'downtime')),
    );
    await block();
    assert.deepEqual(
      results[2],
      { applied: true, fromActive: 48n, fromUnbonding: 32n },
      'another reason in the same epoch applies',
    );
    assert.equal(held(0), '432');
    assert.deepEqual(unbonding(0), [[1n, '288']]);
  });

  it('releases the (slashed) unbonding entry at its epoch; the next epoch can slash again', async () => {
    const a = chain.keys[0]!.address;
    const bal = chain.balance(a);
    // Epoch 0 = [1, 7): epoch 1 starts at 7 and releases entries completing at 1.
    while (chain.height < 6n) await block();
    assert.deepEqual(unbonding(0), [[1n, '288']], 'still unbonding before the boundary');
    const r = await block();
    assert.equal(chain.height, 7n);
    assert.ok(r.events.some((e) => e.type === 'collateral_released'));
    assert.deepEqual(unbonding(0), []);
    assert.equal(chain.balance(a) - bal, 288n, 'the remaining unbonding amount is paid out');
    const out: unknown[] = [];
    chain.at(8, (ctx, c) =>
      out.push(c.collateral.slash(ctx, a, c.collateral.slashFraction(ctx, 'invalid'), 'invalid')),
    );
    await block();
    assert.deepEqual(
      out,
      [{ applied: true, fromActive: 86n, fromUnbonding: 0n }],
      'a new epoch, a new slash for the same reason',
    );
    assert.equal(held(0), '346');
  });

  it('with unbonding_period_epochs 2 an entry waits two boundaries', async () => {
    const b = chain.keys[1]!.address;
    chain.at(chain.height + 1n, (ctx, c) =>
      c.collateral.setParams(ctx, { ...c.collateral.getParams(ctx), unbondingPeriodEpochs: 2n }),
    );
    await block([chain.tx(1, [depositMsg(b, 500n)])]);
    await block([chain.tx(1, [withdrawMsg(b, 500n)])]);
    assert.deepEqual(unbonding(1), [[3n, '500']]);
    while (chain.height < 13n) await block(); // epoch 2 starts at 13
    assert.deepEqual(unbonding(1), [[3n, '500']]);
    const bal = chain.balance(b);
    while (chain.height < 19n) await block(); // epoch 3 starts at 19
    assert.deepEqual(unbonding(1), []);
    assert.equal(chain.balance(b) - bal, 500n);
  });
});
