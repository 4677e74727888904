// Signatures verified in CheckTx need not be verified again in FinalizeBlock. The cache only skips
// the work: gas is charged identically on a hit (gas is consensus data). Keyed by (tx hash, account
// number, pubkey); it holds only signatures of txs that passed the whole ante handler in CheckTx
// (the ante handler adds them at its end), bounded in entries and in key bytes, oldest dropped
// first. Any later run of the tx takes the entry out and only a CheckTx or recheck that passes
// puts it back, so a tx that fails recheck leaves nothing and FinalizeBlock keeps nothing.
export class SignatureCache {
  /** key → bytes it is counted as. */
  private readonly entries = new Map<string, number>();
  /** tx hash (hex) → its keys, so a rejected tx's signatures can all be dropped. */
  private readonly byTx = new Map<string, Set<string>>();
  private held = 0;

  constructor(
    readonly limit = 50_000,
    /** Bytes of keys held (each key counted with a fixed overhead for the map entry). */
    readonly byteLimit = 16 * 1024 * 1024,
  ) {}

  static key(txHash: Uint8Array, accountNumber: bigint, pubKey: Uint8Array): string {
    return `${Buffer.from(txHash).toString('hex')}/${accountNumber}/${Buffer.from(pubKey).toString('hex')}`;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  add(key: string): void {
    if (this.entries.has(key)) return;
    const cost = key.length + ENTRY_OVERHEAD;
    if (cost > this.byteLimit) return;
    while (this.entries.size >= this.limit || this.held + cost > this.byteLimit) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.delete(oldest.value);
    }
    this.entries.set(key, cost);
    this.held += cost;
    const tx = txOf(key);
    const keys = this.byTx.get(tx) ?? new Set<string>();
    keys.add(key);
    this.byTx.set(tx, keys);
  }

  delete(key: string): void {
    const cost = this.entries.get(key);
    if (cost === undefined) return;
    this.entries.delete(key);
    this.held -= cost;
    const tx = txOf(key);
    const keys = this.byTx.get(tx);
    keys?.delete(key);
    if (keys?.size === 0) this.byTx.delete(tx);
  }

  /** Drops every signature cached for this tx. */
  deleteTx(txHash: Uint8Array): void {
    const keys = this.byTx.get(Buffer.from(txHash).toString('hex'));
    if (keys) for (const k of [...keys]) this.delete(k);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Bytes counted against byteLimit. */
  get bytes(): number {
    return this.held;
  }
}

/** The tx hash part of a key (see key()). */
const txOf = (key: string) => key.slice(0, key.indexOf('/'));

/** Rough per-entry cost of a Map slot and string header, so many short keys are bounded too. */
const ENTRY_OVERHEAD = 64;
