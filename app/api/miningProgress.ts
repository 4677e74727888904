// What the Sprint driver and the confirmation-round driver share about their progress: the chain
// height last seen, a block-time estimate from it (wall clock, for the ETA only), the mining
// rate gauges and the stderr progress line. Not consensus code.
import type { ApiMetrics } from './metrics.js';
import { type StoreMining, updateRate } from './storeMining.js';

export interface MiningProgressOptions {
  metrics: ApiMetrics;
  /** Interval of the progress line (default 2 s). */
  progressEveryMs?: number;
  /** Where the progress line goes (default stderr). */
  progress?: (line: string) => void;
}

export class MiningProgress {
  /** The chain height last observed. */
  height = 0n;
  private lastProgressAt = 0;
  private blockTime = { h0: 0n, t0: 0, seconds: 1 };

  constructor(private readonly o: MiningProgressOptions) {}

  /** Records height `h` and refines the seconds-per-block estimate (reset when the chain goes back). */
  observeHeight(h: bigint): void {
    const now = Date.now();
    if (this.blockTime.t0 === 0 || h < this.blockTime.h0) this.blockTime = { h0: h, t0: now, seconds: 1 };
    else if (h > this.blockTime.h0 + 2n)
      this.blockTime.seconds = (now - this.blockTime.t0) / 1000 / Number(h - this.blockTime.h0);
    this.height = h;
  }

  /**
   * Updates every job's rate and the gauges, and (at most every progressEveryMs) prints one line
   * per job: `<label(m)>: count … · … nonces/s · commit stage in ~… s (block h/commitStart)`.
   */
  show(
    mining: Iterable<StoreMining>,
    h: bigint,
    commitStart: bigint,
    label: (m: StoreMining) => string,
  ): void {
    const jobs = [...mining];
    const now = Date.now();
    for (const m of jobs) {
      updateRate(m, now);
      this.o.metrics.noncesPerSecond.set(m.rate);
      this.o.metrics.count.set(m.store.count);
    }
    if (now - this.lastProgressAt < (this.o.progressEveryMs ?? 2000)) return;
    this.lastProgressAt = now;
    const eta = Math.max(0, Math.round(Number(commitStart - h) * this.blockTime.seconds));
    const print = this.o.progress ?? ((l: string) => process.stderr.write(`${l}\n`));
    for (const m of jobs) {
      print(
        `${label(m)}: count ${m.store.count.toLocaleString('en-US')} · ` +
          `${Math.round(m.rate).toLocaleString('en-US')} nonces/s · commit stage in ~${eta} s ` +
          `(block ${h}/${commitStart})`,
      );
    }
  }
}
