// x/inference's block hooks. BeginBlock: expire the inferences whose expiry height has come,
// prune settled records past their retention, forget signed requests past their window — each
// queue bounded per block by max_inference_msgs_per_block (the most a block can add to it), so
// the work of a block never depends on how much has piled up. EndBlock: move each model's price
// (≤ max_models models) from the tokens reserved in this block.
import { bookkeeping } from '../../app/runtime/bookkeeping.js';
import type { Context } from '../../app/runtime/context.js';
import { formatDec } from '../../app/runtime/decimal.js';

import { expireInference } from './escrow.js';
import * as ev from './events.js';
import type { InferenceKeeper } from './keeper.js';
import {
  BLOCK_COUNT_KEY,
  expiryHeightPrefix,
  pruneHeightPrefix,
  SEEN_SIG_QUEUE_PREFIX,
  seenSigKey,
  seenSigQueuePrefix,
} from './keys.js';
import { parsePrice } from './model.js';
import { nextPrice, slideWindow, utilization } from './pricing.js';

export function inferenceBeginBlock(ctx: Context, k: InferenceKeeper): void {
  const p = k.getParams(ctx);
  const limit = p.maxInferenceMsgsPerBlock;
  const h = ctx.header.height;

  const due: string[] = [];
  for (const [, id] of k.iterateOpen(ctx, undefined, expiryHeightPrefix(h + 1n))) {
    if (due.length >= limit) break;
    due.push(id);
  }
  for (const id of due) {
    const inf = k.getInference(ctx, id);
    if (!inf) continue;
    bookkeeping(ctx, { module: 'inference', action: 'expire', id }, (c) => expireInference(c, k, p, inf));
  }

  const prune: [string, bigint][] = [];
  for (const [, id, at] of k.iterateSettled(ctx, pruneHeightPrefix(h + 1n))) {
    if (prune.length >= limit) break;
    prune.push([id, at]);
  }
  for (const [id, at] of prune) {
    const inf = k.getInference(ctx, id);
    if (inf) k.deleteInference(ctx, inf, at);
  }

  const now = k.blockTimeMs(ctx);
  const kv = ctx.kv(k.key);
  const forget: Uint8Array[] = [];
  for (const [qk] of kv.iterator(SEEN_SIG_QUEUE_PREFIX, seenSigQueuePrefix(now + 1n))) {
    if (forget.length >= limit) break;
    forget.push(qk);
  }
  for (const qk of forget) {
    kv.delete(qk);
    kv.delete(seenSigKey(qk.subarray(9)));
  }
}

export function inferenceEndBlock(ctx: Context, k: InferenceKeeper): void {
  const h = ctx.header.height;
  // The per-block msg count is this block's only: gone before the commit (and out of genesis).
  ctx.kv(k.key).delete(BLOCK_COUNT_KEY);
  for (const [, model] of [...k.iterateModels(ctx)]) {
    const price = parsePrice(model.price);
    const tokens = k.takeBlockTokens(ctx, model.id);
    const state = k.getModelState(ctx, model.id) ?? {
      modelId: model.id,
      price: price.initialPrice.toString(),
      recentTokens: [],
      lastHeight: 0n,
    };
    const before = BigInt(state.price);
    const recent = slideWindow(state.recentTokens, tokens, price.windowBlocks);
    let sum = 0n;
    for (const t of recent) sum += t;
    const after = nextPrice(before, sum, price);
    // An idle model at a steady price writes nothing (its window is all zeros either way).
    if (sum === 0n && after === before && state.recentTokens.length === 0) continue;
    k.setModelState(ctx, {
      modelId: model.id,
      price: after.toString(),
      recentTokens: sum === 0n ? [] : recent,
      lastHeight: h,
    });
    if (after !== before)
      ctx.events.emit(ev.modelPrice(model.id, before, after, formatDec(utilization(sum, price))));
  }
}
