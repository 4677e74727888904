// What the Sprint driver and the confirmation-round driver share: mining one (seed, class) into
// an ArtifactStore over every ML node (app/api/mining.ts's dynamic chunks), the progress rate of
// that job, and sending rootAt(count) as a MsgPocCommit (round 0 for the Sprint, n for
// confirmation round n). Not consensus code.
import { OrderedAppender } from '../../kernels/poc/artifacts/appender.js';
import type { ArtifactStore } from '../../kernels/poc/artifacts/store.js';
import { outputBytes, POC_CLASSES, type PocClassName } from '../../kernels/poc/classes.js';
import { MsgPocCommit } from '../../proto/gen/gonka/poc/v1/tx.js';
import { typeUrl } from '../../proto/gonka/registry.js';
import type { Logger } from '../log.js';
import { type ApiAdversary, claimedCount, miningPubkey } from './adversary.js';
import type { Broadcaster } from './broadcaster.js';
import type { ApiMetrics } from './metrics.js';
import { type Miner, mineWithNodes } from './mining.js';
import type { EpochStores } from './stores.js';

export interface StoreMining {
  epoch: bigint;
  /** 0: the Sprint; n: confirmation round n. */
  round: number;
  cls: PocClassName;
  store: ArtifactStore;
  stop: AbortController;
  done: Promise<void>;
  lastCount: number;
  lastAt: number;
  rate: number;
}

export interface StoreMiningJob {
  epoch: bigint;
  round: number;
  cls: PocClassName;
  seed: Uint8Array;
  pubkey: Uint8Array;
  store: ArtifactStore;
  /** The class's max_count (no nonce at or past it is mined). */
  maxCount: bigint;
  miners: readonly Miner[];
  metrics: ApiMetrics;
  log: Logger;
}

/** The class name of a chain class id (undefined: a class this build does not know). */
export const classNameOf = (id: number): PocClassName | undefined =>
  (Object.keys(POC_CLASSES) as PocClassName[]).find((n) => POC_CLASSES[n].id === id);

/** What a driver lends openStoreMining: its stores, key, ML nodes, metrics and log. */
export interface StoreMiningDriver {
  stores: EpochStores;
  broadcaster: Pick<Broadcaster, 'pubKey'>;
  adversary?: ApiAdversary;
  miners: readonly Miner[];
  metrics: ApiMetrics;
  log: Logger;
}

/**
 * Opens the store of (epoch, round, class) for this seed and mining key (resuming one on disk
 * made for the same), then starts mining into it (startStoreMining).
 */
export function openStoreMining(
  o: StoreMiningDriver,
  job: { epoch: bigint; round: number; cls: PocClassName; seed: Uint8Array; maxCount: bigint },
): StoreMining {
  const pubkey = miningPubkey(o.broadcaster.pubKey, o.adversary);
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
  const store = o.stores.openForMining(
    job.epoch,
    job.cls,
    {
      class: job.cls,
      blockHash: hex(job.seed),
      pubkey: hex(pubkey),
      outputBytes: outputBytes(POC_CLASSES[job.cls]),
    },
    job.round,
  );
  return startStoreMining({ ...job, pubkey, store, miners: o.miners, metrics: o.metrics, log: o.log });
}

/** Starts mining into job.store from its count; stop with `.stop.abort()` and await `.done`. */
export function startStoreMining(job: StoreMiningJob): StoreMining {
  const stop = new AbortController();
  const { store } = job;
  const where = { epoch: job.epoch.toString(), round: job.round, class: job.cls };
  job.log.info(
    { ...where, from: store.count, mlNodes: job.miners.length },
    job.round === 0 ? 'PoC generation: mining' : 'PoC confirmation round: mining',
  );
  const maxSafe = BigInt(Number.MAX_SAFE_INTEGER);
  const done = mineWithNodes(job.miners, {
    blockHash: job.seed,
    cls: job.cls,
    pubkey: job.pubkey,
    appender: new OrderedAppender(store),
    maxCount: Number(job.maxCount < maxSafe ? job.maxCount : maxSafe),
    signal: stop.signal,
    onAppended: (n) => job.metrics.nonces.inc(n),
    onMinerError: (i, e) =>
      job.log.warn(
        { mlNode: i, err: e instanceof Error ? e.message : String(e) },
        'ML node failed; retrying',
      ),
  }).catch((e) => {
    job.log.error(
      { ...where, err: e instanceof Error ? e.message : String(e) },
      'mining stopped on an error',
    );
  });
  return {
    epoch: job.epoch,
    round: job.round,
    cls: job.cls,
    store,
    stop,
    done,
    lastCount: store.count,
    lastAt: Date.now(),
    rate: 0,
  };
}

/** Aborts the job, waits for every ML node request to end and makes the store durable. */
export async function stopStoreMining(m: StoreMining, log: Logger): Promise<void> {
  m.stop.abort();
  await m.done;
  m.store.flush();
  log.info(
    { epoch: m.epoch.toString(), round: m.round, class: m.cls, count: m.store.count },
    m.round === 0 ? 'PoC generation: stopped' : 'PoC confirmation round: stopped',
  );
}

/** Updates m.rate (nonces/s) when a second or more passed since the last update. */
export function updateRate(m: StoreMining, now: number): void {
  const dt = (now - m.lastAt) / 1000;
  if (dt < 1) return;
  m.rate = (m.store.count - m.lastCount) / dt;
  m.lastCount = m.store.count;
  m.lastAt = now;
}

export interface CommitSender {
  broadcaster: Pick<Broadcaster, 'submit' | 'address'>;
  metrics: ApiMetrics;
  log: Logger;
  /** TEST ONLY: overcount claims floor(count × factor) leaves (app/api/adversary.ts). */
  adversary?: ApiAdversary;
}

/**
 * Flushes (so a commitment never covers leaves a crash could lose) and commits rootAt(count).
 * Resolves with the count sent, or with the chain's refusal (ChainError, or any broadcast error).
 */
export async function sendStoreCommit(
  o: CommitSender,
  c: { epoch: bigint; round: number; cls: PocClassName; store: ArtifactStore; final: boolean },
): Promise<{ count: number } | { error: unknown }> {
  c.store.flush();
  const count = c.store.count;
  const msg = MsgPocCommit.fromPartial({
    participant: o.broadcaster.address,
    epoch: c.epoch,
    classId: POC_CLASSES[c.cls].id,
    count: BigInt(claimedCount(count, o.adversary)),
    root: c.store.rootAt(count),
    round: c.round,
  });
  try {
    await o.broadcaster.submit([
      { typeUrl: typeUrl(MsgPocCommit), value: MsgPocCommit.encode(msg).finish() },
    ]);
    o.metrics.commitsSent.inc();
    o.log.info(
      { epoch: c.epoch.toString(), round: c.round, class: c.cls, count, final: c.final },
      'PoC commit sent',
    );
    return { count };
  } catch (error) {
    o.log.warn(
      { err: error instanceof Error ? error.message : String(error), round: c.round, count },
      'PoC commit refused',
    );
    return { error };
  }
}
