// Issue 12 acceptance 2 (e2e): a real 4-validator testnet where every validator runs an API node
// and an ML node (class tiny), the ML nodes throttled to 800/400/200/100 nonces/s, cap 50%. After
// each Sprint, CometBFT's /validators powers at the epoch boundary equal the x/poc weights and are
// in throttle order (the cap keeps the order: 800 → 700 of 1400 is exactly 50%); an API node
// killed during generation and kept down through the commit stage loses that epoch's weight only
// (0 the next epoch, gone from CometBFT's set) and is back the epoch after it restarts. Block and
// app hashes agree on every node and every module invariant holds at the end.
// npm test: 2 Sprints (the kill in the first, the recovery in the second); test:long: 3 (all, kill,
// recovery).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { defaultAppState } from '../../app/app.js';
import type { ProtoCodec } from '../../app/runtime/router.js';
import type { SprintState, WeightResult } from '../../proto/gen/gonka/poc/v1/poc.js';
import {
  QueryEpochRequest,
  QueryEpochResponse,
  QueryParticipantsRequest,
  QueryParticipantsResponse,
  QueryStageRequest,
  QueryStageResponse,
  QueryWeightsRequest,
  QueryWeightsResponse,
} from '../../proto/gen/gonka/poc/v1/query.js';
import { checkAgreement, checkModuleInvariants, initTestnet, Testnet } from '../../testnet/index.js';
import { sized } from '../profile.js';
import { waitFor } from './helpers/rpc.js';

const THROTTLE = [800, 400, 200, 100];
/**
 * Stages long enough for a loaded 2-core machine: generation ≈ 10 s, so an ML node's session
 * opening (1-2 s under load) and the API node's 0.5 s polling don't decide the order of counts;
 * the commit and validation stages leave room for a late commit tx and the validators' recompute.
 */
const STAGES = { generation: 20, commit: 4, validation: 8, dkg: 2 };
const EPOCH_LENGTH = 46; // the Sprint's 36 blocks plus the 10 x/poc leaves free
/** The validator whose API node is killed: the smallest, so the rest keep > 2/3 of the power. */
const KILLED = 3;
/** Per Sprint: kill KILLED's API node in it or not. */
const PLAN = sized([true, false], [false, true, false]);
const EPOCH_DEADLINE_MS = 180_000;

