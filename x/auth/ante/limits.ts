// The ante steps that only bound the tx: size (before decoding), timeout height, memo, and the
// tx-size gas charge.
import { sdkErrors } from '../../../app/runtime/errors.js';
import type { AnteDecorator } from '../../../app/runtime/tx.js';
import type { AuthParams } from '../params.js';
import type { AnteRun } from './types.js';

/** Bytes a real signature adds to a simulated tx whose signature is empty (CosmJS simulates with one). */
const SIMULATED_SIGNATURE_BYTES = 64n;

/** size: checked on the raw bytes before any decoding, so an oversized tx costs only its length (sdk 21). */
export function checkTxSize(params: Pick<AuthParams, 'maxTxBytes'>, txBytes: Uint8Array): void {
  if (BigInt(txBytes.length) > params.maxTxBytes)
    throw sdkErrors.txTooLarge(`tx is ${txBytes.length} bytes; limit ${params.maxTxBytes}`);
}

/** timeout height (sdk 30); CheckTx and Simulate run against the next block's height. */
export const timeoutHeight: AnteDecorator<AnteRun> = (ctx, { tx }) => {
  const next = ctx.mode === 'check' || ctx.mode === 'recheck' || ctx.mode === 'simulate';
  const height = next ? ctx.header.height + 1n : ctx.header.height;
  if (tx.body.timeoutHeight > 0n && height > tx.body.timeoutHeight) {
    throw sdkErrors.txTimeoutHeight(`block height: ${height}, timeout height: ${tx.body.timeoutHeight}`);
  }
};

/** memo: at most max_memo_characters code points (sdk 12). */
export const memoLimit: AnteDecorator<AnteRun> = (_ctx, { tx, params }) => {
  const memoChars = codePoints(tx.body.memo);
  if (BigInt(memoChars) > params.maxMemoCharacters) {
    throw sdkErrors.memoTooLarge(
      `maximum number of characters is ${params.maxMemoCharacters} but received ${memoChars} characters`,
    );
  }
};

/** tx-size gas; a simulated tx is charged as if its empty signatures were real ones. */
export const txSizeGas: AnteDecorator<AnteRun> = (ctx, { tx, txBytes, params }) => {
  let sizeBytes = BigInt(txBytes.length);
  if (ctx.mode === 'simulate')
    for (const s of tx.raw.signatures) if (s.length === 0) sizeBytes += SIMULATED_SIGNATURE_BYTES;
  ctx.gasMeter.consume(params.txSizeCostPerByte * sizeBytes, 'txSize');
};

const SURROGATE_PAIR = /[\ud800-\udbff][\udc00-\udfff]/g;

/** Unicode code points in `s` (what `[...s].length` counts: a pair is one, a lone surrogate one). */
function codePoints(s: string): number {
  return s.length - (s.match(SURROGATE_PAIR)?.length ?? 0);
}
