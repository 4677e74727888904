// Each way a Sprint message is refused, with its own (codespace, code), delivered as signed txs
// through FinalizeBlock: wrong stage, wrong epoch, unknown class, count over the bound, duplicate
// vote (across and within a message), voter without power, bad sample_sig, no commit, bad pop,
// duplicate consensus key, double registration; and the stateless bounds in CheckTx (sdk 18).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { CheckTxType } from 'cosmjs-types/tendermint/abci/types';
import { signPop } from '../../x/poc/registration.js';
import { PocChain } from './poc-chain.js';
import {
  commit,
  edKey,
  ok,
  register,
  sampleSig,
  sprintOf,
  sprintParams,
  update,
  votes,
  withSprint,
} from './poc-sprint-helpers.js';
import { CHAIN_ID } from './tx-harness.js';

describe('x/poc Sprint errors', () => {
  let chain: PocChain;
  let a: string[];
  const k3 = edKey('registrant-3');
  const k4 = edKey('registrant-4');

  /** Delivers one tx in its own block; returns [codespace, code]. */
  const deliver = async (from: number, msg: Any) => {
    const r = (await chain.block([chain.tx(from, [msg])])).txResults[0]!;
    return [r.codespace, r.code] as const;
  };
  const check = (from: number, msg: Any) => {
    const who = chain.keys[from]!.address;
    const r = chain.app.checkTx({ tx: chain.tx(from, [msg]), type: CheckTxType.NEW });
    if (r.code !== 0) chain.sequences.set(who, chain.sequences.get(who)! - 1n);
    return [r.codespace, r.code] as const;
  };

  before(async () => {
    // epoch 30, stages 2/8/3/2: Sprint 1 at P = 14, commits 15..23, votes 24..26, weights 27
    chain = await PocChain.create({
      weights: [10, 10, 10],
      extraAccounts: 2,
      epochLength: 30,
      appState: withSprint(sprintParams(30, [2, 8, 3, 2], 4)), // 3 genesis participants + 1
    });
    a = chain.keys.map((k) => k.address);
    await chain.block();
    await ok(
      chain,
      [0, 1, 2].map((i) => chain.tx(i, [update(a[i]!, [1])])),
    );
  });
  after(() => chain.close());

  it('registration: ok, then bad pop, duplicate consensus key, unknown class, twice, over max_participants', async () => {
    const registered = await ok(chain, [chain.tx(3, [register(a[3]!, k3)])]);
    // Gas is consensus data: a change in the PoP charge, the store layout or the msg encoding shows.
    assert.equal(registered.txResults[0]!.gasUsed, GAS.register);
    const p = chain.read((ctx) => chain.poc.getParticipant(ctx, a[3]!))!;
    assert.equal(p.weight, 0n);
    assert.deepEqual(p.classes, [1]);
    assert.deepEqual(await deliver(4, register(a[4]!, k4, [1], signPop(CHAIN_ID, a[3]!, k4.seed))), [
      'poc',
      14,
    ]);
    assert.deepEqual(await deliver(4, register(a[4]!, k4, [1], signPop('other-chain', a[4]!, k4.seed))), [
      'poc',
      14,
    ]);
    assert.deepEqual(await deliver(4, register(a[4]!, k3, [1], signPop(CHAIN_ID, a[4]!, k3.seed))), [
      'poc',
      15,
    ]);
    assert.deepEqual(await deliver(4, register(a[4]!, k4, [1, 9])), ['poc', 8]);
    assert.deepEqual(await deliver(3, register(a[3]!, k4)), ['poc', 16]);
    // max_participants = 4: a fifth, otherwise valid registration is refused
    assert.deepEqual(await deliver(4, register(a[4]!, k4)), ['poc', 18]);
    assert.deepEqual(await deliver(4, update(a[4]!, [1])), ['poc', 3]);
    assert.deepEqual(chain.invariants(), []);
  });

  it('stateless bounds are refused in CheckTx (sdk 18)', () => {
    assert.deepEqual(check(0, update(a[0]!, [1], 'ftp://x')), ['sdk', 18]);
    assert.deepEqual(check(0, update(a[0]!, [1], `http://h/${'x'.repeat(300)}`)), ['sdk', 18]);
    assert.deepEqual(check(0, update(a[0]!, [1, 1])), ['sdk', 18]);
    assert.deepEqual(check(0, update(a[0]!, [1, 2, 3, 4, 5, 6, 7, 8, 9])), ['sdk', 18]);
  });

  it('commits: wrong epoch before the Sprint, wrong stage at P, bounds and classes in the window', async () => {
    assert.deepEqual(await deliver(0, commit(a[0]!, 1n, 1, 10n)), ['poc', 7]); // no Sprint yet
    await chain.runTo(13);
    assert.deepEqual(await deliver(0, commit(a[0]!, 1n, 1, 10n)), ['poc', 6]); // height 14 = P
    assert.equal(chain.height, 14n);
    // CheckTx judges at the next height (where the tx can land): a commit after block P passes it
    const at15 = chain.app.checkTx({ tx: chain.tx(0, [commit(a[0]!, 1n, 1, 10n)]), type: CheckTxType.NEW });
    assert.equal(at15.code, 0, at15.log);
    chain.sequences.set(a[0]!, chain.sequences.get(a[0]!)! - 1n); // not delivered
    assert.deepEqual(await deliver(0, commit(a[0]!, 1n, 1, 1001n)), ['poc', 9]);
    assert.deepEqual(await deliver(0, commit(a[0]!, 1n, 1, 0n)), ['poc', 9]);
    assert.deepEqual(await deliver(0, commit(a[0]!, 1n, 2, 10n)), ['poc', 8]); // not one of its classes
    assert.deepEqual(await deliver(0, commit(a[0]!, 1n, 7, 10n)), ['poc', 8]); // not in params
    assert.deepEqual(await deliver(0, commit(a[0]!, 2n, 1, 10n)), ['poc', 7]);
    assert.deepEqual(await deliver(4, commit(a[4]!, 1n, 1, 10n)), ['poc', 3]); // not a participant
    assert.equal(chain.height, 20n);
    const committed = await ok(
      chain,
      [0, 1, 2, 3].map((i) => chain.tx(i, [commit(a[i]!, 1n, 1, 100n)])),
    );
    assert.deepEqual(
      committed.txResults.map((t) => t.gasUsed),
      GAS.commits,
    );
    await chain.runTo(23); // height 24: the validation stage, commits are over
    assert.deepEqual(await deliver(0, commit(a[0]!, 1n, 1, 10n)), ['poc', 6]);
  });

  it('votes: no power, bad sample_sig, duplicates, no commit, wrong stage', async () => {
    const sprint = sprintOf(chain, 1n)!;
    assert.equal(chain.height, 24n); // votes 24..26
    const k = chain.keys;
    // the registrant has weight 0 this epoch
    assert.deepEqual(await deliver(3, votes(k[3]!, sprint, [{ participant: a[0]! }])), ['poc', 11]);
    await chain.runTo(26);
    // weights_final: the validation stage is over
    assert.deepEqual(await deliver(0, votes(k[0]!, sprint, [{ participant: a[1]! }])), ['poc', 6]);
  });
});

