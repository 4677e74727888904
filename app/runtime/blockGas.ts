// Block gas, as CometBFT counts it for block.max_gas: the sum of the txs' gas_wanted. ProcessProposal
// rejects a block over it, PrepareProposal leaves out txs that would push it over, and FinalizeBlock
// reserves each tx's gas_wanted before running it, so a block that got past ProcessProposal anyway
// cannot execute more than max_gas (the tx that would cross it fails, sdk 11, without executing).
import { sdkErrors } from './errors.js';

export class BlockGasMeter {
  private used = 0n;
  /** limit ≤ 0: no limit (CometBFT's -1; the SDK also treats 0 as none). */
  constructor(readonly limit: bigint) {}

  get consumed(): bigint {
    return this.used;
  }

  /** Whether `gasWanted` more still fits. */
  fits(gasWanted: bigint): boolean {
    return this.limit <= 0n || this.used + gasWanted <= this.limit;
  }

  /** Reserves a tx's gas_wanted; throws sdk 11 (the SDK's "no block gas left") when it does not fit. */
  consume(gasWanted: bigint): void {
    if (!this.fits(gasWanted))
      throw sdkErrors.outOfGas(
        `no block gas left to run tx: gas wanted ${gasWanted}, block gas used ${this.used}, block max gas ${this.limit}`,
      );
    this.used += gasWanted;
  }
}

/** The SDK's ante check (SetUpContextDecorator): a tx may not ask for more gas than a block holds. */
export function checkTxGasWithinBlock(gasLimit: bigint, blockMaxGas: bigint): void {
  if (blockMaxGas > 0n && gasLimit > blockMaxGas)
    throw sdkErrors.invalidGasLimit(`tx gas limit ${gasLimit} exceeds block max gas ${blockMaxGas}`);
}

/** Bytes of an unsigned varint (protobuf's sov). */
function uvarintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

/**
 * What one tx adds to CometBFT's `types.ComputeProtoSizeForTxs` (the size of protobuf
 * `Data{txs}`, which `Txs.Validate` compares with max_tx_bytes): a field tag byte, the length as a
 * uvarint, and the bytes.
 */
export function framedTxSize(txLength: number): bigint {
  return BigInt(1 + uvarintSize(txLength) + txLength);
}
