// Test-only mining throttle, armed at the ML node's edge (issue 12: the testnet's ML nodes mine at
// 800/400/200/100 nonces/s so validator powers come out in a known order). A token bucket gates
// the ranges the node hands to its workers, so a throttled node also leaves the CPU to others;
// the nonces it emits over any window of t seconds are at most capacity + rate·t.

export class TokenBucket {
  private tokens: number;
  private last: number;

  /**
   * @param ratePerS tokens (nonces) per second
   * @param capacity the burst; ranges are never longer than this (default a quarter second's worth)
   */
  constructor(
    readonly ratePerS: number,
    readonly capacity = Math.max(1, Math.floor(ratePerS / 4)),
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(ratePerS > 0) || !Number.isFinite(ratePerS)) throw new RangeError(`bad rate ${ratePerS}`);
    this.tokens = this.capacity;
    this.last = this.now();
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((t - this.last) * this.ratePerS) / 1000);
    this.last = t;
  }

  /**
   * Takes min(want, capacity) tokens if that many are there, else none (0): ranges stay whole
   * instead of trickling out one nonce at a time.
   */
  take(want: number): number {
    this.refill();
    const n = Math.min(want, this.capacity);
    if (this.tokens < n) return 0;
    this.tokens -= n;
    return n;
  }

  /** Milliseconds until take(want) can succeed. */
  msUntil(want: number): number {
    this.refill();
    const missing = Math.min(want, this.capacity) - this.tokens;
    return missing <= 0 ? 0 : Math.ceil((missing * 1000) / this.ratePerS);
  }
}
