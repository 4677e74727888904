// Several miners mine disjoint nonce ranges and finish out of order; the store must append
// leaves in nonce order. This holds early ranges until the gap before them is filled.
import type { ArtifactStore } from './store.js';

export class OrderedAppender {
  /** Waiting ranges by first nonce. */
  private readonly waiting = new Map<number, readonly Uint8Array[]>();
  private waitingLeaves = 0;

  /** @param maxWaitingLeaves bound on leaves held in memory while a gap is open */
  constructor(
    private readonly store: ArtifactStore,
    private readonly maxWaitingLeaves = 1 << 20,
  ) {}

  /** Outputs of nonces first … first + outputs.length − 1; returns how many leaves reached the store. */
  add(first: number, outputs: readonly Uint8Array[]): number {
    if (!Number.isSafeInteger(first) || first < this.store.count) {
      throw new RangeError(
        `range starting at nonce ${first} overlaps leaves already stored (count ${this.store.count})`,
      );
    }
    if (outputs.length === 0) return 0;
    if (this.waiting.has(first))
      throw new RangeError(`range starting at nonce ${first} was already received`);
    if (this.waitingLeaves + outputs.length > this.maxWaitingLeaves) {
      throw new RangeError(
        `more than ${this.maxWaitingLeaves} leaves are waiting behind a gap at ${this.store.count}`,
      );
    }
    this.waiting.set(first, outputs);
    this.waitingLeaves += outputs.length;
    const before = this.store.count;
    for (let next = this.waiting.get(this.store.count); next; next = this.waiting.get(this.store.count)) {
      this.waiting.delete(this.store.count);
      this.waitingLeaves -= next.length;
      for (const output of next) this.store.append(output);
    }
    return this.store.count - before;
  }

  /** The first nonce the store still needs. */
  get nextNonce(): number {
    return this.store.count;
  }

  get waitingRanges(): number {
    return this.waiting.size;
  }
}
