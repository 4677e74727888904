// Explains a slow query: besides its wall time, how much CPU this process used meanwhile and how
// much of it the garbage collector took. Wall ≫ CPU means the OS ran something else (CPU contention
// with CometBFT or the clients); a large GC share means allocation elsewhere (frames, responses)
// made the collector run inside the query; CPU ≈ wall without GC is the query's own work.
import { constants, type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';

/** Recent GC pauses (start, end in performance.now() ms), oldest first, bounded. */
const MAX_GC_ENTRIES = 256;

export class GcWindow {
  private readonly pauses: { start: number; end: number; kind: number }[] = [];
  private readonly observer: PerformanceObserver;

  constructor() {
    this.observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) this.add(e);
    });
    this.observer.observe({ entryTypes: ['gc'] });
  }

  private add(e: PerformanceEntry): void {
    const kind = (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ?? 0;
    this.pauses.push({ start: e.startTime, end: e.startTime + e.duration, kind });
    if (this.pauses.length > MAX_GC_ENTRIES) this.pauses.shift();
  }

  /** GC milliseconds inside [start, end], and whether a major (mark-compact) pause was among them. */
  overlap(start: number, end: number): { ms: number; major: boolean } {
    let ms = 0;
    let major = false;
    for (const p of this.pauses) {
      const o = Math.min(end, p.end) - Math.max(start, p.start);
      if (o > 0) {
        ms += o;
        if (p.kind === constants.NODE_PERFORMANCE_GC_MAJOR) major = true;
      }
    }
    return { ms, major };
  }

  close(): void {
    this.observer.disconnect();
  }
}
