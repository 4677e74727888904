// The governance escape (issue 10), in process: proposal A escrows a deposit; proposal B passes
// and sends the whole governance account balance away. Deposits live in their own module account
// (gov_deposits), which no proposal can act as, so B cannot reach A's deposit: A's refund succeeds
// and the chain keeps making blocks. Before the fix B drained A's deposit and A's refund threw
// inside EndBlock: a permanent halt.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { type Proposal, ProposalStatus } from 'cosmjs-types/cosmos/gov/v1/gov';
import { QueryProposalRequest, QueryProposalResponse } from 'cosmjs-types/cosmos/gov/v1/query';
import { RequestFinalizeBlock } from 'cosmjs-types/tendermint/abci/types';
import { pino } from 'pino';
import { moduleAddress } from '../../app/runtime/address.js';
import { BOOKKEEPING_FAILURE } from '../../app/runtime/bookkeeping.js';
import { type BlockHeader, Context } from '../../app/runtime/context.js';
import type { BankKeeper } from '../../x/bank/keeper.js';
import { GOV_DEPOSITS_MODULE } from '../../x/governance/keys.js';
import {
  advance,
  any,
  deliver,
  depositMsg,
  GOV_ADDRESS,
  govAppState,
  MIN_DEPOSIT,
  proposalIdOf,
  submitMsg,
  voteMsg,
  YES,
} from './gov-helpers.js';
import { balanceOf, DENOM, TestChain, TestKey } from './tx-harness.js';

/** What the governance account holds (a community pool: slashed collateral, genesis funds). */
const GOV_FUNDS = 777n;
const DEPOSITS_ADDRESS = moduleAddress(GOV_DEPOSITS_MODULE);
/** gov-helpers' deliver: gas 2,000,000 at the harness's 0.1 ngonka per gas. */
const FEE = 200_000n;
const SEED = 'gov-escape';
const HEADER: BlockHeader = {
  chainId: 'gonka-test',
  height: 0n,
  time: { seconds: 0n, nanos: 0 },
  hash: new Uint8Array(0),
  proposerAddress: new Uint8Array(0),
};
const participants = [0, 1, 2].map((i) => TestKey.fromSeed(`${SEED}-${i}`));

const proposal = (c: TestChain, id: bigint): Proposal | undefined => {
  const r = c.rawQuery(
    '/cosmos.gov.v1.Query/Proposal',
    QueryProposalRequest.encode({ proposalId: id }).finish(),
  );
  return r.code === 0 ? QueryProposalResponse.decode(r.value).proposal : undefined;
};

describe('governance escape: a passed proposal cannot spend other proposals’ deposits', () => {
  let chain: TestChain;
  before(async () => {
    chain = await TestChain.create({
      accounts: 6,
      seed: SEED,
      appState: (s) => {
        govAppState(participants)(s);
        s.bank.balances.push({
          address: GOV_ADDRESS,
          coins: [{ denom: DENOM, amount: GOV_FUNDS.toString() }],
        });
      },
    });
  });
  after(() => chain.close());

  it('A is refunded exactly, B spends only the governance account, blocks keep coming', async () => {
    const [k0, k1, , k3, k4, k5] = chain.keys;
    const depositorA = k3!.address;
    const depositorB = k4!.address;
    const thief = k5!.address;
    const a0 = balanceOf(chain, depositorA);
    const b0 = balanceOf(chain, depositorB);
    const thief0 = balanceOf(chain, thief);

    // A: a regular proposal with the minimum deposit, voted by nobody (ends rejected, refunded).
    const subA = await deliver(chain, 3, [submitMsg(depositorA, [], MIN_DEPOSIT)]);
    assert.equal(subA.code, 0, subA.log);
    const idA = proposalIdOf(subA);

    // B: expedited (5 s) so it ends before A (10 s); it sends everything the gov account holds now.
    const govNow = balanceOf(chain, GOV_ADDRESS);
    const drain = any('/cosmos.bank.v1beta1.MsgSend', MsgSend, {
      fromAddress: GOV_ADDRESS,
      toAddress: thief,
      amount: [{ denom: DENOM, amount: govNow.toString() }],
    });
    const subB = await deliver(chain, 4, [
      submitMsg(depositorB, [drain], 2n * MIN_DEPOSIT, { expedited: true }),
    ]);
    assert.equal(subB.code, 0, subB.log);
    const idB = proposalIdOf(subB);
    assert.equal((await deliver(chain, 0, [voteMsg(idB, k0!.address, YES)])).code, 0);
    assert.equal((await deliver(chain, 1, [voteMsg(idB, k1!.address, YES)])).code, 0);

    // Deposits are escrowed apart from the governance account.
    assert.equal(balanceOf(chain, DEPOSITS_ADDRESS), 3n * MIN_DEPOSIT);
    assert.equal(govNow, GOV_FUNDS);

    await advance(chain, 6);
    assert.equal(proposal(chain, idB)?.status, ProposalStatus.PROPOSAL_STATUS_PASSED);
    assert.equal(balanceOf(chain, thief), thief0 + GOV_FUNDS, 'B executed: it spent the gov funds');
    assert.equal(balanceOf(chain, GOV_ADDRESS), 0n);
    assert.equal(balanceOf(chain, DEPOSITS_ADDRESS), MIN_DEPOSIT, "A's deposit untouched by B");

    // A ends (no votes: quorum missed, refunded); the refund must not halt the chain.
    const { events } = await advance(chain, 6);
    assert.equal(proposal(chain, idA)?.status, ProposalStatus.PROPOSAL_STATUS_REJECTED);
    assert.ok(!events.some((e) => e.type === 'bookkeeping_failure'), 'no bookkeeping failure');
    assert.equal(balanceOf(chain, depositorA), a0 - FEE, 'A refunded in full');
    assert.equal(balanceOf(chain, depositorB), b0 - FEE, 'B refunded in full');
    assert.equal(balanceOf(chain, DEPOSITS_ADDRESS), 0n);
    assert.deepEqual(chain.app.checkInvariants(), []);

    const h = chain.height;
    await advance(chain, 3);
    assert.equal(chain.height, h + 3n, 'the chain keeps making blocks');
  });
});

