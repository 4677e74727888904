// The validator's interface to the API node: what it needs from the chain, the operator's key and
// the network (all injected, so tests drive it with fakes), and what it reports back.
import type { Logger } from 'pino';
import type { ArtifactProof } from '../../../kernels/poc/artifacts/merkle.js';
import type { PocCommit, SprintState, Verdict } from '../../../proto/gen/gonka/poc/v1/poc.js';
import type { MsgPocFraudProof, MsgPocValidation } from '../../../proto/gen/gonka/poc/v1/tx.js';
import type { Recomputer } from './recompute.js';

export interface ParticipantInfo {
  /** The participant's registered API node base URL (http or https). */
  readonly apiUrl: string;
  /** Its 33-byte compressed secp256k1 x/auth key: the kernel's pubkey input. */
  readonly kernelPubkey: Uint8Array;
}

export interface SampleSigner {
  /** The validator's account address (bech32): MsgPocValidation.validator. */
  readonly address: string;
  /** 64-byte r‖s, low-S, secp256k1 over SHA-256(signBytes) with the x/auth key of `address`. */
  signSample(signBytes: Uint8Array): Promise<Uint8Array>;
}

export interface EncodedMsg {
  readonly typeUrl: string;
  readonly value: unknown;
}

export interface PocValidatorDeps {
  readonly chainId: string;
  /** Every counting commit of the Sprint of `epoch` (all pages; the last commit per (participant, class)). */
  sprintCommits(epoch: bigint): Promise<PocCommit[]>;
  /** The participant's api_url and kernel key; undefined when it is unknown or has no api_url. */
  participant(address: string): Promise<ParticipantInfo | undefined>;
  readonly signer: SampleSigner;
  /**
   * POSTs `body` to `${apiUrl}/v1/poc/proofs` and returns the parsed JSON. Throws on transport
   * errors, non-2xx, oversized or non-JSON bodies. Default: `fetchProofsHttp` (size-bounded fetch).
   * `maxBytes` is the most a well-formed answer to this request can take.
   */
  fetchProofs?(
    apiUrl: string,
    body: ProofsRequestBody,
    signal: AbortSignal,
    maxBytes: number,
  ): Promise<unknown>;
  /** Broadcasts the votes (one tx may carry several msgs). Not called when there is nothing to vote. */
  broadcast(msgs: EncodedMsg[]): Promise<void>;
  readonly log: Logger;

  /** Retries after the first failed fetch (default 3); backoff doubles from backoffMs (default 500). */
  readonly retries?: number;
  readonly backoffMs?: number;
  /** Per-attempt timeout in ms (default 10,000). */
  readonly timeoutMs?: number;
  /** Commits checked at once (default 4). */
  readonly concurrency?: number;
  /** Votes per MsgPocValidation (default 64, chain limit 256); more votes are split over several msgs. */
  readonly maxVotesPerMsg?: number;
  /** validateSprint broadcasts the votes decided so far at this interval (default 5,000 ms). */
  readonly flushMs?: number;
  /** Aborts every fetch and retry (e.g. the validation stage is ending): unfinished commits get no vote. */
  readonly signal?: AbortSignal;
  /**
   * Recomputes sampled outputs. Default: a new Recomputer (ORT checked sessions, one per
   * (seed, class)), released when validateSprint returns. Pass one to keep sessions across calls.
   */
  readonly recomputer?: Recomputer;
  /** Called once per finished commit (metrics). */
  onOutcome?(outcome: CommitOutcome): void;
  /**
   * A forged leaf of a fraud-provable class (not the validator's own commit) to prove on chain
   * (fraud-proofs.ts FraudProver.add); `perBlock` is the target's params.fraud_proofs_per_block.
   */
  onFraudProof?(msg: MsgPocFraudProof, perBlock: number): void;
}

/**
 * What one validation pass checks: the Sprint of `epoch` (round 0) or confirmation round n of the
 * running epoch `epoch`. Everything that differs between the two lives here, so the sampling,
 * fetching, checking and voting code is one.
 */
export interface ValidationTarget {
  readonly epoch: bigint;
  /** 0: the Sprint; n ≥ 1: confirmation round n (sample docs, proof requests and votes carry it). */
  readonly round: number;
  /** The kernel's block_hash the outputs were mined with (32 bytes). */
  readonly seed: Uint8Array;
  /** What sample signatures sign (empty until the validation stage). */
  readonly validationHash: Uint8Array;
  /** Leaf indices sampled per (participant, class). */
  readonly sampleSize: number;
  /** Class ids the chain's params list; a commit of another class gets no vote. */
  readonly classIds: readonly number[];
  /**
   * Fraud proofs (issue 13): the fraud-provable class ids and params.fraud_proofs_per_block (k).
   * Absent: no fraud proofs for this target.
   */
  readonly fraud?: { readonly provable: readonly number[]; readonly perBlock: number };
  /** Every counting commit (all pages; the latest per (participant, class) is checked). */
  commits(): Promise<PocCommit[]>;
}

/** The JSON body of POST /v1/poc/proofs (poc-http-contract.md); `round` only for rounds ≥ 1. */
export interface ProofsRequestBody {
  readonly epoch: string;
  readonly class: string;
  readonly indices: number[];
  readonly count: string;
  readonly round?: number;
}

/** Why a commit got its verdict; `detail` is for logs only. */
export type OutcomeReason =
  | 'ok'
  | 'empty-commit'
  | 'no-api-url'
  | 'unreachable'
  | 'malformed-response'
  | 'wrong-commitment'
  | 'nonce-mismatch'
  | 'bad-output-length'
  | 'bad-path'
  | 'output-mismatch';

export interface CommitOutcome {
  readonly participant: string;
  readonly classId: number;
  readonly count: bigint;
  readonly verdict: Verdict;
  readonly reason: OutcomeReason;
  readonly detail?: string;
  /**
   * INVALID because of this leaf, whose inclusion proof reaches the committed root while its output
   * does not recompute (or its nonce ≠ index): evidence the chain can check (MsgPocFraudProof).
   */
  readonly forged?: ArtifactProof;
  /** The leaf indices sampled (derived from sampleSig). */
  readonly indices: readonly bigint[];
  readonly sampleSig: Uint8Array;
  /** Fetch attempts made (0 when nothing had to be fetched). */
  readonly attempts: number;
}

/** What validateSprint / validateTarget decided and broadcast. */
export interface SprintValidation {
  readonly epoch: bigint;
  readonly round: number;
  /** One per commit that got a verdict, sorted by (participant, class). */
  readonly outcomes: CommitOutcome[];
  /**
   * Commits that got no vote: the validator could not check them itself (unknown class, no
   * session for the class on this host, aborted). Voting UNAVAILABLE there would blame the
   * participant for the validator's own problem.
   */
  readonly skipped: { participant: string; classId: number; why: string }[];
  /**
   * validateSprint: the msgs broadcast, in the order they went out (votes in the order they were
   * decided); computeSprintVotes: the votes sorted and split, not broadcast. ≤ maxVotesPerMsg each.
   */
  readonly msgs: MsgPocValidation[];
}

export type { PocCommit, SprintState };
