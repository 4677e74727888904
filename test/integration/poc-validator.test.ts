// The API node's PoC validator (issue 12) against fake participant API nodes backed by a real
// ArtifactStore of tiny nonces mined with the reference: honest answers are VALID; wrong work or
// a proof that contradicts the commitment is INVALID; no well-formed answer after the retries is
// UNAVAILABLE; the sample signature verifies and the indices asked for are the ones it derives.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Secp256k1, sha256 } from '@cosmjs/crypto';
import { pino } from 'pino';
import {
  type CommitOutcome,
  computeSprintVotes,
  type EncodedMsg,
  fetchProofsHttp,
  MalformedProofsError,
  MSG_POC_VALIDATION_TYPE_URL,
  type PocValidatorDeps,
  parseProofsAnswer,
  Recomputer,
  type ValidationTarget,
  VoteBroadcastError,
  validateSprint,
  validateTarget,
} from '../../app/api/validator/index.js';
import { verifySecp256k1 } from '../../app/runtime/ante/secp256k1.js';
import { ArtifactStore } from '../../kernels/poc/artifacts/store.js';
import { toHex } from '../../kernels/poc/bytes.js';
import { outputBytes, POC_CLASSES } from '../../kernels/poc/classes.js';
import { createEpoch } from '../../kernels/poc/epoch.js';
import { computeOutput } from '../../kernels/poc/reference.js';
import { Params, type PocCommit, SprintState, Verdict } from '../../proto/gen/gonka/poc/v1/poc.js';
import { MsgPocValidation } from '../../proto/gen/gonka/poc/v1/tx.js';
import { sampleIndices, sampleSignBytes } from '../../x/poc/sample.js';
import {
  deadUrl,
  type ParticipantServer,
  type ServerMode,
  startParticipantServer,
} from './poc-participant-server.js';

const CHAIN_ID = 'gonka-validator-test';
const TINY = POC_CLASSES.tiny;
const COUNT = 200;
const SAMPLE_SIZE = 16;
const BLOCK_HASH = new Uint8Array(32).fill(7);
const VALIDATION_HASH = new Uint8Array(32).fill(9);
const EPOCH = 3n;

const validatorPriv = new Uint8Array(32).fill(0x11);
const validatorPub = Secp256k1.compressPubkey(Secp256k1.makeKeypair(validatorPriv).pubkey);
const VALIDATOR = 'gonka1validatorself';
const signer = {
  address: VALIDATOR,
  async signSample(bytes: Uint8Array): Promise<Uint8Array> {
    return Secp256k1.createSignature(sha256(bytes), validatorPriv).toFixedLength().slice(0, 64);
  },
};
/** Every participant mines with this key (the validator only sees what participant() says). */
const minerPub = Secp256k1.compressPubkey(Secp256k1.makeKeypair(new Uint8Array(32).fill(0x22)).pubkey);
const otherPub = Secp256k1.compressPubkey(Secp256k1.makeKeypair(new Uint8Array(32).fill(0x33)).pubkey);

const sprint = SprintState.fromPartial({
  epoch: EPOCH,
  seed: BLOCK_HASH,
  validationHash: VALIDATION_HASH,
  params: Params.fromPartial({
    sampleSize: SAMPLE_SIZE,
    classes: [{ classId: TINY.id, coefficient: '1', maxCount: 1_000_000n }],
  }),
});

const log = pino({ level: 'silent' });
const scratch = mkdtempSync(join(tmpdir(), 'gonka-poc-validator-'));
const stores: ArtifactStore[] = [];
const servers: ParticipantServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
  for (const s of stores) s.close();
  rmSync(scratch, { recursive: true, force: true });
});

function buildStore(name: string, outputs: readonly Uint8Array[]): ArtifactStore {
  const store = ArtifactStore.create(join(scratch, name), {
    class: TINY.name,
    blockHash: toHex(BLOCK_HASH),
    pubkey: toHex(minerPub),
    outputBytes: outputBytes(TINY),
  });
  for (const o of outputs) store.append(o);
  store.flush();
  stores.push(store);
  return store;
}

function commitOf(participant: string, store: ArtifactStore, count = COUNT): PocCommit {
  return {
    participant,
    epoch: EPOCH,
    classId: TINY.id,
    count: BigInt(count),
    root: store.rootAt(count),
    height: 10n,
    round: 0,
  };
}

