// The Cosmos transaction format (cosmos.tx.v1beta1 TxRaw, SIGN_MODE_DIRECT, secp256k1) and its
// ante handler, in DESIGN.md §3.5 order: size limit (precheck, before decoding) → decode →
// block max gas (41, in BaseApp) → timeout height → memo → tx-size gas (11) → fee and min gas
// price (13, 5) → pubkey → signature count → sequence (32) → signature (4) → increment sequence. The ante branch is kept by BaseApp even if messages fail.
import { createHash } from 'node:crypto';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { type AuthInfo, SignDoc, type TxBody, type TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import {
  type Account,
  type AuthKeeper,
  FEE_COLLECTOR,
  SECP256K1_PUBKEY_TYPE,
  secp256k1PubKeyAny,
} from '../../../x/auth/keeper.js';
import { FEE_DENOM } from '../../../x/auth/params.js';
import { coinsString, parseCoins } from '../../../x/bank/coins.js';
import type { BankKeeper } from '../../../x/bank/keeper.js';
import { addressFromPubKey } from '../address.js';
import type { Context } from '../context.js';
import { mulCeil } from '../decimal.js';
import { AppError, sdkErrors } from '../errors.js';
import { event } from '../events.js';
import { GasMeter } from '../gas.js';
import type { MsgRouter } from '../router.js';
import type { DecodedTx, TxFormat } from '../tx.js';
import { decodeCosmosTx, decodeStrict } from './decode.js';
import { DecodeCache } from './decodeCache.js';
import './protobufAlloc.js';
import './protobufUtf8.js';
import { isCompressedPubKey, verifySecp256k1 } from './secp256k1.js';
import { SignatureCache } from './sigCache.js';

export interface CosmosTx extends DecodedTx {
  raw: TxRaw;
  body: TxBody;
  authInfo: AuthInfo;
  /** Required signers (bech32), de-duplicated, in message order. */
  signers: string[];
  /** SHA-256 of the tx bytes (CometBFT's tx hash). */
  hash: Uint8Array;
}

export interface CosmosTxDeps {
  auth: AuthKeeper;
  bank: BankKeeper;
  /** The app's message router (resolved lazily: it exists only once BaseApp is built). */
  msgs: () => MsgRouter;
  sigCache?: SignatureCache;
  decodeCache?: DecodeCache<CosmosTx>;
}

/** Bytes a real signature adds to a simulated tx whose signature is empty (CosmJS simulates with one). */
const SIMULATED_SIGNATURE_BYTES = 64n;
const MAX_GAS_LIMIT = (1n << 63n) - 1n;
/** What a cached tx's decoded objects cost beyond its bytes, per message (Any, type URL string). */
const CACHED_BYTES_PER_MSG = 256;

export function cosmosTxFormat(
  deps: CosmosTxDeps,
): TxFormat<CosmosTx> & { sigCache: SignatureCache; decodeCache: DecodeCache<CosmosTx> } {
  const sigCache = deps.sigCache ?? new SignatureCache();
  const decoded = deps.decodeCache ?? new DecodeCache<CosmosTx>();
  const cacheKey = (hash: Uint8Array) =>
    Buffer.from(hash.buffer, hash.byteOffset, hash.length).toString('latin1');

  return {
    name: 'cosmos',
    sigCache,
    decodeCache: decoded,
    // The fallback format: anything no other format claims is decoded (and rejected) as a TxRaw.
    matches: () => true,

    precheck(ctx, txBytes) {
      // Params are read without gas: they are configuration, not tx work.
      const { maxTxBytes } = deps.auth.getParams(ctx.withGasMeter(new GasMeter()));
      if (BigInt(txBytes.length) > maxTxBytes)
        throw sdkErrors.txTooLarge(`tx is ${txBytes.length} bytes; limit ${maxTxBytes}`);
    },

    decode(input) {
      const hash = createHash('sha256').update(input).digest();
      const hit = decoded.get(cacheKey(hash));
      if (hit) return hit;
      // The decoded fields are views into the bytes decoded: own them, so a cached tx never pins
      // a larger buffer it was cut from (an ABCI frame, a gRPC message).
      const txBytes = input.byteLength === input.buffer.byteLength ? input : input.slice();
      const { raw, body, authInfo } = decodeCosmosTx(txBytes);
      const router = deps.msgs();
      const signers: string[] = [];
      for (const any of body.messages) {
        const route = router.route(any.typeUrl);
        const msg = decodeStrict(route.request, any.value, any.typeUrl);
        for (const s of route.signers(msg)) if (!signers.includes(s)) signers.push(s);
      }
      if (signers.length === 0) throw sdkErrors.noSignatures('no signers');
      const gasLimit = authInfo.fee!.gasLimit;
      if (gasLimit > MAX_GAS_LIMIT) throw sdkErrors.invalidGasLimit(`gas limit ${gasLimit} is too large`);
      return { msgs: body.messages, gasLimit, raw, body, authInfo, signers, hash };
    },

    ante(ctx, tx, txBytes) {
      try {
        anteSteps(ctx, tx, txBytes);
      } catch (e) {
        // A rejected tx keeps nothing: not a signature verified before this run failed.
        if (ctx.mode !== 'simulate') sigCache.deleteTx(tx.hash);
        throw e;
      }
    },
  };

  function anteSteps(ctx: Context, tx: CosmosTx, txBytes: Uint8Array): void {
    const simulate = ctx.mode === 'simulate';
    const checking = ctx.mode === 'check' || ctx.mode === 'recheck';
    // What CheckTx cached for this tx is taken out and put back only if this run passes: a tx
    // that fails recheck leaves nothing behind, and FinalizeBlock (once per tx) keeps nothing.
    if (!simulate) decoded.delete(cacheKey(tx.hash));
    // Params are read without gas: they are configuration, not tx work.
    const params = deps.auth.getParams(ctx.withGasMeter(new GasMeter()));

    // timeout height (CheckTx runs against the next block's height)
    const height =
      ctx.mode === 'check' || ctx.mode === 'recheck' || simulate ? ctx.header.height + 1n : ctx.header.height;
    if (tx.body.timeoutHeight > 0n && height > tx.body.timeoutHeight) {
      throw sdkErrors.txTimeoutHeight(`block height: ${height}, timeout height: ${tx.body.timeoutHeight}`);
    }

    // memo
    const memoChars = codePoints(tx.body.memo);
    if (BigInt(memoChars) > params.maxMemoCharacters) {
      throw sdkErrors.memoTooLarge(
        `maximum number of characters is ${params.maxMemoCharacters} but received ${memoChars} characters`,
      );
    }

    // tx-size gas; a simulated tx is charged as if its empty signatures were real ones
    let sizeBytes = BigInt(txBytes.length);
    if (simulate)
      for (const s of tx.raw.signatures) if (s.length === 0) sizeBytes += SIMULATED_SIGNATURE_BYTES;
    ctx.gasMeter.consume(params.txSizeCostPerByte * sizeBytes, 'txSize');

    // fee and min gas price
    const fee = tx.authInfo.fee!;
    const feeCoins = parseCoins(fee.amount, true);
    if (fee.granter) throw sdkErrors.notSupported('fee grants are not supported');
    const payer = fee.payer || tx.signers[0]!;
    if (!tx.signers.includes(payer)) throw sdkErrors.unauthorized(`fee payer ${payer} is not a signer`);
    if (!simulate) {
      const required = mulCeil(tx.gasLimit, params.minGasPrice);
      const paid = feeCoins.find((c) => c.denom === FEE_DENOM)?.amount ?? 0n;
      if (paid < required)
        throw sdkErrors.insufficientFee(
          `insufficient fees; got: ${coinsString(feeCoins) || `0${FEE_DENOM}`} required: ${required}${FEE_DENOM}`,
        );
    }
    if (!deps.auth.hasAccount(ctx, payer))
      throw sdkErrors.unknownAddress(`fee payer address: ${payer} does not exist`);
    // Wallets simulate with an empty fee (CosmJS "auto"), then pay one: a simulation charges a
    // nominal 1 ngonka so the fee transfer's store gas is in the estimate, as it is in delivery.
    // Simulations never persist, so the nominal transfer moves nothing.
    const nominal = simulate && feeCoins.length === 0;
    const charged = nominal ? [{ denom: FEE_DENOM, amount: 1n }] : feeCoins;
    if (charged.length > 0) {
      try {
        deps.bank.sendCoinsToModule(ctx, payer, FEE_COLLECTOR, charged);
      } catch (e) {
        const short = e instanceof AppError && sdkErrors.insufficientFunds.is(e);
        if (short && !nominal)
          throw sdkErrors.insufficientFunds(`${e.message}: insufficient funds to pay for fees`);
        if (!short) throw e;
      }
    }
    ctx.events.emit(
      event('tx', [
        ['fee', coinsString(feeCoins)],
        ['fee_payer', payer],
      ]),
    );

    // pubkey
    const infos = tx.authInfo.signerInfos;
    if (infos.length !== tx.signers.length)
      throw sdkErrors.unauthorized(
        `wrong number of signer infos; expected ${tx.signers.length}, got ${infos.length}`,
      );
    const accounts: Account[] = [];
    const pubKeys: Uint8Array[] = [];
    tx.signers.forEach((signer, i) => {
      const account = deps.auth.getAccount(ctx, signer);
      if (!account) throw sdkErrors.unknownAddress(`account ${signer} does not exist`);
      const info = infos[i]!;
      let pk: Uint8Array | undefined;
      if (info.publicKey) {
        if (info.publicKey.typeUrl !== SECP256K1_PUBKEY_TYPE)
          throw sdkErrors.invalidPubKey(`unsupported pubkey type ${info.publicKey.typeUrl}`);
        pk = decodeStrict(PubKey, info.publicKey.value, 'PubKey').key;
        if (!isCompressedPubKey(pk))
          throw sdkErrors.invalidPubKey('secp256k1 pubkey must be 33 compressed bytes');
        if (addressFromPubKey(pk) !== signer)
          throw sdkErrors.invalidPubKey(
            `pubKey does not match signer address ${signer} with signer index: ${i}`,
          );
        const stored = account.base.pubKey;
        if (stored && !Buffer.from(stored.value).equals(Buffer.from(info.publicKey.value))) {
          throw sdkErrors.invalidPubKey(`pubKey does not match the one stored for account ${signer}`);
        }
        if (!stored) account.base.pubKey = secp256k1PubKeyAny(pk);
      } else if (account.base.pubKey) {
        pk = PubKey.decode(account.base.pubKey.value).key;
      } else {
        throw sdkErrors.invalidPubKey(`pubkey on account ${signer} is not set`);
      }
      accounts.push(account);
      pubKeys.push(pk);
    });

    // signature count
    if (BigInt(tx.signers.length) > params.txSigLimit) {
      throw sdkErrors.tooManySignatures(`signatures: ${tx.signers.length}, limit: ${params.txSigLimit}`);
    }
    if (tx.raw.signatures.length !== tx.signers.length) {
      throw sdkErrors.unauthorized(
        `wrong number of signatures; expected ${tx.signers.length}, got ${tx.raw.signatures.length}`,
      );
    }

    // sequence
    accounts.forEach((a, i) => {
      const got = infos[i]!.sequence;
      if (got !== a.base.sequence)
        throw sdkErrors.wrongSequence(`account sequence mismatch, expected ${a.base.sequence}, got ${got}`);
    });

    // signature: the same gas whether verified, cached or simulated
    const txHash = tx.hash;
    const verified: string[] = [];
    accounts.forEach((a, i) => {
      ctx.gasMeter.consume(params.sigVerifyCostSecp256k1, 'ante verify: secp256k1');
      if (simulate) return;
      const mode = infos[i]!.modeInfo?.single?.mode;
      if (mode !== SignMode.SIGN_MODE_DIRECT)
        throw sdkErrors.unauthorized(`sign mode ${mode ?? 'multi'} is not supported (only SIGN_MODE_DIRECT)`);
      const sigKey = SignatureCache.key(txHash, a.base.accountNumber, pubKeys[i]!);
      if (sigCache.has(sigKey)) {
        sigCache.delete(sigKey);
        verified.push(sigKey);
        return;
      }
      const signDoc = SignDoc.encode({
        bodyBytes: tx.raw.bodyBytes,
        authInfoBytes: tx.raw.authInfoBytes,
        chainId: ctx.header.chainId,
        accountNumber: a.base.accountNumber,
      }).finish();
      if (!verifySecp256k1(pubKeys[i]!, signDoc, tx.raw.signatures[i]!)) {
        throw sdkErrors.unauthorized(
          `signature verification failed; please verify account number (${a.base.accountNumber}) and chain-id (${ctx.header.chainId})`,
        );
      }
      verified.push(sigKey);
    });

    // increment sequence (and store a newly learned pubkey)
    accounts.forEach((a, i) => {
      ctx.events.emit(event('tx', [['acc_seq', `${a.base.address}/${a.base.sequence}`]]));
      a.base.sequence += 1n;
      deps.auth.setAccount(ctx, a);
      const sig = tx.raw.signatures[i]!;
      if (sig.length > 0) ctx.events.emit(event('tx', [['signature', Buffer.from(sig).toString('base64')]]));
    });

    // Passed: only now may CheckTx's work be kept for recheck and FinalizeBlock.
    if (checking) {
      decoded.add(cacheKey(txHash), tx, txBytes.length + CACHED_BYTES_PER_MSG * tx.msgs.length);
      for (const k of verified) sigCache.add(k);
    }
  }
}

const SURROGATE_PAIR = /[\ud800-\udbff][\udc00-\udfff]/g;

/** Unicode code points in `s` (what `[...s].length` counts: a pair is one, a lone surrogate one). */
function codePoints(s: string): number {
  return s.length - (s.match(SURROGATE_PAIR)?.length ?? 0);
}
