// Invariants that can fail (issue 10): x/poc keeps its weight total apart from the participants, so
// a drift in either breaks the invariant; x/bank and x/collateral assert their keeper
// preconditions (no negative amount, no malformed or unknown denom, no negative collateral) with
// an InvariantError before anything reaches the store.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type BlockHeader, Context } from '../../app/runtime/context.js';
import { InvariantError } from '../../app/runtime/invariants.js';
import { u64 } from '../../app/runtime/keys.js';
import type { BankKeeper } from '../../x/bank/keeper.js';
import type { CollateralKeeper } from '../../x/collateral/keeper.js';
import type { PocKeeper } from '../../x/poc/keeper.js';
import { TOTAL_WEIGHT_KEY } from '../../x/poc/keys.js';
import { govAppState } from './gov-helpers.js';
import { DENOM, TestChain, TestKey } from './tx-harness.js';

const SEED = 'invariants';
const participants = [0, 1, 2].map((i) => TestKey.fromSeed(`${SEED}-${i}`));

describe('invariants that can fail, keeper preconditions as assertions', () => {
  let chain: TestChain;
  before(async () => {
    chain = await TestChain.create({
      accounts: 4,
      seed: SEED,
      appState: (s) => govAppState(participants)(s),
    });
  });
  after(() => chain.close());

  const keeper = <K>(name: string) =>
    (chain.app.modules.modules.get(name) as unknown as { keeper: K }).keeper;
  /** A context over a branch of the working state: what a keeper sees inside a block. */
  const blockCtx = () => {
    const header: BlockHeader = {
      chainId: 'gonka-test',
      height: chain.height + 1n,
      time: { seconds: 0n, nanos: 0 },
      hash: new Uint8Array(0),
      proposerAddress: new Uint8Array(0),
    };
    return new Context('finalize', header, chain.store.branch(), chain.app.modules.stores);
  };

  it('x/poc: the stored total follows every weight change, and a drift breaks the invariant', async () => {
    const poc = keeper<PocKeeper>('poc');
    const ctx = blockCtx();
    assert.equal(poc.totalWeight(ctx), 100n, 'genesis total = 50 + 30 + 20');
    const p = poc.getParticipant(ctx, participants[1]!.address)!;
    poc.setParticipant(ctx, { ...p, weight: 70n });
    assert.equal(poc.totalWeight(ctx), 140n);
    assert.equal(poc.sumOfWeights(ctx), 140n);
    assert.deepEqual(chain.app.checkInvariants(), []);

    // Tamper the stored total through the store and commit it: the invariant names the drift.
    chain.store.getStore('poc').set(TOTAL_WEIGHT_KEY, u64(101n));
    await chain.block([]);
    assert.deepEqual(chain.app.checkInvariants(), ['poc: sum of weights 100 != stored total weight 101']);
    chain.store.getStore('poc').set(TOTAL_WEIGHT_KEY, u64(100n));
    await chain.block([]);
    assert.deepEqual(chain.app.checkInvariants(), []);
  });

  it('x/bank: a negative amount never reaches the store', () => {
    const bank = keeper<BankKeeper>('bank');
    const [a, b] = [chain.keys[0]!.address, chain.keys[1]!.address];
    const ctx = blockCtx();
    const before = bank.balance(ctx, a, DENOM);
    // Subtracting a negative amount would raise the sender's balance: asserted away.
    assert.throws(
      () => bank.sendCoins(ctx, a, b, [{ denom: DENOM, amount: -5n }]),
      (e: unknown) => e instanceof InvariantError && /negative amount taken from/.test(e.message),
    );
    assert.throws(() => bank.mintCoins(ctx, 'gov', [{ denom: DENOM, amount: -1n }]));
    assert.equal(bank.balance(ctx, a, DENOM), before);
  });

  it('x/bank: no malformed or unknown denom reaches the store (unknown = no supply entry)', () => {
    const bank = keeper<BankKeeper>('bank');
    const [a, b] = [chain.keys[0]!.address, chain.keys[1]!.address];
    const ctx = blockCtx();
    // Outputs that the caller failed to match with the input: a denom nobody ever minted.
    assert.throws(
      () =>
        bank.inputOutputCoins(ctx, { address: a, coins: [{ denom: DENOM, amount: 10n }] }, [
          { address: b, coins: [{ denom: 'phantomcoin', amount: 10n }] },
        ]),
      (e: unknown) => e instanceof InvariantError && /unknown denom 'phantomcoin'/.test(e.message),
    );
    assert.throws(
      () => bank.genesisCredit(ctx, a, [{ denom: '1bad denom', amount: 1n }]),
      (e: unknown) => e instanceof InvariantError && /malformed denom/.test(e.message),
    );
    // Genesis and mint create supply first, so a new denom is fine there.
    bank.genesisCredit(ctx, a, [{ denom: 'newcoin', amount: 7n }]);
    assert.equal(bank.balance(ctx, a, 'newcoin'), 7n);
  });

  it('x/collateral: no negative collateral or unbonding entry', () => {
    const collateral = keeper<CollateralKeeper>('collateral');
    const ctx = blockCtx();
    assert.throws(
      () => collateral.setCollateralGenesis(ctx, chain.keys[0]!.address, -1n),
      (e: unknown) => e instanceof InvariantError && /negative collateral/.test(e.message),
    );
  });
});