describe('PoC testnet: 4 validators whose power comes from their Sprints', () => {
  let dir: string;
  let net: Testnet;

  const query = async <Req, Res>(path: string, req: ProtoCodec<Req>, res: ProtoCodec<Res>, v: Req) => {
    const r = await net.nodes[0]!.rpc.abciQuery(path, req.encode(v).finish());
    if (r.code) throw new Error(`${path}: code ${r.code}`);
    return res.decode(Buffer.from(r.value ?? '', 'base64'));
  };
  const stage = () => query('/gonka.poc.v1.Query/Stage', QueryStageRequest, QueryStageResponse, {});
  const epochNow = async () =>
    (await query('/gonka.poc.v1.Query/Epoch', QueryEpochRequest, QueryEpochResponse, {})).epoch;

  /** Runs f; on failure the message gets the launcher's describe() (every process, its log tail). */
  const step = async <T>(what: string, f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (e) {
      throw new Error(`${what}: ${e instanceof Error ? e.message : String(e)}\n${await net.describe()}`);
    }
  };

  /** The Sprint deciding epoch ≥ minEpoch, once it is in its generation stage. */
  const generationOf = (minEpoch: bigint) =>
    step(`the Sprint for epoch ${minEpoch} to start`, () =>
      waitFor(
        `a Sprint for epoch ≥ ${minEpoch} in generation`,
        async () => {
          const s = await stage();
          return s.sprint && s.sprint.epoch >= minEpoch && s.stage === 'generation' ? s.sprint : undefined;
        },
        EPOCH_DEADLINE_MS,
        150,
      ),
    );

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gonka-poc-e2e-'));
    await initTestnet({
      dir,
      validators: 4,
      epochLength: EPOCH_LENGTH,
      chainId: 'gonka-poc-e2e',
      appState: defaultAppState(),
      poc: {
        mlThrottle: THROTTLE,
        maxPowerFraction: '0.5',
        stages: STAGES,
        sampleSize: 32,
        apiCommitEvery: 1,
      },
    });
    net = Testnet.open(dir);
    await net.start();
  });
  after(async () => {
    await net?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /**
   * At the boundary where epoch `epoch` starts: each validator's CometBFT power equals its x/poc
   * weight (the Weights result and the participant's weight); the `zero` validator has none; the
   * others are accepted and strictly in throttle order.
   */
  async function checkPowers(sprint: SprintState, zero: number | undefined): Promise<bigint[]> {
    const results = await query('/gonka.poc.v1.Query/Weights', QueryWeightsRequest, QueryWeightsResponse, {
      epoch: sprint.epoch,
    });
    const byAddress = new Map<string, WeightResult>(results.weights.map((w) => [w.participant, w]));
    const participants = await query(
      '/gonka.poc.v1.Query/Participants',
      QueryParticipantsRequest,
      QueryParticipantsResponse,
      {},
    );
    const vals = await net.nodes[0]!.rpc.call<{
      validators: { pub_key: { value: string }; voting_power: string }[];
    }>('validators', { height: Number(sprint.nextStart), per_page: 100 });
    const comet = new Map(vals.validators.map((v) => [v.pub_key.value, BigInt(v.voting_power)]));
    const weights = net.manifest.validators.map((v, i) => {
      const key = JSON.parse(readFileSync(join(v.home, 'config', 'priv_validator_key.json'), 'utf8')).pub_key
        .value as string;
      const w = byAddress.get(v.operator!);
      const weight = w?.weight ?? 0n;
      const where = `epoch ${sprint.epoch}, validator ${i} (throttle ${THROTTLE[i]}/s): ${JSON.stringify(w, (_, x) => (typeof x === 'bigint' ? String(x) : x))}`;
      assert.equal(comet.get(key) ?? 0n, weight, `CometBFT power = x/poc weight, ${where}`);
      const p = participants.participants.find((x) => x.address === v.operator);
      assert.equal(p?.weight ?? 0n, weight, `participant weight = weight result, ${where}`);
      if (i === zero) assert.equal(weight, 0n, `the killed API node's validator has no weight, ${where}`);
      else assert.ok(w?.accepted === true && weight > 0n, `accepted with weight, ${where}`);
      return weight;
    });
    const live = weights.filter((_, i) => i !== zero);
    for (let k = 1; k < live.length; k++)
      assert.ok(
        live[k - 1]! > live[k]!,
        `powers in throttle order at epoch ${sprint.epoch}: ${weights.join(', ')}`,
      );
    return weights;
  }

  it('powers follow the throttles; a killed API node loses one epoch and recovers', async (t) => {
    // The first Sprint whose whole generation stage comes after every API node is up.
    const s0 = await stage();
    let next = (await epochNow()) + (s0.stage === 'idle' ? 1n : 2n);
    let killedIn: bigint | undefined;
    for (const kill of PLAN) {
      const sprint = await generationOf(next);
      if (kill) {
        // Once it has mined something (or the stage is about to end), so work in its store is lost.
        const api = net.services.service('api', KILLED).spec.url;
        await waitFor(
          `validator ${KILLED}'s API node to mine`,
          async () => {
            const st = (await (await fetch(`${api}/v1/status`)).json()) as { mining?: { count: number }[] };
            if ((st.mining?.[0]?.count ?? 0) > 0) return true;
            return (await net.nodes[0]!.rpc.height()) >= Number(sprint.commitStart) - 1;
          },
          EPOCH_DEADLINE_MS,
          100,
        );
        const h = await net.nodes[0]!.rpc.height();
        await net.kill9Api(KILLED);
        assert.ok(h < Number(sprint.commitStart), `killed during generation (height ${h})`);
        killedIn = sprint.epoch;
        // Down through the whole commit window: nothing it mined can be committed.
        await net.waitForHeight(Number(sprint.validationStart), EPOCH_DEADLINE_MS);
        await net.startApi(KILLED);
      }
      await net.waitForHeight(Number(sprint.nextStart), EPOCH_DEADLINE_MS);
      const powers = await step(`powers of epoch ${sprint.epoch}`, () =>
        checkPowers(sprint, killedIn === sprint.epoch ? KILLED : undefined),
      );
      t.diagnostic(
        `epoch ${sprint.epoch}${kill ? ` (API node ${KILLED} killed)` : ''}: powers ${powers.join(', ')}`,
      );
      next = sprint.epoch + 1n;
    }
    assert.ok(killedIn !== undefined && killedIn < next - 1n, 'the recovery epoch came after the kill');
    await step('agreement', () => checkAgreement(net));
    await step('module invariants', () => checkModuleInvariants(net));
  });
});
