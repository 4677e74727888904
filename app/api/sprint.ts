// The Sprint driver: follows the chain's x/poc stage (polling the Stage query) and does the
// operator's part of each epoch's Sprint (DESIGN.md §5):
//   generation (seed known) → mine every configured class on all ML nodes into
//     <home>/poc/<epoch>/<class>/, committing rootAt(count) every commitEveryMs;
//   commit_start → stop mining, make the store durable, send the final MsgPocCommit;
//   validation (validation_hash known) → run the validator once (votes on everyone's commits).
// It also keeps the participant's api_url and classes on chain equal to the config
// (MsgUpdateParticipant), prints a progress line on stderr and keeps the last two epochs' stores.
// A restart mid-generation resumes from the store on disk; in the commit stage it commits what
// the store holds. Nothing here is consensus code: wall-clock time only paces polls and logs.
import type { ArtifactStore } from '../../kernels/poc/artifacts/store.js';
import { POC_CLASSES, type PocClassName } from '../../kernels/poc/classes.js';
import type { SprintState } from '../../proto/gen/gonka/poc/v1/poc.js';
import { MsgUpdateParticipant } from '../../proto/gen/gonka/poc/v1/tx.js';
import { typeUrl } from '../../proto/gonka/registry.js';
import type { Logger } from '../log.js';
import type { ApiAdversary } from './adversary.js';
import type { Broadcaster } from './broadcaster.js';
import type { PocChain } from './chain.js';
import type { ApiMetrics } from './metrics.js';
import type { Miner } from './mining.js';
import { MiningProgress } from './miningProgress.js';
import {
  classNameOf,
  openStoreMining,
  type StoreMining,
  sendStoreCommit,
  stopStoreMining,
} from './storeMining.js';
import { type EpochStores, KEEP_EPOCHS } from './stores.js';

export interface SprintDriverOptions {
  chain: PocChain;
  broadcaster: Pick<Broadcaster, 'submit' | 'address' | 'pubKey'>;
  stores: EpochStores;
  miners: readonly Miner[];
  classes: readonly PocClassName[];
  /** The api_url validators fetch proofs from (registered on chain). */
  apiUrl: string;
  metrics: ApiMetrics;
  log: Logger;
  /** The validator (app/api/validator): called once per Sprint in its validation stage. */
  validate?: (sprint: SprintState, signal: AbortSignal) => Promise<unknown>;
  pollMs?: number;
  /** Interval of the commits sent while mining (default 10 s). */
  commitEveryMs?: number;
  /** TEST ONLY: misbehave on purpose (app/api/adversary.ts); never on a real node. */
  adversary?: ApiAdversary;
  /** Interval of the progress line (default 2 s). */
  progressEveryMs?: number;
  /** Where the progress line goes (default stderr). */
  progress?: (line: string) => void;
  /**
   * Called after every poll with the chain height (the confirmation-round driver rides this
   * loop); its failures are logged apart from the Sprint's.
   */
  onPoll?: (height: bigint) => Promise<void>;
}

type Mining = StoreMining;

const FINAL_COMMIT_TRIES = 3;
const classId = (c: PocClassName) => POC_CLASSES[c].id;

export class SprintDriver {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private stage = 'unknown';
  private sprint: SprintState | undefined;
  private readonly mining = new Map<string, Mining>();
  /** Counts sent in MsgPocCommit accepted by CheckTx, by `${epoch}/${class}`. */
  private readonly committed = new Map<string, number>();
  /** Final-commit attempts per `${epoch}/${class}` (FINAL_COMMIT_TRIES once sent). */
  private readonly finalTries = new Map<string, number>();
  private readonly commitsLoaded = new Set<bigint>();
  private readonly validated = new Set<bigint>();
  private validation: { epoch: bigint; stop: AbortController; done: Promise<void> } | undefined;
  private participantCheckedEpoch: bigint | undefined;
  private lastCommitAt = 0;
  private prunedAt: bigint | undefined;
  private readonly progress: MiningProgress;
  private lastTickError: string | undefined;
  private lastPollError: string | undefined;

  constructor(private readonly o: SprintDriverOptions) {
    this.progress = new MiningProgress(o);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.stopMining(() => true);
    this.validation?.stop.abort();
    await this.validation?.done;
  }

  /** The chain's sample_size of the current Sprint (the proofs endpoint's bound). */
  sampleSize(): number | undefined {
    return this.sprint?.params?.sampleSize;
  }

