// x/governance store layout (store name `governance`). Numbers are big-endian so iteration follows
// numeric order; the two queues are keyed by end time first so the end blocker reads only the
// entries that are due.
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import { concat, readU64, u64 } from '../../app/runtime/keys.js';

export const STORE = 'governance';

/** The governance module account: the authority of every MsgUpdateParams (app.ts hands its address to the other modules). */
export const GOV_MODULE = 'gov';
/**
 * Escrow of governance deposits, apart from the gov account: a passed proposal acts only as `gov`
 * (its messages must have the gov authority as their one signer), so it can never spend deposits.
 */
export const GOV_DEPOSITS_MODULE = 'gov_deposits';

/** 0x00 → params (gonka.governance.v1.Params, protobuf) */
export const PARAMS_KEY = Uint8Array.of(0x00);
/** 0x01 | id → Proposal (cosmos.gov.v1 protobuf) */
export const PROPOSAL_PREFIX = Uint8Array.of(0x01);
/** 0x02 → next proposal id (8 bytes BE) */
export const NEXT_PROPOSAL_ID_KEY = Uint8Array.of(0x02);
/** 0x03 | deposit end (seconds 8 BE, nanos 4 BE) | id → 0x01: proposals in their deposit period */
export const INACTIVE_QUEUE_PREFIX = Uint8Array.of(0x03);
/** 0x04 | voting end (seconds, nanos) | id → 0x01: proposals in their voting period */
export const ACTIVE_QUEUE_PREFIX = Uint8Array.of(0x04);
/** 0x05 | id | voter address bytes → Vote (protobuf) */
export const VOTE_PREFIX = Uint8Array.of(0x05);
/** 0x06 | id | depositor address bytes → Deposit (protobuf) */
export const DEPOSIT_PREFIX = Uint8Array.of(0x06);
/** 0x07 → constitution (UTF-8) */
export const CONSTITUTION_KEY = Uint8Array.of(0x07);
/** 0x08 → number of proposals in their deposit or voting period (8 bytes BE) */
export const OPEN_COUNT_KEY = Uint8Array.of(0x08);

export const proposalKey = (id: bigint) => concat(PROPOSAL_PREFIX, u64(id));
export const votesPrefix = (id: bigint) => concat(VOTE_PREFIX, u64(id));
export const voteKey = (id: bigint, voter: Uint8Array) => concat(votesPrefix(id), voter);
export const depositsPrefix = (id: bigint) => concat(DEPOSIT_PREFIX, u64(id));
export const depositKey = (id: bigint, depositor: Uint8Array) => concat(depositsPrefix(id), depositor);

function timeBytes(t: Timestamp): Uint8Array {
  const nanos = new Uint8Array(4);
  new DataView(nanos.buffer).setUint32(0, t.nanos);
  return concat(u64(t.seconds), nanos);
}

export const queueKey = (prefix: Uint8Array, end: Timestamp, id: bigint) =>
  concat(prefix, timeBytes(end), u64(id));

/** The first queue key strictly after every entry due at `now` (end ≤ now). */
export const queueDueEnd = (prefix: Uint8Array, now: Timestamp) =>
  concat(prefix, timeBytes({ seconds: now.seconds, nanos: now.nanos + 1 }));

/** Queue entries carry no data, but the store refuses empty values. */
export const QUEUE_VALUE = Uint8Array.of(0x01);

export const queueKeyId = (key: Uint8Array) => readU64(key.subarray(key.length - 8));
export { readU64, u64 };
