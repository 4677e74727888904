// MsgPocFraudProof (issue 13, poc-attack-contract.md): one leaf of a commit, with its inclusion
// path, that the chain recomputes inside FinalizeBlock. Checks run in the contract's order, every
// refusal before any recomputation:
//   19 malformed (stateless, also in CheckTx) → 20 class not fraud-provable → 21 outside the
//   window → 22 already proven → 23 k proofs recomputed in this block → 13 no commit → 24 the
//   path does not reach the commit's root (or index ≥ count) → charge fraud_proof_gas →
//   recompute → 25 (an honest leaf: the tx fails, the gas is kept) or a proven forgery.
// A forgery (the output differs, or the leaf carries nonce ≠ index) stores a FraudRecord, slashes
// slash_fraction_invalid ('poc_fraud'), pays the prover fraud_reward_fraction of the cut, and
// zeroes the weight: before weights_final weights.ts gives the participant 0; after it (or for a
// confirmation round) the participant is jailed and its next weight set to 0 while the set it
// would join is not current yet.
import type { Event } from 'cosmjs-types/tendermint/abci/types';
import { addressBytes } from '../../app/runtime/address.js';
import type { Context } from '../../app/runtime/context.js';
import { ONE } from '../../app/runtime/decimal.js';
import { event } from '../../app/runtime/events.js';
import type { MsgRouter } from '../../app/runtime/router.js';
import { verifyInclusion } from '../../kernels/poc/artifacts/merkle.js';
import { bytesEqual } from '../../kernels/poc/bytes.js';
import { outputBytes, POC_CLASSES, type PocClass } from '../../kernels/poc/classes.js';
import { EpochCache } from '../../kernels/poc/epoch.js';
import { leafHash } from '../../kernels/poc/leaf.js';
import { computeOutput } from '../../kernels/poc/reference.js';
import type { FraudRecord, Params as PocParams } from '../../proto/gen/gonka/poc/v1/poc.js';
import { MsgPocFraudProof, MsgPocFraudProofResponse } from '../../proto/gen/gonka/poc/v1/tx.js';
import { typeUrl } from '../../proto/gonka/registry.js';
import { kernelPubkey } from './accountKeys.js';
import { pocErrors } from './errors.js';
import type { PocKeeper } from './keeper.js';
import { classParams, fraudRewardFractionAtto } from './params.js';
import { landingHeight } from './stages.js';

export const MSG_POC_FRAUD_PROOF = typeUrl(MsgPocFraudProof);
/** Sibling hashes a path may carry: a tree of 2^48 leaves (max_count) needs 48. */
export const MAX_FRAUD_PATH = 64;
/** Leaf indices are below max_count ≤ 2^48. */
export const MAX_FRAUD_INDEX = 1n << 48n;
const PATH_HASH_BYTES = 32;
const KERNEL_CLASSES: readonly PocClass[] = Object.values(POC_CLASSES);
const MAX_OUTPUT_BYTES = Math.max(...KERNEL_CLASSES.map(outputBytes));

const kernelClass = (id: number): PocClass | undefined => KERNEL_CLASSES.find((c) => c.id === id);

/**
 * The class weights derived from a seed cost milliseconds and every proof of one Sprint shares
 * them: a small LRU outside state. A pure function of (seed, class), so which node has what
 * cached never changes a result.
 */
const epochs = new EpochCache(4);

/** Recomputations run by this process (tests prove refusals come before any; not state). */
export const fraudRecomputations = { count: 0 };

