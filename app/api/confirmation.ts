// The confirmation-round driver (issue 13, Gonka's cPoC): the operator's part of a short
// re-Sprint the chain starts at a height nobody could predict. It rides the Sprint driver's poll
// (SprintDriver's onPoll) and, while the chain reports a running round (Query/Confirmations):
//   generation [start, commit_start), seed known → mine every class this participant is eligible
//     for (its Sprint commit of the running epoch, a configured class) on all ML nodes into
//     <home>/poc/<epoch>/round-<n>/<class>/, committing with round = n every commitEveryMs;
//   commit_start → stop mining (inference gets the ML nodes back), send the final commit;
//   validation [validation_start, result_height), validation_hash known → run the validator once
//     on every round-n commit (votes carry round = n).
// A commit refused as "not eligible" (poc 27) drops that class for the round. A restart resumes
// from the round's store on disk and re-reads what it already committed. Nothing here is
// consensus code: wall-clock time only paces commits and the progress line.
import type { ArtifactStore } from '../../kernels/poc/artifacts/store.js';
import { POC_CLASSES, type PocClassName } from '../../kernels/poc/classes.js';
import type { ConfirmationRound } from '../../proto/gen/gonka/poc/v1/poc.js';
import type { Logger } from '../log.js';
import type { ApiAdversary } from './adversary.js';
import type { Broadcaster } from './broadcaster.js';
import { ChainError, type ConfirmationChain } from './chain.js';
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
import type { EpochStores } from './stores.js';

/** x/poc code 27: not eligible for this confirmation round (no accepted Sprint commit for the class). */
export const NOT_ELIGIBLE_CODE = 27;
const FINAL_COMMIT_TRIES = 3;
/** How long the confirmation params are trusted before being re-read (rounds off: one query). */
const PARAMS_TTL_MS = 30_000;

export interface ConfirmationDriverOptions {
  chain: ConfirmationChain;
  broadcaster: Pick<Broadcaster, 'submit' | 'address' | 'pubKey'>;
  stores: EpochStores;
  miners: readonly Miner[];
  classes: readonly PocClassName[];
  metrics: ApiMetrics;
  log: Logger;
  /** The validator: called once per round in its validation stage. */
  validate?: (round: ConfirmationRound, signal: AbortSignal) => Promise<unknown>;
  /**
   * TEST ONLY (app/api/adversary.ts): sprintOnly never mines or commits in a round (it still
   * validates the others); copy-from mines rounds with the copied key too.
   */
  adversary?: ApiAdversary;
  /** Interval of the commits sent while mining (default 10 s). */
  commitEveryMs?: number;
  /** Interval of the progress line (default 2 s). */
  progressEveryMs?: number;
  /** Where the progress line goes (default stderr). */
  progress?: (line: string) => void;
}

const classId = (c: PocClassName) => POC_CLASSES[c].id;
const roundKey = (epoch: bigint, round: number) => `${epoch}/${round}`;

export class ConfirmationDriver {
  private running: ConfirmationRound | undefined;
  /** The rounds of the running epoch as last read (the proofs endpoint's sample sizes). */
  private rounds: ConfirmationRound[] = [];
  private readonly mining = new Map<string, StoreMining>();
  /** Classes to mine per round key, fixed when the round is first seen (minus poc-27 refusals). */
  private readonly eligible = new Map<string, PocClassName[]>();
  /** Counts sent in accepted round commits, by `${epoch}/${round}/${class}`. */
  private readonly committed = new Map<string, number>();
  private readonly finalTries = new Map<string, number>();
  private readonly validated = new Set<string>();
  private validation: { key: string; stop: AbortController; done: Promise<void> } | undefined;
  private params: { on: boolean; at: number } | undefined;
  /** Each class's max_count from the chain's params (read with them). */
  private readonly maxCounts = new Map<PocClassName, bigint>();
  private lastCommitAt = 0;
  private readonly progress: MiningProgress;

  constructor(private readonly o: ConfirmationDriverOptions) {
    this.progress = new MiningProgress(o);
  }

