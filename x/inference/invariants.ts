// x/inference invariants (run after every simulated block, by /app/invariants and on nodes with
// --check-invariants-every N): the module account holds exactly the open escrows, and every
// stored open inference is in the expiry queue with a status that is open.
import type { Context } from '../../app/runtime/context.js';
import { InferenceStatus } from '../../proto/gen/gonka/inference/v1/inference.js';
import type { InferenceKeeper } from './keeper.js';

export function inferenceInvariants(ctx: Context, k: InferenceKeeper): string[] {
  const out: string[] = [];
  let held = 0n;
  for (const [, id, expiry] of k.iterateOpen(ctx)) {
    const inf = k.getInference(ctx, id);
    if (!inf) {
      out.push(`expiry queue names missing inference ${id}`);
      continue;
    }
    if (inf.expiryHeight !== expiry)
      out.push(`inference ${id} queued at ${expiry}, expires at ${inf.expiryHeight}`);
    if (inf.status === InferenceStatus.INFERENCE_STATUS_STARTED) held += BigInt(inf.escrow);
    else if (inf.status !== InferenceStatus.INFERENCE_STATUS_FINISHED_FIRST)
      out.push(`inference ${id} is in the expiry queue with status ${inf.status}`);
  }
  const balance = k.moduleAccountBalance(ctx);
  if (held !== balance) out.push(`open escrow ${held} != inference module account balance ${balance}`);
  return out;
}
