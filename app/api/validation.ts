// Wires the PoC validator (app/api/validator) to this API node's objects: the chain reader, the
// operator key as the sample signer, the broadcaster, metrics and the logger. One Recomputer is
// kept for the node's life, so ORT sessions are reused across Sprints.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import type { SprintState } from '../../proto/gen/gonka/poc/v1/poc.js';
import { MsgPocValidation } from '../../proto/gen/gonka/poc/v1/tx.js';
import { typeUrl } from '../../proto/gonka/registry.js';
import type { Logger } from '../log.js';
import type { Broadcaster } from './broadcaster.js';
import type { RpcChain } from './chain.js';
import type { ApiMetrics } from './metrics.js';
import { type EncodedMsg, type PocValidatorDeps, Recomputer, validateSprint } from './validator/index.js';

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
