// Issue 13 fraud proofs in process, signed txs through FinalizeBlock. Four participants commit real
// tiny trees (reference kernel, the Sprint's seed, their own keys): p0 and p3 honest, p1 with one
// forged output, p2 with a leaf carrying nonce ≠ index; p3 also commits `large`, which two of four
// validators vote INVALID. p1 is proven before weights_final (weight 0, slash, prover reward), p2
// after it (jailed, next weight 0, slash), p3 gets 0 from the large rule without a slash; an honest
// leaf fails with poc 25 and keeps its gas; every other refusal (19–24, 13) comes before any
// recomputation — the process-wide recompute counter does not move and the tx uses far less gas
// than fraud_proof_gas.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { CheckTxType, type ResponseFinalizeBlock } from 'cosmjs-types/tendermint/abci/types';
import { MsgDepositCollateral, MsgUnjail } from '../../proto/gen/gonka/collateral/v1/tx.js';
import { type Params, Verdict } from '../../proto/gen/gonka/poc/v1/poc.js';
import {
  QueryFraudRecordsRequest,
  QueryFraudRecordsResponse,
  QueryWeightsRequest,
  QueryWeightsResponse,
} from '../../proto/gen/gonka/poc/v1/query.js';
import { typeUrl } from '../../proto/gonka/registry.js';
import { fraudRecomputations } from '../../x/poc/fraud.js';
import { FRAUD_PROOF_GAS_DEVNET, FRAUD_PROOF_GAS_TINY } from '../../x/poc/params.js';
import { GOV_ADDRESS, PocChain } from './poc-chain.js';
import { buildTree, commitTree, flipped, fraudProof, type Tree } from './poc-fraud-helpers.js';
import { commit, ok, sprintOf, sprintParams, update, votes, withSprint } from './poc-sprint-helpers.js';

const Q = (m: string) => `/gonka.poc.v1.Query/${m}`;
const TINY = 1;
const DEVNET = 2;
const LARGE = 3;
const PROVER = 4;
const DEPOSIT = 1000n;
const GAS = 300_000n;
/** 1000 × slash_fraction_invalid 0.2, and half of it to the prover (fraud_reward_fraction 0.5). */
const CUT = 200n;
const REWARD = 100n;

/** Fast Sprint (epoch 24: P 15, commits 16..18, votes 19..20, weights_final 21, B 25), k = 2. */
function fraudParams(): Params {
  const p = sprintParams(24);
  return {
    ...p,
    fraudProofsPerBlock: 2,
    fraudRewardFraction: '0.5',
    classes: p.classes.map((c) =>
      c.classId === TINY
        ? { ...c, fraudProvable: true, fraudProofGas: FRAUD_PROOF_GAS_TINY }
        : c.classId === DEVNET
          ? { ...c, fraudProvable: true, fraudProofGas: FRAUD_PROOF_GAS_DEVNET }
          : c,
    ),
  };
}

const deposit = (participant: string, amount: bigint): Any => ({
  typeUrl: typeUrl(MsgDepositCollateral),
  value: MsgDepositCollateral.encode({
    participant,
    amount: { denom: 'ngonka', amount: amount.toString() },
  }).finish(),
});

