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
import { moduleAddress } from '../../x/auth/address.js';
import { GOV_DEPOSITS_MODULE } from '../../x/auth/keeper.js';
import {
  advance,
  any,
  deliver,
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