  committedCount(epoch: bigint, cls: PocClassName): number | undefined {
    return this.committed.get(`${epoch}/${cls}`);
  }

  status(): Record<string, unknown> {
    return {
      address: this.o.broadcaster.address,
      height: this.progress.height.toString(),
      epoch: this.sprint?.epoch.toString() ?? null,
      stage: this.stage,
      ml_nodes: this.o.miners.length,
      classes: this.o.classes,
      mining: [...this.mining.values()].map((m) => ({
        epoch: m.epoch.toString(),
        class: m.cls,
        count: m.store.count,
        nonces_per_s: Math.round(m.rate),
      })),
      committed: Object.fromEntries(this.committed),
    };
  }

  private async run(): Promise<void> {
    const pollMs = this.o.pollMs ?? 500;
    while (this.running) {
      try {
        await this.tick();
        this.lastTickError = undefined;
      } catch (e) {
        // The same failure every poll (the chain node restarting) is logged once.
        const err = e instanceof Error ? e.message : String(e);
        if (err !== this.lastTickError) this.o.log.warn({ err }, 'sprint driver: cannot follow the chain');
        this.lastTickError = err;
      }
      if (this.o.onPoll && this.progress.height > 0n && this.running) {
        try {
          await this.o.onPoll(this.progress.height);
          this.lastPollError = undefined;
        } catch (e) {
          const err = e instanceof Error ? e.message : String(e);
          if (err !== this.lastPollError)
            this.o.log.warn({ err }, 'confirmation driver: cannot follow the chain');
          this.lastPollError = err;
        }
      }
      if (!this.running) break;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, pollMs);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
  }

  private async tick(): Promise<void> {
    const st = await this.o.chain.stage();
    this.progress.observeHeight(st.height);
    this.stage = st.stage;
    const s = st.sprint;
    this.sprint = s;
    if (!s?.params) return;
    const h = st.height;
    if (this.participantCheckedEpoch !== s.epoch) {
      this.participantCheckedEpoch = s.epoch;
      await this.ensureParticipant();
    }
    if (this.prunedAt !== s.epoch) {
      this.prunedAt = s.epoch;
      this.o.stores.prune(s.epoch);
      this.forgetBefore(s.epoch - BigInt(KEEP_EPOCHS) + 1n);
    }
    await this.loadOwnCommits(s.epoch);

    const generating = h >= s.pocStart && h < s.commitStart && s.seed.length === 32;
    await this.stopMining((m) => m.epoch !== s.epoch || !generating);
    if (generating) {
      for (const cls of this.sprintClasses(s)) this.startMining(s, cls);
      const now = Date.now();
      if (now - this.lastCommitAt >= (this.o.commitEveryMs ?? 10_000)) {
        this.lastCommitAt = now;
        for (const m of this.mining.values()) await this.commit(m.epoch, m.cls, m.store, false);
      }
      this.progress.show(this.mining.values(), h, s.commitStart, (m) => `PoC epoch ${m.epoch} ${m.cls}`);
    }
    if (h >= s.commitStart && h < s.validationStart) {
      for (const cls of this.sprintClasses(s)) {
        const key = `${s.epoch}/${cls}`;
        const tries = this.finalTries.get(key) ?? 0;
        if (tries >= FINAL_COMMIT_TRIES) continue;
        const store = this.o.stores.get(s.epoch, cls);
        // Done once sent; a refusal is retried on the next polls (bounded), while the window is open.
        const ok = !store || (await this.commit(s.epoch, cls, store, true));
        this.finalTries.set(key, ok ? FINAL_COMMIT_TRIES : tries + 1);
      }
    }
    if (h >= s.validationStart && h < s.weightsFinal && s.validationHash.length > 0) this.startValidation(s);
    if (this.validation && (h >= s.weightsFinal || this.validation.epoch !== s.epoch))
      this.validation.stop.abort();
  }

  /** Bookkeeping of epochs whose stores were pruned (bounded memory over a long run). */
  private forgetBefore(epoch: bigint): void {
    const old = (key: string) => BigInt(key.split('/')[0]!) < epoch;
    for (const key of [...this.committed.keys()]) if (old(key)) this.committed.delete(key);
    for (const key of [...this.finalTries.keys()]) if (old(key)) this.finalTries.delete(key);
    for (const e of [...this.commitsLoaded]) if (e < epoch) this.commitsLoaded.delete(e);
    for (const e of [...this.validated]) if (e < epoch) this.validated.delete(e);
  }

