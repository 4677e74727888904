// Executor choice (inference-contract.md): a participant SERVES a model when its classes contain
// the model's poc_class, its api_url is set and its weight > 0; the transfer agent picks one of
// them with probability proportional to weight. The randomness is the TA's own (crypto RNG):
// this is not consensus, and the seed of the sampling does not depend on the choice.
import { randomBytes } from 'node:crypto';
import type { Participant } from '../../../proto/gen/gonka/poc/v1/poc.js';

export function servingParticipants(all: readonly Participant[], pocClass: number): Participant[] {
  return all.filter((p) => p.weight > 0n && p.apiUrl !== '' && p.classes.includes(pocClass));
}

/** A uniform bigint in [0, n) without modulo bias (n ≥ 1). */
export function uniformBelow(n: bigint, random: (bytes: number) => Uint8Array = randomBytes): bigint {
  const bytes = Math.ceil(n.toString(16).length / 2) + 8;
  const range = 1n << BigInt(bytes * 8);
  const limit = range - (range % n);
  for (;;) {
    const v = BigInt(`0x${Buffer.from(random(bytes)).toString('hex')}`);
    if (v < limit) return v % n;
  }
}

/** Weighted by weight; undefined when nobody serves. */
export function pickExecutor(
  serving: readonly Participant[],
  random?: (bytes: number) => Uint8Array,
): Participant | undefined {
  const total = serving.reduce((s, p) => s + p.weight, 0n);
  if (total === 0n) return undefined;
  let r = uniformBelow(total, random);
  for (const p of serving) {
    if (r < p.weight) return p;
    r -= p.weight;
  }
  return undefined;
}
