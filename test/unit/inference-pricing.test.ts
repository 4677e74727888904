// The per-model price rule (x/inference/pricing.ts): it stays inside the band, moves by at most
// max_change_per_block outside it, never goes below the floor, and a price sitting at a small
// floor climbs again when utilisation is above the band (a move is at least 1 ngonka).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ONE, parseDec } from '../../app/runtime/decimal.js';
import { MAX_PRICE, type ParsedPrice } from '../../x/inference/model.js';
import { nextPrice, slideWindow, utilization } from '../../x/inference/pricing.js';
import { prng } from '../integration/tx-harness.js';

const params = (over: Partial<ParsedPrice> = {}): ParsedPrice => ({
  initialPrice: 100n,
  minPrice: 1n,
  utilizationLow: parseDec('0.4'),
  utilizationHigh: parseDec('0.6'),
  elasticity: parseDec('1'),
  maxChangePerBlock: parseDec('0.05'),
  capacityTokensPerBlock: 1000n,
  windowBlocks: 10n,
  ...over,
});
// Tokens over the window that give utilisation u (capacity × window = 10,000 tokens).
const at = (u: string) => (parseDec(u) * 10_000n) / ONE;

describe('x/inference pricing', () => {
  it('inside the band the price does not move', () => {
    for (const u of ['0.4', '0.5', '0.6']) assert.equal(nextPrice(100n, at(u), params()), 100n);
  });

  it('above the band it rises by deviation × elasticity, capped at max_change_per_block', () => {
    // u = 0.62: 100 × 0.02 × 1 = 2
    assert.equal(nextPrice(100n, at('0.62'), params()), 102n);
    // u = 1: deviation 0.4 → 40, capped at 5% → 5
    assert.equal(nextPrice(100n, at('1'), params()), 105n);
    // a fractional rise rounds up: 100 × 0.001 = 0.1 → 1
    assert.equal(nextPrice(100n, at('0.601'), params()), 101n);
  });

  it('below the band it falls (rounded down), never under the floor', () => {
    assert.equal(nextPrice(100n, at('0.38'), params()), 98n);
    assert.equal(nextPrice(100n, 0n, params()), 95n);
    assert.equal(nextPrice(20n, 0n, params({ minPrice: 20n })), 20n);
    // a fall below 1 ngonka is 1 ngonka (a small price is not pinned above its floor either)
    assert.equal(nextPrice(10n, at('0.39'), params()), 9n);
  });

  it('a price at a floor of 1 ngonka escapes it when demand is above the band', () => {
    // 1 × 5% = 0.05 ngonka: truncation would pin it at 1 forever; the rise is at least 1.
    let price = 1n;
    const p = params({ minPrice: 1n });
    for (let i = 0; i < 10; i++) price = nextPrice(price, at('0.9'), p);
    assert.ok(price > 5n, `price ${price} did not climb from the floor`);
    // and it goes back down to the floor, not below, when demand stops
    for (let i = 0; i < 200; i++) price = nextPrice(price, 0n, p);
    assert.equal(price, 1n);
  });

  it('random walks stay within [min_price, MAX_PRICE] and move at most max(1, ceil(price × max_change))', () => {
    const rand = prng(14);
    for (let run = 0; run < 200; run++) {
      const p = params({
        minPrice: BigInt(1 + rand(50)),
        maxChangePerBlock: parseDec(`0.${1 + rand(9)}`),
        elasticity: parseDec(String(1 + rand(20))),
      });
      let price = p.minPrice + BigInt(rand(1000));
      for (let b = 0; b < 50; b++) {
        const next = nextPrice(price, BigInt(rand(20_000)), p);
        assert.ok(next >= p.minPrice && next <= MAX_PRICE);
        const bound = (price * p.maxChangePerBlock + ONE - 1n) / ONE;
        const diff = next > price ? next - price : price - next;
        assert.ok(diff <= (bound < 1n ? 1n : bound), `moved ${diff} from ${price}, bound ${bound}`);
        price = next;
      }
    }
  });

  it('a price at MAX_PRICE stays there', () => {
    assert.equal(nextPrice(MAX_PRICE, at('1'), params()), MAX_PRICE);
  });

  it('the window keeps the newest window_blocks entries', () => {
    assert.deepEqual(slideWindow([1n, 2n, 3n], 4n, 3n), [2n, 3n, 4n]);
    assert.deepEqual(slideWindow([], 4n, 3n), [4n]);
    assert.equal(utilization(5_000n, params()), parseDec('0.5'));
  });
});
