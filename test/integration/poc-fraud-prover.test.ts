// Issue 13: the API node's validator proves forged leaves on chain. A sampled leaf of a
// fraud-provable class whose inclusion proof reaches the committed root but whose output does not
// recompute (or whose nonce ≠ index) gives a MsgPocFraudProof the chain can check, besides the
// INVALID vote; a leaf only altered in transit, a class that is not fraud-provable and the
// validator's own commit give none. The FraudProver sends at most k per block, each alone, treats
// poc 22 as success, retries poc 23 in a later block, resends (bounded) when no FraudRecord shows
// up, and drops other refusals.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Secp256k1, sha256 } from '@cosmjs/crypto';
import { pino } from 'pino';
import { ChainError } from '../../app/api/chain.js';
import {
  FraudProver,
  fraudProofMsg,
  POC_ALREADY_PROVEN,
  POC_FRAUD_LIMIT,
  type PocValidatorDeps,
  Recomputer,
  validateSprint,
} from '../../app/api/validator/index.js';
import { checkArtifactProof, nodeHash } from '../../kernels/poc/artifacts/merkle.js';
import { ArtifactStore } from '../../kernels/poc/artifacts/store.js';
import { toHex } from '../../kernels/poc/bytes.js';
import { outputBytes, POC_CLASSES } from '../../kernels/poc/classes.js';
import { createEpoch } from '../../kernels/poc/epoch.js';
import { leafHash } from '../../kernels/poc/leaf.js';
import { computeOutput } from '../../kernels/poc/reference.js';
import {
  type FraudRecord,
  Params,
  type PocCommit,
  SprintState,
  Verdict,
} from '../../proto/gen/gonka/poc/v1/poc.js';
import { MsgPocFraudProof } from '../../proto/gen/gonka/poc/v1/tx.js';

const TINY = POC_CLASSES.tiny;
const COUNT = 64;
const EPOCH = 4n;
const BLOCK_HASH = new Uint8Array(32).fill(3);
const K = 3;
const log = pino({ level: 'silent' });
const priv = new Uint8Array(32).fill(0x11);
const VALIDATOR = 'gonka1validator';
const signer = {
  address: VALIDATOR,
  signSample: async (b: Uint8Array) =>
    Secp256k1.createSignature(sha256(b), priv).toFixedLength().slice(0, 64),
};
const minerPub = Secp256k1.compressPubkey(Secp256k1.makeKeypair(new Uint8Array(32).fill(0x22)).pubkey);

const sprintWith = (fraudProvable: boolean) =>
  SprintState.fromPartial({
    epoch: EPOCH,
    seed: BLOCK_HASH,
    validationHash: new Uint8Array(32).fill(5),
    params: Params.fromPartial({
      sampleSize: COUNT, // every leaf sampled: the forged one surely is
      fraudProofsPerBlock: K,
      classes: [
        { classId: TINY.id, coefficient: '1', maxCount: 1_000_000n, fraudProvable, fraudProofGas: 1n },
      ],
    }),
  });

