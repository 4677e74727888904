// x/auth's account keys as x/poc's AccountKeys: the secp256k1 key an account proved with its
// first signed tx (the kernel key, and what sample signatures verify against).
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import type { Context } from '../../app/runtime/context.js';
import { pocErrors } from './errors.js';
import type { AccountKeys } from './expectedKeepers.js';

const SECP256K1_PUBKEY_TYPE = '/cosmos.crypto.secp256k1.PubKey';

interface AccountReader {
  getAccount(
    ctx: Context,
    address: string,
  ): { base: { pubKey?: { typeUrl: string; value: Uint8Array } | undefined } } | undefined;
}

export function accountKeysFrom(auth: AccountReader): AccountKeys {
  return {
    pubkeyOf(ctx, address) {
      const pk = auth.getAccount(ctx, address)?.base.pubKey;
      if (!pk || pk.typeUrl !== SECP256K1_PUBKEY_TYPE) return undefined;
      const key = PubKey.decode(pk.value).key;
      return key.length === 33 ? key : undefined;
    },
  };
}

/** The account's secp256k1 key (the kernel key; what sample signatures and leaves are bound to), or poc's missing-pubkey error. */
export function kernelPubkey(ctx: Context, keys: AccountKeys | undefined, address: string): Uint8Array {
  const pk = keys?.pubkeyOf(ctx, address);
  if (!pk) throw pocErrors.missingPubkey(`account ${address} has no secp256k1 public key`);
  return pk;
}
