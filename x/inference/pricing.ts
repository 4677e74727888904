// The per-model price, moved once per block from the tokens reserved in the last window_blocks
// blocks. All integer arithmetic on atto-unit decimals (18 digits):
//   u = Σ recent_tokens ÷ (capacity_tokens_per_block × window_blocks)
//   u > high: price += max(1, ceil(min(price × (u − high) × elasticity, price × max_change)))
//   u < low:  price −= max(1, floor(min(price × (low − u) × elasticity, price × max_change)))
//   otherwise unchanged; the result is clamped to [min_price, MAX_PRICE].
// A move outside the band is at least 1 ngonka: that is what lets a price sitting at a small
// floor climb again (truncation pinned Gonka's at the floor because price × change < 1 rounded to
// 0), and, the same way, lets a small price come back down to its floor once demand is gone.
import { ONE } from '../../app/runtime/decimal.js';
import { MAX_PRICE, type ParsedPrice } from './model.js';

const ONE2 = ONE * ONE;

/** Utilisation in atto-units (may exceed 1 when reservations exceed capacity). */
export function utilization(tokens: bigint, p: ParsedPrice): bigint {
  return (tokens * ONE) / (p.capacityTokensPerBlock * p.windowBlocks);
}

export function nextPrice(price: bigint, windowTokens: bigint, p: ParsedPrice): bigint {
  const u = utilization(windowTokens, p);
  let next = price;
  if (u > p.utilizationHigh) {
    const byDeviation = price * (u - p.utilizationHigh) * p.elasticity; // ngonka × ONE²
    const cap = price * p.maxChangePerBlock * ONE; // ngonka × ONE²
    const change = byDeviation < cap ? byDeviation : cap;
    const rise = (change + ONE2 - 1n) / ONE2;
    next = price + (rise < 1n ? 1n : rise);
  } else if (u < p.utilizationLow) {
    const byDeviation = price * (p.utilizationLow - u) * p.elasticity;
    const cap = price * p.maxChangePerBlock * ONE;
    const fall = (byDeviation < cap ? byDeviation : cap) / ONE2;
    next = price - (fall < 1n ? 1n : fall);
  }
  if (next < p.minPrice) next = p.minPrice;
  if (next > MAX_PRICE) next = MAX_PRICE;
  return next;
}

/** Appends this block's tokens to the window (newest last), keeping window_blocks entries. */
export function slideWindow(recent: readonly bigint[], tokens: bigint, windowBlocks: bigint): bigint[] {
  const out = [...recent, tokens];
  const keep = Number(windowBlocks);
  return out.length > keep ? out.slice(out.length - keep) : out;
}
