// Cosmos PageRequest over a key-ordered iteration: `key` resumes at a raw store key, otherwise
// `offset` skips; `limit` (default 100, capped at 500) bounds every answer. Offset skipping is a
// scan, so it is capped too (clients page on with next_key). `count_total` is answered from a
// maintained count when the collection keeps one; otherwise it scans, within the query gas budget.
import type { PageRequest, PageResponse } from 'cosmjs-types/cosmos/base/query/v1beta1/pagination';
import { sdkErrors } from './errors.js';

export const DEFAULT_PAGE_LIMIT = 100n;
export const MAX_PAGE_LIMIT = 500n;
/** Largest `offset` served; beyond it, page with `key` (the previous answer's next_key). */
export const MAX_PAGE_OFFSET = 10_000n;

export interface PaginateOptions {
  /** The collection's size from a maintained counter: count_total then reads no further than the page. */
  count?: () => bigint;
}

export function paginate<T>(
  page: PageRequest | undefined,
  iterate: (startKey?: Uint8Array) => Iterable<[Uint8Array, T]>,
  opts: PaginateOptions = {},
): { items: T[]; pagination: PageResponse } {
  if (page?.reverse) throw sdkErrors.invalidRequest('reverse pagination is not supported');
  if (page && page.key.length > 0 && page.offset > 0n)
    throw sdkErrors.invalidRequest('either offset or key may be set, not both');
  const offset = page?.offset ?? 0n;
  if (offset > MAX_PAGE_OFFSET)
    throw sdkErrors.invalidRequest(
      `pagination offset ${offset} is over the maximum ${MAX_PAGE_OFFSET}; page on with pagination.key (the next_key of the previous answer)`,
    );
  let limit = page?.limit && page.limit > 0n ? page.limit : DEFAULT_PAGE_LIMIT;
  if (limit > MAX_PAGE_LIMIT) limit = MAX_PAGE_LIMIT;
  const countTotal = Boolean(page?.countTotal) && !(page && page.key.length > 0);
  const scanForTotal = countTotal && opts.count === undefined;
  const items: T[] = [];
  let skipped = 0n;
  let total = 0n;
  let nextKey = new Uint8Array(0);
  for (const [k, v] of iterate(page && page.key.length > 0 ? page.key : undefined)) {
    total++;
    if (skipped < offset) {
      skipped++;
      continue;
    }
    if (BigInt(items.length) === limit) {
      if (nextKey.length === 0) nextKey = Uint8Array.from(k);
      if (!scanForTotal) break;
      continue;
    }
    items.push(v);
  }
  if (countTotal && opts.count) total = opts.count();
  return { items, pagination: { nextKey, total: countTotal ? total : 0n } };
}
