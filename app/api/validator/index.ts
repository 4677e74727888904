// The API node's PoC validator (issue 12): see README.md "Validator" beside this file.
export { CommitSkipped } from './check-commit.js';
export {
  FraudProver,
  type FraudProverDeps,
  fraudProofMsg,
  fraudSettings,
  MSG_POC_FRAUD_PROOF_TYPE_URL,
  POC_ALREADY_PROVEN,
  POC_FRAUD_LIMIT,
} from './fraud-proofs.js';
export { fetchProofsHttp, ProofFetchError, proofsUrl } from './proofs-http.js';
export { MalformedProofsError, maxAnswerBytes, parseProofsAnswer } from './proofs-response.js';
export { Recomputer, type RecomputerOptions, RecomputeUnavailableError } from './recompute.js';
export type {
  CommitOutcome,
  EncodedMsg,
  OutcomeReason,
  ParticipantInfo,
  PocValidatorDeps,
  ProofsRequestBody,
  SampleSigner,
  SprintValidation,
  ValidationTarget,
} from './types.js';
export {
  computeSprintVotes,
  computeTargetVotes,
  MSG_POC_VALIDATION_TYPE_URL,
  sprintTarget,
  VoteBroadcastError,
  validateSprint,
  validateTarget,
  voteMsgs,
} from './validate-sprint.js';