async function sampleOf(participant: string, count: bigint): Promise<bigint[]> {
  const sig = await signer.signSample(
    sampleSignBytes({
      chainId: CHAIN_ID,
      epoch: EPOCH,
      participant,
      classId: TINY.id,
      validationHash: VALIDATION_HASH,
      round: 0,
    }),
  );
  return sampleIndices(sig, count, SAMPLE_SIZE);
}

interface Fixture {
  commits: PocCommit[];
  participants: Map<string, { apiUrl: string; kernelPubkey: Uint8Array }>;
  serverOf: Map<string, ParticipantServer>;
}

const fx: Fixture = { commits: [], participants: new Map(), serverOf: new Map() };
let honestStore: ArtifactStore;

before(async () => {
  const epoch = createEpoch(TINY, BLOCK_HASH);
  const outputs = Array.from({ length: COUNT }, (_, i) => computeOutput(epoch, minerPub, BigInt(i)));
  honestStore = buildStore('honest', outputs);
  // Wrong work at one leaf this validator samples, committed honestly: only the recompute sees it.
  const [flipAt] = await sampleOf('p-flip-in-store', BigInt(COUNT));
  const flipped = outputs.map((o, i) =>
    BigInt(i) === flipAt ? o.map((b, k) => (k === 5 ? b ^ 0x10 : b)) : o,
  );
  const flippedStore = buildStore('flipped', flipped);

  const add = async (
    participant: string,
    mode: ServerMode | 'down' | 'no-url',
    store = honestStore,
    key = minerPub,
  ) => {
    fx.commits.push(commitOf(participant, store));
    if (mode === 'no-url') return;
    if (mode === 'down') {
      fx.participants.set(participant, { apiUrl: await deadUrl(), kernelPubkey: key });
      return;
    }
    const server = await startParticipantServer(store, TINY.name, mode);
    servers.push(server);
    fx.serverOf.set(participant, server);
    fx.participants.set(participant, { apiUrl: server.url, kernelPubkey: key });
  };
  await add('p-honest', 'honest');
  await add(VALIDATOR, 'honest'); // the validator checks itself too
  await add('p-flip-in-store', 'honest', flippedStore);
  await add('p-wrong-key', 'honest', honestStore, otherPub);
  await add('p-flip-in-transit', 'flip-in-transit');
  await add('p-wrong-nonce', 'wrong-nonce');
  await add('p-bad-path', 'bad-path');
  await add('p-other-root', 'other-root');
  await add('p-down', 'down');
  await add('p-500', 'status-500');
  await add('p-400', 'status-400');
  await add('p-hang', 'hang');
  await add('p-oversized-declared', 'oversized-declared');
  await add('p-oversized-chunked', 'oversized-chunked');
  await add('p-not-json', 'not-json');
  await add('p-missing-proof', 'missing-proof');
  await add('p-no-url', 'no-url');
  // An empty commit and a class the chain does not list.
  fx.commits.push({ ...commitOf('p-empty', honestStore, 0), root: new Uint8Array(32) });
  fx.commits.push({ ...commitOf('p-unknown-class', honestStore), classId: 3 });
  // An older commit of p-honest: the latest height counts.
  fx.commits.push({ ...commitOf('p-honest', honestStore, 100), height: 5n });
});

const RETRIES = 2;

function baseDeps(
  overrides: Partial<PocValidatorDeps> = {},
): PocValidatorDeps & { sent: EncodedMsg[][]; maxConcurrent: () => number } {
  const sent: EncodedMsg[][] = [];
  let inFlight = 0;
  let maxConcurrent = 0;
  return {
    chainId: CHAIN_ID,
    sprintCommits: async (epoch) => (epoch === EPOCH ? fx.commits : []),
    participant: async (address) => fx.participants.get(address),
    signer,
    async fetchProofs(apiUrl, body, signal, maxBytes) {
      inFlight++;
      maxConcurrent = Math.max(maxConcurrent, inFlight);
      try {
        return await fetchProofsHttp(apiUrl, body, signal, maxBytes);
      } finally {
        inFlight--;
      }
    },
    broadcast: async (msgs) => void sent.push(msgs),
    log,
    retries: RETRIES,
    backoffMs: 10,
    timeoutMs: 500,
    concurrency: 4,
    maxVotesPerMsg: 5,
    flushMs: 60_000,
    ...overrides,
    sent,
    maxConcurrent: () => maxConcurrent,
  };
}

