// Signatures verified in CheckTx need not be verified again in FinalizeBlock. The cache only skips
// the work: gas is charged identically on a hit (gas is consensus data). Keyed by (tx hash, account
// number, pubkey), successes only, bounded (oldest entries dropped first).
export class SignatureCache {
  private readonly entries = new Set<string>();

  constructor(readonly limit = 50_000) {}

  static key(txHash: Uint8Array, accountNumber: bigint, pubKey: Uint8Array): string {
    return `${Buffer.from(txHash).toString('hex')}/${accountNumber}/${Buffer.from(pubKey).toString('hex')}`;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  add(key: string): void {
    if (this.entries.has(key)) return;
    if (this.entries.size >= this.limit) {
      const oldest = this.entries.values().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.add(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
