// x/bank's keeper alone, behind its expected x/auth keeper (a fake recording what bank asked of
// it) on an in-memory store: no app, no chain. As the SDK's keeper suites do with mocks of
// expected keepers, these pin the contract between bank and auth.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressString, moduleAddress } from '../../app/runtime/address.js';
import { AppError } from '../../app/runtime/errors.js';
import type { BankAccountKeeper } from '../../x/bank/expectedKeepers.js';
import { BankKeeper } from '../../x/bank/keeper.js';
import { STORE } from '../../x/bank/keys.js';
import { memoryContext } from './helpers/memoryContext.js';

const ALICE = addressString(new Uint8Array(20).fill(1));
const BOB = addressString(new Uint8Array(20).fill(2));

/** A fake x/auth: accounts in a sorted list, two module accounts with fixed permissions. */
class FakeAccounts implements BankAccountKeeper {
  readonly accounts = new Set<string>();
  readonly calls: string[] = [];
  readonly perms: Record<string, string[]> = { minter_mod: ['minter'], burner_mod: ['burner'], plain: [] };
  hasAccount = (_c: unknown, a: string) => this.accounts.has(a);
  newAccount = (_c: unknown, a: string) => {
    this.calls.push(`new ${a}`);
    this.accounts.add(a);
  };
  ensureAccount = (_c: unknown, a: string) => this.accounts.add(a);
  moduleAddress = (name: string) => moduleAddress(name);
  isModuleAddress = (a: string) => Object.keys(this.perms).some((n) => moduleAddress(n) === a);
  ensureModuleAccount = (_c: unknown, name: string) => {
    this.calls.push(`module ${name}`);
    this.accounts.add(moduleAddress(name));
  };
  hasPermission = (name: string, p: string) => (this.perms[name] ?? []).includes(p);
}

const setup = () => {
  const auth = new FakeAccounts();
  const { ctx, keys } = memoryContext([STORE]);
  const bank = new BankKeeper(keys[STORE]!, auth);
  bank.genesisCredit(ctx, ALICE, [{ denom: 'ngonka', amount: 100n }]);
  auth.accounts.add(ALICE);
  return { auth, bank, ctx };
};

const code = (sdkCode: number) => (e: unknown) => e instanceof AppError && e.code === sdkCode;

describe('x/bank keeper behind its expected auth keeper', () => {
  it('sendCoins moves coins, keeps supply and asks auth to create the new recipient once', () => {
    const { auth, bank, ctx } = setup();
    bank.sendCoins(ctx, ALICE, BOB, [{ denom: 'ngonka', amount: 30n }]);
    bank.sendCoins(ctx, ALICE, BOB, [{ denom: 'ngonka', amount: 5n }]);
    assert.equal(bank.balance(ctx, ALICE, 'ngonka'), 65n);
    assert.equal(bank.balance(ctx, BOB, 'ngonka'), 35n);
    assert.equal(bank.supplyOf(ctx, 'ngonka'), 100n);
    assert.deepEqual(auth.calls, [`new ${BOB}`]);
    assert.deepEqual(bank.supplyInvariant(ctx), []);
  });

  it('a send beyond the balance fails with sdk 5 (insufficient funds)', () => {
    const { bank, ctx } = setup();
    assert.throws(() => bank.sendCoins(ctx, ALICE, BOB, [{ denom: 'ngonka', amount: 101n }]), code(5));
  });

  it('sendCoinsToModule credits the address auth names for the module and ensures its account', () => {
    const { auth, bank, ctx } = setup();
    bank.sendCoinsToModule(ctx, ALICE, 'plain', [{ denom: 'ngonka', amount: 10n }]);
    assert.equal(bank.balance(ctx, moduleAddress('plain'), 'ngonka'), 10n);
    assert.ok(auth.calls.includes('module plain'));
    bank.sendCoinsFromModule(ctx, 'plain', ALICE, [{ denom: 'ngonka', amount: 4n }]);
    assert.equal(bank.balance(ctx, ALICE, 'ngonka'), 94n);
  });

  it('mint and burn follow the permissions auth reports (sdk 4 without them) and move supply', () => {
    const { bank, ctx } = setup();
    assert.throws(() => bank.mintCoins(ctx, 'plain', [{ denom: 'ngonka', amount: 1n }]), code(4));
    bank.mintCoins(ctx, 'minter_mod', [{ denom: 'ngonka', amount: 50n }]);
    assert.equal(bank.supplyOf(ctx, 'ngonka'), 150n);
    assert.equal(bank.balance(ctx, moduleAddress('minter_mod'), 'ngonka'), 50n);
    assert.throws(() => bank.burnCoins(ctx, 'minter_mod', [{ denom: 'ngonka', amount: 1n }]), code(4));
    bank.sendCoinsToModule(ctx, ALICE, 'burner_mod', [{ denom: 'ngonka', amount: 20n }]);
    bank.burnCoins(ctx, 'burner_mod', [{ denom: 'ngonka', amount: 20n }]);
    assert.equal(bank.supplyOf(ctx, 'ngonka'), 130n);
    assert.deepEqual(bank.supplyInvariant(ctx), []);
  });
});
