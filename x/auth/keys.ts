// x/auth store layout (store name `auth`). Big-endian numbers so iteration follows numeric order.
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

export function concat(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function u64(n: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, n);
  return b;
}

export function readU64(b: Uint8Array): bigint {
  if (b.length !== 8) throw new Error(`expected 8 bytes, got ${b.length}`);
  return new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0);
}

export const accountKey = (addr: Uint8Array) => concat(ACCOUNT_PREFIX, addr);
export const accountByNumberKey = (n: bigint) => concat(ACCOUNT_BY_NUMBER_PREFIX, u64(n));

/** The first key after every key that starts with prefix (undefined: no upper bound). */
export function prefixEnd(prefix: Uint8Array): Uint8Array | undefined {
  const end = Uint8Array.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i]! += 1;
      return end.subarray(0, i + 1);
    }
  }
  return undefined;
}