describe('PoC validator: validateSprint', () => {
  let outcomes: Map<string, CommitOutcome>;
  let d: ReturnType<typeof baseDeps>;
  let result: Awaited<ReturnType<typeof validateSprint>>;

  before(async () => {
    // p-hang has its own test with a short timeout; here a generous one keeps a loaded machine
    // from turning a slow honest answer into a retry.
    d = baseDeps({
      sprintCommits: async () => fx.commits.filter((c) => c.participant !== 'p-hang'),
      timeoutMs: 10_000,
    });
    result = await validateSprint(d, sprint);
    outcomes = new Map(result.outcomes.map((o) => [o.participant, o]));
  });

  const expect: [string, Verdict, string][] = [
    ['p-honest', Verdict.VERDICT_VALID, 'ok'],
    [VALIDATOR, Verdict.VERDICT_VALID, 'ok'],
    ['p-empty', Verdict.VERDICT_VALID, 'empty-commit'],
    ['p-flip-in-store', Verdict.VERDICT_INVALID, 'output-mismatch'],
    ['p-wrong-key', Verdict.VERDICT_INVALID, 'output-mismatch'],
    ['p-flip-in-transit', Verdict.VERDICT_INVALID, 'bad-path'],
    ['p-wrong-nonce', Verdict.VERDICT_INVALID, 'nonce-mismatch'],
    ['p-bad-path', Verdict.VERDICT_INVALID, 'bad-path'],
    ['p-other-root', Verdict.VERDICT_INVALID, 'wrong-commitment'],
    ['p-down', Verdict.VERDICT_UNAVAILABLE, 'unreachable'],
    ['p-500', Verdict.VERDICT_UNAVAILABLE, 'unreachable'],
    ['p-400', Verdict.VERDICT_UNAVAILABLE, 'unreachable'],
    ['p-oversized-declared', Verdict.VERDICT_UNAVAILABLE, 'unreachable'],
    ['p-oversized-chunked', Verdict.VERDICT_UNAVAILABLE, 'unreachable'],
    ['p-not-json', Verdict.VERDICT_UNAVAILABLE, 'unreachable'],
    ['p-missing-proof', Verdict.VERDICT_UNAVAILABLE, 'malformed-response'],
    ['p-no-url', Verdict.VERDICT_UNAVAILABLE, 'no-api-url'],
  ];
  for (const [participant, verdict, reason] of expect) {
    it(`${participant}: ${Verdict[verdict]} (${reason})`, () => {
      const o = outcomes.get(participant);
      assert.ok(o, `no outcome for ${participant}`);
      assert.equal(Verdict[o.verdict], Verdict[verdict], `${participant}: ${o.reason} ${o.detail ?? ''}`);
      assert.equal(o.reason, reason, o.detail);
    });
  }

  it('retries unavailable participants, and only those, up to the bound', () => {
    for (const p of ['p-down', 'p-500', 'p-oversized-chunked', 'p-not-json', 'p-missing-proof']) {
      assert.equal(outcomes.get(p)?.attempts, RETRIES + 1, p);
    }
    assert.equal(fx.serverOf.get('p-500')?.requests.length, RETRIES + 1);
    assert.equal(outcomes.get('p-honest')?.attempts, 1);
    assert.equal(outcomes.get('p-400')?.attempts, 1, 'a 400 is not retried');
    assert.equal(fx.serverOf.get('p-wrong-nonce')?.requests.length, 1, 'INVALID is decided at once');
  });

  it('gives no vote for a class the params do not list', () => {
    assert.equal(outcomes.has('p-unknown-class'), false);
    assert.deepEqual(
      result.skipped.map((s) => [s.participant, s.classId]),
      [['p-unknown-class', 3]],
    );
  });

  it('the sample signature verifies against the validator key and the request asks for its indices', () => {
    for (const o of result.outcomes) {
      const doc = {
        chainId: CHAIN_ID,
        epoch: EPOCH,
        participant: o.participant,
        classId: o.classId,
        validationHash: VALIDATION_HASH,
        round: 0,
      };
      assert.ok(verifySecp256k1(validatorPub, sampleSignBytes(doc), o.sampleSig), o.participant);
      assert.deepEqual(o.indices, sampleIndices(o.sampleSig, o.count, SAMPLE_SIZE));
    }
    const honest = outcomes.get('p-honest') as CommitOutcome;
    assert.equal(honest.count, BigInt(COUNT), 'the latest commit counts');
    assert.equal(honest.indices.length, SAMPLE_SIZE);
    const [req] = fx.serverOf.get('p-honest')?.requests ?? [];
    assert.deepEqual(req, {
      epoch: EPOCH.toString(),
      class: 'tiny',
      indices: honest.indices.map(Number),
      count: String(COUNT),
    });
    // Two participants, two different samples.
    assert.notDeepEqual(honest.indices, outcomes.get(VALIDATOR)?.indices);
  });

  it('broadcasts every vote once, in MsgPocValidation msgs of at most maxVotesPerMsg', () => {
    const msgs = d.sent.flat();
    assert.equal(msgs.length, Math.ceil(result.outcomes.length / 5));
    const seen = new Set<string>();
    for (const m of msgs) {
      assert.equal(m.typeUrl, MSG_POC_VALIDATION_TYPE_URL);
      assert.equal(MSG_POC_VALIDATION_TYPE_URL, '/gonka.poc.v1.MsgPocValidation');
      const msg = MsgPocValidation.decode(MsgPocValidation.encode(m.value as MsgPocValidation).finish());
      assert.equal(msg.validator, VALIDATOR);
      assert.equal(msg.epoch, EPOCH);
      assert.ok(msg.validations.length >= 1 && msg.validations.length <= 5);
      for (const v of msg.validations) {
        const key = `${v.participant}/${v.classId}`;
        assert.ok(!seen.has(key), `duplicate vote ${key}`);
        seen.add(key);
        assert.equal(v.verdict, outcomes.get(v.participant)?.verdict);
        assert.equal(v.sampleSig.length, 64);
      }
    }
    assert.equal(seen.size, expect.length);
  });

  it('checks at most `concurrency` participants at once', () => {
    assert.ok(d.maxConcurrent() >= 1 && d.maxConcurrent() <= 4, `max in flight ${d.maxConcurrent()}`);
  });
});

