// x/poc params. Only the epoch clock so far; later issues add the Sprint's stage lengths.
import { Params, type Params as PocParams } from '../../proto/gen/gonka/poc/v1/poc.js';
import { pocErrors } from './errors.js';

/** About a minute of devnet blocks (DESIGN.md §9); the fast test profile uses 24–32. Mainnet: 15391. */
export const DEFAULT_EPOCH_LENGTH = 60n;
/** Below this the set emitted at boundary − 2 would land inside the epoch it was computed in. */
export const MIN_EPOCH_LENGTH = 4n;
export const MAX_EPOCH_LENGTH = 10_000_000n;

export const defaultPocParams = (): PocParams => Params.fromPartial({ epochLength: DEFAULT_EPOCH_LENGTH });

export function validatePocParams(p: PocParams | undefined): PocParams {
  if (!p) throw pocErrors.invalidParams('params must be set');
  if (p.epochLength < MIN_EPOCH_LENGTH || p.epochLength > MAX_EPOCH_LENGTH)
    throw pocErrors.invalidParams(
      `epoch_length ${p.epochLength} is outside [${MIN_EPOCH_LENGTH}, ${MAX_EPOCH_LENGTH}]`,
    );
  return p;
}

export const pocParamsToJson = (p: PocParams) => ({ epoch_length: p.epochLength.toString() });

export function pocParamsFromJson(j: unknown): PocParams {
  if (j === undefined) return defaultPocParams();
  const o = j as Record<string, unknown>;
  const v = o.epoch_length;
  if (v === undefined) return defaultPocParams();
  if (!/^\d{1,19}$/.test(String(v)))
    throw pocErrors.invalidParams(`epoch_length '${String(v)}' is not an unsigned integer`);
  return validatePocParams(Params.fromPartial({ epochLength: BigInt(String(v)) }));
}
