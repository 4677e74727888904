// x/auth store layout (store name `auth`). Big-endian numbers so iteration follows numeric order.
import { concat, u64 } from '../../app/runtime/keys.js';

export const STORE = 'auth';

export const PARAMS_KEY = Uint8Array.of(0x00);
/** 0x01 | address bytes → Any(BaseAccount | ModuleAccount) */
export const ACCOUNT_PREFIX = Uint8Array.of(0x01);
/** 0x02 → next account number (8 bytes BE) */
export const NEXT_ACCOUNT_NUMBER_KEY = Uint8Array.of(0x02);
/** 0x03 | account number (8 bytes BE) → address bytes */
export const ACCOUNT_BY_NUMBER_PREFIX = Uint8Array.of(0x03);
/** 0x04 → minimum gas price (decimal string, ngonka per gas) */
export const MIN_GAS_PRICE_KEY = Uint8Array.of(0x04);
/**
 * 0x05 → account numbers genesis left unused (8 bytes BE). Accounts are never deleted and every
 * account after genesis takes the next number, so the account count is next number − this: the
 * Accounts query's count_total without a scan and without a counter write in every tx.
 */
export const GENESIS_NUMBER_GAPS_KEY = Uint8Array.of(0x05);

export const accountKey = (addr: Uint8Array) => concat(ACCOUNT_PREFIX, addr);
export const accountByNumberKey = (n: bigint) => concat(ACCOUNT_BY_NUMBER_PREFIX, u64(n));
