// The Sprint driver against a scripted chain (heights set by the test), fake ML nodes and a
// recording broadcaster: it updates the participant's api_url/classes, mines only in generation
// (seed known) into <home>/poc/<epoch>/<class>, commits rootAt(count) while mining and once more
// at commit_start, stops mining there, resumes from the store after a restart, calls the
// validator once in the validation stage, and prints the progress line.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { pino } from 'pino';
import type { PocChain } from '../../app/api/chain.js';
import { ApiMetrics } from '../../app/api/metrics.js';
import type { Miner } from '../../app/api/mining.js';
import { SprintDriver } from '../../app/api/sprint.js';
import { EpochStores } from '../../app/api/stores.js';
import type { MineRequest } from '../../app/ml/client.js';
import { outputBytes, POC_CLASSES } from '../../kernels/poc/classes.js';
import { Params, type Participant, type SprintState } from '../../proto/gen/gonka/poc/v1/poc.js';
import type { QueryStageResponse } from '../../proto/gen/gonka/poc/v1/query.js';
import { MsgPocCommit, MsgUpdateParticipant } from '../../proto/gen/gonka/poc/v1/tx.js';

const BYTES = outputBytes(POC_CLASSES.tiny);
const ADDRESS = 'gonka1operator';
const PUBKEY = new Uint8Array(33).fill(2);

const sprint = (validationHash: boolean): SprintState => ({
  epoch: 1n,
  pocStart: 10n,
  commitStart: 20n,
  validationStart: 25n,
  weightsFinal: 30n,
  setHeight: 31n,
  nextStart: 33n,
  seed: new Uint8Array(32).fill(9),
  validationHash: validationHash ? new Uint8Array(32).fill(1) : new Uint8Array(0),
  params: Params.fromPartial({
    sampleSize: 4,
    classes: [{ classId: 1, coefficient: '1', maxCount: 1n << 32n }],
  }),
});

class ScriptedChain implements PocChain {
  height = 5n;
  participantRecord: Participant = {
    address: ADDRESS,
    consensusPubkey: new Uint8Array(),
    weight: 10n,
    apiUrl: '',
    classes: [],
  };
  async stage(): Promise<QueryStageResponse> {
    return { height: this.height, epoch: 0n, stage: 'x', sprint: sprint(this.height >= 25n) };
  }
  async params() {
    return sprint(false).params!;
  }
  async participant() {
    return this.participantRecord;
  }
  async commits() {
    return [];
  }
}

class FakeMiner implements Miner {
  starts: number[] = [];
  async mine(
    req: MineRequest,
    onBatch: (first: number, outputs: Uint8Array[]) => void,
    signal?: AbortSignal,
  ) {
    this.starts.push(req.start);
    for (let f = req.start; f < req.end; f += 32) {
      if (signal?.aborted) throw signal.reason;
      await new Promise((r) => setTimeout(r, 2));
      const n = Math.min(32, req.end - f);
      onBatch(
        f,
        Array.from({ length: n }, (_, i) => new Uint8Array(BYTES).fill((f + i) & 0xff)),
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

describe('API node Sprint driver', () => {
  const home = mkdtempSync(join(tmpdir(), 'gonka-api-sprint-'));
  after(() => rmSync(home, { recursive: true, force: true }));

  it('mines in generation, commits while mining and at commit_start, resumes after restart, validates once', async () => {
    const chain = new ScriptedChain();
    const sent: Any[] = [];
    const broadcaster = {
      address: ADDRESS,
      pubKey: PUBKEY,
      submit: async (msgs: Any[]) => {
        sent.push(...msgs);
        return { code: 0, codespace: '', log: '', hash: 'AB' };
      },
    };
    const commits = () =>
      sent.filter((m) => m.typeUrl === '/gonka.poc.v1.MsgPocCommit').map((m) => MsgPocCommit.decode(m.value));
    const lines: string[] = [];
    const validated: bigint[] = [];
    const make = (stores: EpochStores, miner: FakeMiner) =>
      new SprintDriver({
        chain,
        broadcaster,
        stores,
        miners: [miner],
        classes: ['tiny'],
        apiUrl: 'http://127.0.0.1:8000',
        metrics: new ApiMetrics(),
        log: pino({ level: 'silent' }),
        validate: async (s) => {
          validated.push(s.epoch);
        },
        pollMs: 10,
        commitEveryMs: 50,
        progressEveryMs: 50,
        progress: (l) => lines.push(l),
      });

    let stores = new EpochStores(join(home, 'poc'));
    let miner = new FakeMiner();
    let driver = make(stores, miner);
    driver.start();
    const update = await until('the participant update', () =>
      sent.find((m) => m.typeUrl === '/gonka.poc.v1.MsgUpdateParticipant'),
    );
    assert.deepEqual(MsgUpdateParticipant.decode(update.value), {
      participant: ADDRESS,
      apiUrl: 'http://127.0.0.1:8000',
      classes: [1],
    });
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(miner.starts.length, 0, 'no mining before the generation stage');

    chain.height = 12n;
    await until('a commit while mining', () => commits().length > 0);
    const early = commits()[0]!;
    assert.equal(early.epoch, 1n);
    assert.equal(early.classId, 1);
    assert.ok(early.count > 0n);
    assert.deepEqual(early.root, stores.get(1n, 'tiny')!.rootAt(Number(early.count)));
    await until('the progress line', () =>
      lines.find((l) => /PoC epoch 1 tiny: count [\d,]+ · [\d,]+ nonces\/s/.test(l)),
    );

    // Restart mid-generation: the new driver resumes from the store on disk.
    await driver.stop();
    stores.close();
    const peek = new EpochStores(join(home, 'poc'));
    const before = peek.get(1n, 'tiny')!.count;
    peek.close();
    assert.ok(before > 0);
    stores = new EpochStores(join(home, 'poc'));
    miner = new FakeMiner();
    driver = make(stores, miner);
    driver.start();
    await until('mining resumed', () => miner.starts.length > 0);
    assert.equal(miner.starts[0], before);
    await until('more leaves', () => stores.get(1n, 'tiny')!.count > before + 100);

    chain.height = 20n;
    const final = await until('the final commit', () => {
      const c = commits().at(-1)!;
      const store = stores.get(1n, 'tiny')!;
      return c.count === BigInt(store.count) &&
        Array.isArray(driver.status().mining) &&
        (driver.status().mining as unknown[]).length === 0
        ? c
        : undefined;
    });
    const store = stores.get(1n, 'tiny')!;
    assert.deepEqual(final.root, store.rootAt(store.count));
    const stopped = store.count;
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(store.count, stopped, 'mining stopped at commit_start');
    assert.equal(driver.committedCount(1n, 'tiny'), stopped);

    chain.height = 26n;
    await until('the validator ran', () => validated.length > 0);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(validated, [1n]);
    await driver.stop();
    stores.close();
  });
});
