// Issue 13 acceptance 1 (e2e): a real 4-validator testnet (class tiny, s = 64) where validators 0
// and 1 stay honest and validators 2 and 3 are armed as TEST ONLY adversaries at their ML/API
// node's edge (through the testnet manifest, then re-armed on the same testnet by Testnet.rearm):
//   Sprint A: 2 refuses proofs, 3 commits 4× the leaves it has → both weight 0, no slash, no
//             fraud record; meanwhile an account funded by validator 0 sends a signed fraud proof
//             of an honest leaf of validator 1 → the tx fails with poc 25 and pays its fee.
//   Sprint B: 2's ML node fabricates 5% of its outputs, 3 mines with validator 0's key (copied
//             outputs) → the honest validators' API nodes prove both forgeries on chain: a
//             FraudRecord each, power 0, collateral cut exactly floor(collateral ×
//             slash_fraction_invalid) and the prover paid floor(cut × fraud_reward_fraction).
// Ends with block/app-hash agreement and every module invariant.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DirectSecp256k1HdWallet, Registry } from '@cosmjs/proto-signing';
import { calculateFee, defaultRegistryTypes, GasPrice, SigningStargateClient } from '@cosmjs/stargate';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { loadApiKey } from '../../app/api/key.js';
import { defaultAppState } from '../../app/app.js';
import { parseDec } from '../../app/runtime/decimal.js';
import type { ProtoCodec } from '../../app/runtime/router.js';
import {
  QueryParamsRequest as CollateralParamsRequest,
  QueryParamsResponse as CollateralParamsResponse,
  QueryCollateralRequest,
  QueryCollateralResponse,
} from '../../proto/gen/gonka/collateral/v1/query.js';
import { MsgDepositCollateral } from '../../proto/gen/gonka/collateral/v1/tx.js';
import type { FraudRecord, SprintState } from '../../proto/gen/gonka/poc/v1/poc.js';
import {
  QueryCommitsRequest,
  QueryCommitsResponse,
  QueryEpochRequest,
  QueryEpochResponse,
  QueryFraudRecordsRequest,
  QueryFraudRecordsResponse,
  QueryStageRequest,
  QueryStageResponse,
  QueryWeightsRequest,
  QueryWeightsResponse,
} from '../../proto/gen/gonka/poc/v1/query.js';
import { MsgPocFraudProof } from '../../proto/gen/gonka/poc/v1/tx.js';
import { gonkaRegistryTypes, typeUrl } from '../../proto/gonka/registry.js';
import { OPERATOR_MNEMONIC_FILE } from '../../testnet/config.js';
import { checkAgreement, checkModuleInvariants, initTestnet, Testnet } from '../../testnet/index.js';
import { mulFloor } from '../../x/collateral/weight.js';
import { waitFor } from './helpers/rpc.js';

const DENOM = 'ngonka';
const json = (v: unknown) => JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? String(x) : x));
/**
 * Validation is long: a participant that refuses proofs is retried for ~4 s before the votes on
 * everyone go out (every 5 s), and blocks are ~0.3 s on a quiet machine.
 */
const STAGES = { generation: 16, commit: 4, validation: 20, dkg: 2 };
const EPOCH_LENGTH = 54; // the Sprint's 44 blocks (2 set blocks included) plus the 10 x/poc leaves free
const SAMPLE_SIZE = 64;
const DEADLINE_MS = 240_000;
const COLLATERAL = 1_000_000n;
const ADV = [2, 3];
const SPRINT_A = {
  2: { api: ['--test-adversary', 'refuse-proofs'] },
  3: { api: ['--test-adversary', 'overcount=4'] },
};
/** CosmJS simulates without a fee; × 2 covers the fee transfer the real tx pays (collateral e2e). */
const GAS_MARGIN = 2;
/** Gas of a collateral deposit or bank send from an operator account (a few 10k used). */
const OPERATOR_TX_GAS = 400_000;

