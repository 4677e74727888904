// The simulation's x/poc Sprint operations: participants announce class tiny, others register
// with their own ed25519 key (again and again: the repeats fail), commits and VALID votes with real
// sample signatures against the running Sprint (they fail outside their stage, as they should).
import { createHash } from 'node:crypto';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { RequestQuery } from 'cosmjs-types/tendermint/abci/types';
import type { BaseApp } from '../../app/runtime/baseApp.js';
import { Verdict } from '../../proto/gen/gonka/poc/v1/poc.js';
import {
  QueryCommitsRequest,
  QueryCommitsResponse,
  QueryStageRequest,
  QueryStageResponse,
} from '../../proto/gen/gonka/poc/v1/query.js';
import {
  MsgPocCommit,
  MsgPocValidation,
  MsgRegisterParticipant,
  MsgUpdateParticipant,
} from '../../proto/gen/gonka/poc/v1/tx.js';
import { typeUrl } from '../../proto/gonka/registry.js';
import { sprintParams } from '../../x/poc/params.js';
import { ed25519PublicKey, signPop } from '../../x/poc/registration.js';
import { sampleSignBytes } from '../../x/poc/sample.js';
import type { TestKey } from '../integration/tx-harness.js';

const msg = (
  codec: { encode(m: any): { finish(): Uint8Array }; fromPartial(m: any): any },
  value: unknown,
): Any => ({
  typeUrl: typeUrl(codec as never),
  value: codec.encode(codec.fromPartial(value)).finish(),
});

/** Sprint params for the simulation: 20-block epochs, stages 1/2/2/0 (P = B − 7). */
export function simSprintParamsJson(): Record<string, unknown> {
  const p = sprintParams('fast');
  return {
    epoch_length: '20',
    generation_blocks: '1',
    commit_blocks: '2',
    validation_blocks: '2',
    dkg_blocks: '0',
    sample_size: p.sampleSize,
    max_power_fraction: '1',
    max_participants: p.maxParticipants,
    classes: p.classes.map((c) => ({ class_id: c.classId, coefficient: c.coefficient, max_count: '100000' })),
  };
}

function stage(app: BaseApp) {
  const r = app.query(
    RequestQuery.fromPartial({
      path: '/gonka.poc.v1.Query/Stage',
      data: QueryStageRequest.encode({}).finish(),
    }),
  );
  return r.code === 0 ? QueryStageResponse.decode(r.value) : undefined;
}

function commits(app: BaseApp, epoch: bigint) {
  const r = app.query(
    RequestQuery.fromPartial({
      path: '/gonka.poc.v1.Query/Commits',
      data: QueryCommitsRequest.encode({ epoch, round: 0 }).finish(),
    }),
  );
  return r.code === 0 ? QueryCommitsResponse.decode(r.value).commits : [];
}

/**
 * One Sprint operation for `key` (index `i`), or undefined when there is nothing to do. `staged`:
 * only the op the stage calls for (a commit in generation/commit, votes in validation).
 */
export function pocSimOp(
  app: BaseApp,
  chainId: string,
  keys: TestKey[],
  i: number,
  pick: (n: number) => number,
  staged = false,
): { kind: string; msg: Any } | undefined {
  const key = keys[i]!;
  const participant = key.address;
  const st = stage(app);
  const sprint = st?.sprint;
  // Mostly the op the stage calls for (commits in generation/commit, votes in validation), now
  // and then one out of its stage (refused with the stage code).
  const inStage =
    st?.stage === 'generation' || st?.stage === 'commit' ? 2 : st?.stage === 'validation' ? 3 : -1;
  if (staged && inStage < 0) return undefined;
  switch (staged ? inStage : pick(4)) {
    case 0:
      return {
        kind: 'poc-update',
        msg: msg(MsgUpdateParticipant, { participant, apiUrl: `http://127.0.0.1:${9000 + i}`, classes: [1] }),
      };
    case 1: {
      const seed = createHash('sha256').update(`sim-ed25519-${i}`).digest();
      return {
        kind: 'poc-register',
        msg: msg(MsgRegisterParticipant, {
          participant,
          apiUrl: `http://127.0.0.1:${9000 + i}`,
          consensusPubkey: ed25519PublicKey(seed),
          pop: signPop(chainId, participant, seed),
          classes: [1],
        }),
      };
    }
    case 2:
      if (!sprint) return undefined;
      return {
        kind: 'poc-commit',
        msg: msg(MsgPocCommit, {
          participant,
          epoch: sprint.epoch,
          classId: 1,
          count: BigInt(1 + pick(200_000)), // sometimes over max_count
          root: createHash('sha256')
            .update(`sim-root-${i}-${pick(1000)}`)
            .digest(),
        }),
      };
    default: {
      if (!sprint) return undefined;
      // VALID on every commit so far (all in one msg: a repeat is a duplicate and fails whole)
      const targets = commits(app, sprint.epoch).slice(0, 16);
      if (targets.length === 0) return undefined;
      return {
        kind: 'poc-vote',
        msg: msg(MsgPocValidation, {
          validator: participant,
          epoch: sprint.epoch,
          validations: targets.map((c) => ({
            participant: c.participant,
            classId: c.classId,
            verdict: Verdict.VERDICT_VALID,
            sampleSig: key.sign(
              sampleSignBytes({
                chainId,
                epoch: sprint.epoch,
                participant: c.participant,
                classId: c.classId,
                validationHash: sprint.validationHash,
                round: 0,
              }),
            ),
          })),
        }),
      };
    }
  }
}
