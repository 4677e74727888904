// x/collateral store layout (store name `collateral`). Amounts are decimal strings; epochs 8-byte
// big-endian so the unbonding queue iterates in maturity order.
import { concat, u64 } from '../../app/runtime/keys.js';

export const STORE = 'collateral';
const enc = new TextEncoder();

/** 0x00 → Params (protobuf) */
export const PARAMS_KEY = Uint8Array.of(0x00);
// 0x01 is retired: it held a copy of the epoch; x/poc's clock is now the only one. Never reuse it.
/** 0x02 | addr → active collateral (ngonka) */
export const COLLATERAL_PREFIX = Uint8Array.of(0x02);
/** 0x03 | completion epoch | addr → unbonding amount (one entry per participant per epoch) */
export const UNBONDING_PREFIX = Uint8Array.of(0x03);
/** 0x04 | addr → 0x01 while jailed */
export const JAILED_PREFIX = Uint8Array.of(0x04);
/** 0x05 | len(addr) | addr | reason → epoch of the last slash for that reason (8 bytes BE) */
export const SLASH_RECORD_PREFIX = Uint8Array.of(0x05);

/**
 * 0x10 | len(addr) | addr | completion epoch → 0x01 for every unbonding entry: one participant's entries
 * without scanning the whole queue (slashing, the Unbonding query).
 */
export const UNBONDING_BY_PARTICIPANT_PREFIX = Uint8Array.of(0x10);

export const collateralKey = (addr: Uint8Array) => concat(COLLATERAL_PREFIX, addr);
export const unbondingEpochPrefix = (epoch: bigint) => concat(UNBONDING_PREFIX, u64(epoch));
export const unbondingKey = (epoch: bigint, addr: Uint8Array) => concat(UNBONDING_PREFIX, u64(epoch), addr);
export const unbondingByParticipantPrefix = (addr: Uint8Array) =>
  concat(UNBONDING_BY_PARTICIPANT_PREFIX, Uint8Array.of(addr.length), addr);
export const unbondingByParticipantKey = (addr: Uint8Array, epoch: bigint) =>
  concat(unbondingByParticipantPrefix(addr), u64(epoch));
export const jailedKey = (addr: Uint8Array) => concat(JAILED_PREFIX, addr);
export const slashRecordKey = (addr: Uint8Array, reason: string) =>
  concat(SLASH_RECORD_PREFIX, Uint8Array.of(addr.length), addr, enc.encode(reason));

export function parseSlashRecordKey(k: Uint8Array): { addr: Uint8Array; reason: string } {
  const n = k[1]!;
  return { addr: k.subarray(2, 2 + n), reason: new TextDecoder().decode(k.subarray(2 + n)) };
}

/** 0x06 | addr → ValidatorSigningInfo (protobuf) */
export const SIGNING_INFO_PREFIX = Uint8Array.of(0x06);
/** 0x07 | len(addr) | addr | bitmap index (8 bytes BE) → 0x01 for a missed block; signed = absent */
export const MISSED_BLOCK_PREFIX = Uint8Array.of(0x07);

export const signingInfoKey = (addr: Uint8Array) => concat(SIGNING_INFO_PREFIX, addr);
export const missedBlocksPrefix = (addr: Uint8Array) =>
  concat(MISSED_BLOCK_PREFIX, Uint8Array.of(addr.length), addr);
export const missedBlockKey = (addr: Uint8Array, index: bigint) =>
  concat(missedBlocksPrefix(addr), u64(index));
