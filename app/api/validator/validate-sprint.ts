// The API node's validator for one target — a Sprint, or a confirmation round of the running
// epoch: every (participant, class) commit, its own included, is sampled, fetched, checked and
// recomputed, a few at a time, and the verdicts are broadcast as MsgPocValidation (split when
// there are many). Runs in the target's validation stage, after its validation_hash is known.
import { POC_CLASSES, type PocClass } from '../../../kernels/poc/classes.js';
import { MsgPocValidation, type PocValidation } from '../../../proto/gen/gonka/poc/v1/tx.js';
import { CommitSkipped, checkCommit } from './check-commit.js';
import { fraudProofMsg, fraudSettings } from './fraud-proofs.js';
import { Recomputer } from './recompute.js';
import type {
  CommitOutcome,
  PocCommit,
  PocValidatorDeps,
  SprintState,
  SprintValidation,
  ValidationTarget,
} from './types.js';

export const MSG_POC_VALIDATION_TYPE_URL = `/${MsgPocValidation.$type}`;

function classById(id: number): PocClass | undefined {
  return Object.values(POC_CLASSES).find((c) => c.id === id);
}

const byParticipantThenClass = (
  a: { participant: string; classId: number },
  b: { participant: string; classId: number },
) => (a.participant < b.participant ? -1 : a.participant > b.participant ? 1 : a.classId - b.classId);

/** One commit per (participant, class) (the latest height wins), sorted by participant then class. */
function latestCommits(commits: readonly PocCommit[], epoch: bigint): PocCommit[] {
  const byKey = new Map<string, PocCommit>();
  for (const c of commits) {
    if (c.epoch !== epoch) continue;
    const key = `${c.participant}\u0000${c.classId}`;
    const seen = byKey.get(key);
    if (!seen || c.height > seen.height) byKey.set(key, c);
  }
  return [...byKey.values()].sort(byParticipantThenClass);
}

/** The Sprint of `sprint.epoch` as a validation target (round 0, its params' sample size). */
export function sprintTarget(
  deps: Pick<PocValidatorDeps, 'sprintCommits'>,
  sprint: SprintState,
): ValidationTarget {
  const params = sprint.params;
  if (!params) throw new Error(`sprint ${sprint.epoch} has no params snapshot`);
  return {
    epoch: sprint.epoch,
    round: 0,
    seed: sprint.seed,
    validationHash: sprint.validationHash,
    sampleSize: params.sampleSize,
    classIds: params.classes.map((c) => c.classId),
    fraud: fraudSettings(params),
    commits: () => deps.sprintCommits(sprint.epoch),
  };
}

const describeTarget = (t: ValidationTarget) =>
  t.round === 0 ? `sprint ${t.epoch}` : `confirmation round ${t.round} of epoch ${t.epoch}`;

/** Checks every commit, handing each outcome to `onDecided` as soon as it is known. */
async function checkAll(
  deps: PocValidatorDeps,
  target: ValidationTarget,
  onDecided: (o: CommitOutcome) => void,
): Promise<Omit<SprintValidation, 'msgs'>> {
  const what = describeTarget(target);
  if (target.validationHash.length === 0) {
    throw new Error(`${what}: validation_hash is not known yet (before the validation stage)`);
  }
  // A wrong seed would make every honest output look forged: refuse rather than vote INVALID.
  if (target.seed.length !== 32) throw new Error(`${what}: seed is not a 32-byte block hash`);
  if (!Number.isSafeInteger(target.sampleSize) || target.sampleSize < 1)
    throw new Error(`${what}: sample_size ${target.sampleSize} is not positive`);
  const chainClasses = new Set(target.classIds);
  const commits = latestCommits(
    (await target.commits()).filter((c) => (c.round ?? 0) === target.round),
    target.epoch,
  );
  const recomputer = deps.recomputer ?? new Recomputer({ log: deps.log });
  const outcomes: CommitOutcome[] = [];
  const skipped: SprintValidation['skipped'] = [];
  const started = Date.now();

  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const commit = commits[next++];
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
      if (deps.signal?.aborted) {
        skipped.push({ participant: commit.participant, classId: commit.classId, why: 'validation aborted' });
        continue;
      }
      try {
        const outcome = await checkCommit({ deps, target, recomputer }, commit, cls);
        outcomes.push(outcome);
        deps.log.info(
          {
            epoch: target.epoch.toString(),
            round: target.round,
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
        deps.onOutcome?.(outcome);
        const proof = deps.onFraudProof && fraudProofMsg(deps.signer.address, target, outcome);
        if (proof) deps.onFraudProof?.(proof, target.fraud?.perBlock ?? 0);
        onDecided(outcome);
      } catch (err) {
        // The validator's own failure (aborted, no engine, a chain query or the signer failing):
        // no vote rather than blaming the participant, and the other commits go on.
        const why = err instanceof CommitSkipped ? err.message : `validator error: ${String(err)}`;
        skipped.push({ participant: commit.participant, classId: commit.classId, why });
        deps.log.warn({ participant: commit.participant, class: cls.name, why }, 'PoC commit not voted');
      }
    }
  };
  const concurrency = Math.max(1, Math.min(deps.concurrency ?? 4, commits.length || 1));
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    if (!deps.recomputer) await recomputer.release();
  }
  outcomes.sort(byParticipantThenClass);
  skipped.sort(byParticipantThenClass);
  deps.log.info(
    {
      epoch: target.epoch.toString(),
      round: target.round,
      votes: outcomes.length,
      skipped: skipped.length,
      ms: Date.now() - started,
    },
    target.round === 0 ? 'PoC Sprint validated' : 'PoC confirmation round validated',
  );
  return { epoch: target.epoch, round: target.round, outcomes, skipped };
}