describe('PoC validator: stopping and refusing', () => {
  // One session for this suite's runs (the main suite covers the default, per-call one).
  const shared = new Recomputer();
  after(() => shared.release());
  const deps = (overrides: Partial<PocValidatorDeps> = {}) => baseDeps({ recomputer: shared, ...overrides });

  it('a participant that never answers is UNAVAILABLE after the timeout of every attempt', async () => {
    const hang = fx.commits.find((c) => c.participant === 'p-hang') as PocCommit;
    const server = fx.serverOf.get('p-hang') as ParticipantServer;
    const before = server.requests.length;
    const r = await validateSprint(deps({ sprintCommits: async () => [hang], timeoutMs: 300 }), sprint);
    const [o] = r.outcomes;
    assert.equal(o?.verdict, Verdict.VERDICT_UNAVAILABLE);
    assert.equal(o?.reason, 'unreachable');
    assert.equal(o?.attempts, RETRIES + 1);
    assert.match(o?.detail ?? '', /timed out after 300 ms/);
    assert.equal(server.requests.length - before, RETRIES + 1);
  });

  it('an abort mid-validation leaves the unfinished commits without a vote', async () => {
    const hang = fx.commits.find((c) => c.participant === 'p-hang') as PocCommit;
    const controller = new AbortController();
    const d = deps({ sprintCommits: async () => [hang], timeoutMs: 60_000, signal: controller.signal });
    const pending = validateSprint(d, sprint);
    // Abort once the request reached the server (polled with a deadline, not a fixed sleep).
    const server = fx.serverOf.get('p-hang') as ParticipantServer;
    const before = server.requests.length;
    const deadline = Date.now() + 10_000;
    while (server.requests.length === before && Date.now() < deadline)
      await new Promise((r) => setImmediate(r));
    controller.abort();
    const r = await pending;
    assert.equal(r.outcomes.length, 0);
    assert.equal(r.skipped.length, 1);
    assert.equal(d.sent.length, 0, 'nothing to broadcast');
  });

  it("a failing chain query is the validator's problem: that commit gets no vote, the others go on", async () => {
    const pick = (p: string) => fx.commits.find((c) => c.participant === p) as PocCommit;
    const d = deps({
      sprintCommits: async () => [pick('p-honest'), pick('p-bad-path')],
      participant: async (address) => {
        if (address === 'p-honest') throw new Error('query node down');
        return fx.participants.get(address);
      },
    });
    const r = await validateSprint(d, sprint);
    assert.deepEqual(
      r.outcomes.map((o) => [o.participant, o.verdict]),
      [['p-bad-path', Verdict.VERDICT_INVALID]],
    );
    assert.equal(r.skipped.length, 1);
    assert.match(r.skipped[0]?.why ?? '', /query node down/);
  });

  it('broadcasts decided votes without waiting for a participant that is still timing out', async () => {
    const pick = (p: string) => fx.commits.find((c) => c.participant === p) as PocCommit;
    await shared.outputs(TINY, BLOCK_HASH, minerPub, [0n]); // the session is open before the clock starts
    const events: string[] = [];
    {
      const d = deps({
        sprintCommits: async () => [pick('p-hang'), pick('p-honest')],
        retries: 0,
        timeoutMs: 2_000,
        flushMs: 50,
        onOutcome: (o) => void events.push(`decided ${o.participant}`),
        broadcast: async (msgs) => {
          for (const m of msgs) {
            const v = (m.value as MsgPocValidation).validations.map((x) => x.participant);
            events.push(`sent ${v.join(',')}`);
          }
        },
      });
      const r = await validateSprint(d, sprint);
      assert.deepEqual(events, ['decided p-honest', 'sent p-honest', 'decided p-hang', 'sent p-hang']);
      assert.equal(r.msgs.length, 2);
    }
  });

  it('tries every msg when a broadcast fails, then throws VoteBroadcastError with the unsent ones', async () => {
    const pick = (p: string) => fx.commits.find((c) => c.participant === p) as PocCommit;
    let calls = 0;
    const d = deps({
      sprintCommits: async () => [pick('p-honest'), pick('p-bad-path')],
      maxVotesPerMsg: 1,
      broadcast: async () => {
        if (calls++ === 0) throw new Error('sequence mismatch');
      },
    });
    await assert.rejects(validateSprint(d, sprint), (err: unknown) => {
      assert.ok(err instanceof VoteBroadcastError);
      assert.equal(err.unsent.length, 1);
      assert.equal(err.result.msgs.length, 1);
      assert.equal(err.result.outcomes.length, 2);
      return true;
    });
    assert.equal(calls, 2);
  });

  it('gives no vote where this host cannot recompute the class (large without an ORT form)', async () => {
    const LARGE = POC_CLASSES.large;
    // Two made-up large outputs under a real Merkle root: the proofs check, the recompute cannot run.
    const store = ArtifactStore.create(join(scratch, 'large'), {
      class: LARGE.name,
      blockHash: toHex(BLOCK_HASH),
      pubkey: toHex(minerPub),
      outputBytes: outputBytes(LARGE),
    });
    stores.push(store);
    store.append(new Uint8Array(outputBytes(LARGE)).fill(1));
    store.append(new Uint8Array(outputBytes(LARGE)).fill(2));
    store.flush();
    const server = await startParticipantServer(store, LARGE.name, 'honest');
    servers.push(server);
    const reference = new Recomputer({ engine: 'reference' });
    try {
      const d = baseDeps({
        sprintCommits: async () => [
          {
            participant: 'p-large',
            epoch: EPOCH,
            classId: LARGE.id,
            count: 2n,
            root: store.rootAt(2),
            height: 1n,
            round: 0,
          },
        ],
        participant: async () => ({ apiUrl: server.url, kernelPubkey: minerPub }),
        recomputer: reference,
      });
      const withLarge = {
        ...sprint,
        params: Params.fromPartial({
          sampleSize: SAMPLE_SIZE,
          classes: [{ classId: LARGE.id, coefficient: '1', maxCount: 10n }],
        }),
      };
      const r = await validateSprint(d, withLarge);
      assert.equal(r.outcomes.length, 0);
      assert.match(r.skipped[0]?.why ?? '', /cannot recompute large/);
      assert.equal(server.requests.length, 1, 'the proofs were fetched and checked first');
      assert.equal(d.sent.length, 0);
    } finally {
      await reference.release();
    }
  });

  it('the reference engine recomputes what the store holds', async () => {
    const reference = new Recomputer({ engine: 'reference' });
    try {
      const got = await reference.outputs(TINY, BLOCK_HASH, minerPub, [0n, 7n]);
      assert.deepEqual(got, [honestStore.output(0), honestStore.output(7)]);
    } finally {
      await reference.release();
    }
  });

  it('refuses a Sprint whose validation hash is not known yet', async () => {
    await assert.rejects(
      computeSprintVotes(deps(), { ...sprint, validationHash: new Uint8Array() }),
      /validation_hash is not known/,
    );
    await assert.rejects(computeSprintVotes(deps(), { ...sprint, seed: new Uint8Array() }), /seed is not/);
  });
});

