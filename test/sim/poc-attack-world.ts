// The participants of the PoC attack simulation (poc-attack-sim.ts): each mines real tiny-class
// leaves (the reference kernel, the Sprint's or the round's seed, its own secp256k1 key — or
// another's, for the copier) into a real ArtifactStore, and serves them through the API node's
// own HTTP server (buildApiServer), so validators fetch proofs exactly as on a testnet.
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ApiMetrics } from '../../app/api/metrics.js';
import { buildApiServer } from '../../app/api/server.js';
import { ArtifactStore } from '../../kernels/poc/artifacts/store.js';
import { outputBytes, POC_CLASSES, type PocClassName } from '../../kernels/poc/classes.js';
import type { EpochCache } from '../../kernels/poc/epoch.js';
import { computeOutput } from '../../kernels/poc/reference.js';
import type { TestKey } from '../integration/tx-harness.js';

export type AdversaryKind = 'fabricate' | 'overcount' | 'copy' | 'refuse' | 'sprint-only';
export const ADVERSARY_KINDS: readonly AdversaryKind[] = [
  'fabricate',
  'overcount',
  'copy',
  'refuse',
  'sprint-only',
];

/** The fabricator replaces this share of its leaves (the contract's nonce-hash rule). */
export const FABRICATED_FRACTION = 0.25;
export const TINY = POC_CLASSES.tiny;
const CLASS: PocClassName = 'tiny';

const storeKey = (epoch: bigint, round: number) => `${epoch}/${round}`;

/** The test-only fabricate rule of the ML node's adversary mode: a nonce is faked when
 *  u32 BE of SHA-256("fab" ‖ u64 BE nonce) ÷ 2^32 < fraction. */
export function fabricated(nonce: number, fraction: number): boolean {
  const b = Buffer.alloc(11);
  b.write('fab', 0, 'latin1');
  b.writeBigUInt64BE(BigInt(nonce), 3);
  return createHash('sha256').update(b).digest().readUInt32BE(0) / 2 ** 32 < fraction;
}

/** Garbage of `length` bytes for nonce `n` (a SHA-256 chain). */
function fake(n: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let off = 0, i = 0; off < length; off += 32, i++)
    out.set(
      createHash('sha256')
        .update(`fake-${n}-${i}`)
        .digest()
        .subarray(0, length - off),
      off,
    );
  return out;
}

export interface Role {
  kind: AdversaryKind;
  /** The copier mines with this key. */
  victimPubkey?: Uint8Array;
}

export class SimParticipant {
  /** Nonces per block in the Sprint now being mined and in the rounds of the epoch it decides. */
  rate = 4;
  /** Role per Sprint epoch (absent: honest). */
  readonly roles = new Map<bigint, Role>();
  private readonly stores = new Map<string, ArtifactStore>();
  private readonly committed = new Map<string, number>();
  server?: FastifyInstance;
  url = '';

  constructor(
    readonly index: number,
    readonly key: TestKey,
    private readonly dir: string,
    private readonly epochs: EpochCache,
  ) {}

  get address(): string {
    return this.key.address;
  }

  role(epoch: bigint): Role | undefined {
    return this.roles.get(epoch);
  }

  /** Mines nonces [0, count) for (epoch, round) with `seed`, as its role says; returns the count it
   *  commits (the overcounter claims twice what it holds). */
  mine(epoch: bigint, round: number, seed: Uint8Array, count: number, role: Role | undefined): number {
    const dir = join(this.dir, `${this.index}`, `${epoch}-${round}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const store = ArtifactStore.create(dir, {
      class: CLASS,
      blockHash: Buffer.from(seed).toString('hex'),
      pubkey: Buffer.from(this.key.pubKey).toString('hex'),
      outputBytes: outputBytes(TINY),
    });
    const epochWeights = this.epochs.get(TINY, seed);
    const pubkey = role?.kind === 'copy' ? role.victimPubkey! : this.key.pubKey;
    for (let n = 0; n < count; n++) {
      let out = computeOutput(epochWeights, pubkey, BigInt(n));
      if (role?.kind === 'fabricate' && fabricated(n, FABRICATED_FRACTION)) out = fake(n, out.length);
      store.append(out);
    }
    store.flush();
    this.stores.get(storeKey(epoch, round))?.close();
    this.stores.set(storeKey(epoch, round), store);
    const claimed = role?.kind === 'overcount' ? count * 2 : count;
    this.committed.set(storeKey(epoch, round), claimed);
    return claimed;
  }

  root(epoch: bigint, round: number): Uint8Array {
    const s = this.stores.get(storeKey(epoch, round))!;
    return s.rootAt(s.count);
  }

  /** The API node's proofs server over this participant's stores; the refuser holds none out. */
  async listen(sampleSize: (round: number) => number): Promise<void> {
    this.server = await buildApiServer({
      proofs: {
        sampleSize: (_epoch, round) => sampleSize(round),
        store: (epoch, _cls, round) =>
          this.role(epoch)?.kind === 'refuse' && round === 0
            ? undefined
            : this.stores.get(storeKey(epoch, round)),
        committedCount: (epoch, _cls, round) => this.committed.get(storeKey(epoch, round)),
      },
      metrics: new ApiMetrics(),
      status: () => ({}),
      rateLimit: { max: 1_000_000, timeWindowMs: 60_000 },
    });
    this.url = await this.server.listen({ host: '127.0.0.1', port: 0 });
  }

  /** Drops the stores of epochs before `epoch` (the chain keeps three Sprints). */
  prune(epoch: bigint): void {
    for (const [k, s] of this.stores)
      if (BigInt(k.split('/')[0]!) < epoch) {
        s.close();
        this.stores.delete(k);
      }
  }

  async close(): Promise<void> {
    for (const s of this.stores.values()) s.close();
    this.stores.clear();
    await this.server?.close();
  }
}
