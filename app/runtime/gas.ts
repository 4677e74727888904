// Gas is consensus data (CometBFT hashes gas_wanted and gas_used), so it is metered here, at the
// store wrapper, from byte counts only — never from caches or timing. Costs are the Cosmos SDK's
// KVGasConfig so wallets' "auto" fee estimates behave as they do on Cosmos chains.

import { sdkErrors } from './errors.js';
import type { Bytes, KVStore } from './store/types.js';

export const kvGas = {
  hasCost: 1000n,
  deleteCost: 1000n,
  readCostFlat: 1000n,
  readCostPerByte: 3n,
  writeCostFlat: 2000n,
  writeCostPerByte: 30n,
  iterNextCostFlat: 30n,
};

export class GasMeter {
  private used = 0n;
  /** limit undefined = infinite (genesis, begin/end block). */
  constructor(readonly limit?: bigint) {}

  consumed(): bigint {
    return this.used;
  }

  consume(amount: bigint, descriptor: string): void {
    this.used += amount;
    if (this.limit !== undefined && this.used > this.limit) {
      throw sdkErrors.outOfGas(
        `out of gas in location: ${descriptor}; gasWanted: ${this.limit}, gasUsed: ${this.used}`,
      );
    }
  }

  /** Sets consumption back to the limit after an out-of-gas abort, as the SDK reports it. */
  remaining(): bigint | undefined {
    return this.limit === undefined ? undefined : this.limit - this.used;
  }
}

/** A KVStore view that charges every access to a gas meter before performing it. */
export class GasKVStore implements KVStore {
  constructor(
    private readonly parent: KVStore,
    private readonly meter: GasMeter,
  ) {}

  get(key: Bytes): Bytes | undefined {
    this.meter.consume(kvGas.readCostFlat, 'ReadFlat');
    const value = this.parent.get(key);
    this.meter.consume(kvGas.readCostPerByte * BigInt(key.length + (value?.length ?? 0)), 'ReadPerByte');
    return value;
  }

  has(key: Bytes): boolean {
    this.meter.consume(kvGas.hasCost, 'Has');
    return this.parent.has(key);
  }

  set(key: Bytes, value: Bytes): void {
    this.meter.consume(kvGas.writeCostFlat, 'WriteFlat');
    this.meter.consume(kvGas.writeCostPerByte * BigInt(key.length + value.length), 'WritePerByte');
    this.parent.set(key, value);
  }

  delete(key: Bytes): void {
    this.meter.consume(kvGas.deleteCost, 'Delete');
    this.parent.delete(key);
  }

  *iterator(start?: Bytes, end?: Bytes, reverse?: boolean): IterableIterator<[Bytes, Bytes]> {
    for (const [k, v] of this.parent.iterator(start, end, reverse)) {
      this.meter.consume(kvGas.iterNextCostFlat, 'IterNextFlat');
      this.meter.consume(kvGas.readCostPerByte * BigInt(k.length + v.length), 'ValuePerByte');
      yield [k, v];
    }
  }
}
