// The API node's TEST ONLY adversary modes (issue 13, poc-attack-contract.md): the flags parse as
// the contract lists them; refuse-proofs answers every POST /v1/poc/proofs with 503; overcount
// commits floor(count × factor) with the root of the real tree; copy-from mines (and stores) with
// another participant's key. The Sprint driver runs against a scripted chain and a fake ML node.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { pino } from 'pino';
import { armProofsRefusal, claimedCount, parseApiAdversary } from '../../app/api/adversary.js';
import type { PocChain } from '../../app/api/chain.js';
import { ApiMetrics } from '../../app/api/metrics.js';
import type { Miner } from '../../app/api/mining.js';
import { buildApiServer } from '../../app/api/server.js';
import { SprintDriver } from '../../app/api/sprint.js';
import { EpochStores } from '../../app/api/stores.js';
import type { MineRequest } from '../../app/ml/client.js';
import { toHex } from '../../kernels/poc/bytes.js';
import { outputBytes, POC_CLASSES } from '../../kernels/poc/classes.js';
import { Params, type SprintState } from '../../proto/gen/gonka/poc/v1/poc.js';
import type { QueryStageResponse } from '../../proto/gen/gonka/poc/v1/query.js';
import { MsgPocCommit } from '../../proto/gen/gonka/poc/v1/tx.js';

const BYTES = outputBytes(POC_CLASSES.tiny);
const ADDRESS = 'gonka1adversary';
const OWN_KEY = new Uint8Array(33).fill(2);
/** secp256k1's generator, compressed: someone else's valid key. */
const OTHER_HEX = '0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798';

const sprint: SprintState = {
  epoch: 1n,
  pocStart: 10n,
  commitStart: 20n,
  validationStart: 25n,
  weightsFinal: 30n,
  setHeight: 31n,
  nextStart: 33n,
  seed: new Uint8Array(32).fill(9),
  validationHash: new Uint8Array(0),
  params: Params.fromPartial({
    sampleSize: 4,
    classes: [{ classId: 1, coefficient: '1', maxCount: 1n << 32n }],
  }),
};

class ScriptedChain implements PocChain {
  height = 12n;
  async stage(): Promise<QueryStageResponse> {
    return { height: this.height, epoch: 0n, stage: 'x', sprint };
  }
  async params() {
    return sprint.params!;
  }
  async participant() {
    return {
      address: ADDRESS,
      consensusPubkey: new Uint8Array(),
      weight: 1n,
      apiUrl: 'http://x',
      classes: [1],
    };
  }
  async commits() {
    return [];
  }
}

