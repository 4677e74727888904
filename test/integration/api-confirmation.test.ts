// The confirmation-round driver (issue 13) riding the Sprint driver's poll, against a scripted
// chain (heights set by the test), fake ML nodes and a recording broadcaster: nothing is mined
// before the round's generation stage; then only the classes this participant committed in the
// Sprint are mined, with the round's seed, into <home>/poc/<epoch>/round-<n>/<class>; commits
// carry round = n while mining and once more at commit_start, where mining stops; a restart
// resumes from the round's store and re-reads its commits; the validator runs once in the
// validation stage; a commit the chain refuses as not eligible (poc 27) stops that class.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { pino } from 'pino';
import { type ApiAdversary, parseApiAdversary } from '../../app/api/adversary.js';
import { ChainError, type ConfirmationChain } from '../../app/api/chain.js';
import { ConfirmationDriver } from '../../app/api/confirmation.js';
import { ApiMetrics } from '../../app/api/metrics.js';
import type { Miner } from '../../app/api/mining.js';
import { SprintDriver } from '../../app/api/sprint.js';
import { EpochStores } from '../../app/api/stores.js';
import type { MineRequest } from '../../app/ml/client.js';
import { outputBytes, POC_CLASSES } from '../../kernels/poc/classes.js';
import {
  ConfirmationParams,
  type ConfirmationRound,
  Params,
  type Participant,
  type PocCommit,
  type SprintState,
  type WeightResult,
} from '../../proto/gen/gonka/poc/v1/poc.js';
import type { QueryConfirmationsResponse, QueryStageResponse } from '../../proto/gen/gonka/poc/v1/query.js';
import { MsgPocCommit } from '../../proto/gen/gonka/poc/v1/tx.js';

const ADDRESS = 'gonka1operator';
const PUBKEY = new Uint8Array(33).fill(2);
const ROUND_SEED = new Uint8Array(32).fill(0x5e);

const params = Params.fromPartial({
  sampleSize: 8,
  classes: [
    { classId: 1, coefficient: '1', maxCount: 1n << 32n },
    { classId: 2, coefficient: '1', maxCount: 1n << 32n },
  ],
  confirmation: ConfirmationParams.fromPartial({ expectedPerEpoch: 1, sampleSize: 16 }),
});

// The next Sprint is far away: only the round may make the node mine.
const nextSprint: SprintState = {
  epoch: 2n,
  pocStart: 100n,
  commitStart: 110n,
  validationStart: 115n,
  weightsFinal: 120n,
  setHeight: 121n,
  nextStart: 123n,
  seed: new Uint8Array(0),
  validationHash: new Uint8Array(0),
  params,
};

const round = (h: bigint): ConfirmationRound => ({
  epoch: 1n,
  round: 1,
  start: 40n,
  commitStart: 43n,
  validationStart: 45n,
  resultHeight: 47n,
  seed: h >= 40n ? ROUND_SEED : new Uint8Array(0),
  validationHash: h >= 45n ? new Uint8Array(32).fill(1) : new Uint8Array(0),
  params: ConfirmationParams.fromPartial({ ...params.confirmation, generationBlocks: 3n }),
  finished: h >= 47n,
});

class ScriptedChain implements ConfirmationChain {
  height = 30n;
  roundCommits: PocCommit[] = [];
  participantRecord: Participant = {
    address: ADDRESS,
    consensusPubkey: new Uint8Array(),
    weight: 10n,
    apiUrl: 'http://127.0.0.1:8000',
    classes: [1, 2],
  };
  async stage(): Promise<QueryStageResponse> {
    return { height: this.height, epoch: 1n, stage: 'inference', sprint: nextSprint };
  }
  async params() {
    return params;
  }
  async participant() {
    return this.participantRecord;
  }
  async commits(epoch: bigint, r = 0): Promise<PocCommit[]> {
    if (epoch !== 1n) return [];
    if (r === 0)
      // The Sprint that decided epoch 1: this node committed tiny only (devnet is configured too).
      return [
        {
          participant: ADDRESS,
          epoch: 1n,
          classId: 1,
          count: 500n,
          root: new Uint8Array(32),
          height: 8n,
          round: 0,
        },
        {
          participant: 'gonka1other',
          epoch: 1n,
          classId: 2,
          count: 9n,
          root: new Uint8Array(32),
          height: 8n,
          round: 0,
        },
      ];
    return this.roundCommits.filter((c) => c.round === r);
  }
  accepted = true;
  async weightResult(epoch: bigint, participant: string): Promise<WeightResult | undefined> {
    if (epoch !== 1n || participant !== ADDRESS) return undefined;
    return {
      epoch,
      participant,
      rawWeight: 500n,
      effectiveWeight: 500n,
      weight: 500n,
      accepted: this.accepted,
    };
  }
  async confirmations(epoch: bigint): Promise<QueryConfirmationsResponse> {
    assert.equal(epoch, 0n, 'the driver asks for the running epoch');
    return { rounds: this.height >= 39n ? [round(this.height)] : [], results: [] };
  }
}