describe('PoC validator: a confirmation round as its target', () => {
  const ROUND = 2;
  const ROUND_SEED = new Uint8Array(32).fill(0x42);
  const ROUND_VALIDATION_HASH = new Uint8Array(32).fill(0x43);
  const ROUND_SAMPLE = 12;
  let result: Awaited<ReturnType<typeof validateTarget>>;
  let d: ReturnType<typeof baseDeps>;
  let honest: ParticipantServer;
  let replayed: ParticipantServer;

  before(async () => {
    // p-round mined the round's seed; p-sprint-replay serves its Sprint outputs (mined with the
    // Sprint's seed) under a round commit: the recomputation with the round's seed catches it.
    const epoch = createEpoch(TINY, ROUND_SEED);
    const outputs = Array.from({ length: COUNT }, (_, i) => computeOutput(epoch, minerPub, BigInt(i)));
    const store = ArtifactStore.create(join(scratch, 'round'), {
      class: TINY.name,
      blockHash: toHex(ROUND_SEED),
      pubkey: toHex(minerPub),
      outputBytes: outputBytes(TINY),
    });
    for (const o of outputs) store.append(o);
    store.flush();
    stores.push(store);
    honest = await startParticipantServer(store, TINY.name, 'honest');
    replayed = await startParticipantServer(honestStore, TINY.name, 'honest');
    servers.push(honest, replayed);
    const roundCommit = (participant: string, s: ArtifactStore): PocCommit => ({
      ...commitOf(participant, s),
      round: ROUND,
    });
    const commits = [
      roundCommit('p-round', store),
      roundCommit('p-sprint-replay', honestStore),
      // A Sprint commit in the same listing is not this target's: no vote on it.
      commitOf('p-honest', honestStore),
    ];
    const participants = new Map([
      ['p-round', { apiUrl: honest.url, kernelPubkey: minerPub }],
      ['p-sprint-replay', { apiUrl: replayed.url, kernelPubkey: minerPub }],
    ]);
    const target: ValidationTarget = {
      epoch: EPOCH,
      round: ROUND,
      seed: ROUND_SEED,
      validationHash: ROUND_VALIDATION_HASH,
      sampleSize: ROUND_SAMPLE,
      classIds: [TINY.id],
      commits: async () => commits,
    };
    d = baseDeps({
      sprintCommits: async () => assert.fail('a round target reads its own commits'),
      participant: async (a) => participants.get(a),
      timeoutMs: 10_000,
    });
    result = await validateTarget(d, target);
  });

  it('votes VALID on the round mined with the round seed, INVALID on Sprint outputs replayed', () => {
    assert.deepEqual(
      result.outcomes.map((o) => [o.participant, Verdict[o.verdict], o.reason]),
      [
        ['p-round', 'VERDICT_VALID', 'ok'],
        ['p-sprint-replay', 'VERDICT_INVALID', 'output-mismatch'],
      ],
    );
    assert.equal(result.round, ROUND);
  });

  it("signs the round's sample doc, samples the round's size and asks for proofs with the round", () => {
    const o = result.outcomes.find((x) => x.participant === 'p-round') as CommitOutcome;
    const doc = {
      chainId: CHAIN_ID,
      epoch: EPOCH,
      participant: 'p-round',
      classId: TINY.id,
      validationHash: ROUND_VALIDATION_HASH,
      round: ROUND,
    };
    assert.ok(verifySecp256k1(validatorPub, sampleSignBytes(doc), o.sampleSig));
    assert.ok(!verifySecp256k1(validatorPub, sampleSignBytes({ ...doc, round: 0 }), o.sampleSig));
    assert.deepEqual(o.indices, sampleIndices(o.sampleSig, BigInt(COUNT), ROUND_SAMPLE));
    assert.equal(o.indices.length, ROUND_SAMPLE);
    assert.deepEqual(honest.requests, [
      {
        epoch: EPOCH.toString(),
        class: 'tiny',
        indices: o.indices.map(Number),
        count: String(COUNT),
        round: ROUND,
      },
    ]);
  });

  it('broadcasts MsgPocValidation with the round', () => {
    const msgs = d.sent.flat().map((m) => m.value as MsgPocValidation);
    assert.equal(msgs.length, 1);
    assert.equal(msgs[0]?.round, ROUND);
    assert.equal(msgs[0]?.epoch, EPOCH);
    assert.deepEqual(
      msgs[0]?.validations.map((v) => v.participant),
      ['p-round', 'p-sprint-replay'],
    );
    const wire = MsgPocValidation.decode(MsgPocValidation.encode(msgs[0] as MsgPocValidation).finish());
    assert.equal(wire.round, ROUND);
  });

  it("refuses an answer for another round (a Sprint answer to a round's request)", () => {
    const answer = { epoch: '3', class: 'tiny', count: '2', root: 'ab'.repeat(32), proofs: [] };
    const expected = { epoch: EPOCH, round: ROUND, className: 'tiny', count: 2n, indices: [] };
    assert.throws(() => parseProofsAnswer(answer, expected, 256), /another round/);
  });
});

