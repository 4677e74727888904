// The interface the ABCI server drives. One method per ABCI 2.0 request; each may answer
// synchronously or with a promise. The server guarantees calls never overlap (one serial queue
// across all four connections), so implementations need no locking.
import type {
  RequestApplySnapshotChunk,
  RequestCheckTx,
  RequestCommit,
  RequestExtendVote,
  RequestFinalizeBlock,
  RequestInfo,
  RequestInitChain,
  RequestLoadSnapshotChunk,
  RequestOfferSnapshot,
  RequestPrepareProposal,
  RequestProcessProposal,
  RequestQuery,
  RequestVerifyVoteExtension,
  ResponseApplySnapshotChunk,
  ResponseCheckTx,
  ResponseCommit,
  ResponseExtendVote,
  ResponseFinalizeBlock,
  ResponseInfo,
  ResponseInitChain,
  ResponseListSnapshots,
  ResponseLoadSnapshotChunk,
  ResponseOfferSnapshot,
  ResponsePrepareProposal,
  ResponseProcessProposal,
  ResponseQuery,
  ResponseVerifyVoteExtension,
} from 'cosmjs-types/tendermint/abci/types';

type MaybePromise<T> = T | Promise<T>;

export interface AbciApplication {
  info(req: RequestInfo): MaybePromise<ResponseInfo>;
  initChain(req: RequestInitChain): MaybePromise<ResponseInitChain>;
  /** Must not throw for bad input: answer a non-zero code instead. */
  query(req: RequestQuery): MaybePromise<ResponseQuery>;
  /** Must not throw for bad input: answer a non-zero code instead. */
  checkTx(req: RequestCheckTx): MaybePromise<ResponseCheckTx>;
  prepareProposal(req: RequestPrepareProposal): MaybePromise<ResponsePrepareProposal>;
  processProposal(req: RequestProcessProposal): MaybePromise<ResponseProcessProposal>;
  extendVote(req: RequestExtendVote): MaybePromise<ResponseExtendVote>;
  verifyVoteExtension(req: RequestVerifyVoteExtension): MaybePromise<ResponseVerifyVoteExtension>;
  finalizeBlock(req: RequestFinalizeBlock): MaybePromise<ResponseFinalizeBlock>;
  commit(req: RequestCommit): MaybePromise<ResponseCommit>;
  listSnapshots(): MaybePromise<ResponseListSnapshots>;
  offerSnapshot(req: RequestOfferSnapshot): MaybePromise<ResponseOfferSnapshot>;
  loadSnapshotChunk(req: RequestLoadSnapshotChunk): MaybePromise<ResponseLoadSnapshotChunk>;
  applySnapshotChunk(req: RequestApplySnapshotChunk): MaybePromise<ResponseApplySnapshotChunk>;
}
