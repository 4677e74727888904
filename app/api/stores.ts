// The artifact stores of the Sprints this API node mined: <home>/poc/<epoch>/<class>/, and of the
// confirmation rounds of the running epoch: <home>/poc/<epoch>/round-<n>/<class>/; one
// kernels/poc ArtifactStore each. The Sprint driver creates and appends; the proofs endpoint
// reads the same open instance (a store is never opened twice). Only the last KEEP_EPOCHS epochs
// are kept: older ones can no longer be validated, and a large class's outputs are big.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ArtifactStore, type ArtifactStoreMeta } from '../../kernels/poc/artifacts/store.js';
import type { PocClassName } from '../../kernels/poc/classes.js';

export const KEEP_EPOCHS = 2;

export class EpochStores {
  private readonly open = new Map<string, ArtifactStore>();

  constructor(readonly root: string) {}

  /** Round 0 is the Sprint; round n ≥ 1 a confirmation round of the running epoch `epoch`. */
  dir(epoch: bigint, cls: PocClassName, round = 0): string {
    return round === 0
      ? join(this.root, epoch.toString(), cls)
      : join(this.root, epoch.toString(), `round-${round}`, cls);
  }

  /** The store of (epoch, round, class) if this node has one on disk, opened once. */
  get(epoch: bigint, cls: PocClassName, round = 0): ArtifactStore | undefined {
    const key = `${epoch}/${round}/${cls}`;
    const have = this.open.get(key);
    if (have) return have;
    const dir = this.dir(epoch, cls, round);
    if (!existsSync(join(dir, 'meta.json'))) return undefined;
    const store = ArtifactStore.open(dir);
    this.open.set(key, store);
    return store;
  }

  /**
   * The store to mine (epoch, class) into: the one on disk when it was made for the same seed and
   * pubkey (a restart mid-generation resumes from its durable count), else a fresh one.
   */
  openForMining(
    epoch: bigint,
    cls: PocClassName,
    meta: Omit<ArtifactStoreMeta, 'version'>,
    round = 0,
  ): ArtifactStore {
    const have = this.get(epoch, cls, round);
    if (have && have.meta.blockHash === meta.blockHash && have.meta.pubkey === meta.pubkey) return have;
    if (have) this.drop(epoch, cls, round);
    const store = ArtifactStore.create(this.dir(epoch, cls, round), meta);
    this.open.set(`${epoch}/${round}/${cls}`, store);
    return store;
  }

  private drop(epoch: bigint, cls: PocClassName, round: number): void {
    const key = `${epoch}/${round}/${cls}`;
    this.open.get(key)?.close();
    this.open.delete(key);
    rmSync(this.dir(epoch, cls, round), { recursive: true, force: true });
  }

  /** Removes every epoch below `current − KEEP_EPOCHS + 1`. */
  prune(current: bigint): void {
    const keepFrom = current - BigInt(KEEP_EPOCHS) + 1n;
    for (const [key, store] of this.open) {
      if (BigInt(key.split('/')[0]!) < keepFrom) {
        store.close();
        this.open.delete(key);
      }
    }
    if (!existsSync(this.root)) return;
    for (const name of readdirSync(this.root)) {
      if (/^\d{1,20}$/.test(name) && BigInt(name) < keepFrom)
        rmSync(join(this.root, name), { recursive: true, force: true });
    }
  }

  close(): void {
    for (const store of this.open.values()) store.close();
    this.open.clear();
  }
}
