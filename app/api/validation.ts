// Wires the PoC validator (app/api/validator) to this API node's objects: the chain reader, the
// operator key as the sample signer, the broadcaster, metrics and the logger. One Recomputer is
// kept for the node's life, so ORT sessions are reused across Sprints and confirmation rounds.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import type {
  ConfirmationRound,
  FraudRecord,
  PocCommit,
  SprintState,
} from '../../proto/gen/gonka/poc/v1/poc.js';
import { QueryFraudRecordsRequest, QueryFraudRecordsResponse } from '../../proto/gen/gonka/poc/v1/query.js';
import { MsgPocFraudProof, MsgPocValidation } from '../../proto/gen/gonka/poc/v1/tx.js';
import { typeUrl } from '../../proto/gonka/registry.js';
import type { Logger } from '../log.js';
import type { Broadcaster } from './broadcaster.js';
import { allPages, type RpcChain } from './chain.js';
import type { ApiMetrics } from './metrics.js';
import {
  type EncodedMsg,
  FraudProver,
  fraudSettings,
  type PocValidatorDeps,
  Recomputer,
  sprintTarget,
  type ValidationTarget,
  validateTarget,
} from './validator/index.js';

export interface ValidatorWiring {
  /** RpcChain in the node; anything with these queries in tests (the app in process). */
  chain: Pick<RpcChain, 'chainId' | 'commits' | 'participant' | 'accountPubKey' | 'params'> &
    /** With these, forged leaves are also proven on chain (MsgPocFraudProof). */
    Partial<Pick<RpcChain, 'height' | 'query'>>;
  broadcaster: Pick<Broadcaster, 'submit' | 'address'>;
  privateKey: Uint8Array;
  metrics: ApiMetrics;
  log: Logger;
}

export interface PocValidator {
  /** Validates the Sprint of sprint.epoch (votes with round 0). */
  sprint(sprint: SprintState, signal: AbortSignal): Promise<unknown>;
  /** Validates confirmation round r (votes with round r.round). */
  round(r: ConfirmationRound, signal: AbortSignal): Promise<unknown>;
}

/** A confirmation round as a validation target; classIds are the classes the chain's params list. */
export function roundTarget(
  r: ConfirmationRound,
  classIds: readonly number[],
  commits: (epoch: bigint, round: number) => Promise<PocCommit[]>,
  fraud?: ValidationTarget['fraud'],
): ValidationTarget {
  return {
    epoch: r.epoch,
    round: r.round,
    seed: r.seed,
    validationHash: r.validationHash,
    sampleSize: r.params?.sampleSize ?? 0,
    classIds,
    ...(fraud ? { fraud } : {}),
    commits: () => commits(r.epoch, r.round),
  };
}

export function pocValidator(w: ValidatorWiring): PocValidator {
  const recomputer = new Recomputer({ log: w.log });
  // One for the node's life: a proof still being retried when the next validation starts keeps
  // going (the chain's window decides when it is too late).
  const { height, query } = w.chain;
  const fraudChain =
    height && query ? { height: height.bind(w.chain), query: query.bind(w.chain) } : undefined;
  const prover =
    fraudChain &&
    new FraudProver({
      submit: async (msg) => {
        await w.broadcaster.submit(
          [{ typeUrl: typeUrl(MsgPocFraudProof), value: MsgPocFraudProof.encode(msg).finish() }],
          0n,
          { alone: true },
        );
        w.metrics.fraudProofsSent.inc();
      },
      height: () => fraudChain.height(),
      proven: (epoch) => fraudRecords(fraudChain, epoch),
      log: w.log,
    });
  const deps = async (signal: AbortSignal): Promise<PocValidatorDeps> => ({
    chainId: await w.chain.chainId(),
    sprintCommits: (epoch) => w.chain.commits(epoch),
    participant: async (address) => {
      const p = await w.chain.participant(address);
      if (!p || p.apiUrl === '') return undefined;
      const kernelPubkey = await w.chain.accountPubKey(address);
      return kernelPubkey ? { apiUrl: p.apiUrl, kernelPubkey } : undefined;
    },
    signer: {
      address: w.broadcaster.address,
      // SHA-256 prehash, low-S, 64 bytes r‖s: what the chain verifies.
      signSample: async (bytes) => secp256k1.sign(bytes, w.privateKey),
    },
    broadcast: async (msgs: EncodedMsg[]) => {
      const anys = msgs.map((m) => {
        if (m.typeUrl !== typeUrl(MsgPocValidation))
          throw new Error(`validator sent an unexpected ${m.typeUrl}`);
        return { typeUrl: m.typeUrl, value: MsgPocValidation.encode(m.value as MsgPocValidation).finish() };
      });
      await w.broadcaster.submit(anys);
      w.metrics.votesSent.inc(anys.length);
    },
    log: w.log,
    signal,
    recomputer,
    ...(prover ? { onFraudProof: (msg, perBlock) => prover.add(msg, perBlock) } : {}),
  });
  const run = async (d: PocValidatorDeps, target: ValidationTarget) => {
    const r = await validateTarget(d, target);
    w.log.info(
      {
        epoch: target.epoch.toString(),
        round: target.round,
        votes: r.outcomes.map((o) => `${o.participant}/${o.classId}:${o.verdict}:${o.reason}`),
        skipped: r.skipped.length,
      },
      'PoC validation done',
    );
    return r;
  };
  return {
    sprint: async (sprint, signal) => {
      const d = await deps(signal);
      return run(d, sprintTarget(d, sprint));
    },
    round: async (r, signal) => {
      const d = await deps(signal);
      const params = await w.chain.params();
      const classIds = params.classes.map((c) => c.classId);
      return run(
        d,
        roundTarget(r, classIds, (e, n) => w.chain.commits(e, n), fraudSettings(params)),
      );
    },
  };
}

/** Bound on pages of one FraudRecords listing. */
const MAX_RECORD_PAGES = 20;

function fraudRecords(chain: Pick<RpcChain, 'query'>, epoch: bigint): Promise<FraudRecord[]> {
  return allPages(MAX_RECORD_PAGES, async (key) => {
    const r = await chain.query(
      '/gonka.poc.v1.Query/FraudRecords',
      QueryFraudRecordsRequest,
      QueryFraudRecordsResponse,
      QueryFraudRecordsRequest.fromPartial({ epoch, pagination: { key, limit: 200n } }),
    );
    return { items: r.records, nextKey: r.pagination?.nextKey };
  });
}
