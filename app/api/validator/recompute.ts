// Recomputes sampled outputs for the validator. An ORT checked session per (block hash, class) is the
// fastest path for every class: on this project's 2-core machine opening a tiny session (graph
// build + conformance self-check) costs ~165 ms CPU once, after which 200 tiny nonces take ~20 ms,
// while the pure reference takes ~3.5 ms per tiny nonce (~700 ms for one participant's 200
// samples) and ~58 ms per devnet nonce, and would block the API node's event loop. The reference
// (in a worker thread) is only the fallback when no ORT form passes its self-check on this host;
// `large` has no practical reference (~12 min per nonce), so it then has no engine at all.
import { toHex } from '../../../kernels/poc/bytes.js';
import type { PocClass } from '../../../kernels/poc/classes.js';
import type { CheckedSessionOptions, KernelLog } from '../../../kernels/poc/ort/checked-session.js';
import type { PocOrtSession } from '../../../kernels/poc/ort/session.js';
import { PocSessionCache } from '../../../kernels/poc/ort/session-cache.js';
import { ReferencePool } from '../../../kernels/poc/reference-pool.js';

export interface RecomputerOptions {
  /** 'ort' (default): checked sessions, reference fallback; 'reference': the reference only (tests). */
  readonly engine?: 'ort' | 'reference';
  /** ORT intra-op threads per session (default 1: validation runs beside the API node's serving). */
  readonly threads?: number;
  readonly provider?: CheckedSessionOptions['provider'];
  /** Nonces per ORT run (default 64; 4 for `large`, whose activations are ~4 MB per nonce). */
  readonly batch?: number;
  readonly log?: KernelLog;
}

/** This host cannot recompute the class (no ORT form passed and no usable reference). */
export class RecomputeUnavailableError extends Error {
  override name = 'RecomputeUnavailableError';
}

interface Engine {
  compute(pubkey: Uint8Array, nonces: readonly bigint[]): Promise<Uint8Array[]>;
}

/** One engine per (block hash, class), opened on first use and kept until release(). */
export class Recomputer {
  private readonly engines = new Map<string, Promise<Engine>>();
  // Capacity 3 (one per class) so a session in use is never evicted while others are opened.
  private readonly sessions: PocSessionCache;
  private pool: ReferencePool | undefined;

  constructor(private readonly options: RecomputerOptions = {}) {
    this.sessions = new PocSessionCache(
      { threads: options.threads ?? 1, provider: options.provider, log: options.log },
      3,
    );
  }

  /** The output bytes of each nonce of `pubkey` in the epoch (block hash, class), in order. */
  async outputs(
    cls: PocClass,
    blockHash: Uint8Array,
    pubkey: Uint8Array,
    nonces: readonly bigint[],
  ): Promise<Uint8Array[]> {
    if (nonces.length === 0) return [];
    const engine = await this.engine(cls, blockHash);
    return engine.compute(pubkey, nonces);
  }

  private engine(cls: PocClass, blockHash: Uint8Array): Promise<Engine> {
    const key = `${cls.id}:${toHex(blockHash)}`;
    let engine = this.engines.get(key);
    if (!engine) {
      engine = this.open(cls, blockHash);
      this.engines.set(key, engine);
    }
    return engine;
  }

  private async open(cls: PocClass, blockHash: Uint8Array): Promise<Engine> {
    if (this.options.engine !== 'reference') {
      try {
        return this.ortEngine(cls, await this.sessions.get(cls, blockHash));
      } catch (err) {
        if (cls.name === 'large') {
          throw new RecomputeUnavailableError(`no ORT session for large on this host: ${String(err)}`);
        }
        this.options.log?.warn(
          { class: cls.name, err: String(err) },
          'no ORT session passed its check; recomputing with the reference',
        );
      }
    } else if (cls.name === 'large') {
      throw new RecomputeUnavailableError('the reference takes minutes per large nonce');
    }
    if (!this.pool) this.pool = new ReferencePool(1);
    const pool = this.pool;
    return { compute: (pubkey, nonces) => pool.compute(cls, blockHash, pubkey, nonces) };
  }

  private ortEngine(cls: PocClass, session: PocOrtSession): Engine {
    const batch = this.options.batch ?? (cls.name === 'large' ? 4 : 64);
    // Runs go one at a time per session: the validator checks several participants at once, and
    // concurrent runs on 1-thread sessions would only oversubscribe the cores.
    let queue: Promise<unknown> = Promise.resolve();
    const run = (pubkey: Uint8Array, nonces: readonly bigint[]): Promise<Uint8Array[]> => {
      const next = queue.then(() => session.computeOutputs(pubkey, nonces));
      queue = next.catch(() => {});
      return next;
    };
    return {
      async compute(pubkey, nonces) {
        const out: Uint8Array[] = [];
        for (let i = 0; i < nonces.length; i += batch)
          out.push(...(await run(pubkey, nonces.slice(i, i + batch))));
        return out;
      },
    };
  }

  async release(): Promise<void> {
    this.engines.clear();
    await this.sessions.close();
    await this.pool?.close();
    this.pool = undefined;
  }
}
