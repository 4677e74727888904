// The simulation's x/inference operations: developers register bearer keys (repeats of a secret
// fail as duplicates), transfer agents (accounts 3 and 4) start inferences on genesis keys, the
// participants (accounts 0..2) finish them — in either order, sometimes with a completion over
// max_tokens (refused), sometimes never (the fast profile expires them after 20 blocks, refunds
// in full). The module invariant (balance = Σ open escrows) runs after every block.
import { createHash } from 'node:crypto';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import {
  MsgFinishInference,
  MsgRegisterApiKey,
  MsgStartInference,
} from '../../proto/gen/gonka/inference/v1/tx.js';
import { typeUrl } from '../../proto/gonka/registry.js';
import { inferenceParams, inferenceParamsToJson } from '../../x/inference/params.js';
import type { TestKey } from '../integration/tx-harness.js';

const sha = (s: string) => createHash('sha256').update(s).digest();
const TAS = [3, 4];
const EXECUTORS = [0, 1, 2];
export const SIM_MODEL = 'sim/model';

const msg = (
  codec: { $type: string; encode(m: any): { finish(): Uint8Array }; fromPartial(m: any): any },
  v: unknown,
): Any => ({
  typeUrl: typeUrl(codec),
  value: codec.encode(codec.fromPartial(v)).finish(),
});

const genesisSecret = (dev: number, ta: number) => `sim-genesis-key-${dev}-${ta}`;

/** x/inference genesis for the simulation: fast expiry, one model, a key per (developer, TA). */
export function simInferenceGenesis(keys: TestKey[]): Record<string, unknown> {
  return {
    params: inferenceParamsToJson(inferenceParams('fast')),
    models: [
      {
        id: SIM_MODEL,
        artifact_hash: sha('sim-model').toString('hex'),
        context_length: '512',
        price: {
          initial_price: '5',
          min_price: '1',
          utilization_low: '0.2',
          utilization_high: '0.6',
          elasticity: '1',
          max_change_per_block: '0.1',
          capacity_tokens_per_block: '300',
          window_blocks: '5',
        },
        validation_threshold: '0.9',
        poc_class: 1,
      },
    ],
    api_keys: keys.flatMap((k, d) =>
      TAS.map((ta) => ({
        key_hash: sha(genesisSecret(d, ta)).toString('hex'),
        owner: k.address,
        transfer_agent: keys[ta]!.address,
        spend_limit_per_epoch: '5000000',
      })),
    ),
  };
}

export interface SimInference {
  id: string;
  ta: number;
  exec: number;
  prompt: bigint;
  max: bigint;
}

/** One x/inference operation for account `i`, or undefined when it has none to do. */
export function inferenceSimOp(
  keys: TestKey[],
  i: number,
  pick: (n: number) => number,
  height: bigint,
  pending: SimInference[],
): { kind: string; msg: Any } | undefined {
  const key = keys[i]!;
  if (TAS.includes(i) && pick(3) !== 0) {
    // Start: half the time the Start of an inference finished first by an executor.
    const waiting = pending.filter((p) => p.ta === i && p.max === 0n);
    const prior = waiting.length > 0 && pick(2) === 0 ? waiting[pick(waiting.length)]! : undefined;
    const dev = pick(keys.length);
    const inf: SimInference = prior ?? {
      id: `inf-sim-${height}-${i}-${pick(1000)}`,
      ta: i,
      exec: EXECUTORS[pick(EXECUTORS.length)]!,
      prompt: BigInt(1 + pick(100)),
      max: 0n,
    };
    inf.max = BigInt(1 + pick(200));
    if (!prior) pending.push(inf);
    return {
      kind: 'inference-start',
      msg: msg(MsgStartInference, {
        transferAgent: key.address,
        inferenceId: inf.id,
        modelId: SIM_MODEL,
        requestedBy: keys[dev]!.address,
        executor: keys[inf.exec]!.address,
        promptHash: sha(inf.id),
        promptTokens: inf.prompt,
        maxTokens: inf.max,
        keyHash: sha(genesisSecret(dev, i)),
      }),
    };
  }
  if (EXECUTORS.includes(i) && pick(2) === 0) {
    // Finish: mostly one started for this executor, sometimes a fresh one (Finish first).
    const mine = pending.filter((p) => p.exec === i && p.max > 0n);
    let inf: SimInference;
    if (mine.length > 0 && pick(4) !== 0) {
      inf = mine[pick(mine.length)]!;
      pending.splice(pending.indexOf(inf), 1);
    } else {
      inf = {
        id: `inf-sim-f-${height}-${i}-${pick(1000)}`,
        ta: TAS[pick(TAS.length)]!,
        exec: i,
        prompt: BigInt(1 + pick(100)),
        max: 0n,
      };
      pending.push(inf);
    }
    const completion = BigInt(pick(Number(inf.max > 0n ? inf.max : 150n) + 2));
    return {
      kind: 'inference-finish',
      msg: msg(MsgFinishInference, {
        executor: key.address,
        inferenceId: inf.id,
        modelId: SIM_MODEL,
        transferAgent: keys[inf.ta]!.address,
        promptTokens: inf.prompt,
        completionTokens: completion,
        responseHash: sha(`r-${inf.id}`),
        payloadHash: sha(`p-${inf.id}`),
      }),
    };
  }
  return {
    kind: 'inference-register-key',
    msg: msg(MsgRegisterApiKey, {
      owner: key.address,
      keyHash: sha(`sim-key-${i}-${pick(4)}`),
      transferAgent: keys[TAS[pick(TAS.length)]!]!.address,
      spendLimitPerEpoch: String(1 + pick(1_000_000)),
    }),
  };
}