describe('PoC validator: strict proof answers', () => {
  const expected = { epoch: EPOCH, className: 'tiny', count: 300n, indices: [1, 5] };
  const proof = (index: number, over: object = {}) => ({
    index,
    nonce: String(index),
    output: Buffer.alloc(256).toString('base64'),
    path: ['00'.repeat(32)],
    ...over,
  });
  const answer = (over: object = {}) => ({
    epoch: '3',
    class: 'tiny',
    count: '300',
    root: 'ab'.repeat(32),
    proofs: [proof(5), proof(1)],
    ...over,
  });

  it('accepts a well-formed answer and orders its proofs as requested', () => {
    const a = parseProofsAnswer(answer(), expected, 256);
    assert.deepEqual(
      a.proofs.map((p) => p.index),
      [1, 5],
    );
  });

  const bad: [string, unknown][] = [
    ['an array', []],
    ['null', null],
    ['another epoch', answer({ epoch: '4' })],
    ['a numeric count', answer({ count: 300 })],
    ['another count', answer({ count: '299' })],
    ['a short root', answer({ root: 'ab' })],
    ['a repeated index', answer({ proofs: [proof(1), proof(1)] })],
    ['an index not asked for', answer({ proofs: [proof(1), proof(2)] })],
    ['a fractional index', answer({ proofs: [proof(1), proof(5.5)] })],
    ['a negative nonce', answer({ proofs: [proof(1), proof(5, { nonce: '-5' })] })],
    ['a nonce over u64', answer({ proofs: [proof(1), proof(5, { nonce: '18446744073709551616' })] })],
    ['an output that is not base64', answer({ proofs: [proof(1), proof(5, { output: '!!!!' })] })],
    [
      'an output longer than the class',
      answer({ proofs: [proof(1), proof(5, { output: 'A'.repeat(4000) })] }),
    ],
    [
      'a path of 65 hashes',
      answer({ proofs: [proof(1), proof(5, { path: Array(65).fill('00'.repeat(32)) })] }),
    ],
    ['a path hash of the wrong size', answer({ proofs: [proof(1), proof(5, { path: ['00'] })] })],
  ];
  for (const [what, json] of bad) {
    it(`refuses ${what}`, () => {
      assert.throws(() => parseProofsAnswer(json, expected, 256), MalformedProofsError);
    });
  }
});
