// The transaction pipeline the runtime drives: precheck on the raw bytes (size, before any
// decoding), decode, then the ante handler (fees, sequence, signatures — kept even when messages
// fail), then the messages in their own branch (written only if all succeed). Tx formats plug in
// as TxFormat, their ante handlers as chains of AnteDecorators: the Cosmos TxRaw format is one
// (x/auth/ante); the test fixture's minimal format is another, recognised by its prefix and
// registered only by tests. The runtime defines these shapes and implements none of them.
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
  /**
   * Checks on the raw bytes that must pass before any decoding (the size limit, sdk 21), so an
   * untrusted tx costs no more than its length to refuse. Throws AppError; charges no gas.
   */
  precheck?(ctx: Context, txBytes: Uint8Array): void;
  /** Full decode; throws AppError (sdk 2) on malformed input. */
  decode(txBytes: Uint8Array): T;
  /**
   * Checks and charges in DESIGN.md §3.5 order; runs on its own branch, kept even if messages
   * fail. ctx.mode tells check/recheck/simulate/finalize apart. A format that caches work across
   * modes (decoding, signatures) may keep it only for a tx that passed this whole step in
   * CheckTx, never for a rejected or simulated one.
   */
  ante(ctx: Context, tx: T, txBytes: Uint8Array): void;
}

/**
 * One step of an ante handler (DESIGN.md §3.5): checks or charges for the tx that `run` describes
 * (with what earlier steps found); throws an AppError to reject the tx. Each step is a plain
 * function, testable alone on a hand-made `run`.
 */
export type AnteDecorator<R> = (ctx: Context, run: R) => void;

/** The steps as one handler, in order: the first to throw rejects the tx; later steps do not run. */
export function anteChain<R>(steps: readonly AnteDecorator<R>[]): AnteDecorator<R> {
  return (ctx, run) => {
    for (const step of steps) step(ctx, run);
  };
}
