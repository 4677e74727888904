// Wires the PoC validator (app/api/validator) to this API node's objects: the chain reader, the
// operator key as the sample signer, the broadcaster, metrics and the logger. One Recomputer is
// kept for the node's life, so ORT sessions are reused across Sprints.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import type { FraudRecord, SprintState } from '../../proto/gen/gonka/poc/v1/poc.js';
import { QueryFraudRecordsRequest, QueryFraudRecordsResponse } from '../../proto/gen/gonka/poc/v1/query.js';
import { MsgPocFraudProof, MsgPocValidation } from '../../proto/gen/gonka/poc/v1/tx.js';
import { typeUrl } from '../../proto/gonka/registry.js';
import type { Logger } from '../log.js';
import type { Broadcaster } from './broadcaster.js';
import type { RpcChain } from './chain.js';
import type { ApiMetrics } from './metrics.js';
import {
  type EncodedMsg,
  FraudProver,
  type PocValidatorDeps,
  Recomputer,
  validateSprint,
} from './validator/index.js';

export interface ValidatorWiring {
  chain: RpcChain;
  broadcaster: Broadcaster;
  privateKey: Uint8Array;
  metrics: ApiMetrics;
  log: Logger;
}

export function sprintValidator(
  w: ValidatorWiring,
): (sprint: SprintState, signal: AbortSignal) => Promise<unknown> {
  const recomputer = new Recomputer({ log: w.log });
  // One for the node's life: a proof still being retried when the next Sprint's validation starts
  // keeps going (the chain's window decides when it is too late).
  const prover = new FraudProver({
    submit: async (msg) => {
      await w.broadcaster.submit(
        [{ typeUrl: typeUrl(MsgPocFraudProof), value: MsgPocFraudProof.encode(msg).finish() }],
        { alone: true },
      );
      w.metrics.fraudProofsSent.inc();
    },
    height: () => w.chain.height(),
    proven: (epoch) => fraudRecords(w.chain, epoch),
    log: w.log,
  });
  return async (sprint, signal) => {
    const deps: PocValidatorDeps = {
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
      onFraudProof: (msg, perBlock) => prover.add(msg, perBlock),
    };
    const r = await validateSprint(deps, sprint);
    w.log.info(
      {
        epoch: sprint.epoch.toString(),
        votes: r.outcomes.map((o) => `${o.participant}/${o.classId}:${o.verdict}:${o.reason}`),
        skipped: r.skipped.length,
      },
      'PoC validation done',
    );
    return r;
  };
}

/** Bound on pages of one FraudRecords listing. */
const MAX_RECORD_PAGES = 20;

async function fraudRecords(chain: RpcChain, epoch: bigint): Promise<FraudRecord[]> {
  const out: FraudRecord[] = [];
  let key: Uint8Array = new Uint8Array(0);
  for (let page = 0; page < MAX_RECORD_PAGES; page++) {
    const r = await chain.query(
      '/gonka.poc.v1.Query/FraudRecords',
      QueryFraudRecordsRequest,
      QueryFraudRecordsResponse,
      QueryFraudRecordsRequest.fromPartial({ epoch, pagination: { key, limit: 200n } }),
    );
    out.push(...r.records);
    key = r.pagination?.nextKey ?? new Uint8Array(0);
    if (key.length === 0) break;
  }
  return out;
}