  /** One poll at chain height `h` (called by the Sprint driver's loop). */
  async tick(h: bigint): Promise<void> {
    this.progress.observeHeight(h);
    if (!this.running && !(await this.roundsOn())) return;
    const q = await this.o.chain.confirmations(0n);
    this.rounds = q.rounds;
    const r = q.rounds.find((x) => !x.finished);
    this.running = r;
    const generating = !!r && h >= r.start && h < r.commitStart && r.seed.length === 32;
    await this.stopMining((m) => !r || m.epoch !== r.epoch || m.round !== r.round || !generating);
    if (this.validation && (!r || this.validation.key !== roundKey(r.epoch, r.round) || h >= r.resultHeight))
      this.validation.stop.abort();
    if (!r) return;
    this.forgetOtherEpochs(r.epoch);
    const classes = await this.eligibleClasses(r);

    if (generating) {
      for (const cls of classes) this.startMining(r, cls);
      const now = Date.now();
      // Seen at h ≥ start, a commit lands at h + 1 ≥ start + 1: inside the commit window.
      if (now - this.lastCommitAt >= (this.o.commitEveryMs ?? 10_000)) {
        this.lastCommitAt = now;
        for (const m of [...this.mining.values()]) await this.commit(r, m.cls, m.store, false);
      }
      this.progress.show(
        this.mining.values(),
        h,
        r.commitStart,
        (m) => `PoC confirmation round ${m.round} of epoch ${m.epoch} ${m.cls}`,
      );
    }
    if (h >= r.commitStart && h < r.validationStart) {
      for (const cls of classes) {
        const key = `${roundKey(r.epoch, r.round)}/${cls}`;
        const tries = this.finalTries.get(key) ?? 0;
        if (tries >= FINAL_COMMIT_TRIES) continue;
        const store = this.o.stores.get(r.epoch, cls, r.round);
        const ok = !store || (await this.commit(r, cls, store, true));
        this.finalTries.set(key, ok ? FINAL_COMMIT_TRIES : tries + 1);
      }
    }
    if (h >= r.validationStart && h < r.resultHeight && r.validationHash.length > 0) this.startValidation(r);
  }

  async stop(): Promise<void> {
    await this.stopMining(() => true);
    this.validation?.stop.abort();
    await this.validation?.done;
  }

  /** sample_size of round `round` of `epoch` as last read (the proofs endpoint's bound). */
  sampleSize(epoch: bigint, round: number): number | undefined {
    return this.rounds.find((r) => r.epoch === epoch && r.round === round)?.params?.sampleSize;
  }

  committedCount(epoch: bigint, round: number, cls: PocClassName): number | undefined {
    return this.committed.get(`${roundKey(epoch, round)}/${cls}`);
  }

  status(): Record<string, unknown> {
    const r = this.running;
    return {
      height: this.progress.height.toString(),
      round: r
        ? {
            epoch: r.epoch.toString(),
            round: r.round,
            start: r.start.toString(),
            commit_start: r.commitStart.toString(),
            validation_start: r.validationStart.toString(),
            result_height: r.resultHeight.toString(),
            classes: this.eligible.get(roundKey(r.epoch, r.round)) ?? [],
          }
        : null,
      mining: [...this.mining.values()].map((m) => ({
        epoch: m.epoch.toString(),
        round: m.round,
        class: m.cls,
        count: m.store.count,
        nonces_per_s: Math.round(m.rate),
      })),
      committed: Object.fromEntries(this.committed),
    };
  }

  /** Whether the chain's params enable rounds (re-read every PARAMS_TTL_MS). */
  private async roundsOn(): Promise<boolean> {
    const now = Date.now();
    if (!this.params || now - this.params.at >= PARAMS_TTL_MS) {
      const p = await this.o.chain.params();
      this.params = { on: (p.confirmation?.expectedPerEpoch ?? 0) > 0, at: now };
      for (const c of p.classes) {
        const cls = classNameOf(c.classId);
        if (cls) this.maxCounts.set(cls, c.maxCount);
      }
    }
    return this.params.on;
  }

