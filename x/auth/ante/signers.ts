// The signer steps, in order: pubkey (each signer's account and key), signature count, sequence,
// signature, increment sequence. Each reads what the steps before it left in the run.
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { SignDoc } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { addressFromPubKey } from '../../../app/runtime/address.js';
import { decodeStrict } from '../../../app/runtime/ante/decode.js';
import { isCompressedPubKey, verifySecp256k1 } from '../../../app/runtime/ante/secp256k1.js';
import { SignatureCache } from '../../../app/runtime/ante/sigCache.js';
import { sdkErrors } from '../../../app/runtime/errors.js';
import { event } from '../../../app/runtime/events.js';
import type { AnteDecorator } from '../../../app/runtime/tx.js';
import { type Account, SECP256K1_PUBKEY_TYPE, secp256k1PubKeyAny } from '../keeper.js';
import { legacyAminoSignBytes } from './aminoJson.js';
import type { AnteAccountKeeper } from './expectedKeepers.js';
import type { AnteRun } from './types.js';

/**
 * pubkey: one signer info per signer; each signer's account exists and has a compressed secp256k1
 * key, given in the tx (matching the address and any stored key; learned on first use) or stored.
 */
export function setPubKeys(auth: Pick<AnteAccountKeeper, 'getAccount'>): AnteDecorator<AnteRun> {
  return (ctx, run) => {
    const { tx } = run;
    const infos = tx.authInfo.signerInfos;
    if (infos.length !== tx.signers.length)
      throw sdkErrors.unauthorized(
        `wrong number of signer infos; expected ${tx.signers.length}, got ${infos.length}`,
      );
    const accounts: Account[] = [];
    const pubKeys: Uint8Array[] = [];
    tx.signers.forEach((signer, i) => {
      const account = auth.getAccount(ctx, signer);
      if (!account) throw sdkErrors.unknownAddress(`account ${signer} does not exist`);
      accounts.push(account);
      pubKeys.push(signerPubKey(account, infos[i]!.publicKey, signer, i));
    });
    run.accounts = accounts;
    run.pubKeys = pubKeys;
  };
}

function signerPubKey(
  account: Account,
  given: { typeUrl: string; value: Uint8Array } | undefined,
  signer: string,
  i: number,
): Uint8Array {
  if (!given) {
    if (!account.base.pubKey) throw sdkErrors.invalidPubKey(`pubkey on account ${signer} is not set`);
    return PubKey.decode(account.base.pubKey.value).key;
  }
  if (given.typeUrl !== SECP256K1_PUBKEY_TYPE)
    throw sdkErrors.invalidPubKey(`unsupported pubkey type ${given.typeUrl}`);
  const pk = decodeStrict(PubKey, given.value, 'PubKey').key;
  if (!isCompressedPubKey(pk)) throw sdkErrors.invalidPubKey('secp256k1 pubkey must be 33 compressed bytes');
  if (addressFromPubKey(pk) !== signer)
    throw sdkErrors.invalidPubKey(`pubKey does not match signer address ${signer} with signer index: ${i}`);
  const stored = account.base.pubKey;
  if (stored && !Buffer.from(stored.value).equals(Buffer.from(given.value))) {
    throw sdkErrors.invalidPubKey(`pubKey does not match the one stored for account ${signer}`);
  }
  if (!stored) account.base.pubKey = secp256k1PubKeyAny(pk);
  return pk;
}

/** signature count: at most tx_sig_limit signers (sdk 14), one signature each. */
export const signatureCount: AnteDecorator<AnteRun> = (_ctx, { tx, params }) => {
  if (BigInt(tx.signers.length) > params.txSigLimit) {
    throw sdkErrors.tooManySignatures(`signatures: ${tx.signers.length}, limit: ${params.txSigLimit}`);
  }
  if (tx.raw.signatures.length !== tx.signers.length) {
    throw sdkErrors.unauthorized(
      `wrong number of signatures; expected ${tx.signers.length}, got ${tx.raw.signatures.length}`,
    );
  }
};

/** sequence: each signer info carries its account's current sequence (sdk 32). */
export const sequence: AnteDecorator<AnteRun> = (_ctx, { tx, accounts }) => {
  accounts.forEach((a, i) => {
    const got = tx.authInfo.signerInfos[i]!.sequence;
    if (got !== a.base.sequence)
      throw sdkErrors.wrongSequence(`account sequence mismatch, expected ${a.base.sequence}, got ${got}`);
  });
};

/**
 * signature: each signer's SIGN_MODE_DIRECT signature over (body, auth info, chain id, account
 * number), or SIGN_MODE_LEGACY_AMINO_JSON over the StdSignDoc (aminoJson.ts) for Ledger and
 * Amino-only wallets (sdk 4). The same gas in either mode and whether verified, found in `cache`
 * (verified by CheckTx) or simulated: the mode never changes what a block costs.
 */
export function verifySignatures(cache: SignatureCache): AnteDecorator<AnteRun> {
  return (ctx, run) => {
    const { tx, accounts, pubKeys, params } = run;
    accounts.forEach((a, i) => {
      ctx.gasMeter.consume(params.sigVerifyCostSecp256k1, 'ante verify: secp256k1');
      if (ctx.mode === 'simulate') return;
      const mode = tx.authInfo.signerInfos[i]!.modeInfo?.single?.mode;
      if (mode !== SignMode.SIGN_MODE_DIRECT && mode !== SignMode.SIGN_MODE_LEGACY_AMINO_JSON)
        throw sdkErrors.unauthorized(
          `sign mode ${mode ?? 'multi'} is not supported (only SIGN_MODE_DIRECT and SIGN_MODE_LEGACY_AMINO_JSON)`,
        );
      const sigKey = SignatureCache.key(tx.hash, a.base.accountNumber, pubKeys[i]!);
      if (cache.has(sigKey)) {
        cache.delete(sigKey);
        run.verified.push(sigKey);
        return;
      }
      const signDoc =
        mode === SignMode.SIGN_MODE_DIRECT
          ? SignDoc.encode({
              bodyBytes: tx.raw.bodyBytes,
              authInfoBytes: tx.raw.authInfoBytes,
              chainId: ctx.header.chainId,
              accountNumber: a.base.accountNumber,
            }).finish()
          : legacyAminoSignBytes(tx, ctx.header.chainId, a.base.accountNumber, a.base.sequence);
      if (!verifySecp256k1(pubKeys[i]!, signDoc, tx.raw.signatures[i]!)) {
        throw sdkErrors.unauthorized(
          `signature verification failed; please verify account number (${a.base.accountNumber}) and chain-id (${ctx.header.chainId})`,
        );
      }
      run.verified.push(sigKey);
    });
  };
}

/** increment sequence, storing the account (with a newly learned pubkey). */
export function incrementSequence(auth: Pick<AnteAccountKeeper, 'setAccount'>): AnteDecorator<AnteRun> {
  return (ctx, { tx, accounts }) => {
    accounts.forEach((a, i) => {
      ctx.events.emit(event('tx', [['acc_seq', `${a.base.address}/${a.base.sequence}`]]));
      a.base.sequence += 1n;
      auth.setAccount(ctx, a);
      const sig = tx.raw.signatures[i]!;
      if (sig.length > 0) ctx.events.emit(event('tx', [['signature', Buffer.from(sig).toString('base64')]]));
    });
  };
}