describe('x/poc Sprint vote errors inside the validation stage', () => {
  let chain: PocChain;
  let a: string[];
  const deliver = async (from: number, msg: Any) => {
    const r = (await chain.block([chain.tx(from, [msg])])).txResults[0]!;
    return [r.codespace, r.code] as const;
  };
  before(async () => {
    // epoch 40, stages 2/2/12/2: Sprint 1 at P = 21, commits 22..24, votes 25..36
    chain = await PocChain.create({
      weights: [10, 10, 10],
      epochLength: 40,
      appState: withSprint(sprintParams(40, [2, 2, 12, 2])),
    });
    a = chain.keys.map((k) => k.address);
    await chain.block();
    await ok(
      chain,
      [0, 1, 2].map((i) => chain.tx(i, [update(a[i]!, [1, 2])])),
    );
    await chain.runTo(21);
    await ok(
      chain,
      [0, 1].map((i) => chain.tx(i, [commit(a[i]!, 1n, 1, 100n)])),
    );
    await chain.runTo(23);
    assert.deepEqual(
      await deliver(0, votes(chain.keys[0]!, sprintOf(chain, 1n)!, [{ participant: a[1]! }])),
      ['poc', 6],
    ); // height 24: still the commit stage
  });
  after(() => chain.close());

  it('each refusal has its own code', async () => {
    await chain.block(); // 25: validation_start, its hash is what sample signatures sign
    const sprint = sprintOf(chain, 1n)!;
    assert.equal(sprint.validationHash.length, 32);
    const k = chain.keys;
    assert.deepEqual(
      await deliver(
        0,
        votes(k[0]!, sprint, [{ participant: a[1]!, sig: sampleSig(k[1]!, sprint, a[1]!, 1) }]),
      ),
      ['poc', 12],
    );
    assert.deepEqual(
      await deliver(
        0,
        votes(k[0]!, sprint, [{ participant: a[1]!, sig: sampleSig(k[0]!, sprint, a[1]!, 2) }]),
      ),
      ['poc', 12],
    ); // signed over another class
    assert.deepEqual(
      await deliver(0, votes(k[0]!, sprint, [{ participant: a[1]! }, { participant: a[1]! }])),
      ['poc', 10],
    );
    assert.deepEqual(await deliver(0, votes(k[0]!, sprint, [{ participant: a[2]! }])), ['poc', 13]);
    assert.deepEqual(await deliver(0, votes(k[0]!, sprint, [{ participant: a[1]!, classId: 2 }])), [
      'poc',
      13,
    ]);
    assert.deepEqual(await deliver(0, votes(k[0]!, sprint, [{ participant: a[1]! }])), ['', 0]);
    assert.deepEqual(await deliver(0, votes(k[0]!, sprint, [{ participant: a[1]! }])), ['poc', 10]);
    const atomic = await deliver(1, votes(k[1]!, sprint, [{ participant: a[0]! }, { participant: a[2]! }]));
    assert.deepEqual(atomic, ['poc', 13]);
    assert.equal(
      chain.read((ctx) => chain.poc.sprints.hasVote(ctx, 1n, a[0]!, 1, a[1]!)),
      false,
      'a refused msg writes nothing',
    );
    assert.ok(chain.height < sprint.weightsFinal);
    assert.deepEqual(chain.invariants(), []);
  });
});

/** Gas of the Sprint's txs, pinned (a golden vector: recompute deliberately when gas changes). */
const GAS = { register: 43742n, commits: [32902n, 32902n, 32902n, 32914n] };
