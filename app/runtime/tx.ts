// The transaction pipeline the runtime drives: decode, then the ante handler (fees, sequence,
// signatures — kept even when messages fail), then the messages in their own branch (written only
// if all succeed). Tx formats plug in as TxFormat: the Cosmos TxRaw format is one; the test
// fixture's minimal format is another, recognised by its prefix and registered only by tests.
import type { Any } from 'cosmjs-types/google/protobuf/any';
import type { Context } from './context.js';

export interface DecodedTx {
  msgs: Any[];
  /** Gas limit the tx asks for (gas_wanted). */
  gasLimit: bigint;
}

export interface TxFormat<T extends DecodedTx = DecodedTx> {
  readonly name: string;
  /** Cheap check on the raw bytes: is this tx in this format? */
  matches(txBytes: Uint8Array): boolean;
  /** Full decode; throws AppError (sdk 2) on malformed input. */
  decode(txBytes: Uint8Array): T;
  /**
   * Checks and charges in DESIGN.md §3.5 order; runs on its own branch, kept even if messages
   * fail. ctx.mode tells check/recheck/simulate/finalize apart.
   */
  ante(ctx: Context, tx: T, txBytes: Uint8Array): void;
}
