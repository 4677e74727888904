// `gonkad start --check-invariants-every N` (config key `checkInvariantsEvery` in
// config/gonka.json; 0 = off, the default): after every Nth Commit the node runs every module's
// invariants over the state it just committed. A broken one is logged at fatal level as
// `INVARIANT BROKEN` with its names, and the Commit fails, which the ABCI server treats as fatal:
// the node exits non-zero before CometBFT can build on the broken state. A restart meets the same
// check again at the next multiple of N, so a broken state never runs on unnoticed.
import type { Logger } from 'pino';

/** The longest period accepted: beyond it the check would be off in all but name. */
export const MAX_INVARIANT_PERIOD = 1_000_000;

export class InvariantsBroken extends Error {
  override name = 'InvariantsBroken';
  constructor(
    readonly height: number,
    readonly broken: string[],
  ) {
    super(`INVARIANT BROKEN at height ${height}: ${broken.join('; ')}`);
  }
}

/** Parses the flag or config value: a whole number of blocks in [0, MAX_INVARIANT_PERIOD]. */
export function parseInvariantPeriod(value: unknown, source: string): number {
  const s = String(value);
  if (!/^\d{1,7}$/.test(s) || Number(s) > MAX_INVARIANT_PERIOD)
    throw new Error(`${source} must be a whole number of blocks in [0, ${MAX_INVARIANT_PERIOD}], got '${s}'`);
  return Number(s);
}

/**
 * A per-commit hook: every `every` heights (never when 0) it checks the invariants and throws
 * InvariantsBroken, after logging it loudly, when any is broken.
 */
export function periodicInvariantCheck(
  checkInvariants: () => string[],
  every: number,
  log: Logger,
): (height: number) => void {
  if (every <= 0) return () => {};
  return (height) => {
    if (height % every !== 0) return;
    const broken = checkInvariants();
    if (broken.length === 0) return;
    const err = new InvariantsBroken(height, broken);
    log.fatal({ height, invariants: broken }, `${err.message}; halting the node`);
    throw err;
  };
}