/** The stateless bounds (poc 19), run in CheckTx too. */
export function validateMsgPocFraudProof(m: MsgPocFraudProof): void {
  addressBytes(m.prover);
  addressBytes(m.participant);
  if (m.index >= MAX_FRAUD_INDEX) throw pocErrors.malformedFraudProof(`index ${m.index} is not below 2^48`);
  if (m.path.length > MAX_FRAUD_PATH)
    throw pocErrors.malformedFraudProof(`path has ${m.path.length} entries, at most ${MAX_FRAUD_PATH}`);
  if (m.path.some((h) => h.length !== PATH_HASH_BYTES))
    throw pocErrors.malformedFraudProof(`every path entry must be ${PATH_HASH_BYTES} bytes`);
  const cls = kernelClass(m.classId);
  // An unknown class is refused by state (poc 20); its output is still bounded here.
  const want = cls ? outputBytes(cls) : undefined;
  if (want !== undefined ? m.output.length !== want : m.output.length > MAX_OUTPUT_BYTES)
    throw pocErrors.malformedFraudProof(
      `output is ${m.output.length} bytes; class ${m.classId} outputs ${want ?? `at most ${MAX_OUTPUT_BYTES}`}`,
    );
}

export const pocFraudEvent = (r: FraudRecord): Event =>
  event('poc_fraud', [
    ['epoch', r.epoch.toString()],
    ['round', String(r.round)],
    ['participant', r.participant],
    ['class_id', String(r.classId)],
    ['index', r.index.toString()],
    ['prover', r.prover],
    ['slashed', r.slashed],
    ['reward', r.reward],
  ]);

interface Target {
  /** The kernel block hash of the attacked commit: the Sprint's or the round's seed. */
  seed: Uint8Array;
  /** Before this height a round-0 forgery just zeroes the Sprint's result (weights.ts). */
  weightsFinal: bigint;
  /** The epoch whose weight the forgery voids. */
  affectedEpoch: bigint;
  /** MsgUnjail is refused before this height (about the end of the affected epoch). */
  jailedUntil: bigint;
}

/**
 * 20 then 21: the Sprint's class must be fraud-provable, and h must be in the window — round 0:
 * [validation_start, next_start + epoch_length), through the epoch the Sprint decided; round n:
 * [the round's validation_start, its result_height + epoch_length).
 */
function checkClassAndWindow(
  ctx: Context,
  keeper: PocKeeper,
  m: MsgPocFraudProof,
): { target: Target; params: PocParams; kernel: PocClass; gas: bigint } {
  const sprint = keeper.sprints.getSprint(ctx, m.epoch);
  const params = sprint?.params ?? keeper.getParams(ctx);
  const cls = classParams(params, m.classId);
  const kernel = kernelClass(m.classId);
  if (!cls?.fraudProvable || !kernel)
    throw pocErrors.notFraudProvable(`class ${m.classId} is not fraud-provable in epoch ${m.epoch}`);
  const h = landingHeight(ctx);
  const outside = (from: bigint, to: bigint) =>
    pocErrors.fraudProofWindow(
      `round ${m.round} of epoch ${m.epoch} takes fraud proofs at heights [${from}, ${to}), not ${h}`,
    );
  if (!sprint) throw pocErrors.fraudProofWindow(`no Sprint of epoch ${m.epoch} is stored`);
  const span = sprint.params!.epochLength;
  if (m.round === 0) {
    const end = sprint.nextStart + span;
    if (h < sprint.validationStart || h >= end) throw outside(sprint.validationStart, end);
    return {
      target: {
        seed: sprint.seed,
        weightsFinal: sprint.weightsFinal,
        affectedEpoch: sprint.epoch,
        jailedUntil: end,
      },
      params,
      kernel,
      gas: cls.fraudProofGas,
    };
  }
  const round = keeper.confirmations.getRound(ctx, m.epoch, m.round);
  if (!round)
    throw pocErrors.fraudProofWindow(`confirmation round ${m.round} of epoch ${m.epoch} is not stored`);
  const end = round.resultHeight + span;
  if (h < round.validationStart || h >= end) throw outside(round.validationStart, end);
  return {
    target: {
      seed: round.seed,
      weightsFinal: 0n,
      affectedEpoch: m.epoch,
      jailedUntil: keeper.epochState(ctx).nextStartHeight,
    },
    params,
    kernel,
    gas: cls.fraudProofGas,
  };
}

