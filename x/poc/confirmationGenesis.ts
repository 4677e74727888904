// Genesis JSON of confirmation rounds: rounds (stage heights, params snapshot, seed, validation
// hash, finished), round commits, round votes and results. Written only when present, so an
// export without rounds reads as before. The running-round pointer (0x12) is not listed: it is
// the one unfinished round, restored on import.
import { addressBytes } from '../../app/runtime/address.js';
import type { Context } from '../../app/runtime/context.js';
import {
  type ConfirmationResult,
  type ConfirmationRound,
  type PocCommit,
  type PocVote,
  Verdict,
} from '../../proto/gen/gonka/poc/v1/poc.js';
import {
  alphaAtto,
  confirmationParamsFromJson,
  confirmationParamsToJson,
  toleranceAtto,
} from './confirmationParams.js';
import { pocErrors } from './errors.js';
import type { PocKeeper } from './keeper.js';

export interface ConfirmationGenesis {
  confirmation_rounds?: Record<string, unknown>[];
  round_commits?: Record<string, unknown>[];
  round_votes?: Record<string, unknown>[];
  confirmation_results?: Record<string, unknown>[];
}

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const u = (what: string, v: unknown): bigint => {
  if (typeof v !== 'string' || !/^\d{1,19}$/.test(v))
    throw pocErrors.invalidGenesis(`${what} must be an unsigned integer string`);
  return BigInt(v);
};
const small = (what: string, v: unknown): number => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff)
    throw pocErrors.invalidGenesis(`${what} must be a u32`);
  return v;
};
const roundNo = (what: string, v: unknown): number => {
  const n = small(what, v);
  if (n < 1) throw pocErrors.invalidGenesis(`${what} must be at least 1`);
  return n;
};
const bytes = (what: string, v: unknown, max: number): Uint8Array => {
  if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v))
    throw pocErrors.invalidGenesis(`${what} must be base64`);
  const out = Uint8Array.from(Buffer.from(v, 'base64'));
  if (out.length > max) throw pocErrors.invalidGenesis(`${what} is over ${max} bytes`);
  return out;
};
const dec = (what: string, v: unknown): string => {
  if (typeof v !== 'string' || !/^\d{1,30}(\.\d{1,18})?$/.test(v))
    throw pocErrors.invalidGenesis(`${what} must be a decimal string`);
  return v;
};
const list = (what: string, v: unknown): Record<string, unknown>[] => {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw pocErrors.invalidGenesis(`${what} must be a list`);
  return v as Record<string, unknown>[];
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
  const commits = [...s.iterateAllCommits(ctx)].map((c) => ({
    participant: c.participant,
    epoch: c.epoch.toString(),
    round: c.round,
    class_id: c.classId,
    count: c.count.toString(),
    root: b64(c.root),
    height: c.height.toString(),
  }));
  const votes = [...s.iterateAllVotes(ctx)].map((v) => ({
    epoch: v.epoch.toString(),
    round: v.round,
    validator: v.validator,
    participant: v.participant,
    class_id: v.classId,
    verdict: v.verdict,
    power: v.power.toString(),
  }));
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

/** A genesis address check: an address of a participant. */
function knownParticipant(ctx: Context, keeper: PocKeeper) {
  return (what: string, a: unknown): string => {
    if (typeof a !== 'string') throw pocErrors.invalidGenesis(`${what} must be an address`);
    addressBytes(a);
    if (!keeper.getParticipant(ctx, a)) throw pocErrors.invalidGenesis(`${what} ${a} is not a participant`);
    return a;
  };
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
    const c: PocCommit = {
      participant: known('round commit participant', j.participant),
      epoch: u('round commit epoch', j.epoch),
      classId: small('round commit class_id', j.class_id),
      count: u('round commit count', j.count),
      root: bytes('round commit root', j.root, 32),
      height: u('round commit height', j.height),
      round: roundNo('round commit round', j.round),
    };
    round('round commit', c.epoch, c.round);
    s.setCommit(ctx, c);
  }
  for (const j of list('round_votes', g.round_votes)) {
    const verdict = small('verdict', j.verdict);
    if (verdict < Verdict.VERDICT_VALID || verdict > Verdict.VERDICT_UNAVAILABLE)
      throw pocErrors.invalidGenesis(`verdict ${verdict} is not valid`);
    const v: PocVote = {
      epoch: u('round vote epoch', j.epoch),
      validator: known('round vote validator', j.validator),
      participant: known('round vote participant', j.participant),
      classId: small('round vote class_id', j.class_id),
      verdict,
      power: u('round vote power', j.power),
      round: roundNo('round vote round', j.round),
    };
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
