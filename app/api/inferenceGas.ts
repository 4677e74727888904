// Gas headroom for x/inference Start/Finish. The two msgs of one inference land in either order
// and the second one settles it (escrow → executor, refund, key spend, stats), which costs more
// store gas than the first. The broadcaster simulates before the other msg has landed (the TA's
// Start and the executor's Finish are usually a block apart), so the simulation prices the cheap
// path and the tx ran out of gas in the block (seen on a 4-validator testnet: simulated 49,226,
// limit 68,917, needed more): every Finish failed and every inference expired.
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { MsgFinishInference, MsgStartInference } from '../../proto/gen/gonka/inference/v1/tx.js';
import { typeUrl } from '../../proto/gonka/registry.js';

/** Settling one inference: bank sends to the executor and the developer, key, stats and index writes. */
export const SETTLE_GAS = 60_000n;

const SETTLING = new Set([typeUrl(MsgStartInference), typeUrl(MsgFinishInference)]);

/** Extra gas for a tx's msgs: SETTLE_GAS per Start or Finish (either may be the one that settles). */
export function inferenceSettleGas(msgs: Any[]): bigint {
  let n = 0n;
  for (const m of msgs) if (SETTLING.has(m.typeUrl)) n++;
  return n * SETTLE_GAS;
}
