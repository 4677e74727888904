// Genesis JSON of the Sprint's state: Sprints (stage heights, params snapshot, seeds), commits,
// votes and weight results. Written only when present, so a Sprint-less export reads as before.
import type { Context } from '../../app/runtime/context.js';
import type { SprintState, WeightResult } from '../../proto/gen/gonka/poc/v1/poc.js';
import { pocErrors } from './errors.js';
import { exportFraudGenesis, type FraudGenesis, initFraudGenesis } from './fraudGenesis.js';
import {
  b64,
  bytes,
  commitFromJson,
  commitToJson,
  knownParticipant,
  list,
  u,
  voteFromJson,
  voteToJson,
} from './genesisFields.js';
import type { PocKeeper } from './keeper.js';
import { pocParamsFromJson, pocParamsToJson } from './params.js';

export interface SprintGenesis extends FraudGenesis {
  sprints?: Record<string, unknown>[];
  commits?: Record<string, unknown>[];
  votes?: Record<string, unknown>[];
  weight_results?: Record<string, unknown>[];
}

export function exportSprintGenesis(ctx: Context, keeper: PocKeeper): SprintGenesis {
  const s = keeper.sprints;
  const out: SprintGenesis = {};
  const sprints = [...s.iterateSprints(ctx)].map((x) => ({
    epoch: x.epoch.toString(),
    poc_start: x.pocStart.toString(),
    commit_start: x.commitStart.toString(),
    validation_start: x.validationStart.toString(),
    weights_final: x.weightsFinal.toString(),
    set_height: x.setHeight.toString(),
    next_start: x.nextStart.toString(),
    seed: b64(x.seed),
    validation_hash: b64(x.validationHash),
    params: pocParamsToJson(x.params!),
  }));
  const commits = [...s.iterateAllCommits(ctx)].map((c) => commitToJson(c, false));
  const votes = [...s.iterateAllVotes(ctx)].map((v) => voteToJson(v, false));
  const results = [...s.iterateAllWeightResults(ctx)].map((r) => ({
    epoch: r.epoch.toString(),
    participant: r.participant,
    raw_weight: r.rawWeight.toString(),
    effective_weight: r.effectiveWeight.toString(),
    weight: r.weight.toString(),
    accepted: r.accepted,
  }));
  if (sprints.length) out.sprints = sprints;
  if (commits.length) out.commits = commits;
  if (votes.length) out.votes = votes;
  if (results.length) out.weight_results = results;
  return { ...out, ...exportFraudGenesis(ctx, keeper) };
}

export function initSprintGenesis(ctx: Context, keeper: PocKeeper, g: SprintGenesis): void {
  importSprints(ctx, keeper, g);
  importCommitsVotesResults(ctx, keeper, g);
  initFraudGenesis(ctx, keeper, g);
}

function importSprints(ctx: Context, keeper: PocKeeper, g: SprintGenesis): void {
  const s = keeper.sprints;
  for (const j of list('sprints', g.sprints)) {
    const sp: SprintState = {
      epoch: u('sprint epoch', j.epoch),
      pocStart: u('poc_start', j.poc_start),
      commitStart: u('commit_start', j.commit_start),
      validationStart: u('validation_start', j.validation_start),
      weightsFinal: u('weights_final', j.weights_final),
      setHeight: u('set_height', j.set_height),
      nextStart: u('next_start', j.next_start),
      seed: bytes('seed', j.seed, 64),
      validationHash: bytes('validation_hash', j.validation_hash, 64),
      params: pocParamsFromJson(j.params),
    };
    if (
      !(
        sp.pocStart <= sp.commitStart &&
        sp.commitStart <= sp.validationStart &&
        sp.validationStart <= sp.weightsFinal &&
        sp.weightsFinal <= sp.setHeight &&
        sp.setHeight + 2n === sp.nextStart
      )
    )
      throw pocErrors.invalidGenesis(`sprint ${sp.epoch}: stage heights out of order`);
    if (s.getSprint(ctx, sp.epoch)) throw pocErrors.invalidGenesis(`sprint ${sp.epoch} listed twice`);
    s.setSprint(ctx, sp);
  }
}

function importCommitsVotesResults(ctx: Context, keeper: PocKeeper, g: SprintGenesis): void {
  const s = keeper.sprints;
  const known = knownParticipant(ctx, keeper);
  for (const j of list('commits', g.commits)) s.setCommit(ctx, commitFromJson(j, 'commit', known));
  for (const j of list('votes', g.votes)) {
    const v = voteFromJson(j, 'vote', known);
    if (s.hasVote(ctx, v.epoch, v.participant, v.classId, v.validator))
      throw pocErrors.invalidGenesis('vote listed twice');
    s.setVote(ctx, v);
  }
  for (const j of list('weight_results', g.weight_results)) {
    const r: WeightResult = {
      epoch: u('result epoch', j.epoch),
      participant: known('result participant', j.participant),
      rawWeight: u('raw_weight', j.raw_weight),
      effectiveWeight: u('effective_weight', j.effective_weight),
      weight: u('weight', j.weight),
      accepted: j.accepted === true,
    };
    s.setWeightResult(ctx, r);
  }
}
