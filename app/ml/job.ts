// One `POST /v1/poc/mine` request: a range job on the session's miner whose sink is the HTTP
// response. Backpressure: once the response buffers highWaterMark bytes (the client reads slower
// than the workers mine), admit() hands out no more ranges until the stream asks to be read; at
// most the ranges already in flight (3 per worker) arrive on top. The throttle gates ranges too.
import { Readable } from 'node:stream';
import type { RangeJob } from '../../kernels/poc/mining/miner.js';
import { frameHeader } from './frames.js';
import type { MiningSession } from './sessions.js';
import type { TokenBucket } from './throttle.js';

export interface MineJobHooks {
  /** Called for every frame sent, with its nonce count. */
  readonly onSent: (count: number) => void;
  /** Node-wide test throttle, if armed (read at every admit: --test-controls changes it at run time). */
  readonly throttle: () => TokenBucket | undefined;
  /** TEST ONLY (app/ml/adversary.ts): rewrites a frame's outputs before they are sent. */
  readonly tamper?: (first: number, count: number, outputs: Uint8Array) => Uint8Array;
  /** Schedules a kick of this job's miner after ms (the throttle's refill). */
  readonly kickLater: (ms: number) => void;
}

/** Bytes the response may buffer before the job pauses (a few frames of any class). */
const HIGH_WATER_MARK = 1 << 20;

export class MineJob {
  readonly stream: Readable;
  private stopRequested = false;
  private paused = false;
  readonly done: Promise<number>;

  constructor(
    readonly session: MiningSession,
    readonly start: number,
    readonly end: number,
    private readonly hooks: MineJobHooks,
  ) {
    this.stream = new Readable({
      highWaterMark: HIGH_WATER_MARK,
      read: () => {
        if (!this.paused) return;
        this.paused = false;
        this.session.miner.kick();
      },
    });
    // A destroyed stream (client gone) stops the job; kick so a job held by admit() settles too.
    this.stream.on('close', () => this.session.miner.kick());
    const job: RangeJob = {
      start,
      end,
      stop: () => this.stopRequested || this.stream.destroyed,
      admit: (want) => this.admit(want),
      sink: (first, count, outputs) => this.send(first, count, outputs),
    };
    this.done = session.miner.run(job);
  }

  /** Stops handing out ranges; the ranges in flight are still sent, then the response ends. */
  stop(): void {
    this.stopRequested = true;
    this.session.miner.kick();
  }

  private admit(want: number): number {
    if (this.paused || this.stream.destroyed) return 0;
    const throttle = this.hooks.throttle();
    if (throttle === undefined) return want;
    const n = throttle.take(want);
    if (n === 0) this.hooks.kickLater(throttle.msUntil(want));
    return n;
  }

  private send(first: number, count: number, computed: Uint8Array): void {
    if (this.stream.destroyed) return; // client gone: drop what was still in flight
    const outputs = this.hooks.tamper ? this.hooks.tamper(first, count, computed) : computed;
    this.stream.push(frameHeader(first, count));
    const more = this.stream.push(Buffer.from(outputs.buffer, outputs.byteOffset, outputs.byteLength));
    if (!more) this.paused = true;
    this.hooks.onSent(count);
  }
}
