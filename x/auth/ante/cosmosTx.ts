// The Cosmos transaction format (cosmos.tx.v1beta1 TxRaw, SIGN_MODE_DIRECT, secp256k1): size
// precheck, strict decode with a cache of what CheckTx decoded, and the ante chain (chain.ts).
// The ante branch is kept by BaseApp even if messages fail.
import { createHash } from 'node:crypto';
import { decodeCosmosTx, decodeStrict } from '../../../app/runtime/ante/decode.js';
import { DecodeCache } from '../../../app/runtime/ante/decodeCache.js';
import '../../../app/runtime/ante/protobufAlloc.js';
import '../../../app/runtime/ante/protobufUtf8.js';
import { SignatureCache } from '../../../app/runtime/ante/sigCache.js';
import { sdkErrors } from '../../../app/runtime/errors.js';
import { GasMeter } from '../../../app/runtime/gas.js';
import type { MsgRouter } from '../../../app/runtime/router.js';
import type { TxFormat } from '../../../app/runtime/tx.js';
import { cosmosAnteChain } from './chain.js';
import type { AnteAccountKeeper, AnteBankKeeper } from './expectedKeepers.js';
import { checkTxSize } from './limits.js';
import { type CosmosTx, newAnteRun } from './types.js';

export type { CosmosTx };

export interface CosmosTxDeps {
  auth: AnteAccountKeeper;
  bank: AnteBankKeeper;
  /** The app's message router (resolved lazily: it exists only once BaseApp is built). */
  msgs: () => MsgRouter;
  sigCache?: SignatureCache;
  decodeCache?: DecodeCache<CosmosTx>;
}

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
  const anteSteps = cosmosAnteChain({ auth: deps.auth, bank: deps.bank, sigCache });

  return {
    name: 'cosmos',
    sigCache,
    decodeCache: decoded,
    // The fallback format: anything no other format claims is decoded (and rejected) as a TxRaw.
    matches: () => true,

    precheck(ctx, txBytes) {
      // Params are read without gas: they are configuration, not tx work.
      checkTxSize(deps.auth.getParams(ctx.withGasMeter(new GasMeter())), txBytes);
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
      const simulate = ctx.mode === 'simulate';
      try {
        // What CheckTx cached for this tx is taken out and put back only if this run passes: a tx
        // that fails recheck leaves nothing behind, and FinalizeBlock (once per tx) keeps nothing.
        if (!simulate) decoded.delete(cacheKey(tx.hash));
        // Params are read without gas: they are configuration, not tx work.
        const run = newAnteRun(tx, txBytes, deps.auth.getParams(ctx.withGasMeter(new GasMeter())));
        anteSteps(ctx, run);
        // Passed: only now may CheckTx's work be kept for recheck and FinalizeBlock.
        if (ctx.mode === 'check' || ctx.mode === 'recheck') {
          decoded.add(cacheKey(tx.hash), tx, txBytes.length + CACHED_BYTES_PER_MSG * tx.msgs.length);
          for (const k of run.verified) sigCache.add(k);
        }
      } catch (e) {
        // A rejected tx keeps nothing: not a signature verified before this run failed.
        if (!simulate) sigCache.deleteTx(tx.hash);
        throw e;
      }
    },
  };
}
