// Nonces per second over a moving window, for /v1/status and the nonces/s gauge: fixed-width
// buckets in a ring, so recording is O(1) however fast frames arrive.

export class RateMeter {
  private readonly buckets: Float64Array;
  private readonly stamps: Float64Array;
  private started: number | undefined;

  constructor(
    windowMs = 5000,
    private readonly bucketMs = 250,
    private readonly now: () => number = () => performance.now(),
  ) {
    const n = Math.ceil(windowMs / bucketMs);
    this.buckets = new Float64Array(n);
    this.stamps = new Float64Array(n).fill(-1);
  }

  record(count: number): void {
    const t = this.now();
    this.started ??= t;
    const slot = Math.floor(t / this.bucketMs);
    const i = slot % this.buckets.length;
    if (this.stamps[i] !== slot) {
      this.stamps[i] = slot;
      this.buckets[i] = 0;
    }
    this.buckets[i]! += count;
  }

  /** Per second over the window (or over the time since the first record, when shorter). */
  perSecond(): number {
    if (this.started === undefined) return 0;
    const t = this.now();
    const current = Math.floor(t / this.bucketMs);
    let sum = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      const age = current - this.stamps[i]!;
      if (this.stamps[i]! >= 0 && age >= 0 && age < this.buckets.length) sum += this.buckets[i]!;
    }
    // The buckets cover the full ones before the current bucket plus the current one's elapsed part.
    const covered = (this.buckets.length - 1) * this.bucketMs + (t - current * this.bucketMs);
    const spanMs = Math.max(this.bucketMs, Math.min(covered, t - this.started));
    return (sum * 1000) / spanMs;
  }
}