  /** Configured classes the Sprint's params allow. */
  private sprintClasses(s: SprintState): PocClassName[] {
    const ids = new Set(s.params?.classes.map((c) => c.classId));
    return this.o.classes.filter((c) => ids.has(classId(c)));
  }

  private startMining(s: SprintState, cls: PocClassName): void {
    const key = `${s.epoch}/${cls}`;
    if (this.mining.has(key)) return;
    const maxCount = s.params?.classes.find((c) => c.classId === classId(cls))?.maxCount ?? 0n;
    this.mining.set(key, openStoreMining(this.o, { epoch: s.epoch, round: 0, cls, seed: s.seed, maxCount }));
  }

  private async stopMining(which: (m: Mining) => boolean): Promise<void> {
    for (const [key, m] of this.mining) {
      if (!which(m)) continue;
      await stopStoreMining(m, this.o.log);
      this.mining.delete(key);
    }
  }

  /** Commits rootAt(count) of the store (flushed first); false when the chain refused it. */
  private async commit(
    epoch: bigint,
    cls: PocClassName,
    store: ArtifactStore,
    final: boolean,
  ): Promise<boolean> {
    const key = `${epoch}/${cls}`;
    store.flush();
    const count = store.count;
    if (count === 0 || (!final && count <= (this.committed.get(key) ?? 0))) return true;
    const r = await sendStoreCommit(this.o, { epoch, round: 0, cls, store, final });
    if ('error' in r) return false;
    this.committed.set(key, r.count);
    return true;
  }

  /** After a restart: what this node already committed for the epoch (the proofs endpoint's default count). */
  private async loadOwnCommits(epoch: bigint): Promise<void> {
    if (this.commitsLoaded.has(epoch)) return;
    this.commitsLoaded.add(epoch);
    let all: Awaited<ReturnType<PocChain['commits']>>;
    try {
      all = await this.o.chain.commits(epoch);
    } catch (e) {
      this.o.log.warn({ err: e instanceof Error ? e.message : String(e) }, 'could not read earlier commits');
      return;
    }
    const mine = all.filter((c) => c.participant === this.o.broadcaster.address);
    for (const c of mine.sort((a, b) => Number(a.height - b.height))) {
      const cls = classNameOf(c.classId);
      const key = `${c.epoch}/${cls}`;
      if (cls && !this.committed.has(key)) this.committed.set(key, Number(c.count));
    }
  }

  private startValidation(s: SprintState): void {
    if (!this.o.validate || this.validated.has(s.epoch)) return;
    this.validated.add(s.epoch);
    const stop = new AbortController();
    const validate = this.o.validate;
    this.o.log.info({ epoch: s.epoch.toString() }, 'PoC validation: checking every commit');
    const done = validate(s, stop.signal).then(
      () => this.o.log.info({ epoch: s.epoch.toString() }, 'PoC validation: votes sent'),
      (e) => this.o.log.error({ err: e instanceof Error ? e.message : String(e) }, 'PoC validation failed'),
    );
    this.validation = { epoch: s.epoch, stop, done };
  }

  /** Sets api_url and classes on chain when they differ from the config. */
  private async ensureParticipant(): Promise<void> {
    const address = this.o.broadcaster.address;
    const p = await this.o.chain.participant(address);
    if (!p) {
      this.o.log.warn(
        { address },
        'not a registered participant: commits will be refused until it registers (gonkad tx poc register)',
      );
      return;
    }
    const want = [...new Set(this.o.classes.map(classId))].sort((a, b) => a - b);
    const have = [...p.classes].sort((a, b) => a - b);
    if (p.apiUrl === this.o.apiUrl && want.join(',') === have.join(',')) return;
    const msg = MsgUpdateParticipant.fromPartial({
      participant: address,
      apiUrl: this.o.apiUrl,
      classes: want,
    });
    try {
      await this.o.broadcaster.submit([
        { typeUrl: typeUrl(MsgUpdateParticipant), value: MsgUpdateParticipant.encode(msg).finish() },
      ]);
      this.o.log.info({ apiUrl: this.o.apiUrl, classes: want }, 'participant updated on chain');
    } catch (e) {
      this.participantCheckedEpoch = undefined; // try again next tick
      this.o.log.warn({ err: e instanceof Error ? e.message : String(e) }, 'participant update refused');
    }
  }
}