/** Decides every commit of the Sprint without broadcasting; msgs are the votes, sorted, split. */
export async function computeSprintVotes(
  deps: PocValidatorDeps,
  sprint: SprintState,
): Promise<SprintValidation> {
  return computeTargetVotes(deps, sprintTarget(deps, sprint));
}

/** Decides every commit of the target without broadcasting; msgs are the votes, sorted, split. */
export async function computeTargetVotes(
  deps: PocValidatorDeps,
  target: ValidationTarget,
): Promise<SprintValidation> {
  const result = await checkAll(deps, target, () => {});
  return {
    ...result,
    msgs: voteMsgs(deps.signer.address, target.epoch, result.outcomes, perMsg(deps), target.round),
  };
}

function perMsg(deps: PocValidatorDeps): number {
  const n = deps.maxVotesPerMsg ?? 64;
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError('maxVotesPerMsg must be ≥ 1');
  return n;
}

/** The votes as MsgPocValidation, at most `perMsg` each, in outcome order. */
export function voteMsgs(
  validator: string,
  epoch: bigint,
  outcomes: readonly CommitOutcome[],
  perMsg: number,
  round = 0,
): MsgPocValidation[] {
  const votes: PocValidation[] = outcomes.map((o) => ({
    participant: o.participant,
    classId: o.classId,
    verdict: o.verdict,
    sampleSig: o.sampleSig,
  }));
  const msgs: MsgPocValidation[] = [];
  for (let i = 0; i < votes.length; i += perMsg) {
    msgs.push({ validator, epoch, validations: votes.slice(i, i + perMsg), round });
  }
  return msgs;
}

/** Some votes could not be broadcast; `result.msgs` holds those that were. */
export class VoteBroadcastError extends Error {
  override name = 'VoteBroadcastError';
  constructor(
    readonly unsent: MsgPocValidation[],
    readonly result: SprintValidation,
    cause: unknown,
  ) {
    super(`${unsent.length} MsgPocValidation could not be broadcast: ${String(cause)}`);
  }
}

/**
 * Validates the Sprint and broadcasts the votes as they are decided: a full msg of
 * maxVotesPerMsg goes out at once, and every flushMs (default 5 s) whatever is decided goes out,
 * so participants that time out and are retried never hold back the others' votes past the
 * validation stage. Broadcasts are sequential, one deps.broadcast call per msg. If any fails, the
 * rest are still tried and a VoteBroadcastError is thrown at the end.
 */
export async function validateSprint(deps: PocValidatorDeps, sprint: SprintState): Promise<SprintValidation> {
  return validateTarget(deps, sprintTarget(deps, sprint));
}

/** validateSprint for any target: a Sprint, or a confirmation round (votes carry its round). */
export async function validateTarget(
  deps: PocValidatorDeps,
  target: ValidationTarget,
): Promise<SprintValidation> {
  const limit = perMsg(deps);
  const pending: CommitOutcome[] = [];
  const sent: MsgPocValidation[] = [];
  const unsent: MsgPocValidation[] = [];
  let firstError: unknown;
  let chain: Promise<void> = Promise.resolve();
  const flush = (partial: boolean) => {
    while (pending.length >= limit || (partial && pending.length > 0)) {
      const [msg] = voteMsgs(
        deps.signer.address,
        target.epoch,
        pending.splice(0, limit),
        limit,
        target.round,
      );
      if (!msg) return;
      chain = chain.then(async () => {
        try {
          await deps.broadcast([{ typeUrl: MSG_POC_VALIDATION_TYPE_URL, value: msg }]);
          sent.push(msg);
        } catch (err) {
          firstError ??= err;
          unsent.push(msg);
          deps.log.error({ votes: msg.validations.length, err: String(err) }, 'PoC votes not broadcast');
        }
      });
    }
  };
  const timer = setInterval(() => flush(true), deps.flushMs ?? 5_000);
  timer.unref();
  let result: Omit<SprintValidation, 'msgs'>;
  try {
    result = await checkAll(deps, target, (o) => {
      pending.push(o);
      flush(false);
    });
  } finally {
    clearInterval(timer);
  }
  flush(true);
  await chain;
  const done = { ...result, msgs: sent };
  if (unsent.length > 0) throw new VoteBroadcastError(unsent, done, firstError);
  return done;
}
