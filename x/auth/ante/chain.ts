// The Cosmos ante handler: one decorator per step, in DESIGN.md §3.5's order. Size (precheck,
// on the raw bytes), decode and the block max gas check (the runtime's, for every format) come
// before it; then timeout height → memo → tx-size gas → fee and min gas price → pubkey →
// signature count → sequence → signature → increment sequence.

import type { SignatureCache } from '../../../app/runtime/ante/sigCache.js';
import { type AnteDecorator, anteChain } from '../../../app/runtime/tx.js';
import type { AnteAccountKeeper, AnteBankKeeper } from './expectedKeepers.js';
import { deductFee } from './fee.js';
import { memoLimit, timeoutHeight, txSizeGas } from './limits.js';
import { incrementSequence, sequence, setPubKeys, signatureCount, verifySignatures } from './signers.js';
import type { AnteRun } from './types.js';

export interface AnteDeps {
  auth: AnteAccountKeeper;
  bank: AnteBankKeeper;
  sigCache: SignatureCache;
}

export function cosmosAnteChain({ auth, bank, sigCache }: AnteDeps): AnteDecorator<AnteRun> {
  return anteChain<AnteRun>([
    timeoutHeight,
    memoLimit,
    txSizeGas,
    deductFee(auth, bank),
    setPubKeys(auth),
    signatureCount,
    sequence,
    verifySignatures(sigCache),
    incrementSequence(auth),
  ]);
}
