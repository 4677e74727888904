// The API node's validator for one Sprint: every (participant, class) commit, its own included,
// is sampled, fetched, checked and recomputed, a few at a time, and the verdicts are broadcast as
// MsgPocValidation (split when there are many). Runs in the validation stage, after
// sprint.validation_hash is known.
import { POC_CLASSES, type PocClass } from '../../../kernels/poc/classes.js';
import { MsgPocValidation, type PocValidation } from '../../../proto/gen/gonka/poc/v1/tx.js';
import { CommitSkipped, checkCommit } from './check-commit.js';
import { Recomputer } from './recompute.js';
import type { CommitOutcome, PocCommit, PocValidatorDeps, SprintState, SprintValidation } from './types.js';

export const MSG_POC_VALIDATION_TYPE_URL = `/${MsgPocValidation.$type}`;

function classById(id: number): PocClass | undefined {
  return Object.values(POC_CLASSES).find((c) => c.id === id);
}

/** One commit per (participant, class) (the latest height wins), sorted by participant then class. */
function latestCommits(commits: readonly PocCommit[], epoch: bigint): PocCommit[] {
  const byKey = new Map<string, PocCommit>();
  for (const c of commits) {
    if (c.epoch !== epoch) continue;
    const key = `${c.participant}\u0000${c.classId}`;
    const seen = byKey.get(key);
    if (!seen || c.height > seen.height) byKey.set(key, c);
  }
  return [...byKey.values()].sort((a, b) =>
    a.participant < b.participant ? -1 : a.participant > b.participant ? 1 : a.classId - b.classId,
  );
}

/** Decides every commit of the Sprint without broadcasting (the API node may retry the broadcast). */
export async function computeSprintVotes(
  deps: PocValidatorDeps,
  sprint: SprintState,
): Promise<SprintValidation> {
  const params = sprint.params;
  if (!params) throw new Error(`sprint ${sprint.epoch} has no params snapshot`);
  if (sprint.validationHash.length === 0) {
    throw new Error(`sprint ${sprint.epoch}: validation_hash is not known yet (before the validation stage)`);
  }
  const sampleSize = params.sampleSize;
  const chainClasses = new Set(params.classes.map((c) => c.classId));
  const commits = latestCommits(await deps.sprintCommits(sprint.epoch), sprint.epoch);
  const recomputer = deps.recomputer ?? new Recomputer({ log: deps.log });
  const outcomes: (CommitOutcome | undefined)[] = new Array(commits.length);
  const skipped: SprintValidation['skipped'] = [];
  const started = Date.now();

  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      const commit = commits[i];
      if (!commit) return;
      const cls = classById(commit.classId);
      if (!cls || !chainClasses.has(commit.classId)) {
        skipped.push({
          participant: commit.participant,
          classId: commit.classId,
          why: 'class not in the params',
        });
        continue;
      }
      try {
        const outcome = await checkCommit({ deps, sprint, sampleSize, recomputer }, commit, cls);
        outcomes[i] = outcome;
        deps.onOutcome?.(outcome);
        deps.log.info(
          {
            epoch: sprint.epoch.toString(),
            participant: commit.participant,
            class: cls.name,
            count: commit.count.toString(),
            samples: outcome.indices.length,
            verdict: outcome.verdict,
            reason: outcome.reason,
            attempts: outcome.attempts,
            ...(outcome.detail ? { detail: outcome.detail } : {}),
          },
          'PoC commit checked',
        );
      } catch (err) {
        if (!(err instanceof CommitSkipped)) throw err;
        skipped.push({ participant: commit.participant, classId: commit.classId, why: err.message });
        deps.log.warn(
          { participant: commit.participant, class: cls.name, why: err.message },
          'PoC commit not voted',
        );
      }
    }
  };
  const concurrency = Math.max(1, Math.min(deps.concurrency ?? 4, commits.length || 1));
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    if (!deps.recomputer) await recomputer.release();
  }

  const decided = outcomes.filter((o): o is CommitOutcome => o !== undefined);
  const msgs = voteMsgs(deps.signer.address, sprint.epoch, decided, deps.maxVotesPerMsg ?? 64);
  deps.log.info(
    {
      epoch: sprint.epoch.toString(),
      votes: decided.length,
      skipped: skipped.length,
      ms: Date.now() - started,
    },
    'PoC Sprint validated',
  );
  return { epoch: sprint.epoch, outcomes: decided, skipped, msgs };
}

/** The votes as MsgPocValidation, at most `perMsg` each, in outcome order. */
export function voteMsgs(
  validator: string,
  epoch: bigint,
  outcomes: readonly CommitOutcome[],
  perMsg: number,
): MsgPocValidation[] {
  if (!Number.isSafeInteger(perMsg) || perMsg < 1) throw new RangeError('maxVotesPerMsg must be ≥ 1');
  const votes: PocValidation[] = outcomes.map((o) => ({
    participant: o.participant,
    classId: o.classId,
    verdict: o.verdict,
    sampleSig: o.sampleSig,
  }));
  const msgs: MsgPocValidation[] = [];
  for (let i = 0; i < votes.length; i += perMsg) {
    msgs.push({ validator, epoch, validations: votes.slice(i, i + perMsg) });
  }
  return msgs;
}

/**
 * Validates the Sprint and broadcasts the votes, one deps.broadcast call per MsgPocValidation.
 * A broadcast error propagates (after the earlier msgs went out); the result's msgs let the
 * caller retry the rest.
 */
export async function validateSprint(deps: PocValidatorDeps, sprint: SprintState): Promise<SprintValidation> {
  const result = await computeSprintVotes(deps, sprint);
  for (const msg of result.msgs) {
    await deps.broadcast([{ typeUrl: MSG_POC_VALIDATION_TYPE_URL, value: msg }]);
  }
  return result;
}