  /**
   * The configured classes this participant committed in the Sprint that decided the running
   * epoch, if it has weight now and that Sprint accepted it (Query/Weights). The chain has the last word (poc 27 drops a class); reading it here
   * only avoids mining what would certainly be refused. Also loads what this node already
   * committed in the round (after a restart: the proofs endpoint's default count).
   */
  private async eligibleClasses(r: ConfirmationRound): Promise<PocClassName[]> {
    const key = roundKey(r.epoch, r.round);
    const have = this.eligible.get(key);
    if (have) return have;
    const me = this.o.broadcaster.address;
    const p = await this.o.chain.participant(me);
    let classes: PocClassName[] = [];
    const decided = p && p.weight > 0n ? await this.o.chain.weightResult(r.epoch, me) : undefined;
    if (this.o.adversary?.sprintOnly) {
      this.o.log.warn(
        { epoch: r.epoch.toString(), round: r.round },
        'TEST ADVERSARY sprint-only: sitting the round out',
      );
    } else if (decided?.accepted && decided.rawWeight > 0n) {
      const sprintCommits = await this.o.chain.commits(r.epoch, 0);
      const ids = new Set(
        sprintCommits.filter((c) => c.participant === me && c.count > 0n).map((c) => c.classId),
      );
      classes = this.o.classes.filter((c) => ids.has(classId(c)));
    }
    const mine = (await this.o.chain.commits(r.epoch, r.round)).filter((c) => c.participant === me);
    for (const c of mine.sort((a, b) => Number(a.height - b.height))) {
      const cls = classNameOf(c.classId);
      if (cls) this.committed.set(`${key}/${cls}`, Number(c.count));
    }
    this.eligible.set(key, classes);
    this.o.log.info(
      { epoch: r.epoch.toString(), round: r.round, start: r.start.toString(), classes },
      classes.length > 0
        ? 'PoC confirmation round: taking part'
        : 'PoC confirmation round: not eligible (no weight, not accepted by the Sprint, or no commit)',
    );
    return classes;
  }

  private startMining(r: ConfirmationRound, cls: PocClassName): void {
    const key = `${roundKey(r.epoch, r.round)}/${cls}`;
    if (this.mining.has(key)) return;
    const maxCount = this.maxCounts.get(cls) ?? BigInt(Number.MAX_SAFE_INTEGER);
    this.mining.set(
      key,
      openStoreMining(this.o, { epoch: r.epoch, round: r.round, cls, seed: r.seed, maxCount }),
    );
  }

  private async stopMining(which: (m: StoreMining) => boolean): Promise<void> {
    for (const [key, m] of this.mining) {
      if (!which(m)) continue;
      await stopStoreMining(m, this.o.log);
      this.mining.delete(key);
    }
  }

  private async commit(
    r: ConfirmationRound,
    cls: PocClassName,
    store: ArtifactStore,
    final: boolean,
  ): Promise<boolean> {
    const key = `${roundKey(r.epoch, r.round)}/${cls}`;
    store.flush();
    const count = store.count;
    if (count === 0 || (!final && count <= (this.committed.get(key) ?? 0))) return true;
    const res = await sendStoreCommit(this.o, { epoch: r.epoch, round: r.round, cls, store, final });
    if ('count' in res) {
      this.committed.set(key, res.count);
      return true;
    }
    if (
      res.error instanceof ChainError &&
      res.error.codespace === 'poc' &&
      res.error.code === NOT_ELIGIBLE_CODE
    ) {
      // The chain says this class is not ours to confirm: stop spending the ML nodes on it.
      const rk = roundKey(r.epoch, r.round);
      this.eligible.set(
        rk,
        (this.eligible.get(rk) ?? []).filter((c) => c !== cls),
      );
      const m = this.mining.get(key);
      if (m) {
        await stopStoreMining(m, this.o.log);
        this.mining.delete(key);
      }
      this.finalTries.set(key, FINAL_COMMIT_TRIES);
      return true;
    }
    return false;
  }

  private startValidation(r: ConfirmationRound): void {
    const key = roundKey(r.epoch, r.round);
    if (!this.o.validate || this.validated.has(key)) return;
    this.validated.add(key);
    const stop = new AbortController();
    const where = { epoch: r.epoch.toString(), round: r.round };
    this.o.log.info(where, 'PoC confirmation round: checking every commit');
    const done = this.o.validate(r, stop.signal).then(
      () => this.o.log.info(where, 'PoC confirmation round: votes sent'),
      (e) =>
        this.o.log.error(
          { ...where, err: e instanceof Error ? e.message : String(e) },
          'PoC confirmation round validation failed',
        ),
    );
    this.validation = { key, stop, done };
  }

  /** Bounded memory over a long run: only the running epoch's rounds are remembered. */
  private forgetOtherEpochs(epoch: bigint): void {
    const other = (key: string) => BigInt(key.split('/')[0]!) !== epoch;
    for (const map of [this.committed, this.finalTries, this.eligible])
      for (const key of [...map.keys()]) if (other(key)) map.delete(key);
    for (const key of [...this.validated]) if (other(key)) this.validated.delete(key);
  }
}