describe('x/poc fraud proofs (in process)', () => {
  let chain: PocChain;
  let a: string[];
  const trees: Tree[] = [];
  const held = (i: number) => chain.read((ctx) => chain.collateral.collateralOf(ctx, a[i]!));
  const only = (r: ResponseFinalizeBlock) => r.txResults[0]!;
  /** One proof in its own block from the prover; its result, with the recompute count it caused. */
  const prove = async (proof: Any, gas = GAS) => {
    const before = fraudRecomputations.count;
    const r = only(await chain.block([chain.tx(PROVER, [proof], gas)]));
    return { r, recomputed: fraudRecomputations.count - before };
  };
  const proofOf = (p: number, index: number, edit?: Parameters<typeof fraudProof>[2]) =>
    fraudProof(trees[p]!, { prover: a[PROVER]!, participant: a[p]!, epoch: 1n, classId: TINY, index }, edit);
  /** A refusal: its code, before any recomputation and far below the recompute gas. */
  const refused = async (proof: Any, code: number, maxGas = FRAUD_PROOF_GAS_TINY / 2n) => {
    const { r, recomputed } = await prove(proof);
    assert.deepEqual([r.codespace, r.code], ['poc', code], r.log);
    // Stateless refusals (19) stop before the ante handler: the sequence was not used.
    if (code === 19) chain.sequences.set(a[PROVER]!, chain.sequences.get(a[PROVER]!)! - 1n);
    assert.equal(recomputed, 0, `poc ${code} recomputed nothing`);
    assert.ok(r.gasUsed < maxGas, `poc ${code} used ${r.gasUsed} gas`);
  };

  before(async () => {
    chain = await PocChain.create({
      weights: [10, 10, 10, 10],
      extraAccounts: 1,
      epochLength: 24,
      appState: withSprint(fraudParams()),
    });
    a = chain.keys.map((k) => k.address);
    await chain.block();
    await ok(
      chain,
      [0, 1, 2, 3].map((i) => chain.tx(i, [update(a[i]!, [TINY, DEVNET, LARGE]), deposit(a[i]!, DEPOSIT)])),
    );
    await chain.runTo(15);
    const seed = sprintOf(chain, 1n)!.seed;
    const pk = (i: number) => chain.keys[i]!.pubKey;
    trees.push(buildTree(TINY, seed, pk(0), 4));
    trees.push(buildTree(TINY, seed, pk(1), 4, (l, i) => (i === 2 ? flipped(l) : l)));
    trees.push(buildTree(TINY, seed, pk(2), 4, (l, i) => (i === 1 ? { ...l, nonce: 7n } : l)));
    trees.push(buildTree(TINY, seed, pk(3), 4));
    await ok(chain, [
      ...[0, 1, 2, 3].map((i) => chain.tx(i, [commitTree(a[i]!, 1n, TINY, trees[i]!)])),
      chain.tx(3, [commit(a[3]!, 1n, LARGE, 10n)]),
    ]);
  });
  after(() => chain.close());

  it('before validation_start a proof is outside its window (poc 21)', async () => {
    assert.equal(chain.height, 16n);
    await refused(proofOf(1, 2), 21); // lands at 17 < validation_start 19
  });

  it('malformed proofs are refused in CheckTx with poc 19', () => {
    const cases: Parameters<typeof fraudProof>[2][] = [
      (m) => ({ ...m, output: m.output.subarray(1) }),
      (m) => ({ ...m, path: [...m.path, new Uint8Array(31)] }),
      (m) => ({ ...m, path: Array.from({ length: 65 }, () => new Uint8Array(32)) }),
      (m) => ({ ...m, index: 1n << 48n }),
      (m) => ({ ...m, classId: 9, output: new Uint8Array(9000) }),
    ];
    for (const edit of cases) {
      const r = chain.app.checkTx({ tx: chain.tx(PROVER, [proofOf(1, 2, edit)]), type: CheckTxType.NEW });
      chain.sequences.set(a[PROVER]!, chain.sequences.get(a[PROVER]!)! - 1n);
      assert.deepEqual([r.codespace, r.code], ['poc', 19], r.log);
    }
  });

  it('a forged output proven before weights_final: weight 0, the slash, the prover reward', async () => {
    await chain.runTo(19); // validation_start: its hash is the sample signatures' doc
    const sprint = sprintOf(chain, 1n)!;
    // Every validator votes VALID on every tiny commit (a fraud proof overrides them); v0 and v1
    // (20 of 40 > 1/3) vote INVALID on p3's large commit. The proof lands in the same block 20.
    const voteTxs = [0, 1, 2, 3].map((v) =>
      chain.tx(v, [
        votes(chain.keys[v]!, sprint, [
          ...[0, 1, 2, 3].map((p) => ({ participant: a[p]!, classId: TINY })),
          {
            participant: a[3]!,
            classId: LARGE,
            verdict: v < 2 ? Verdict.VERDICT_INVALID : Verdict.VERDICT_VALID,
          },
        ]),
      ]),
    );
    const prover0 = chain.balance(a[PROVER]!);
    const gov0 = chain.balance(GOV_ADDRESS);
    const before = fraudRecomputations.count;
    const block = await chain.block([...voteTxs, chain.tx(PROVER, [proofOf(1, 2)])]);
    for (const t of block.txResults.slice(0, 4)) assert.equal(t.code, 0, t.log);
    const r = block.txResults[4]!;
    const recomputed = fraudRecomputations.count - before;
    assert.equal(r.code, 0, r.log);
    assert.equal(recomputed, 1);
    // Gas is consensus data: pinned like a golden vector (recompute deliberately when it changes).
    assert.equal(r.gasUsed, FORGERY_GAS);
    const fee = (GAS + 9n) / 10n;
    assert.equal(held(1), DEPOSIT - CUT);
    assert.equal(chain.balance(a[PROVER]!), prover0 - fee + REWARD);
    assert.equal(chain.balance(GOV_ADDRESS), gov0 + CUT - REWARD);
    const ev = r.events.find((e) => e.type === 'poc_fraud')!;
    assert.deepEqual(Object.fromEntries(ev.attributes.map((x) => [x.key, x.value])), {
      epoch: '1',
      round: '0',
      participant: a[1],
      class_id: '1',
      index: '2',
      prover: a[PROVER],
      slashed: String(CUT),
      reward: String(REWARD),
      msg_index: '0',
    });
    assert.equal(
      chain.read((ctx) => chain.collateral.isJailed(ctx, a[1]!)),
      false,
    );
  });

  it('weights_final gives the proven forger and the large-INVALID participant 0 (no slash for large)', async () => {
    await chain.runTo(21);
    const w = new Map(
      chain
        .query(Q('Weights'), QueryWeightsRequest, QueryWeightsResponse, { epoch: 1n })
        .weights.map((x) => [x.participant, x]),
    );
    assert.equal(w.get(a[0]!)!.weight, 4n);
    assert.equal(w.get(a[1]!)!.accepted, false);
    assert.equal(w.get(a[1]!)!.weight, 0n);
    assert.equal(w.get(a[2]!)!.weight, 4n); // not proven yet
    assert.equal(w.get(a[3]!)!.accepted, false);
    assert.equal(w.get(a[3]!)!.weight, 0n);
    assert.equal(held(3), DEPOSIT, 'INVALID votes are no proof: no slash');
    assert.deepEqual(chain.invariants(), []);
  });

  it('a nonce ≠ index proven after weights_final: jailed, next weight 0, slashed', async () => {
    const { r } = await prove(proofOf(2, 1));
    assert.equal(r.code, 0, r.log);
    assert.equal(held(2), DEPOSIT - CUT);
    assert.equal(
      chain.read((ctx) => chain.collateral.isJailed(ctx, a[2]!)),
      true,
    );
    assert.equal(
      chain.read((ctx) => chain.poc.nextWeights(ctx).find((n) => n.address === a[2])?.weight),
      0n,
    );
    // The forger sits out the epoch it cheated for: MsgUnjail is refused (collateral 9).
    const u = await chain.block([
      chain.tx(2, [
        { typeUrl: typeUrl(MsgUnjail), value: MsgUnjail.encode({ participant: a[2]! }).finish() },
      ]),
    ]);
    assert.deepEqual(
      [u.txResults[0]!.codespace, u.txResults[0]!.code],
      ['collateral', 9],
      u.txResults[0]!.log,
    );
  });

  it('an honest leaf fails with poc 25 and pays its gas', async () => {
    const before = chain.balance(a[PROVER]!);
    const { r, recomputed } = await prove(proofOf(0, 0));
    assert.deepEqual([r.codespace, r.code], ['poc', 25], r.log);
    assert.equal(recomputed, 1);
    assert.ok(r.gasUsed >= FRAUD_PROOF_GAS_TINY, `gas used ${r.gasUsed}`);
    assert.equal(chain.balance(a[PROVER]!), before - (GAS + 9n) / 10n, 'the fee is paid');
  });

  it('the (k+1)-th proof of one block is refused with poc 23, even after failed ones', async () => {
    const before = fraudRecomputations.count;
    const r = await chain.block([1, 2, 3].map((i) => chain.tx(PROVER, [proofOf(0, i)])));
    assert.deepEqual(
      r.txResults.map((t) => [t.codespace, t.code]),
      [
        ['poc', 25],
        ['poc', 25],
        ['poc', 23],
      ],
    );
    assert.equal(fraudRecomputations.count - before, 2);
  });

  it('refusals 22, 13, 24, 20 and 19 come before any recomputation', async () => {
    await refused(proofOf(1, 2), 22); // already proven
    await refused(
      fraudProof(
        trees[0]!,
        { prover: a[PROVER]!, participant: a[0]!, epoch: 1n, classId: DEVNET, index: 0 },
        (m) => ({
          ...m,
          output: new Uint8Array(512),
        }),
      ),
      13,
    ); // no devnet commit
    await refused(
      proofOf(0, 1, (m) => ({ ...m, path: [Uint8Array.from(m.path[0]!).fill(7), ...m.path.slice(1)] })),
      24,
    );
    await refused(
      proofOf(0, 1, (m) => ({ ...m, index: 9n, nonce: 9n })),
      24,
    ); // index ≥ count
    await refused(
      fraudProof(
        trees[3]!,
        { prover: a[PROVER]!, participant: a[3]!, epoch: 1n, classId: LARGE, index: 0 },
        (m) => ({
          ...m,
          output: new Uint8Array(8192),
        }),
      ),
      20,
      FRAUD_PROOF_GAS_DEVNET / 4n, // the 8 KiB output's tx-size gas; still no recomputation
    );
    await refused(
      proofOf(0, 1, (m) => ({ ...m, classId: 9, output: new Uint8Array(0) })),
      20,
    ); // a class the params do not have
    await refused(
      proofOf(0, 1, (m) => ({ ...m, index: 1n << 48n })),
      19,
    );
  });

  it('the epoch starts with the forgers at 0 and the jailed one without power', async () => {
    await chain.runTo(25);
    const weights = new Map(
      chain.read((ctx) => chain.poc.participants(ctx).map((p) => [p.address, p.weight])),
    );
    assert.deepEqual(
      a.slice(0, 4).map((x) => weights.get(x)),
      [4n, 0n, 0n, 0n],
    );
    const powers = new Map(chain.read((ctx) => chain.poc.powers(ctx).map((p) => [p.address, p.power])));
    assert.equal(powers.get(a[2]!) ?? 0n, 0n);
    assert.equal(powers.get(a[0]!), 4n);
    assert.deepEqual(chain.invariants(), []);
  });

  it('FraudRecords lists both records; genesis export/import round-trips them', async () => {
    const recs = chain.query(Q('FraudRecords'), QueryFraudRecordsRequest, QueryFraudRecordsResponse, {
      epoch: 1n,
    }).records;
    assert.deepEqual(
      recs.map((x) => [x.participant, x.index, x.slashed, x.reward]).sort(),
      [
        [a[1], 2n, String(CUT), String(REWARD)],
        [a[2], 1n, String(CUT), String(REWARD)],
      ].sort(),
    );
    const exported = chain.app.exportGenesis() as unknown as Record<string, any>;
    const state = exported.app_state ?? exported;
    assert.equal(state.poc.fraud_records.length, 2);
    const copy = await PocChain.fromAppState(JSON.parse(JSON.stringify(state)));
    try {
      await copy.block();
      assert.deepEqual(copy.app.exportGenesis().poc, state.poc);
      assert.deepEqual(copy.invariants(), []);
    } finally {
      await copy.close();
    }
  });

  it('the invariant sees a record whose Sprint result kept a weight', async () => {
    chain.at(chain.height + 1n, (ctx, ch) => {
      const [r] = [...ch.poc.sprints.weightResultEntries(ctx, 1n)].filter(([, w]) => w.participant === a[1]);
      ch.poc.sprints.setWeightResult(ctx, { ...r![1], weight: 3n });
    });
    await chain.block();
    assert.match(chain.invariants().join('\n'), /proven before weights_final but the Sprint gave weight 3/);
    chain.at(chain.height + 1n, (ctx, ch) => {
      const [r] = [...ch.poc.sprints.weightResultEntries(ctx, 1n)].filter(([, w]) => w.participant === a[1]);
      ch.poc.sprints.setWeightResult(ctx, { ...r![1], weight: 0n });
    });
    await chain.block();
    assert.deepEqual(chain.invariants(), []);
  });

  it('after the decided epoch ends a proof is outside its window (poc 21)', async () => {
    await chain.runTo(48); // window [19, 25 + 24)
    await refused(proofOf(0, 3), 21);
  });

  it('a forgery in a confirmation round (round ≥ 1) is proven against the round commit: jail and slash', async () => {
    // Round 1 of epoch 1 as the confirmation rounds store it (finished; window [43, 45 + 24)), with
    // p0's round commit: a tiny tree under the round's seed, leaf 3 forged.
    const seed = new Uint8Array(32).fill(0x42);
    const tree = buildTree(TINY, seed, chain.keys[0]!.pubKey, 4, (l, i) => (i === 3 ? flipped(l) : l));
    chain.at(chain.height + 1n, (ctx, ch) => {
      ch.poc.confirmations.setRound(ctx, {
        epoch: 1n,
        round: 1,
        start: 40n,
        commitStart: 41n,
        validationStart: 43n,
        resultHeight: 45n,
        seed,
        validationHash: new Uint8Array(32).fill(0x43),
        params: undefined,
        finished: true,
      });
      ch.poc.confirmations.setCommit(ctx, {
        participant: a[0]!,
        epoch: 1n,
        classId: TINY,
        count: 4n,
        root: tree.root,
        height: 42n,
        round: 1,
      });
    });
    await chain.block();
    const roundProof = (round: number) =>
      fraudProof(tree, { prover: a[PROVER]!, participant: a[0]!, epoch: 1n, classId: TINY, index: 3, round });
    await refused(roundProof(2), 21); // no round 2
    const { r, recomputed } = await prove(roundProof(1));
    assert.equal(r.code, 0, r.log);
    assert.equal(recomputed, 1);
    assert.equal(held(0), DEPOSIT - CUT);
    assert.equal(
      chain.read((ctx) => chain.collateral.isJailed(ctx, a[0]!)),
      true,
    );
    const recs = chain.query(Q('FraudRecords'), QueryFraudRecordsRequest, QueryFraudRecordsResponse, {
      epoch: 1n,
    }).records;
    assert.deepEqual(
      recs.filter((x) => x.round === 1).map((x) => [x.participant, x.index]),
      [[a[0], 3n]],
    );
    await refused(roundProof(1), 22);
    assert.deepEqual(chain.invariants(), []);
  });
});

/** Gas of the tiny forgery proof tx (recompute deliberately when gas changes). */
const FORGERY_GAS = 179571n;
