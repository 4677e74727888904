// The ML node's mining state behind its HTTP routes: the sessions (one miner per block hash, class
// and pubkey), the running mine jobs, the test throttle, the nonces/s meter and the counters that
// /v1/status and /metrics report. server.ts parses and bounds requests, then calls in here.
import type { PocClass } from '../../kernels/poc/classes.js';
import type { Logger } from '../log.js';
import { fabricateOutputs, type MlAdversary } from './adversary.js';
import type { MlStatus } from './client.js';
import { MineJob } from './job.js';
import { MlMetrics } from './metrics.js';
import { RateMeter } from './rate.js';
import { type MiningSession, MiningSessions, type SessionOptions, SessionsBusyError } from './sessions.js';
import { TokenBucket } from './throttle.js';

/** Mine requests served at once; each holds a connection and a few ranges in flight. */
const MAX_JOBS = 64;
/** How long stopAll() waits for running requests to drain before answering anyway. */
const STOP_DRAIN_MS = 30_000;

export interface MlNodeOptions extends SessionOptions {
  /** Test only: the most nonces per second the node hands out (token bucket at its edge). */
  testThrottle?: number;
  /** Workers per session, as /v1/status reports them. */
  workersHint: number;
  /** TEST ONLY: lie about the work (app/ml/adversary.ts); never on a real node. */
  adversary?: MlAdversary;
}

export interface MineInput {
  cls: PocClass;
  blockHash: Uint8Array;
  pubkey: Uint8Array;
  start: number;
  end: number;
}

/** The node cannot take a mine request now (HTTP 503). */
export class NotReadyError extends Error {
  override name = 'NotReadyError';
}

export class MlNode {
  readonly metrics: MlMetrics;
  private readonly sessions: MiningSessions;
  private readonly meter = new RateMeter();
  private throttle: TokenBucket | undefined;
  private readonly jobs = new Set<MineJob>();
  private readonly log: Logger;
  private mined = 0n;
  private kickTimer: NodeJS.Timeout | undefined;
  /** Bumped by every stop, so a request still waiting for its session when stop came stops too. */
  private stopGeneration = 0;

  constructor(private readonly o: MlNodeOptions) {
    this.log = o.log;
    this.sessions = new MiningSessions(o);
    this.metrics = new MlMetrics(() => this.meter.perSecond());
    this.throttle = o.testThrottle === undefined ? undefined : new TokenBucket(o.testThrottle);
    if (this.throttle)
      this.log.warn({ noncesPerSecond: o.testThrottle }, 'TEST THROTTLE armed: mining is rate-limited');
    if (o.adversary?.fabricate !== undefined)
      this.log.warn({ fabricate: o.adversary.fabricate }, 'TEST ADVERSARY armed: fabricating outputs');
  }

  /** TEST ONLY (--test-controls): a new throttle for every running and later job; undefined lifts it. */
  setThrottle(noncesPerSecond: number | undefined): void {
    this.throttle = noncesPerSecond === undefined ? undefined : new TokenBucket(noncesPerSecond);
    this.log.warn({ noncesPerSecond: noncesPerSecond ?? null }, 'TEST THROTTLE changed');
    for (const job of this.jobs) job.session.miner.kick();
  }

  /**
   * Starts mining [start, end) into a new job's stream; undefined if the client left (gone()) while
   * the session opened. Throws NotReadyError when no session can be had.
   */
  async mine(input: MineInput, gone: () => boolean): Promise<MineJob | undefined> {
    if (this.jobs.size >= MAX_JOBS)
      throw new NotReadyError(`already serving ${MAX_JOBS} mine requests; retry later`);
    const generation = this.stopGeneration;
    const session = await this.acquire(input);
    if (gone()) {
      this.sessions.release(session);
      return undefined;
    }
    const fabricate = this.o.adversary?.fabricate;
    const job = new MineJob(session, input.start, input.end, {
      throttle: () => this.throttle,
      ...(fabricate === undefined
        ? {}
        : {
            tamper: (first: number, count: number, out: Uint8Array) =>
              fabricateOutputs(first, count, out, fabricate),
          }),
      kickLater: (ms) => this.kickLater(ms),
      onSent: (count) => {
        this.mined += BigInt(count);
        this.metrics.noncesMined.inc(count);
        this.meter.record(count);
      },
    });
    this.jobs.add(job);
    this.metrics.activeJobs.set(this.jobs.size);
    // A stop that came while this request waited for its session applies to it too.
    if (generation !== this.stopGeneration) job.stop();
    job.done.then(
      (sent) => {
        this.log.debug({ start: input.start, end: input.end, sent }, 'mine request done');
        job.stream.push(null);
      },
      (err: unknown) => {
        // A worker failed mid-stream: the 200 is already out, so cut the response; the client
        // sees a truncated stream, never a wrong one. The failed session is dropped on release.
        this.log.error({ err, start: input.start, end: input.end }, 'mining failed');
        job.stream.destroy(err instanceof Error ? err : new Error(String(err)));
      },
    );
    job.done
      .catch(() => undefined)
      .finally(() => {
        this.jobs.delete(job);
        this.metrics.activeJobs.set(this.jobs.size);
        this.sessions.release(session);
        this.metrics.sessions.set(this.sessions.size);
      });
    return job;
  }

  /** Stops every running mine job and waits (bounded) until they drained; returns how many. */
  async stopAll(): Promise<number> {
    this.stopGeneration++;
    const running = [...this.jobs];
    for (const job of running) job.stop();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, STOP_DRAIN_MS);
    });
    await Promise.race([Promise.allSettled(running.map((j) => j.done)), deadline]);
    clearTimeout(timer);
    return running.length;
  }

  status(): MlStatus {
    const last = this.sessions.last;
    return {
      state: this.jobs.size > 0 ? 'mining' : 'idle',
      class: last?.cls.name ?? null,
      nonces_per_s: Math.round(this.meter.perSecond() * 10) / 10,
      mined: this.mined.toString(),
      workers: this.o.workersHint,
      form: last?.form ?? null,
    };
  }

  /** Stops mining and closes every session. */
  async close(): Promise<void> {
    await this.stopAll();
    if (this.kickTimer !== undefined) clearTimeout(this.kickTimer);
    await this.sessions.close();
  }

  private async acquire(input: MineInput): Promise<MiningSession> {
    try {
      const session = await this.sessions.acquire(input.cls, input.blockHash, input.pubkey);
      this.metrics.sessions.set(this.sessions.size);
      return session;
    } catch (err) {
      if (err instanceof SessionsBusyError) throw new NotReadyError(err.message);
      this.log.error({ err, class: input.cls.name }, 'could not open a mining session');
      throw new NotReadyError(`could not open a mining session: ${(err as Error).message}`);
    }
  }

  /** One timer for the throttle's refill, kicking every running job's miner. */
  private kickLater(ms: number): void {
    if (this.kickTimer !== undefined) return;
    this.kickTimer = setTimeout(() => {
      this.kickTimer = undefined;
      for (const job of this.jobs) job.session.miner.kick();
    }, ms);
  }
}
