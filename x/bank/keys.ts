// x/bank store layout (store name `bank`), after the SDK's: supply by denom, balances by
// (address, denom) so one account's balances are one range, denom metadata, send-enabled flags.
import { concat } from '../../app/runtime/keys.js';

export const STORE = 'bank';
const enc = new TextEncoder();

/** 0x00 | denom → total supply (decimal string) */
export const SUPPLY_PREFIX = Uint8Array.of(0x00);
/** 0x01 | denom → Metadata (protobuf) */
export const DENOM_METADATA_PREFIX = Uint8Array.of(0x01);
/** 0x02 | len(addr) | addr | denom → amount (decimal string); zero balances are deleted */
export const BALANCES_PREFIX = Uint8Array.of(0x02);
/** 0x04 | denom → 0x01 (enabled) or 0x00 (disabled) */
export const SEND_ENABLED_PREFIX = Uint8Array.of(0x04);
/** 0x05 → Params (protobuf; the per-denom list lives under SEND_ENABLED_PREFIX) */
export const PARAMS_KEY = Uint8Array.of(0x05);
/**
 * 0x06 | len(denom) | denom | addr → 0x01 for every non-zero balance: the denom → holders index
 * DenomOwners pages through (balances themselves are keyed by address first).
 */
export const DENOM_OWNER_PREFIX = Uint8Array.of(0x06);
/** 0x07 | denom → number of addresses holding it (8 bytes BE): DenomOwners' count_total */
export const DENOM_HOLDERS_PREFIX = Uint8Array.of(0x07);

export const supplyKey = (denom: string) => concat(SUPPLY_PREFIX, enc.encode(denom));
export const denomMetadataKey = (denom: string) => concat(DENOM_METADATA_PREFIX, enc.encode(denom));
export const sendEnabledKey = (denom: string) => concat(SEND_ENABLED_PREFIX, enc.encode(denom));
export const accountBalancesPrefix = (addr: Uint8Array) =>
  concat(BALANCES_PREFIX, Uint8Array.of(addr.length), addr);
export const balanceKey = (addr: Uint8Array, denom: string) =>
  concat(accountBalancesPrefix(addr), enc.encode(denom));

export const denomOwnersPrefix = (denom: string) => {
  const d = enc.encode(denom);
  return concat(DENOM_OWNER_PREFIX, Uint8Array.of(d.length), d);
};
export const denomOwnerKey = (denom: string, addr: Uint8Array) => concat(denomOwnersPrefix(denom), addr);
export const denomHoldersKey = (denom: string) => concat(DENOM_HOLDERS_PREFIX, enc.encode(denom));

/** Address bytes of a denom-owner index key under denomOwnersPrefix(denom). */
export const ownerOfIndexKey = (key: Uint8Array) => key.subarray(2 + key[1]!);

/** (address bytes, denom) of a balance key. */
export function parseBalanceKey(key: Uint8Array): { addr: Uint8Array; denom: string } {
  const n = key[1]!;
  return { addr: key.subarray(2, 2 + n), denom: new TextDecoder().decode(key.subarray(2 + n)) };
}
