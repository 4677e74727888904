// An epoch of one class: the seed and the weights every participant shares. Weights cost
// milliseconds (seconds for `large`), so they are generated once per (block hash, class) and cached.

import { toHex } from './bytes.js';
import type { PocClass } from './classes.js';
import { epochSeed, generateWeights, type LayerWeights } from './seeds.js';

export interface PocEpoch {
  readonly cls: PocClass;
  readonly blockHash: Uint8Array;
  readonly seed: Uint8Array;
  readonly weights: readonly LayerWeights[];
}

/** Builds an epoch from scratch (no cache). */
export function createEpoch(cls: PocClass, blockHash: Uint8Array): PocEpoch {
  const seed = epochSeed(cls, blockHash);
  return { cls, blockHash: blockHash.slice(), seed, weights: generateWeights(cls, seed) };
}

/** A small LRU of epochs: a validator reuses one weight set for every participant it checks. */
export class EpochCache {
  private readonly entries = new Map<string, PocEpoch>();

  constructor(private readonly capacity = 4) {
    if (capacity < 1) throw new RangeError('EpochCache capacity must be at least 1');
  }

  get(cls: PocClass, blockHash: Uint8Array): PocEpoch {
    const key = `${cls.id}:${toHex(blockHash)}`;
    let epoch = this.entries.get(key);
    if (epoch) {
      this.entries.delete(key);
    } else {
      epoch = createEpoch(cls, blockHash);
      while (this.entries.size >= this.capacity) {
        const oldest = this.entries.keys().next().value as string;
        this.entries.delete(oldest);
      }
    }
    this.entries.set(key, epoch);
    return epoch;
  }
}