class FakeMiner implements Miner {
  readonly pubkeys: string[] = [];
  async mine(
    req: MineRequest,
    onBatch: (first: number, outputs: Uint8Array[]) => void,
    signal?: AbortSignal,
  ) {
    this.pubkeys.push(toHex(req.pubkey));
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

describe('API node test adversary', () => {
  const home = mkdtempSync(join(tmpdir(), 'gonka-api-adversary-'));
  after(() => rmSync(home, { recursive: true, force: true }));

  it('parses the contract flags and refuses anything else', () => {
    assert.deepEqual(parseApiAdversary([]), {});
    const all = parseApiAdversary([
      'refuse-proofs',
      'overcount=2.5',
      `copy-from=${OTHER_HEX}`,
      'sprint-only',
    ]);
    assert.equal(all.refuseProofs, true);
    assert.equal(all.overcount, 2.5);
    assert.equal(toHex(all.copyFrom!), OTHER_HEX);
    assert.equal(all.sprintOnly, true);
    for (const bad of [
      'refuse-proofs=1',
      'overcount=0.5',
      'overcount=',
      'copy-from=02ab',
      `copy-from=04${OTHER_HEX.slice(2)}`,
      `copy-from=02${'f'.repeat(64)}`, // not on the curve
      'fabricate=0.1',
    ])
      assert.throws(() => parseApiAdversary([bad]), Error, bad);
    assert.equal(claimedCount(1000, { overcount: 2.5 }), 2500);
    assert.equal(claimedCount(1001, { overcount: 1.5 }), 1501);
    assert.equal(claimedCount(1000, {}), 1000);
  });

  it('refuse-proofs: POST /v1/poc/proofs answers 503 whatever the request; other routes serve', async () => {
    const build = async (refuse: boolean) => {
      const app = await buildApiServer({
        proofs: { sampleSize: () => 4, store: () => undefined, committedCount: () => undefined },
        metrics: new ApiMetrics(),
        status: () => ({ ok: true }),
      });
      armProofsRefusal(app, refuse ? { refuseProofs: true } : {});
      return app;
    };
    const body = { epoch: '1', class: 'tiny', indices: [0], count: '10' };
    const honest = await build(false);
    const refusing = await build(true);
    try {
      const a = await honest.inject({ method: 'POST', url: '/v1/poc/proofs', payload: body });
      assert.equal(a.statusCode, 400, 'an honest node without the store says so');
      const b = await refusing.inject({ method: 'POST', url: '/v1/poc/proofs', payload: body });
      assert.equal(b.statusCode, 503);
      assert.equal(JSON.parse(b.body).error.code, 503);
      const c = await refusing.inject({ method: 'POST', url: '/v1/poc/proofs', payload: 'not json' });
      assert.equal(c.statusCode, 503);
      assert.equal((await refusing.inject({ method: 'GET', url: '/v1/status' })).statusCode, 200);
    } finally {
      await honest.close();
      await refusing.close();
    }
  });

  it('overcount and copy-from: commits claim floor(count × factor) over the real root, mined with the copied key', async () => {
    const chain = new ScriptedChain();
    const sent: Any[] = [];
    const broadcaster = {
      address: ADDRESS,
      pubKey: OWN_KEY,
      submit: async (msgs: Any[]) => {
        sent.push(...msgs);
        return { code: 0, codespace: '', log: '', hash: 'AB' };
      },
    };
    const commits = () =>
      sent.filter((m) => m.typeUrl === '/gonka.poc.v1.MsgPocCommit').map((m) => MsgPocCommit.decode(m.value));
    const stores = new EpochStores(join(home, 'poc'));
    const miner = new FakeMiner();
    const driver = new SprintDriver({
      chain,
      broadcaster,
      stores,
      miners: [miner],
      classes: ['tiny'],
      apiUrl: 'http://x',
      metrics: new ApiMetrics(),
      log: pino({ level: 'silent' }),
      adversary: parseApiAdversary(['overcount=3', `copy-from=${OTHER_HEX}`]),
      pollMs: 10,
      commitEveryMs: 50,
      progress: () => {},
    });
    driver.start();
    try {
      await until('some leaves', () => (stores.get(1n, 'tiny')?.count ?? 0) > 100);
      chain.height = 20n; // commit stage: the final commit
      const final = await until('the final commit', () => {
        const c = commits().at(-1);
        const store = stores.get(1n, 'tiny')!;
        return c && (driver.status().mining as unknown[]).length === 0 && c.count === BigInt(store.count * 3)
          ? c
          : undefined;
      });
      const store = stores.get(1n, 'tiny')!;
      assert.equal(final.count, BigInt(store.count) * 3n, 'claims three times the leaves it has');
      assert.deepEqual(final.root, store.rootAt(store.count), 'the root of the real tree');
      for (const c of commits()) assert.equal(c.count % 3n, 0n, 'every commit overclaims');
      assert.ok(miner.pubkeys.length > 0);
      for (const k of miner.pubkeys) assert.equal(k, OTHER_HEX, 'mined with the copied key');
      assert.equal(store.meta.pubkey, OTHER_HEX);
    } finally {
      await driver.stop();
      stores.close();
    }
  });
});