describe('end-block bookkeeping never halts the chain', () => {
  let chain: TestChain;
  before(async () => {
    chain = await TestChain.create({
      accounts: 4,
      seed: SEED,
      appState: (s) => govAppState(participants)(s),
    });
  });
  after(() => chain.close());

  it('a refund that fails is a bookkeeping_failure event; the other refund and the chain go on', async () => {
    const [, , , k3] = chain.keys;
    const sub = await deliver(chain, 3, [submitMsg(k3!.address, [], MIN_DEPOSIT)]);
    const id = proposalIdOf(sub);
    assert.equal((await deliver(chain, 2, [depositMsg(id, chain.keys[2]!.address, 400n)])).code, 0);
    // Simulate the escrow coming up short (what a bug would do): burn 500 of its 1,400 straight
    // out of gov_deposits between blocks, supply included, so only the escrow is wrong.
    const bank = (chain.app.modules.modules.get('bank') as unknown as { keeper: BankKeeper }).keeper;
    const ctx = new Context(
      'finalize',
      { ...HEADER, height: chain.height },
      chain.store,
      chain.app.modules.stores,
    );
    bank.burnCoins(ctx, GOV_DEPOSITS_MODULE, [{ denom: DENOM, amount: 500n }]);
    const before3 = balanceOf(chain, k3!.address);
    const before2 = balanceOf(chain, chain.keys[2]!.address);

    const { events } = await advance(chain, 11);
    const failures = events.filter((e) => e.type === BOOKKEEPING_FAILURE);
    assert.equal(failures.length, 1, 'exactly one refund failed');
    const attrs = Object.fromEntries(failures[0]!.attributes.map((a) => [a.key, a.value]));
    assert.equal(attrs.module, 'governance');
    assert.equal(attrs.action, 'refund');
    // Deposits refund in depositor-address order; whichever comes first gets its coins (400 or
    // 1,000 both fit in 900), the second finds the escrow short.
    const got3 = balanceOf(chain, k3!.address) - before3;
    const got2 = balanceOf(chain, chain.keys[2]!.address) - before2;
    assert.ok(
      (got3 === MIN_DEPOSIT && got2 === 0n) || (got3 === 0n && got2 === 400n),
      `one refund paid in full, the other not at all (got ${got3}, ${got2})`,
    );
    assert.equal(attrs.id, `${id}/${got3 === 0n ? k3!.address : chain.keys[2]!.address}`);
    assert.match(attrs.error!, /insufficient funds/);
    assert.equal(balanceOf(chain, DEPOSITS_ADDRESS), 900n - got3 - got2, 'the failed refund left its coins');
    assert.equal(proposal(chain, id)?.status, ProposalStatus.PROPOSAL_STATUS_REJECTED);
    assert.deepEqual(chain.app.checkInvariants(), []);
    const h = chain.height;
    await advance(chain, 2);
    assert.equal(chain.height, h + 2n);
  });
});

describe('a block hook that throws is an invariant breach, reported loudly', () => {
  it('logs INVARIANT BREACH with the module and phase, and FinalizeBlock fails', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (s: string) => lines.push(s) });
    const chain = await TestChain.create({
      accounts: 1,
      logger,
      ext: {
        modules: [
          () => ({
            name: 'boom',
            endBlock: (ctx) => {
              if (ctx.header.height === 3n) throw new Error('ledger out of balance');
            },
          }),
        ],
      },
    });
    try {
      await chain.block([]);
      assert.throws(() =>
        chain.app.finalizeBlock(
          RequestFinalizeBlock.fromPartial({ height: 3n, time: { seconds: 1_700_000_003n, nanos: 0 } }),
        ),
      );
      const fatal = lines.map((l) => JSON.parse(l)).find((l) => /INVARIANT BREACH/.test(l.msg));
      assert.ok(fatal, 'an INVARIANT BREACH line was logged');
      assert.equal(fatal.module, 'boom');
      assert.equal(fatal.phase, 'end_block');
      assert.equal(fatal.level, 60, 'logged at fatal level');
      assert.match(fatal.msg, /INVARIANT BREACH in end_block of module boom: ledger out of balance/);
    } finally {
      await chain.close();
    }
  });
});