describe('PoC under attack: adversaries on a 4-validator testnet', () => {
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
  const collateralOf = async (participant: string) =>
    BigInt(
      (
        await query(
          '/gonka.collateral.v1.Query/Collateral',
          QueryCollateralRequest,
          QueryCollateralResponse,
          {
            participant,
          },
        )
      ).amount?.amount ?? '0',
    );
  const fraudRecords = async (epoch: bigint): Promise<FraudRecord[]> =>
    (
      await query(
        '/gonka.poc.v1.Query/FraudRecords',
        QueryFraudRecordsRequest,
        QueryFraudRecordsResponse,
        QueryFraudRecordsRequest.fromPartial({ epoch }),
      )
    ).records;
  const weightsOf = async (epoch: bigint) =>
    (
      await query(
        '/gonka.poc.v1.Query/Weights',
        QueryWeightsRequest,
        QueryWeightsResponse,
        QueryWeightsRequest.fromPartial({ epoch }),
      )
    ).weights;
  const operator = (i: number) => net.manifest.validators[i]!.operator!;
  const cometKey = (i: number) =>
    JSON.parse(
      readFileSync(join(net.manifest.validators[i]!.home, 'config', 'priv_validator_key.json'), 'utf8'),
    ).pub_key.value as string;
  const powers = async (height?: number) => {
    const vals = await net.nodes[0]!.rpc.call<{
      validators: { pub_key: { value: string }; voting_power: string }[];
    }>('validators', height === undefined ? { per_page: 100 } : { height, per_page: 100 });
    const byKey = new Map(vals.validators.map((v) => [v.pub_key.value, BigInt(v.voting_power)]));
    return [0, 1, 2, 3].map((i) => byKey.get(cometKey(i)) ?? 0n);
  };
  const balanceOf = async (client: SigningStargateClient, address: string) =>
    BigInt((await client.getBalance(address, DENOM)).amount);

  /** Runs f; on failure the message gets the launcher's describe() (every process, its log tail). */
  const step = async <T>(what: string, f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (e) {
      throw new Error(`${what}: ${e instanceof Error ? e.message : String(e)}\n${await net.describe()}`);
    }
  };

  const clients: SigningStargateClient[] = [];
  const armLog: string[] = [];
  /** A signing client for validator i's operator account, or for a fresh account ('fresh'). */
  const signer = async (i: number | 'fresh') => {
    const wallet =
      i === 'fresh'
        ? await DirectSecp256k1HdWallet.generate(12, { prefix: 'gonka' })
        : await DirectSecp256k1HdWallet.fromMnemonic(
            readFileSync(join(net.manifest.validators[i]!.home, OPERATOR_MNEMONIC_FILE), 'utf8').trim(),
            { prefix: 'gonka' },
          );
    // An operator's txs go to its own validator's node, the one its API node broadcasts to: one
    // mempool orders their sequences (two mempools could each take a tx with the same one).
    const client = await SigningStargateClient.connectWithSigner(
      net.nodes[i === 'fresh' ? 0 : i]!.rpc.url,
      wallet,
      {
        registry: new Registry([...defaultRegistryTypes, ...gonkaRegistryTypes]),
        gasPrice: GasPrice.fromString(`0.1${DENOM}`),
        broadcastPollIntervalMs: 150,
        broadcastTimeoutMs: 30_000,
      },
    );
    clients.push(client);
    return { client, address: (await wallet.getAccounts())[0]!.address };
  };
  /**
   * Signs and broadcasts from an operator account its API node also signs with: its txs keep the
   * mempool ahead of the committed sequence, so the sequence comes from CheckTx's sdk 32 answer
   * ("expected N") and the gas is fixed (a simulation would hit the same mismatch). Bounded.
   */
  const sendAsOperator = async (i: number, msgs: { typeUrl: string; value: unknown }[]) => {
    const { client } = await signer(i);
    const chainId = await client.getChainId();
    const fee = calculateFee(OPERATOR_TX_GAS, GasPrice.fromString(`0.1${DENOM}`));
    let sequence: number | undefined;
    for (let attempt = 1; ; attempt++) {
      const account = await client.getSequence(operator(i));
      const signed = await client.sign(operator(i), msgs, fee, '', {
        accountNumber: account.accountNumber,
        sequence: sequence ?? account.sequence,
        chainId,
      });
      try {
        return await client.broadcastTx(TxRaw.encode(signed).finish(), 15_000, 150);
      } catch (e) {
        // Lost to a tx of the API node's with the same sequence: the next try reads it afresh.
        const lost = e instanceof Error && e.name === 'TimeoutError';
        const expected = /expected (\d+), got \d+/.exec(String(e));
        if (attempt >= 20 || !(expected || lost)) throw e;
        sequence = expected ? Number(expected[1]) : undefined;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };

  /**
   * Arms validator 2 and 3 (their ML and API nodes restart), then returns the first Sprint whose
   * generation stage starts after that, once it is in generation.
   */
  async function armedSprint(arm?: Record<number, { ml?: string[]; api?: string[] } | undefined>) {
    const collateral = async () =>
      json(await Promise.all([0, 1, 2, 3].map((i) => collateralOf(operator(i)))));
    const at = async () => `height ${await net.nodes[0]!.rpc.height()}: collateral ${await collateral()}`;
    armLog.push(`before re-arming, ${await at()}`);
    if (arm) for (const i of ADV) await step(`re-arm validator ${i}`, () => net.rearm(i, arm[i]));
    armLog.push(`after re-arming, ${await at()}`);
    const s0 = await stage();
    const min = (await epochNow()) + (s0.stage === 'idle' ? 1n : 2n);
    return step(`the Sprint for epoch ${min} to start`, () =>
      waitFor(
        `a Sprint for epoch ≥ ${min} in generation`,
        async () => {
          const s = await stage();
          return s.sprint && s.sprint.epoch >= min && s.stage === 'generation' ? s.sprint : undefined;
        },
        DEADLINE_MS,
        150,
      ),
    );
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gonka-poc-attack-e2e-'));
    await initTestnet({
      dir,
      validators: 4,
      epochLength: EPOCH_LENGTH,
      chainId: 'gonka-poc-attack-e2e',
      appState: defaultAppState(),
      poc: {
        stages: STAGES,
        sampleSize: SAMPLE_SIZE,
        apiCommitEvery: 1,
        maxPowerFraction: '0.5',
        // Sprint A's adversaries are armed from the start, through the manifest.
        adversary: SPRINT_A,
      },
    });
    net = Testnet.open(dir);
    await net.start();
    // The adversaries hold collateral, so a fraud slash has something to cut.
    for (const i of ADV) {
      const r = await sendAsOperator(i, [
        {
          typeUrl: typeUrl(MsgDepositCollateral),
          value: { participant: operator(i), amount: { denom: DENOM, amount: COLLATERAL.toString() } },
        },
      ]);
      assert.equal(r.code, 0, r.rawLog);
      await waitFor(
        `validator ${i}'s deposit on node 0`,
        async () => (await collateralOf(operator(i))) === COLLATERAL,
        DEADLINE_MS,
        150,
      );
    }
  });
  after(async () => {
    for (const c of clients) c.disconnect();
    await net?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('refusing proofs or overcounting: weight 0, no slash; a fraud proof of an honest leaf fails (poc 25) and pays its fee', async (t) => {
    const sprint = await armedSprint();
    const before = await Promise.all(ADV.map((i) => collateralOf(operator(i))));

    // Validator 0 "proves" leaf 0 of validator 1's honest commit, signed and paid like any tx.
    await net.waitForHeight(Number(sprint.validationStart), DEADLINE_MS);
    const commit = await step("validator 1's commit", async () => {
      const all = (
        await query(
          '/gonka.poc.v1.Query/Commits',
          QueryCommitsRequest,
          QueryCommitsResponse,
          QueryCommitsRequest.fromPartial({ epoch: sprint.epoch }),
        )
      ).commits.filter((c) => c.participant === operator(1));
      const last = all.sort((a, b) => Number(b.height - a.height))[0];
      assert.ok(last && last.count > 0n, 'validator 1 committed');
      return last;
    });
    const res = await fetch(`${net.services.service('api', 1).spec.url}/v1/poc/proofs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        epoch: sprint.epoch.toString(),
        class: 'tiny',
        indices: [0],
        count: commit.count.toString(),
      }),
    });
    assert.equal(res.status, 200);
    const answer = (await res.json()) as {
      proofs: { index: number; nonce: string; output: string; path: string[] }[];
    };
    const leaf = answer.proofs[0]!;
    // From an account of its own (anyone may prove), funded by validator 0: the API nodes' own txs
    // move no balance of it, so its fee is read off exactly.
    const { client: prover, address: proverAddress } = await signer('fresh');
    const funded = await sendAsOperator(0, [
      {
        typeUrl: '/cosmos.bank.v1beta1.MsgSend',
        value: {
          fromAddress: operator(0),
          toAddress: proverAddress,
          amount: [{ denom: DENOM, amount: '100000000' }],
        },
      },
    ]);
    assert.equal(funded.code, 0, funded.rawLog);
    const msg = {
      typeUrl: typeUrl(MsgPocFraudProof),
      value: MsgPocFraudProof.fromPartial({
        prover: proverAddress,
        epoch: sprint.epoch,
        participant: operator(1),
        classId: commit.classId,
        index: BigInt(leaf.index),
        nonce: BigInt(leaf.nonce),
        output: Buffer.from(leaf.output, 'base64'),
        path: leaf.path.map((h) => Buffer.from(h, 'hex')),
      }),
    };
    const gas = Math.ceil((await prover.simulate(proverAddress, [msg], '')) * GAS_MARGIN);
    const fee = calculateFee(gas, GasPrice.fromString(`0.1${DENOM}`));
    const balance0 = await balanceOf(prover, proverAddress);
    const sent = await prover.signAndBroadcast(proverAddress, [msg], fee);
    assert.equal(sent.code, 25, `poc 25 (not a forgery): ${sent.rawLog}`);
    assert.ok(sent.gasUsed >= 102_400n, `the recompute gas was charged: ${sent.gasUsed}`);
    assert.equal(
      balance0 - (await balanceOf(prover, proverAddress)),
      BigInt(fee.amount[0]!.amount),
      'the failed tx paid its whole fee',
    );

    await net.waitForHeight(Number(sprint.nextStart), DEADLINE_MS);
    const weights = await weightsOf(sprint.epoch);
    const weightOf = (i: number) => weights.find((w) => w.participant === operator(i));
    const state = async () =>
      json({
        operators: [0, 1, 2, 3].map(operator),
        weights,
        records: await Promise.all([1n, 2n, 3n, sprint.epoch].map((e) => fraudRecords(e))),
        collateral: await Promise.all([0, 1, 2, 3].map((i) => collateralOf(operator(i)))),
      });
    for (const i of [0, 1])
      assert.ok(
        (weightOf(i)?.weight ?? 0n) > 0n,
        `honest validator ${i} keeps weight: ${await state()}\n${await net.describe()}`,
      );
    for (const i of ADV) {
      assert.equal(weightOf(i)?.weight ?? 0n, 0n, `validator ${i} gets no weight`);
      assert.equal(weightOf(i)?.accepted ?? false, false);
    }
    assert.deepEqual(await fraudRecords(sprint.epoch), [], 'nobody was proven forged');
    assert.deepEqual(
      await Promise.all(ADV.map((i) => collateralOf(operator(i)))),
      before,
      'refusing proofs or overcounting is not slashed',
    );
    t.diagnostic(
      `collateral after Sprint A: ${json(await Promise.all([0, 1, 2, 3].map((i) => collateralOf(operator(i)))))}`,
    );
    const p = await powers(Number(sprint.nextStart));
    assert.equal(p[2], 0n);
    assert.equal(p[3], 0n);
    t.diagnostic(`epoch ${sprint.epoch}: powers ${p.join(', ')}; honest-leaf proof gas ${sent.gasUsed}`);
  });

  it('fabricating 5% of leaves and copied outputs: fraud proofs, power 0, collateral cut as slash computes, prover paid', async (t) => {
    const pub0 = Buffer.from(
      secp256k1.getPublicKey(
        (await loadApiKey(net.manifest.validators[0]!.services!.apiHome)).privateKey,
        true,
      ),
    ).toString('hex');
    const sprint: SprintState = await armedSprint({
      2: { ml: ['--test-adversary', 'fabricate=0.05'] },
      3: { api: ['--test-adversary', `copy-from=${pub0}`] },
    });
    const before = await Promise.all(ADV.map((i) => collateralOf(operator(i))));
    t.diagnostic(
      `collateral of validators 2 and 3 at Sprint B's start: ${before.join(', ')}; ${armLog.join('; ')}`,
    );
    const collateralParams = (
      await query('/gonka.collateral.v1.Query/Params', CollateralParamsRequest, CollateralParamsResponse, {})
    ).params!;
    const pocParams = sprint.params!;
    const records = await step('fraud records for both adversaries', () =>
      waitFor(
        'a FraudRecord for validators 2 and 3',
        async () => {
          const r = await fraudRecords(sprint.epoch);
          const of = ADV.map((i) => r.find((x) => x.participant === operator(i)));
          return of.every((x) => x !== undefined) ? (of as FraudRecord[]) : undefined;
        },
        DEADLINE_MS,
        250,
      ),
    );
    const fraction = parseDec(collateralParams.slashFractionInvalid);
    for (const [k, i] of ADV.entries()) {
      const r = records[k]!;
      const cut = mulFloor(before[k]!, fraction);
      assert.ok(cut > 0n);
      assert.equal(
        r.slashed,
        cut.toString(),
        `validator ${i}: cut = floor(collateral × slash_fraction_invalid)`,
      );
      assert.equal(await collateralOf(operator(i)), before[k]! - cut, `validator ${i}'s collateral after`);
      assert.equal(
        r.reward,
        mulFloor(cut, parseDec(pocParams.fraudRewardFraction)).toString(),
        'the prover gets floor(cut × fraud_reward_fraction)',
      );
      assert.ok(BigInt(r.reward) > 0n);
      assert.notEqual(r.prover, operator(i), 'proven by someone else');
      assert.equal(r.classId, 1);
    }
    // Power 0: the Sprint's result if the proof came before weights_final, else a jail.
    await step('the adversaries lose their power', () =>
      waitFor(
        'validators 2 and 3 at power 0',
        async () => {
          if ((await net.nodes[0]!.rpc.height()) < Number(sprint.nextStart) + 2) return undefined;
          const p = await powers();
          return p[2] === 0n && p[3] === 0n && p[0]! > 0n && p[1]! > 0n ? p : undefined;
        },
        DEADLINE_MS,
        250,
      ),
    );
    t.diagnostic(
      `epoch ${sprint.epoch}: records ${records.map((r) => `${r.participant.slice(0, 12)} index ${r.index} by ${r.prover.slice(0, 12)} at ${r.height} slashed ${r.slashed} reward ${r.reward}`).join('; ')}`,
    );
    await step('agreement', () => checkAgreement(net));
    await step('module invariants', () => checkModuleInvariants(net));
  });
});
