// Per-validator signing info and the missed-block bitmap (x/slashing's layout, keyed by
// participant). The bitmap keeps one key per *missed* block at index_offset mod window, so a
// block costs one read and at most one write per validator, and a reset deletes at most the
// missed entries (≤ window).

import { addressBytes, addressString } from '../../app/runtime/address.js';
import type { Context } from '../../app/runtime/context.js';
import { prefixEnd } from '../../app/runtime/keys.js';
import type { StoreKey } from '../../app/runtime/storeKey.js';
import { ValidatorSigningInfo } from '../../proto/gen/gonka/collateral/v1/collateral.js';
import {
  MISSED_BLOCK_PREFIX,
  missedBlockKey,
  missedBlocksPrefix,
  SIGNING_INFO_PREFIX,
  signingInfoKey,
} from './keys.js';

/** The signing info of a participant first seen at `height`: a fresh window, never jailed. */
export function newSigningInfo(participant: string, height: bigint): ValidatorSigningInfo {
  return {
    participant,
    startHeight: height,
    indexOffset: 0n,
    jailedUntil: 0n,
    tombstoned: false,
    missedBlocksCounter: 0n,
  };
}

export function getSigningInfo(
  ctx: Context,
  store: StoreKey,
  participant: string,
): ValidatorSigningInfo | undefined {
  const raw = ctx.kv(store).get(signingInfoKey(addressBytes(participant)));
  return raw ? ValidatorSigningInfo.decode(raw) : undefined;
}

export function setSigningInfo(ctx: Context, store: StoreKey, info: ValidatorSigningInfo): void {
  ctx
    .kv(store)
    .set(signingInfoKey(addressBytes(info.participant)), ValidatorSigningInfo.encode(info).finish());
}

/** Signing infos in participant-address byte order from `startKey` (a raw store key) on. */
export function* iterateSigningInfos(
  ctx: Context,
  store: StoreKey,
  startKey?: Uint8Array,
): Generator<[Uint8Array, ValidatorSigningInfo]> {
  for (const [k, v] of ctx
    .kv(store)
    .iterator(startKey ?? SIGNING_INFO_PREFIX, prefixEnd(SIGNING_INFO_PREFIX)))
    yield [k, ValidatorSigningInfo.decode(v)];
}

export function isMissed(ctx: Context, store: StoreKey, participant: string, index: bigint): boolean {
  return ctx.kv(store).has(missedBlockKey(addressBytes(participant), index));
}

export function setMissed(
  ctx: Context,
  store: StoreKey,
  participant: string,
  index: bigint,
  missed: boolean,
): void {
  const key = missedBlockKey(addressBytes(participant), index);
  if (missed) ctx.kv(store).set(key, Uint8Array.of(1));
  else ctx.kv(store).delete(key);
}

/** The missed indexes of one participant, ascending. */
export function missedIndexes(ctx: Context, store: StoreKey, participant: string): bigint[] {
  const prefix = missedBlocksPrefix(addressBytes(participant));
  const out: bigint[] = [];
  for (const [k] of ctx.kv(store).iterator(prefix, prefixEnd(prefix)))
    out.push(Buffer.from(k.subarray(prefix.length)).readBigUInt64BE());
  return out;
}

export function clearMissed(ctx: Context, store: StoreKey, participant: string): void {
  const prefix = missedBlocksPrefix(addressBytes(participant));
  const kv = ctx.kv(store);
  for (const [k] of [...kv.iterator(prefix, prefixEnd(prefix))]) kv.delete(k);
}

/** Every missed-block entry (genesis export): participant and index. */
export function* iterateMissedBlocks(
  ctx: Context,
  store: StoreKey,
): Generator<{ participant: string; index: bigint }> {
  for (const [k] of ctx.kv(store).iterator(MISSED_BLOCK_PREFIX, prefixEnd(MISSED_BLOCK_PREFIX))) {
    const n = k[1]!;
    yield {
      participant: addressString(k.subarray(2, 2 + n)),
      index: Buffer.from(k.subarray(2 + n)).readBigUInt64BE(),
    };
  }
}

/** Each signing info's missed_blocks_counter equals its bitmap's missed entries. */
export function signingInfoInvariants(ctx: Context, store: StoreKey): string[] {
  const broken: string[] = [];
  for (const [, i] of iterateSigningInfos(ctx, store)) {
    const n = BigInt(missedIndexes(ctx, store, i.participant).length);
    if (n !== i.missedBlocksCounter)
      broken.push(`${i.participant}: missed_blocks_counter ${i.missedBlocksCounter} != ${n} missed blocks`);
  }
  return broken;
}
