// Drives several ML nodes on disjoint nonce ranges of one (seed, class, pubkey) and appends their
// outputs in nonce order. Ranges are handed out dynamically: each ML node asks for the next chunk
// when it finishes one, and chunks are sized to about CHUNK_SECONDS of that node's own measured
// rate, so a fast and a slow ML node both stay busy. A node that fails (network, protocol) gives
// back what it did not deliver, to be mined by whichever node asks next, and backs off. Nobody
// runs more than MAX_AHEAD leaves past the store's count, which bounds what OrderedAppender holds
// behind a slow node's gap.
import type { OrderedAppender } from '../../kernels/poc/artifacts/appender.js';
import type { PocClassName } from '../../kernels/poc/classes.js';
import type { MineRequest } from '../ml/client.js';

/** What the scheduler needs of an ML node (MlNodeClient has it). */
export interface Miner {
  mine(
    req: MineRequest,
    onBatch: (first: number, outputs: Uint8Array[]) => void,
    signal?: AbortSignal,
  ): Promise<number>;
}

export interface MiningJob {
  blockHash: Uint8Array;
  cls: PocClassName;
  pubkey: Uint8Array;
  appender: OrderedAppender;
  /** Nonces at or past this are never handed out (the class's max_count). */
  maxCount: number;
  /** Aborted when the generation stage ends. */
  signal: AbortSignal;
  /** Called after leaves reached the store. */
  onAppended?: (n: number) => void;
  onMinerError?: (miner: number, e: unknown) => void;
}

const CHUNK_SECONDS = 2;
const MIN_CHUNK = 64;
const FIRST_CHUNK = 256;
const MAX_CHUNK = 200_000;
/** Leaves anybody may mine beyond the store's count (bounds the appender's waiting memory). */
const MAX_AHEAD = 500_000;
const BACKOFF_MS = [250, 500, 1000, 2000, 5000];

interface Range {
  start: number;
  end: number;
}

/** Mines until the signal aborts or maxCount is reached; resolves when every ML node has stopped. */
export async function mineWithNodes(miners: readonly Miner[], job: MiningJob): Promise<void> {
  if (miners.length === 0) throw new Error('no ML nodes to mine with');
  let next = job.appender.nextNonce;
  const retry: Range[] = [];
  let waiters: (() => void)[] = [];
  const progressed = () => {
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };
  const waitForProgress = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      waiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });

  const take = (size: number): Range | undefined => {
    const r = retry.shift();
    if (r) {
      if (r.end - r.start <= size) return r;
      retry.unshift({ start: r.start + size, end: r.end });
      return { start: r.start, end: r.start + size };
    }
    const end = Math.min(next + size, job.maxCount, job.appender.nextNonce + MAX_AHEAD);
    if (end <= next) return undefined;
    const range = { start: next, end };
    next = end;
    return range;
  };

  const runMiner = async (miner: Miner, index: number): Promise<void> => {
    let chunk = FIRST_CHUNK;
    let failures = 0;
    while (!job.signal.aborted) {
      const range = take(chunk);
      if (!range) {
        if (next >= job.maxCount && retry.length === 0) return; // all handed out
        await waitForProgress(200);
        continue;
      }
      const delivered: Range[] = [];
      const t0 = performance.now();
      try {
        await miner.mine(
          { blockHash: job.blockHash, cls: job.cls, pubkey: job.pubkey, start: range.start, end: range.end },
          (first, outputs) => {
            delivered.push({ start: first, end: first + outputs.length });
            const n = job.appender.add(first, outputs);
            if (n > 0) {
              job.onAppended?.(n);
              progressed();
            }
          },
          job.signal,
        );
        failures = 0;
        const seconds = (performance.now() - t0) / 1000;
        const rate = (range.end - range.start) / Math.max(seconds, 0.001);
        chunk = Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, Math.round(rate * CHUNK_SECONDS)));
      } catch (e) {
        if (job.signal.aborted) return;
        job.onMinerError?.(index, e);
        failures++;
        chunk = Math.max(MIN_CHUNK, Math.floor(chunk / 2));
      }
      // Whatever of the range did not arrive (an error, or a node that stopped early) is re-mined.
      for (const gap of gaps(range, delivered)) retry.push(gap);
      retry.sort((a, b) => a.start - b.start);
      if (failures > 0) await sleep(BACKOFF_MS[Math.min(failures, BACKOFF_MS.length) - 1]!, job.signal);
    }
  };

  await Promise.all(miners.map((m, i) => runMiner(m, i)));
}

/** The parts of `range` not covered by `delivered` (disjoint sub-ranges, any order). */
export function gaps(range: Range, delivered: readonly Range[]): Range[] {
  const sorted = [...delivered].sort((a, b) => a.start - b.start);
  const out: Range[] = [];
  let at = range.start;
  for (const d of sorted) {
    if (d.start > at) out.push({ start: at, end: d.start });
    at = Math.max(at, d.end);
  }
  if (at < range.end) out.push({ start: at, end: range.end });
  return out;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
