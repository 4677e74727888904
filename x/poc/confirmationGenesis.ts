// Genesis JSON of confirmation rounds: rounds (stage heights, params snapshot, seed, validation
// hash, finished), round commits, round votes and results. Written only when present, so an
// export without rounds reads as before. The running-round pointer (0x12) is not listed: it is
// the one unfinished round, restored on import.
import type { Context } from '../../app/runtime/context.js';
import type { ConfirmationResult, ConfirmationRound } from '../../proto/gen/gonka/poc/v1/poc.js';
import {
  alphaAtto,
  confirmationParamsFromJson,
  confirmationParamsToJson,
  toleranceAtto,
} from './confirmationParams.js';
import { pocErrors } from './errors.js';
import {
  b64,
  bytes,
  commitFromJson,
  commitToJson,
  knownParticipant,
  list,
  small,
  u,
  voteFromJson,
  voteToJson,
} from './genesisFields.js';
import type { PocKeeper } from './keeper.js';

export interface ConfirmationGenesis {
  confirmation_rounds?: Record<string, unknown>[];
  round_commits?: Record<string, unknown>[];
  round_votes?: Record<string, unknown>[];
  confirmation_results?: Record<string, unknown>[];
}

const roundNo = (what: string, v: unknown): number => {
  const n = small(what, v);
  if (n < 1) throw pocErrors.invalidGenesis(`${what} must be at least 1`);
  return n;
};
const dec = (what: string, v: unknown): string => {
  if (typeof v !== 'string' || !/^\d{1,30}(\.\d{1,18})?$/.test(v))
    throw pocErrors.invalidGenesis(`${what} must be a decimal string`);
  return v;
};
export function exportConfirmationGenesis(ctx: Context, keeper: PocKeeper): ConfirmationGenesis {
  const s = keeper.confirmations;
  const out: ConfirmationGenesis = {};
  const rounds = [...s.iterateAllRounds(ctx)].map((r) => ({
    epoch: r.epoch.toString(),
    round: r.round,
    start: r.start.toString(),
    commit_start: r.commitStart.toString(),
    validation_start: r.validationStart.toString(),
    result_height: r.resultHeight.toString(),
    seed: b64(r.seed),
    validation_hash: b64(r.validationHash),
    params: confirmationParamsToJson(r.params!),
    finished: r.finished,
  }));
  const commits = [...s.iterateAllCommits(ctx)].map((c) => commitToJson(c, true));
  const votes = [...s.iterateAllVotes(ctx)].map((v) => voteToJson(v, true));
  const results = [...s.iterateAllResults(ctx)].map((r) => ({
    epoch: r.epoch.toString(),
    round: r.round,
    participant: r.participant,
    claimed_rate: r.claimedRate,
    measured_rate: r.measuredRate,
    weight_before: r.weightBefore.toString(),
    weight_after: r.weightAfter.toString(),
    inactive: r.inactive,
  }));
  if (rounds.length) out.confirmation_rounds = rounds;
  if (commits.length) out.round_commits = commits;
  if (votes.length) out.round_votes = votes;
  if (results.length) out.confirmation_results = results;
  return out;
}

export function initConfirmationGenesis(ctx: Context, keeper: PocKeeper, g: ConfirmationGenesis): void {
  initRounds(ctx, keeper, g);
  initRoundRecords(ctx, keeper, g);
}

/** The rounds, at most one of them unfinished (the running one). */
function initRounds(ctx: Context, keeper: PocKeeper, g: ConfirmationGenesis): void {
  const s = keeper.confirmations;
  let running: ConfirmationRound | undefined;
  for (const j of list('confirmation_rounds', g.confirmation_rounds)) {
    const params = confirmationParamsFromJson(j.params ?? {})!;
    const r: ConfirmationRound = {
      epoch: u('round epoch', j.epoch),
      round: roundNo('round', j.round),
      start: u('round start', j.start),
      commitStart: u('round commit_start', j.commit_start),
      validationStart: u('round validation_start', j.validation_start),
      resultHeight: u('round result_height', j.result_height),
      seed: bytes('round seed', j.seed, 64),
      validationHash: bytes('round validation_hash', j.validation_hash, 64),
      params,
      finished: j.finished === true,
    };
    if (!(r.start < r.commitStart && r.commitStart < r.validationStart && r.validationStart < r.resultHeight))
      throw pocErrors.invalidGenesis(`round ${r.round} of epoch ${r.epoch}: stage heights out of order`);
    if (params.generationBlocks < 1n || params.commitBlocks < 1n || params.validationBlocks < 1n)
      throw pocErrors.invalidGenesis(`round ${r.round} of epoch ${r.epoch}: params missing`);
    try {
      alphaAtto(params); // read again at the round's results: a bad value must not halt the chain then
      toleranceAtto(params);
    } catch (e) {
      throw pocErrors.invalidGenesis(`round ${r.round} of epoch ${r.epoch}: ${(e as Error).message}`);
    }
    if (s.getRound(ctx, r.epoch, r.round))
      throw pocErrors.invalidGenesis(`round ${r.round} of epoch ${r.epoch} listed twice`);
    if (!r.finished) {
      if (running) throw pocErrors.invalidGenesis('more than one unfinished confirmation round');
      running = r;
    }
    s.setRound(ctx, r);
  }
  s.setRunning(ctx, running);
}

/** The rounds' commits, votes and results, each naming a round listed before. */
function initRoundRecords(ctx: Context, keeper: PocKeeper, g: ConfirmationGenesis): void {
  const s = keeper.confirmations;
  const known = knownParticipant(ctx, keeper);
  const round = (what: string, epoch: bigint, n: number) => {
    if (!s.getRound(ctx, epoch, n))
      throw pocErrors.invalidGenesis(`${what}: no round ${n} of epoch ${epoch}`);
  };
  for (const j of list('round_commits', g.round_commits)) {
    const c = commitFromJson(j, 'round commit', known);
    c.round = roundNo('round commit round', j.round);
    round('round commit', c.epoch, c.round);
    s.setCommit(ctx, c);
  }
  for (const j of list('round_votes', g.round_votes)) {
    const v = voteFromJson(j, 'round vote', known);
    v.round = roundNo('round vote round', j.round);
    if (!s.getCommit(ctx, v.epoch, v.round, v.participant, v.classId))
      throw pocErrors.invalidGenesis('round vote without a round commit');
    if (s.hasVote(ctx, v.epoch, v.round, v.participant, v.classId, v.validator))
      throw pocErrors.invalidGenesis('round vote listed twice');
    s.setVote(ctx, v);
  }
  for (const j of list('confirmation_results', g.confirmation_results)) {
    const r: ConfirmationResult = {
      epoch: u('result epoch', j.epoch),
      round: roundNo('result round', j.round),
      participant: known('result participant', j.participant),
      claimedRate: dec('claimed_rate', j.claimed_rate),
      measuredRate: dec('measured_rate', j.measured_rate),
      weightBefore: u('weight_before', j.weight_before),
      weightAfter: u('weight_after', j.weight_after),
      inactive: j.inactive === true,
    };
    round('confirmation result', r.epoch, r.round);
    s.setResult(ctx, r);
  }
}
