// Maps one decoded ABCI Request to the application method and wraps the answer in a Response.
// Consensus-critical answers that must never be the protobuf default (ProcessProposal and
// VerifyVoteExtension status UNKNOWN = 0 makes CometBFT panic) are checked here.
import {
  ResponseProcessProposal_ProposalStatus as ProposalStatus,
  type Request,
  Response,
  ResponseVerifyVoteExtension_VerifyStatus as VerifyStatus,
} from 'cosmjs-types/tendermint/abci/types';
import type { AbciApplication } from './application.js';

export type RequestKind = keyof Request;

/** The single field set on a request, or undefined for an empty/unknown request. */
export function requestKind(req: Request): RequestKind | undefined {
  for (const key in req) {
    if ((req as Record<string, unknown>)[key] !== undefined) return key as RequestKind;
  }
  return undefined;
}

/** Requests that must never be answered with an error response (they mutate consensus state). */
export const consensusKinds = new Set<RequestKind>([
  'initChain',
  'prepareProposal',
  'processProposal',
  'extendVote',
  'verifyVoteExtension',
  'finalizeBlock',
  'commit',
]);

export async function dispatch(app: AbciApplication, req: Request, kind: RequestKind): Promise<Response> {
  switch (kind) {
    case 'echo':
      return Response.fromPartial({ echo: { message: req.echo!.message } });
    case 'flush':
      return Response.fromPartial({ flush: {} });
    case 'info':
      return { info: await app.info(req.info!) };
    case 'initChain':
      return { initChain: await app.initChain(req.initChain!) };
    case 'query':
      return { query: await app.query(req.query!) };
    case 'checkTx':
      return { checkTx: await app.checkTx(req.checkTx!) };
    case 'commit':
      return { commit: await app.commit(req.commit!) };
    case 'listSnapshots':
      return { listSnapshots: await app.listSnapshots() };
    case 'offerSnapshot':
      return { offerSnapshot: await app.offerSnapshot(req.offerSnapshot!) };
    case 'loadSnapshotChunk':
      return { loadSnapshotChunk: await app.loadSnapshotChunk(req.loadSnapshotChunk!) };
    case 'applySnapshotChunk':
      return { applySnapshotChunk: await app.applySnapshotChunk(req.applySnapshotChunk!) };
    case 'prepareProposal':
      return { prepareProposal: await app.prepareProposal(req.prepareProposal!) };
    case 'processProposal': {
      const res = await app.processProposal(req.processProposal!);
      if (res.status !== ProposalStatus.ACCEPT && res.status !== ProposalStatus.REJECT) {
        throw new Error(`processProposal answered status ${res.status}: must be ACCEPT or REJECT`);
      }
      return { processProposal: res };
    }
    case 'extendVote':
      return { extendVote: await app.extendVote(req.extendVote!) };
    case 'verifyVoteExtension': {
      const res = await app.verifyVoteExtension(req.verifyVoteExtension!);
      if (res.status !== VerifyStatus.ACCEPT && res.status !== VerifyStatus.REJECT) {
        throw new Error(`verifyVoteExtension answered status ${res.status}: must be ACCEPT or REJECT`);
      }
      return { verifyVoteExtension: res };
    }
    case 'finalizeBlock':
      return { finalizeBlock: await app.finalizeBlock(req.finalizeBlock!) };
  }
}
