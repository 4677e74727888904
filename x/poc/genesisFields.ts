// Readers of x/poc's genesis JSON fields and the commit/vote records the Sprint and the
// confirmation rounds share (sprintGenesis.ts, confirmationGenesis.ts, fraudGenesis.ts). Every
// reader bounds its input and fails with poc's invalid-genesis error naming the field.
import { addressBytes } from '../../app/runtime/address.js';
import type { Context } from '../../app/runtime/context.js';
import { type PocCommit, type PocVote, Verdict } from '../../proto/gen/gonka/poc/v1/poc.js';
import { pocErrors } from './errors.js';
import type { PocKeeper } from './keeper.js';

export const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

/** A u64 written as a decimal string. */
export const u = (what: string, v: unknown): bigint => {
  if (typeof v !== 'string' || !/^\d{1,19}$/.test(v))
    throw pocErrors.invalidGenesis(
      `${what} must be an unsigned integer string, got ${JSON.stringify(v)?.slice(0, 40)}`,
    );
  return BigInt(v);
};

/** A u32 written as a JSON number. */
export const small = (what: string, v: unknown): number => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff)
    throw pocErrors.invalidGenesis(`${what} must be a u32`);
  return v;
};

/** Base64 of at most `max` bytes. */
export const bytes = (what: string, v: unknown, max: number): Uint8Array => {
  if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v))
    throw pocErrors.invalidGenesis(`${what} must be base64`);
  const out = Uint8Array.from(Buffer.from(v, 'base64'));
  if (out.length > max) throw pocErrors.invalidGenesis(`${what} is over ${max} bytes`);
  return out;
};

/** A missing list reads as empty. */
export const list = (what: string, v: unknown): Record<string, unknown>[] => {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw pocErrors.invalidGenesis(`${what} must be a list`);
  return v as Record<string, unknown>[];
};

/** A genesis address check: an address of a participant. */
export function knownParticipant(ctx: Context, keeper: PocKeeper) {
  return (what: string, a: unknown): string => {
    if (typeof a !== 'string') throw pocErrors.invalidGenesis(`${what} must be an address`);
    addressBytes(a);
    if (!keeper.getParticipant(ctx, a)) throw pocErrors.invalidGenesis(`${what} ${a} is not a participant`);
    return a;
  };
}

type Known = ReturnType<typeof knownParticipant>;

/** A commit's JSON; `round` is written only for confirmation rounds (withRound). */
export const commitToJson = (c: PocCommit, withRound: boolean) => ({
  participant: c.participant,
  epoch: c.epoch.toString(),
  ...(withRound ? { round: c.round } : {}),
  class_id: c.classId,
  count: c.count.toString(),
  root: b64(c.root),
  height: c.height.toString(),
});

/** A vote's JSON; `round` is written only for confirmation rounds (withRound). */
export const voteToJson = (v: PocVote, withRound: boolean) => ({
  epoch: v.epoch.toString(),
  ...(withRound ? { round: v.round } : {}),
  validator: v.validator,
  participant: v.participant,
  class_id: v.classId,
  verdict: v.verdict,
  power: v.power.toString(),
});

/** A commit read from JSON, its fields named `<what> …`; round 0 (the caller reads a round's). */
export const commitFromJson = (j: Record<string, unknown>, what: string, known: Known): PocCommit => ({
  participant: known(`${what} participant`, j.participant),
  epoch: u(`${what} epoch`, j.epoch),
  classId: small(`${what} class_id`, j.class_id),
  count: u(`${what} count`, j.count),
  root: bytes(`${what} root`, j.root, 32),
  height: u(`${what} height`, j.height),
  round: 0,
});

/** A vote read from JSON, its fields named `<what> …`; round 0 (the caller reads a round's). */
export const voteFromJson = (j: Record<string, unknown>, what: string, known: Known): PocVote => {
  const verdict = small('verdict', j.verdict);
  if (verdict < Verdict.VERDICT_VALID || verdict > Verdict.VERDICT_UNAVAILABLE)
    throw pocErrors.invalidGenesis(`verdict ${verdict} is not valid`);
  return {
    epoch: u(`${what} epoch`, j.epoch),
    validator: known(`${what} validator`, j.validator),
    participant: known(`${what} participant`, j.participant),
    classId: small(`${what} class_id`, j.class_id),
    verdict,
    power: u(`${what} power`, j.power),
    round: 0,
  };
};