class FakeMiner implements Miner {
  readonly requests: MineRequest[] = [];
  async mine(
    req: MineRequest,
    onBatch: (first: number, outputs: Uint8Array[]) => void,
    signal?: AbortSignal,
  ) {
    this.requests.push(req);
    const bytes = outputBytes(POC_CLASSES[req.cls]);
    for (let f = req.start; f < req.end; f += 32) {
      if (signal?.aborted) throw signal.reason;
      await new Promise((r) => setTimeout(r, 2));
      const n = Math.min(32, req.end - f);
      onBatch(
        f,
        Array.from({ length: n }, (_, i) => new Uint8Array(bytes).fill((f + i) & 0xff)),
      );
    }
    return req.end - req.start;
  }
}

async function until<T>(what: string, f: () => T | undefined | false, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

interface Rig {
  chain: ScriptedChain;
  stores: EpochStores;
  miner: FakeMiner;
  sprint: SprintDriver;
  rounds: ConfirmationDriver;
  validated: ConfirmationRound[];
  lines: string[];
}

function rig(
  home: string,
  chain: ScriptedChain,
  submit: (msgs: Any[]) => Promise<{ code: number; codespace: string; log: string; hash: string }>,
  adversary?: ApiAdversary,
): Rig {
  const stores = new EpochStores(join(home, 'poc'));
  const miner = new FakeMiner();
  const validated: ConfirmationRound[] = [];
  const lines: string[] = [];
  const common = {
    chain,
    broadcaster: { address: ADDRESS, pubKey: PUBKEY, submit },
    stores,
    miners: [miner],
    classes: ['tiny', 'devnet'] as const,
    metrics: new ApiMetrics(),
    log: pino({ level: 'silent' }),
    commitEveryMs: 50,
    progressEveryMs: 50,
    progress: (l: string) => lines.push(l),
  };
  const rounds = new ConfirmationDriver({
    ...common,
    classes: [...common.classes],
    ...(adversary ? { adversary } : {}),
    validate: async (r) => {
      validated.push(r);
    },
  });
  const sprint = new SprintDriver({
    ...common,
    classes: [...common.classes],
    apiUrl: 'http://127.0.0.1:8000',
    pollMs: 10,
    onPoll: (h) => rounds.tick(h),
  });
  sprint.start();
  return { chain, stores, miner, sprint, rounds, validated, lines };
}

async function stopRig(r: Rig): Promise<void> {
  await r.sprint.stop();
  await r.rounds.stop();
  r.stores.close();
}

describe('API node confirmation rounds', () => {
  const home = mkdtempSync(join(tmpdir(), 'gonka-api-confirm-'));
  after(() => rmSync(home, { recursive: true, force: true }));

  it('mines its Sprint classes with the round seed in generation only, commits with round n, resumes, validates once', async () => {
    const chain = new ScriptedChain();
    const sent: Any[] = [];
    const submit = async (msgs: Any[]) => {
      sent.push(...msgs);
      for (const m of msgs)
        if (m.typeUrl === '/gonka.poc.v1.MsgPocCommit') {
          const c = MsgPocCommit.decode(m.value);
          chain.roundCommits.push({ ...c, height: chain.height });
        }
      return { code: 0, codespace: '', log: '', hash: 'AB' };
    };
    const commits = () =>
      sent.filter((m) => m.typeUrl === '/gonka.poc.v1.MsgPocCommit').map((m) => MsgPocCommit.decode(m.value));

    let r = rig(home, chain, submit);
    chain.height = 39n; // the round is known, its generation has not started
    await until(
      'the driver saw the round',
      () => (r.rounds.status().round as { round: number } | null)?.round === 1,
    );
    await new Promise((res) => setTimeout(res, 100));
    assert.equal(r.miner.requests.length, 0, 'no mining before the round starts');

    chain.height = 40n; // generation: the seed is known; a commit sent now lands at 41 ≥ start + 1
    await until('mining', () => r.miner.requests.length > 0);
    assert.ok(
      r.miner.requests.every((q) => q.cls === 'tiny'),
      'only the class committed in the Sprint',
    );
    assert.deepEqual(r.miner.requests[0]?.blockHash, ROUND_SEED);
    assert.deepEqual(r.miner.requests[0]?.pubkey, PUBKEY);
    await until('a round commit while mining', () => commits().length > 0);
    const early = commits()[0]!;
    assert.equal(early.round, 1);
    assert.equal(early.epoch, 1n);
    assert.equal(early.classId, 1);
    const store = r.stores.get(1n, 'tiny', 1)!;
    assert.ok(store, 'the round has its own store');
    assert.equal(store.meta.blockHash, Buffer.from(ROUND_SEED).toString('hex'));
    assert.deepEqual(early.root, store.rootAt(Number(early.count)));
    assert.equal(r.stores.get(1n, 'tiny', 0), undefined, "the Sprint's store is not touched");
    await until('the progress line', () =>
      r.lines.find((l) =>
        /^PoC confirmation round 1 of epoch 1 tiny: count [\d,]+ · [\d,]+ nonces\/s/.test(l),
      ),
    );

    // Restart mid-generation: resumes from the round's store, remembers what it committed.
    await stopRig(r);
    const peek = new EpochStores(join(home, 'poc'));
    const before = peek.get(1n, 'tiny', 1)!.count;
    peek.close();
    r = rig(home, chain, submit);
    await until('mining resumed', () => r.miner.requests.length > 0);
    assert.equal(r.miner.requests[0]?.start, before);
    const lastBefore = commits().at(-1)!;
    await until(
      'commits reloaded',
      () => r.rounds.committedCount(1n, 1, 'tiny') === Number(lastBefore.count),
    );
    await until('more leaves', () => r.stores.get(1n, 'tiny', 1)!.count > before + 100);

    chain.height = 43n; // commit stage: mining stops, the final commit goes out
    const final = await until('the final commit', () => {
      const c = commits().at(-1)!;
      const s = r.stores.get(1n, 'tiny', 1)!;
      return c.count === BigInt(s.count) && (r.rounds.status().mining as unknown[]).length === 0
        ? c
        : undefined;
    });
    const s = r.stores.get(1n, 'tiny', 1)!;
    assert.equal(final.round, 1);
    assert.deepEqual(final.root, s.rootAt(s.count));
    const stopped = s.count;
    await new Promise((res) => setTimeout(res, 100));
    assert.equal(s.count, stopped, 'mining stopped at commit_start');
    assert.equal(r.rounds.committedCount(1n, 1, 'tiny'), stopped);
    assert.equal(r.rounds.sampleSize(1n, 1), 16, "the round's sample size for the proofs endpoint");

    chain.height = 45n;
    await until('the round validator ran', () => r.validated.length > 0);
    chain.height = 47n; // finished
    await new Promise((res) => setTimeout(res, 100));
    assert.deepEqual(
      r.validated.map((x) => [x.epoch, x.round]),
      [[1n, 1]],
    );
    assert.equal(commits().filter((c) => c.round === 0).length, 0, 'no Sprint commit came from the round');
    await stopRig(r);
  });

  it('stops mining a class the chain refuses as not eligible (poc 27)', async () => {
    const chain = new ScriptedChain();
    chain.height = 41n;
    let refusals = 0;
    const r = rig(join(home, 'refused'), chain, async (msgs) => {
      if (msgs.some((m) => m.typeUrl === '/gonka.poc.v1.MsgPocCommit')) {
        refusals++;
        throw new ChainError('poc', 27, 'not eligible for this confirmation round');
      }
      return { code: 0, codespace: '', log: '', hash: 'AB' };
    });
    await until('the refused commit', () => refusals > 0);
    await until('mining stopped', () => (r.rounds.status().mining as unknown[]).length === 0);
    const n = r.miner.requests.length;
    chain.height = 43n;
    await new Promise((res) => setTimeout(res, 150));
    assert.equal(refusals, 1, 'no final commit for a refused class');
    assert.equal(r.miner.requests.length, n, 'not mined again');
    await stopRig(r);
  });

  it('TEST ONLY sprint-only: sits the round out (no mining, no round commit) but still validates it', async () => {
    const chain = new ScriptedChain();
    chain.height = 41n;
    const sent: Any[] = [];
    const r = rig(
      join(home, 'sprint-only'),
      chain,
      async (msgs) => {
        sent.push(...msgs);
        return { code: 0, codespace: '', log: '', hash: 'AB' };
      },
      parseApiAdversary(['sprint-only']),
    );
    const round = () => r.rounds.status().round as { round: number; classes: string[] } | null;
    await until('the driver saw the round', () => round()?.round === 1);
    chain.height = 43n; // commit stage
    await new Promise((res) => setTimeout(res, 100));
    chain.height = 45n; // validation stage
    await until('the round validated', () => r.validated.length > 0);
    assert.equal(r.miner.requests.length, 0, 'never mined');
    assert.deepEqual(round()?.classes, []);
    assert.equal(sent.filter((m) => m.typeUrl === '/gonka.poc.v1.MsgPocCommit').length, 0, 'never committed');
    assert.equal(r.validated[0]?.round, 1);
    await stopRig(r);
  });

  for (const [what, edit] of [
    ['without weight', (c: ScriptedChain) => (c.participantRecord = { ...c.participantRecord, weight: 0n })],
    ['when its Sprint was not accepted', (c: ScriptedChain) => (c.accepted = false)],
  ] as const) {
    it(`takes no part ${what}`, async () => {
      const chain = new ScriptedChain();
      edit(chain);
      chain.height = 41n;
      const r = rig(join(home, what.replaceAll(' ', '-')), chain, async () => ({
        code: 0,
        codespace: '',
        log: '',
        hash: 'AB',
      }));
      const round = () => r.rounds.status().round as { round: number; classes: string[] } | null;
      await until('the driver saw the round', () => round()?.round === 1);
      await new Promise((res) => setTimeout(res, 100));
      assert.equal(r.miner.requests.length, 0);
      assert.deepEqual(round()?.classes, []);
      await stopRig(r);
    });
  }
});
