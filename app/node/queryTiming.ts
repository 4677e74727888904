// Explains a slow query: besides its wall time, how much CPU the event-loop thread used meanwhile
// and how much of it the garbage collector took. Wall ≫ CPU means the OS ran something else (CPU
// contention with CometBFT, the clients or other processes); a large GC share means allocation
// elsewhere made the collector run inside the query; CPU ≈ wall without GC is the query's own work.
import { closeSync, openSync, readSync } from 'node:fs';
import { constants, type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';

/**
 * CPU time of the calling thread in ms: Linux's /proc/thread-self/schedstat (ns on CPU), read with
 * pread on a descriptor opened once (≈ 4 µs a read). Where that file is missing it falls back to
 * process.cpuUsage(), which also counts GC helper, libuv and LevelDB threads (an upper bound).
 * Construct it on the thread to measure (the node's main thread).
 */
export class ThreadCpu {
  private readonly fd: number | undefined;
  private readonly buf = Buffer.alloc(96);
  /** True when the figure is this thread's alone, false for the whole-process fallback. */
  readonly perThread: boolean;

  constructor() {
    let fd: number | undefined;
    try {
      fd = openSync('/proc/thread-self/schedstat', 'r');
    } catch {
      fd = undefined;
    }
    this.fd = fd;
    this.perThread = fd !== undefined && this.read() !== undefined;
  }

  private read(): number | undefined {
    if (this.fd === undefined) return undefined;
    const n = readSync(this.fd, this.buf, 0, this.buf.length, 0);
    const ns = Number(this.buf.toString('latin1', 0, n).split(' ')[0]);
    return Number.isFinite(ns) ? ns / 1e6 : undefined;
  }

  nowMs(): number {
    if (this.perThread) return this.read() as number;
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
  }
}

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