const scratch = mkdtempSync(join(tmpdir(), 'gonka-fraud-prover-'));
const stores: ArtifactStore[] = [];
after(() => {
  for (const s of stores) s.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** How a fake participant answers: from a store (optionally altering a leaf in transit) or by hand. */
type Answerer = (indices: number[], count: number) => { root: Uint8Array; proofs: unknown[] };

const fromStore =
  (store: ArtifactStore, transitFlip?: number): Answerer =>
  (indices, count) => ({
    root: store.rootAt(count),
    proofs: indices.map((i) => {
      const p = store.proof(i, count);
      const output = p.output.slice();
      if (i === transitFlip) output[3] = (output[3] as number) ^ 1;
      return {
        index: p.index,
        nonce: p.nonce.toString(),
        output: Buffer.from(output).toString('base64'),
        path: p.path.map(toHex),
      };
    }),
  });

describe('PoC validator: fraud proofs', () => {
  const FORGED_AT = 17;
  let honest: Uint8Array[];
  const commits: PocCommit[] = [];
  const answerers = new Map<string, Answerer>();
  /** Leaf 1 of a two-leaf tree commits nonce 5: a forgery by its nonce alone. */
  let nonceTree: { root: Uint8Array; leaves: [bigint, Uint8Array][] };

  before(() => {
    const epoch = createEpoch(TINY, BLOCK_HASH);
    honest = Array.from({ length: COUNT }, (_, i) => computeOutput(epoch, minerPub, BigInt(i)));
    const mk = (name: string, outputs: Uint8Array[]) => {
      const s = ArtifactStore.create(join(scratch, name), {
        class: TINY.name,
        blockHash: toHex(BLOCK_HASH),
        pubkey: toHex(minerPub),
        outputBytes: outputBytes(TINY),
      });
      for (const o of outputs) s.append(o);
      s.flush();
      stores.push(s);
      return s;
    };
    const good = mk('honest', honest);
    const forged = mk(
      'forged',
      honest.map((o, i) => (i === FORGED_AT ? o.map((b) => b ^ 0x5a) : o)),
    );
    const add = (participant: string, root: Uint8Array, count: number, answer: Answerer) => {
      commits.push({
        participant,
        epoch: EPOCH,
        classId: TINY.id,
        count: BigInt(count),
        root,
        height: 9n,
        round: 0,
      });
      answerers.set(participant, answer);
    };
    add('p-honest', good.rootAt(COUNT), COUNT, fromStore(good));
    add('p-forged', forged.rootAt(COUNT), COUNT, fromStore(forged));
    add(VALIDATOR, forged.rootAt(COUNT), COUNT, fromStore(forged)); // its own ML node lied
    add('p-transit', good.rootAt(COUNT), COUNT, fromStore(good, FORGED_AT));
    const leaves: [bigint, Uint8Array][] = [
      [0n, honest[0]!],
      [5n, honest[1]!],
    ];
    const root = nodeHash(leafHash(...leaves[0]!), leafHash(...leaves[1]!));
    nonceTree = { root, leaves };
    add('p-nonce', root, 2, (indices) => ({
      root,
      proofs: indices.map((i) => ({
        index: i,
        nonce: leaves[i]![0].toString(),
        output: Buffer.from(leaves[i]![1]).toString('base64'),
        path: [toHex(leafHash(...leaves[1 - i]!))],
      })),
    }));
  });

  /** validateSprint with each participant answered by its own answerer (keyed by api_url). */
  async function run(fraudProvable: boolean) {
    const proofs: { msg: MsgPocFraudProof; k: number }[] = [];
    const recomputer = new Recomputer({ log });
    try {
      const deps: PocValidatorDeps = {
        chainId: 'gonka-fraud-test',
        sprintCommits: async () => commits,
        signer,
        broadcast: async () => {},
        log,
        retries: 0,
        onFraudProof: (msg, k) => proofs.push({ msg, k }),
        participant: async (address) => ({ apiUrl: `http://127.0.0.1:9/${address}`, kernelPubkey: minerPub }),
        fetchProofs: async (url, body) => {
          const who = url.slice(url.lastIndexOf('/') + 1);
          const { root, proofs: p } = answerers.get(who)!(body.indices, Number(body.count));
          return { epoch: body.epoch, class: body.class, count: body.count, root: toHex(root), proofs: p };
        },
        recomputer,
      };
      const result = await validateSprint(deps, sprintWith(fraudProvable));
      return { result, proofs };
    } finally {
      await recomputer.release();
    }
  }

  it('a committed wrong output or nonce gives a fraud proof the chain can check; transit damage and self do not', async () => {
    const { result, proofs } = await run(true);
    const verdict = (p: string) => result.outcomes.find((o) => o.participant === p);
    assert.equal(verdict('p-honest')?.verdict, Verdict.VERDICT_VALID);
    for (const p of ['p-forged', VALIDATOR, 'p-transit', 'p-nonce'])
      assert.equal(verdict(p)?.verdict, Verdict.VERDICT_INVALID, p);
    assert.deepEqual(
      proofs.map((p) => p.msg.participant).sort(),
      ['p-forged', 'p-nonce'],
      'only the provable forgeries of others',
    );
    for (const { msg, k } of proofs) {
      assert.equal(k, K);
      assert.equal(msg.prover, VALIDATOR);
      assert.equal(msg.epoch, EPOCH);
      assert.equal(msg.classId, TINY.id);
      assert.equal(msg.round, 0);
      // What the chain will check (poc-attack-contract.md order): a leaf of the commit.
      const commit = commits.find((c) => c.participant === msg.participant)!;
      const asProof = { index: Number(msg.index), nonce: msg.nonce, output: msg.output, path: msg.path };
      const check = checkArtifactProof(commit.root, Number(commit.count), asProof, outputBytes(TINY));
      if (msg.participant === 'p-forged') {
        assert.ok(check.ok, 'the inclusion proof reaches the committed root');
        assert.equal(msg.index, BigInt(FORGED_AT));
        assert.notDeepEqual(msg.output, honest[FORGED_AT], 'and the output is not what recomputes');
      } else {
        assert.deepEqual(check, { ok: false, reason: 'nonce-mismatch' });
        assert.equal(msg.index, 1n);
        assert.equal(msg.nonce, nonceTree.leaves[1]![0]);
        assert.deepEqual(commit.root, nonceTree.root);
      }
      // It survives the wire.
      assert.deepEqual(MsgPocFraudProof.decode(MsgPocFraudProof.encode(msg).finish()), msg);
    }
  });

  it('a class that is not fraud-provable: INVALID votes, no fraud proof', async () => {
    const { result, proofs } = await run(false);
    assert.equal(result.outcomes.find((o) => o.participant === 'p-forged')?.verdict, Verdict.VERDICT_INVALID);
    assert.equal(proofs.length, 0);
  });
});

describe('fraudProofMsg', () => {
  const forged = { index: 7, nonce: 7n, output: new Uint8Array(4).fill(1), path: [new Uint8Array(32)] };
  const outcome = {
    participant: 'p',
    classId: 1,
    count: 10n,
    verdict: Verdict.VERDICT_INVALID,
    reason: 'output-mismatch' as const,
    indices: [7n],
    sampleSig: new Uint8Array(64),
    attempts: 1,
    forged,
  };
  const target = { epoch: 5n, round: 2, fraud: { provable: [1], perBlock: 4 } };

  it("carries a confirmation round's number; needs a provable class, a forged leaf, INVALID, another's commit", () => {
    const m = fraudProofMsg('v', target, outcome)!;
    assert.equal(m.round, 2);
    assert.equal(m.epoch, 5n);
    assert.equal(m.index, 7n);
    assert.equal(
      fraudProofMsg('v', { ...target, fraud: { provable: [2], perBlock: 4 } }, outcome),
      undefined,
    );
    assert.equal(fraudProofMsg('v', { epoch: 5n, round: 2 }, outcome), undefined);
    assert.equal(fraudProofMsg('v', target, { ...outcome, forged: undefined }), undefined);
    assert.equal(fraudProofMsg('v', target, { ...outcome, verdict: Verdict.VERDICT_VALID }), undefined);
    assert.equal(fraudProofMsg('p', target, outcome), undefined, 'never against itself');
  });
});

describe('FraudProver', () => {
  const msg = (participant: string, epoch = 2n) =>
    MsgPocFraudProof.fromPartial({ prover: VALIDATOR, epoch, participant, classId: 1, index: 3n, nonce: 3n });

  /** A scripted chain: the test moves the height; submit() answers by a rule per participant. */
  function harness(rule: (m: MsgPocFraudProof, h: bigint) => 'ok' | 'record' | number | 'down') {
    const chain = { height: 10n, records: [] as FraudRecord[], sends: [] as { p: string; h: bigint }[] };
    const prover = new FraudProver({
      submit: async (m) => {
        chain.sends.push({ p: m.participant, h: chain.height });
        const r = rule(m, chain.height);
        if (r === 'down') throw new Error('ECONNREFUSED');
        if (typeof r === 'number') throw new ChainError('poc', r, `code ${r}`);
        if (r === 'record')
          chain.records.push({
            epoch: m.epoch,
            participant: m.participant,
            classId: m.classId,
            round: m.round,
            index: m.index,
            prover: m.prover,
            height: chain.height,
            slashed: '1',
            reward: '0',
          });
      },
      height: async () => chain.height,
      proven: async (e) => chain.records.filter((r) => r.epoch === e),
      log,
      pollMs: 2,
      maxSends: 3,
      settleBlocks: 2n,
    });
    /** Steps the chain one block at a time until the prover is idle (bounded). */
    const drive = async () => {
      const done = prover.idle();
      let finished = false;
      void done.then(() => {
        finished = true;
      });
      for (let i = 0; i < 200 && !finished; i++) {
        await new Promise((r) => setTimeout(r, 10));
        chain.height++;
      }
      assert.ok(finished, 'the prover went idle');
    };
    return { chain, prover, drive };
  }

  it('sends at most k per block, each once it is recorded; 22 counts as proven', async () => {
    const { chain, prover, drive } = harness((m) =>
      m.participant === 'p-dup' ? POC_ALREADY_PROVEN : 'record',
    );
    for (const p of ['a', 'b', 'c', 'd', 'e', 'p-dup']) prover.add(msg(p), 2);
    prover.add(msg('a'), 2); // a duplicate is not queued twice
    await drive();
    const perBlock = new Map<bigint, number>();
    for (const s of chain.sends) perBlock.set(s.h, (perBlock.get(s.h) ?? 0) + 1);
    for (const [h, n] of perBlock) assert.ok(n <= 2, `${n} sends at height ${h}`);
    assert.deepEqual(chain.sends.map((s) => s.p).sort(), ['a', 'b', 'c', 'd', 'e', 'p-dup']);
    assert.deepEqual(prover.stats, { sent: 5, proven: 6, refused: 0, gaveUp: 0 });
  });

  it('23 is retried in a later block; a missing record is resent, bounded; other codes are final', async () => {
    let fullUntil = 0;
    const { chain, prover, drive } = harness((m, h) => {
      if (m.participant === 'full') return h < BigInt(fullUntil) ? POC_FRAUD_LIMIT : 'record';
      if (m.participant === 'lost') return 'ok'; // taken by CheckTx, never recorded (failed in its block)
      if (m.participant === 'honest-leaf') return 25;
      if (m.participant === 'flaky')
        return chain.sends.filter((s) => s.p === 'flaky').length < 2 ? 'down' : 'record';
      return 'record';
    });
    fullUntil = Number(chain.height) + 3;
    for (const p of ['full', 'lost', 'honest-leaf', 'flaky']) prover.add(msg(p), 4);
    await drive();
    const sendsOf = (p: string) => chain.sends.filter((s) => s.p === p);
    assert.ok(sendsOf('full').length >= 2, 'a 23 is retried');
    assert.ok(sendsOf('full').at(-1)!.h >= BigInt(fullUntil), 'in a later block');
    assert.equal(sendsOf('lost').length, 3, 'resent until maxSends, then given up');
    assert.equal(sendsOf('honest-leaf').length, 1, 'a 25 is final');
    assert.equal(sendsOf('flaky').length, 2, 'a transport failure is retried');
    assert.deepEqual(prover.stats, { sent: 5, proven: 2, refused: 1, gaveUp: 1 });
  });

  it('k = 0 refuses everything without sending', async () => {
    const { chain, prover, drive } = harness(() => 'record');
    prover.add(msg('a'), 0);
    await drive();
    assert.equal(chain.sends.length, 0);
    assert.equal(prover.stats.refused, 1);
  });
});
