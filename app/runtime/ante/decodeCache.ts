// Decoded txs by hash, so a tx decoded and checked in CheckTx is not decoded again on recheck or
// in FinalizeBlock. Decoding is a pure function of the bytes and charges no gas, so the cache can
// never change a result. It holds only txs that passed the whole ante handler in CheckTx (never a
// rejected or simulated one: those are exactly what an attacker can send for free), bounded in
// entries and in tx bytes, oldest dropped first. Any later run of the tx takes it out and only a
// passing CheckTx or recheck puts it back (a tx failing recheck leaves nothing; FinalizeBlock too).
export class DecodeCache<T> {
  private readonly entries = new Map<string, { value: T; cost: number }>();
  private held = 0;

  constructor(
    readonly limit = 10_000,
    /** Bytes held (each entry counted as its size estimate plus a fixed overhead). */
    readonly byteLimit = 32 * 1024 * 1024,
  ) {}

  get(key: string): T | undefined {
    return this.entries.get(key)?.value;
  }

  /** `size`: the tx's bytes plus an estimate of what its decoded objects add. */
  add(key: string, value: T, size: number): void {
    if (this.entries.has(key)) return;
    const cost = size + ENTRY_OVERHEAD;
    if (cost > this.byteLimit) return;
    while (this.entries.size >= this.limit || this.held + cost > this.byteLimit) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.delete(oldest.value);
    }
    this.entries.set(key, { value, cost });
    this.held += cost;
  }

  delete(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.held -= e.cost;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Bytes counted against byteLimit. */
  get bytes(): number {
    return this.held;
  }
}

/** Rough cost of an entry's fixed objects (TxRaw, TxBody, AuthInfo, signer list, map slot). */
const ENTRY_OVERHEAD = 1024;
