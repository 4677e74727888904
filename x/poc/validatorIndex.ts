// The index from a CometBFT validator address to the participant that runs it. CometBFT names
// validators in FinalizeBlock's `misbehavior` and `decided_last_commit` by their address, the first
// 20 bytes of SHA-256 of the ed25519 consensus key; x/collateral's evidence and liveness handling
// turns that back into a participant through this index. Whatever writes a participant's consensus
// key (genesis now, registration later) goes through PocKeeper.setParticipant, which keeps it.
import { createHash } from 'node:crypto';
import { addressBytes, addressString } from '../../app/runtime/address.js';
import type { Context } from '../../app/runtime/context.js';
import { prefixEnd } from '../../app/runtime/keys.js';
import type { StoreKey } from '../../app/runtime/storeKey.js';
import { pocErrors } from './errors.js';
import { CONS_ADDRESS_PREFIX, consAddressKey } from './keys.js';

export const CONS_ADDRESS_LENGTH = 20;

/** CometBFT's validator address of an ed25519 consensus key: SHA-256(pubkey)[:20]. */
export function consAddressOf(pubkey: Uint8Array): Uint8Array {
  return Uint8Array.from(createHash('sha256').update(pubkey).digest().subarray(0, CONS_ADDRESS_LENGTH));
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

/** Moves a participant's index entry from its old consensus key (if any) to its new one. */
export function indexConsensusKey(
  ctx: Context,
  store: StoreKey,
  participant: string,
  oldKey: Uint8Array | undefined,
  newKey: Uint8Array,
): void {
  const kv = ctx.kv(store);
  const key = consAddressKey(consAddressOf(newKey));
  const holder = kv.get(key);
  // One consensus key, one participant: otherwise evidence could punish the wrong one.
  if (holder && !sameBytes(holder, addressBytes(participant)))
    throw pocErrors.invalidParticipant(
      `${participant}: consensus key already used by participant ${addressString(holder)}`,
    );
  if (oldKey && !sameBytes(oldKey, newKey)) kv.delete(consAddressKey(consAddressOf(oldKey)));
  kv.set(key, addressBytes(participant));
}

/** The participant whose consensus key has this CometBFT address; undefined when none does. */
export function participantByConsAddress(
  ctx: Context,
  store: StoreKey,
  consAddr: Uint8Array,
): string | undefined {
  if (consAddr.length !== CONS_ADDRESS_LENGTH) return undefined;
  const raw = ctx.kv(store).get(consAddressKey(consAddr));
  return raw ? addressString(raw) : undefined;
}

/** Number of indexed consensus keys (= participants): the bound on per-block validator lists. */
export function indexedValidatorCount(ctx: Context, store: StoreKey): number {
  let n = 0;
  for (const _ of ctx.kv(store).iterator(CONS_ADDRESS_PREFIX, prefixEnd(CONS_ADDRESS_PREFIX))) n++;
  return n;
}

/** Every index entry, for the invariant (each points at a participant whose key hashes to it). */
export function* iterateConsAddressIndex(
  ctx: Context,
  store: StoreKey,
): Generator<{ consAddr: Uint8Array; participant: string }> {
  for (const [k, v] of ctx.kv(store).iterator(CONS_ADDRESS_PREFIX, prefixEnd(CONS_ADDRESS_PREFIX)))
    yield { consAddr: k.subarray(1), participant: addressString(v) };
}
