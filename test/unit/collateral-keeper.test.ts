// x/collateral's keeper alone, behind fakes of the x/bank, x/auth and x/poc (epoch clock) keepers it declares in
// expectedKeepers.ts, on an in-memory store: escrow goes through the bank interface (never the
// store of another module), slashes go to the gov module address auth names, and the
// held = module-balance invariant is checked against what the fake bank holds.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressString, moduleAddress } from '../../app/runtime/address.js';
import { AppError } from '../../app/runtime/errors.js';
import type {
  Coin,
  CollateralAccountKeeper,
  CollateralBankKeeper,
  EpochClock,
} from '../../x/collateral/expectedKeepers.js';
import {
  defaultCollateralGenesis,
  exportCollateralGenesis,
  initCollateralGenesis,
} from '../../x/collateral/genesis.js';
import { COLLATERAL_DENOM, COLLATERAL_MODULE, CollateralKeeper } from '../../x/collateral/keeper.js';
import { STORE } from '../../x/collateral/keys.js';
import { memoryContext } from './helpers/memoryContext.js';

const P = addressString(new Uint8Array(20).fill(7));
const ONE = 10n ** 18n;

/** A fake x/bank: balances in a map keyed `address/denom`, every call logged. */
class FakeBank implements CollateralBankKeeper {
  readonly balances = new Map<string, bigint>();
  readonly log: string[] = [];
  private move(from: string, to: string, coins: readonly Coin[]) {
    for (const c of coins) {
      const have = this.balance(undefined, from, c.denom);
      if (have < c.amount) throw new Error(`fake bank: ${from} has ${have}`);
      this.balances.set(`${from}/${c.denom}`, have - c.amount);
      this.balances.set(`${to}/${c.denom}`, this.balance(undefined, to, c.denom) + c.amount);
    }
  }
  sendCoinsToModule(_c: unknown, from: string, module: string, coins: readonly Coin[]) {
    this.log.push(`to ${module} ${coins[0]?.amount}`);
    this.move(from, moduleAddress(module), coins);
  }
  sendCoinsFromModule(_c: unknown, module: string, to: string, coins: readonly Coin[]) {
    this.log.push(`from ${module} ${coins[0]?.amount} to ${to}`);
    this.move(moduleAddress(module), to, coins);
  }
  balance(_c: unknown, address: string, denom: string) {
    return this.balances.get(`${address}/${denom}`) ?? 0n;
  }
}

/** x/poc's epoch clock: the test moves it, as x/poc's BeginBlock would before the epoch hook. */
class FakeClock implements EpochClock {
  epoch = 0n;
  currentEpoch = () => this.epoch;
}

class FakeAuth implements CollateralAccountKeeper {
  readonly ensured: string[] = [];
  moduleAddress = (name: string) => moduleAddress(name);
  ensureModuleAccount = (_c: unknown, name: string) => this.ensured.push(name);
}

const setup = () => {
  const bank = new FakeBank();
  const auth = new FakeAuth();
  bank.balances.set(`${P}/${COLLATERAL_DENOM}`, 1_000n);
  const { ctx, keys } = memoryContext([STORE]);
  const keeper = new CollateralKeeper(keys[STORE]!, bank, auth, moduleAddress('gov'));
  const clock = new FakeClock();
  keeper.setEpochClock(clock);
  return { bank, auth, keeper, ctx, clock, store: keys[STORE]! };
};

describe('x/collateral keeper behind its expected bank and auth keepers', () => {
  it('deposit escrows through bank into the collateral module account; the invariant holds', () => {
    const { bank, keeper, ctx } = setup();
    keeper.deposit(ctx, P, 400n);
    assert.equal(keeper.collateralOf(ctx, P), 400n);
    assert.deepEqual(bank.log, ['to collateral 400']);
    assert.equal(bank.balance(ctx, moduleAddress(COLLATERAL_MODULE), COLLATERAL_DENOM), 400n);
    assert.equal(keeper.moduleAccountBalance(ctx), 400n);
    assert.deepEqual(keeper.invariants(ctx), []);
  });

  it('a non-positive deposit is refused before bank is asked (collateral code 3)', () => {
    const { bank, keeper, ctx } = setup();
    assert.throws(
      () => keeper.deposit(ctx, P, 0n),
      (e: unknown) => e instanceof AppError && e.codespace === 'collateral' && e.code === 3,
    );
    assert.deepEqual(bank.log, []);
  });

  it('withdrawn collateral waits one unbonding period on the x/poc clock and is released by the epoch hook', () => {
    const { bank, keeper, ctx, clock } = setup();
    clock.epoch = 5n;
    keeper.deposit(ctx, P, 400n);
    const completion = keeper.withdraw(ctx, P, 150n);
    assert.equal(completion, 6n);
    assert.equal(keeper.unbondingOf(ctx, P).length, 1);
    clock.epoch = 6n;
    keeper.onEpochAdvance(ctx, 6n);
    assert.equal(keeper.unbondingOf(ctx, P).length, 0);
    assert.equal(bank.balance(ctx, P, COLLATERAL_DENOM), 750n);
    assert.deepEqual(keeper.invariants(ctx), []);
  });

  it('a slash sends the cut to the authority address given at wiring, once per reason and epoch', () => {
    const { bank, keeper, ctx } = setup();
    keeper.deposit(ctx, P, 400n);
    const r = keeper.slash(ctx, P, ONE / 10n, 'downtime');
    assert.deepEqual(r, { applied: true, fromActive: 40n, fromUnbonding: 0n });
    assert.equal(bank.balance(ctx, moduleAddress('gov'), COLLATERAL_DENOM), 40n);
    assert.equal(keeper.slash(ctx, P, ONE / 10n, 'downtime').applied, false);
    assert.deepEqual(keeper.invariants(ctx), []);
  });

  it('keeps no epoch of its own: it follows the clock, and genesis refuses the old current_epoch', () => {
    const { keeper, ctx, clock, store } = setup();
    clock.epoch = 3n;
    assert.equal(keeper.currentEpoch(ctx), 3n);
    keeper.deposit(ctx, P, 100n);
    keeper.slash(ctx, P, ONE / 10n, 'invalid');
    assert.deepEqual(
      [...keeper.iterateSlashRecords(ctx)].map((r) => r.epoch),
      [3n],
    );
    keeper.onEpochAdvance(ctx, 4n);
    assert.equal(
      ctx.kvUnmetered(store).get(Uint8Array.of(0x01)),
      undefined,
      'the retired epoch key stays empty',
    );
    const exported = exportCollateralGenesis(ctx, keeper, store);
    assert.equal('current_epoch' in exported, false);
    const fresh = setup();
    assert.throws(
      () =>
        initCollateralGenesis(fresh.ctx, fresh.keeper, fresh.store, {
          ...defaultCollateralGenesis(),
          current_epoch: '7',
        }),
      (e: unknown) => e instanceof AppError && e.code === 7 && /x\/poc owns the epoch clock/.test(e.message),
    );
  });

  it('the invariant reports a module balance that differs from the collateral held', () => {
    const { bank, keeper, ctx } = setup();
    keeper.deposit(ctx, P, 400n);
    bank.balances.set(`${moduleAddress(COLLATERAL_MODULE)}/${COLLATERAL_DENOM}`, 399n);
    assert.match(keeper.invariants(ctx).join(), /collateral held 400 != module account balance 399/);
  });
});
