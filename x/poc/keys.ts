// x/poc store layout (store name `poc`). Addresses are the 20 raw account bytes, so iteration is
// in address-byte order (deterministic, and the order every export lists participants in).
import { concat, u64 } from '../../app/runtime/keys.js';

export const STORE = 'poc';

/** A page's start key, never before the collection's prefix (a client's key cannot reach other data). */
export const pageStart = (prefix: Uint8Array, startKey?: Uint8Array): Uint8Array =>
  startKey && Buffer.compare(Buffer.from(startKey), Buffer.from(prefix)) > 0 ? startKey : prefix;

/** 0x00 → Params (protobuf) */
export const PARAMS_KEY = Uint8Array.of(0x00);
/** 0x01 → EpochState (protobuf): the epoch clock */
export const EPOCH_KEY = Uint8Array.of(0x01);
/** 0x02 | addr → Participant (protobuf), weight = this epoch's weight */
export const PARTICIPANT_PREFIX = Uint8Array.of(0x02);
/** 0x03 | addr → next epoch's weight (8 bytes BE), applied at the boundary */
export const NEXT_WEIGHT_PREFIX = Uint8Array.of(0x03);
/** 0x04 | addr → the CometBFT power last sent for this participant (8 bytes BE); absent = 0 */
export const POWER_PREFIX = Uint8Array.of(0x04);
/** 0x05 → Σ participant weights this epoch (8 bytes BE), kept by setParticipant on every change
 * (absent = 0); the weight invariant checks it against the sum over 0x02. */
export const TOTAL_WEIGHT_KEY = Uint8Array.of(0x05);

export const participantKey = (addr: Uint8Array) => concat(PARTICIPANT_PREFIX, addr);
export const nextWeightKey = (addr: Uint8Array) => concat(NEXT_WEIGHT_PREFIX, addr);
export const powerKey = (addr: Uint8Array) => concat(POWER_PREFIX, addr);
/** 0x06 | CometBFT validator address (SHA-256(consensus pubkey)[:20]) → participant address bytes */
export const CONS_ADDRESS_PREFIX = Uint8Array.of(0x06);
export const consAddressKey = (consAddr: Uint8Array) => concat(CONS_ADDRESS_PREFIX, consAddr);

// ---- the Sprint (issue 12); epochs are u64 BE so each prefix iterates in epoch order ----
/** 0x07 | epoch → SprintState (protobuf), the Sprint deciding that epoch's set */
export const SPRINT_PREFIX = Uint8Array.of(0x07);
/** 0x08 | epoch | addr | class (u32 BE) → PocCommit */
export const COMMIT_PREFIX = Uint8Array.of(0x08);
/** 0x09 | epoch | participant addr | class (u32 BE) | validator addr → PocVote */
export const VOTE_PREFIX = Uint8Array.of(0x09);
/** 0x0a | epoch | addr → WeightResult */
export const WEIGHT_RESULT_PREFIX = Uint8Array.of(0x0a);
/** 0x0b → u64 epoch of the latest Sprint started (absent before the first) */
export const LATEST_SPRINT_KEY = Uint8Array.of(0x0b);

// ---- fraud proofs (issue 13) ----
/** 0x0c | epoch | round (u32 BE) | participant addr | class (u32 BE) → FraudRecord */
export const FRAUD_RECORD_PREFIX = Uint8Array.of(0x0c);

const u32be = (n: number) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n);
  return b;
};
export const epochKeyPart = (epoch: bigint) => u64(epoch);
export const sprintKey = (epoch: bigint) => concat(SPRINT_PREFIX, u64(epoch));
export const commitEpochPrefix = (epoch: bigint) => concat(COMMIT_PREFIX, u64(epoch));
export const commitKey = (epoch: bigint, addr: Uint8Array, classId: number) =>
  concat(COMMIT_PREFIX, u64(epoch), addr, u32be(classId));
export const voteEpochPrefix = (epoch: bigint) => concat(VOTE_PREFIX, u64(epoch));
export const voteTargetPrefix = (epoch: bigint, participant: Uint8Array) =>
  concat(VOTE_PREFIX, u64(epoch), participant);
export const voteClassPrefix = (epoch: bigint, participant: Uint8Array, classId: number) =>
  concat(VOTE_PREFIX, u64(epoch), participant, u32be(classId));
export const voteKey = (epoch: bigint, participant: Uint8Array, classId: number, validator: Uint8Array) =>
  concat(VOTE_PREFIX, u64(epoch), participant, u32be(classId), validator);
export const weightResultEpochPrefix = (epoch: bigint) => concat(WEIGHT_RESULT_PREFIX, u64(epoch));
export const weightResultKey = (epoch: bigint, addr: Uint8Array) =>
  concat(WEIGHT_RESULT_PREFIX, u64(epoch), addr);
// ---- confirmation rounds (issue 13); epoch u64 BE, round u32 BE ----
/** 0x0e | epoch | round → ConfirmationRound */
export const ROUND_PREFIX = Uint8Array.of(0x0e);
/** 0x0f | epoch | round | participant | class → PocCommit (round ≥ 1) */
export const ROUND_COMMIT_PREFIX = Uint8Array.of(0x0f);
/** 0x10 | epoch | round | participant | class | validator → PocVote (round ≥ 1) */
export const ROUND_VOTE_PREFIX = Uint8Array.of(0x10);
/** 0x11 | epoch | round | participant → ConfirmationResult */
export const ROUND_RESULT_PREFIX = Uint8Array.of(0x11);
/** 0x12 → epoch | round of the running (or announced) round; absent when none runs */
export const RUNNING_ROUND_KEY = Uint8Array.of(0x12);
export const u32Key = u32be;
export const fraudRecordEpochPrefix = (epoch: bigint) => concat(FRAUD_RECORD_PREFIX, u64(epoch));
export const fraudRecordKey = (epoch: bigint, round: number, participant: Uint8Array, classId: number) =>
  concat(FRAUD_RECORD_PREFIX, u64(epoch), u32be(round), participant, u32be(classId));
