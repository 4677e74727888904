// A token bucket for log lines a remote caller can trigger: at most `burst` lines at once and
// `perSecond` on average; the lines dropped meanwhile are counted and reported on the next line
// that passes, so a flood of bad requests costs the log a few lines a second, not one per request.
export class LogLimiter {
  private tokens: number;
  private last: number;
  private dropped = 0;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Whether a line may be written now; if so, how many were suppressed since the last one. */
  take(): { ok: true; suppressed: number } | { ok: false } {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.perSecond);
    this.last = t;
    if (this.tokens < 1) {
      this.dropped += 1;
      return { ok: false };
    }
    this.tokens -= 1;
    const suppressed = this.dropped;
    this.dropped = 0;
    return { ok: true, suppressed };
  }
}