export function registerFraudProofMsg(msgs: MsgRouter, keeper: PocKeeper): void {
  msgs.register({
    typeUrl: MSG_POC_FRAUD_PROOF,
    request: MsgPocFraudProof,
    responseTypeUrl: typeUrl(MsgPocFraudProofResponse),
    response: MsgPocFraudProofResponse,
    signers: (m) => [m.prover],
    validate: validateMsgPocFraudProof,
    handle(ctx, m) {
      const { target, kernel, gas } = checkClassAndWindow(ctx, keeper, m);
      if (keeper.fraud.hasRecord(ctx, m.epoch, m.round, m.participant, m.classId))
        throw pocErrors.alreadyProven(
          `${m.participant}'s class ${m.classId} in epoch ${m.epoch} round ${m.round} is already proven forged`,
        );
      const k = keeper.getParams(ctx).fraudProofsPerBlock;
      const used = ctx.effects.fraudProofs ?? 0;
      if (used >= k)
        throw pocErrors.fraudProofLimit(`this block already recomputed ${used} of ${k} fraud proofs`);
      const commit = keeper.fraud.commitFor(ctx, m.epoch, m.round, m.participant, m.classId);
      if (!commit)
        throw pocErrors.noCommit(
          `${m.participant} has no commit for class ${m.classId} in epoch ${m.epoch} round ${m.round}`,
        );
      // The leaf as committed: its own nonce (a nonce ≠ index in the tree is itself the forgery).
      if (
        m.index >= commit.count ||
        !verifyInclusion(
          Number(m.index),
          Number(commit.count),
          leafHash(m.nonce, m.output),
          m.path,
          commit.root,
        )
      )
        throw pocErrors.proofMismatch(
          `the path does not lead leaf ${m.index} to the root of ${commit.count} leaves`,
        );
      const pubkey = kernelPubkey(ctx, keeper.accounts, m.participant);
      ctx.gasMeter.consume(gas, 'poc fraud proof recompute');
      ctx.effects.fraudProofs = used + 1;
      if (!isForged(ctx, target.seed, kernel, pubkey, m))
        throw pocErrors.notForgery(`leaf ${m.index} recomputes to the committed output`);
      punish(ctx, keeper, m, target);
      return {};
    },
  });
}

/**
 * nonce ≠ index, or the output differs from the reference kernel's. Simulation does not recompute
 * (a free query must not buy CPU) and estimates the forgery path, the costlier one.
 */
function isForged(
  ctx: Context,
  seed: Uint8Array,
  kernel: PocClass,
  pubkey: Uint8Array,
  m: MsgPocFraudProof,
): boolean {
  if (m.nonce !== m.index || ctx.mode === 'simulate') return true;
  fraudRecomputations.count++;
  const want = computeOutput(epochs.get(kernel, seed), pubkey, m.index);
  return !bytesEqual(want, m.output);
}

function punish(ctx: Context, keeper: PocKeeper, m: MsgPocFraudProof, target: Target): void {
  const h = ctx.header.height;
  // Before weights_final the Sprint's result is not out: weights.ts reads the record and gives 0.
  if (m.round !== 0 || h >= target.weightsFinal) {
    if (keeper.currentEpoch(ctx) < target.affectedEpoch) keeper.setNextWeight(ctx, m.participant, 0n);
    keeper.penalties?.jail(ctx, m.participant, target.jailedUntil);
  }
  const slashed = keeper.penalties?.slashForFraud(ctx, m.participant) ?? 0n;
  const reward = (slashed * fraudRewardFractionAtto(keeper.getParams(ctx).fraudRewardFraction)) / ONE;
  if (reward > 0n) keeper.penalties?.payFromGovernance(ctx, m.prover, reward);
  const record: FraudRecord = {
    epoch: m.epoch,
    participant: m.participant,
    classId: m.classId,
    round: m.round,
    index: m.index,
    prover: m.prover,
    height: h,
    slashed: slashed.toString(),
    reward: reward.toString(),
  };
  keeper.fraud.setRecord(ctx, record);
  ctx.events.emit(pocFraudEvent(record));
}
