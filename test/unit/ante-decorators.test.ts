// Each Cosmos ante step alone, on a hand-made tx and run, with fake keepers: no chain, no store.
// memo (sdk 12), fee and min gas price (sdk 13, payer rules, the nominal simulation fee),
// sequence (sdk 32), signature (sdk 4, the signature cache, simulation, gas per signature).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { AuthInfo, SignDoc, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { addressFromPubKey } from '../../app/runtime/address.js';
import { SignatureCache } from '../../app/runtime/ante/sigCache.js';
import type { Coins } from '../../app/runtime/coins.js';
import { Context, type ExecMode } from '../../app/runtime/context.js';
import { isError } from '../../app/runtime/errors.js';
import { GasMeter } from '../../app/runtime/gas.js';
import type { MultiStore } from '../../app/runtime/store/types.js';
import { MountedStores } from '../../app/runtime/storeKey.js';
import { deductFee } from '../../x/auth/ante/fee.js';
import { memoLimit } from '../../x/auth/ante/limits.js';
import { sequence, verifySignatures } from '../../x/auth/ante/signers.js';
import { type AnteRun, type CosmosTx, newAnteRun } from '../../x/auth/ante/types.js';
import type { Account } from '../../x/auth/keeper.js';
import { defaultAuthParams } from '../../x/auth/params.js';

const CHAIN_ID = 'gonka-unit';
const NO_STORES: MultiStore = {
  getStore: () => assert.fail('an ante step under test touched a store'),
  storeNames: () => [],
  branch: () => assert.fail('an ante step under test branched'),
};

function ctxFor(mode: ExecMode = 'finalize'): Context {
  const header = {
    chainId: CHAIN_ID,
    height: 10n,
    time: { seconds: 1n, nanos: 0 },
    hash: new Uint8Array(0),
    proposerAddress: new Uint8Array(0),
  };
  return new Context(mode, header, NO_STORES, new MountedStores([]), new GasMeter());
}

const key = (seed: string) => {
  const secret = createHash('sha256').update(seed).digest();
  const pubKey = secp256k1.getPublicKey(secret, true);
  return { secret, pubKey, address: addressFromPubKey(pubKey) };
};
const alice = key('ante-alice');
const bob = key('ante-bob');

interface TxSpec {
  memo?: string;
  gas?: bigint;
  fee?: { denom: string; amount: string }[];
  payer?: string;
  signers?: string[];
  sequences?: bigint[];
  signatures?: Uint8Array[];
}

function txOf(spec: TxSpec = {}): CosmosTx {
  const signers = spec.signers ?? [alice.address];
  const body = TxBody.fromPartial({ memo: spec.memo ?? '' });
  const authInfo = AuthInfo.fromPartial({
    fee: { amount: spec.fee ?? [], gasLimit: spec.gas ?? 200_000n, payer: spec.payer ?? '' },
    signerInfos: signers.map((_, i) => ({
      sequence: spec.sequences?.[i] ?? 0n,
      modeInfo: { single: { mode: SignMode.SIGN_MODE_DIRECT } },
    })),
  });
  const raw = TxRaw.fromPartial({
    bodyBytes: TxBody.encode(body).finish(),
    authInfoBytes: AuthInfo.encode(authInfo).finish(),
    signatures: spec.signatures ?? signers.map(() => new Uint8Array(64)),
  });
  const hash = createHash('sha256').update(TxRaw.encode(raw).finish()).digest();
  return { msgs: [], gasLimit: authInfo.fee!.gasLimit, raw, body, authInfo, signers, hash };
}

const runOf = (tx: CosmosTx): AnteRun => newAnteRun(tx, TxRaw.encode(tx.raw).finish(), defaultAuthParams());
const account = (address: string, accountNumber: bigint, seq: bigint): Account => ({
  base: BaseAccount.fromPartial({ address, accountNumber, sequence: seq }),
});
const code = (c: number) => (e: unknown) => isError(e, 'sdk', c);

describe('ante: memo', () => {
  it('passes max_memo_characters code points and refuses one more (sdk 12)', () => {
    const max = Number(defaultAuthParams().maxMemoCharacters);
    memoLimit(ctxFor(), runOf(txOf({ memo: 'm'.repeat(max) })));
    assert.throws(() => memoLimit(ctxFor(), runOf(txOf({ memo: 'm'.repeat(max + 1) }))), code(12));
  });

  it('counts a surrogate pair as one character', () => {
    const max = Number(defaultAuthParams().maxMemoCharacters);
    memoLimit(ctxFor(), runOf(txOf({ memo: '😀'.repeat(max) })));
  });
});

describe('ante: fee and min gas price', () => {
  const sends: { from: string; module: string; coins: readonly Coins[] }[] = [];
  const bank = {
    sendCoinsToModule: (_ctx: Context, from: string, module: string, coins: readonly Coins[]) => {
      sends.push({ from, module, coins });
    },
  };
  const known = new Set([alice.address]);
  const step = deductFee({ hasAccount: (_ctx, a) => known.has(a) }, bank);
  // default min_gas_price 0.1: 200,000 gas needs ceil(20,000) ngonka
  const paying = (amount: string, more: TxSpec = {}) => txOf({ fee: [{ denom: 'ngonka', amount }], ...more });

  it('refuses a fee under ceil(gas × min_gas_price) with sdk 13 and moves nothing', () => {
    sends.length = 0;
    assert.throws(
      () => step(ctxFor(), runOf(paying('19999'))),
      (e: unknown) => {
        assert.ok(isError(e, 'sdk', 13));
        assert.match((e as Error).message, /required: 20000ngonka/);
        return true;
      },
    );
    assert.equal(sends.length, 0);
  });

  it('takes an exact fee to the fee collector and emits the tx fee event', () => {
    sends.length = 0;
    const ctx = ctxFor();
    step(ctx, runOf(paying('20000')));
    assert.deepEqual(sends, [
      { from: alice.address, module: 'fee_collector', coins: [{ denom: 'ngonka', amount: 20000n }] },
    ]);
    const attrs = ctx.events.events()[0]!.attributes.map((a) => [a.key, a.value]);
    assert.deepEqual(attrs, [
      ['fee', '20000ngonka'],
      ['fee_payer', alice.address],
    ]);
  });

  it('refuses a payer who is not a signer (sdk 4) and a payer without an account (sdk 9)', () => {
    assert.throws(() => step(ctxFor(), runOf(paying('20000', { payer: bob.address }))), code(4));
    assert.throws(() => step(ctxFor(), runOf(paying('20000', { signers: [bob.address] }))), code(9));
  });

  it('simulation skips the price check and charges a nominal 1 ngonka for an empty fee', () => {
    sends.length = 0;
    step(ctxFor('simulate'), runOf(txOf({ fee: [] })));
    assert.deepEqual(sends[0]!.coins, [{ denom: 'ngonka', amount: 1n }]);
  });
});

describe('ante: sequence', () => {
  it("accepts the account's sequence and refuses any other (sdk 32)", () => {
    const run = runOf(txOf({ sequences: [5n] }));
    run.accounts = [account(alice.address, 1n, 5n)];
    sequence(ctxFor(), run);
    for (const wrong of [4n, 6n]) {
      const bad = runOf(txOf({ sequences: [wrong] }));
      bad.accounts = [account(alice.address, 1n, 5n)];
      assert.throws(() => sequence(ctxFor(), bad), code(32));
    }
  });
});

describe('ante: signature', () => {
  const signed = (accountNumber: bigint, chainId = CHAIN_ID): AnteRun => {
    const tx = txOf();
    const doc = SignDoc.encode({
      bodyBytes: tx.raw.bodyBytes,
      authInfoBytes: tx.raw.authInfoBytes,
      chainId,
      accountNumber,
    }).finish();
    tx.raw.signatures = [secp256k1.sign(doc, alice.secret)];
    const run = runOf(tx);
    run.accounts = [account(alice.address, 7n, 0n)];
    run.pubKeys = [alice.pubKey];
    return run;
  };
  const perSig = defaultAuthParams().sigVerifyCostSecp256k1;

  it('verifies a SIGN_MODE_DIRECT signature and charges the per-signature gas', () => {
    const ctx = ctxFor();
    const run = signed(7n);
    verifySignatures(new SignatureCache())(ctx, run);
    assert.equal(ctx.gasMeter.consumed(), perSig);
    assert.equal(run.verified.length, 1);
  });

  it('refuses a signature over another account number or chain id (sdk 4)', () => {
    assert.throws(() => verifySignatures(new SignatureCache())(ctxFor(), signed(8n)), code(4));
    assert.throws(() => verifySignatures(new SignatureCache())(ctxFor(), signed(7n, 'other-chain')), code(4));
  });

  it('a signature CheckTx verified is taken from the cache, at the same gas', () => {
    const cache = new SignatureCache();
    const run = signed(8n); // invalid: passes only because the cache vouches for it
    cache.add(SignatureCache.key(run.tx.hash, 7n, alice.pubKey));
    const ctx = ctxFor();
    verifySignatures(cache)(ctx, run);
    assert.equal(ctx.gasMeter.consumed(), perSig);
    assert.equal(run.verified.length, 1);
  });

  it('simulation charges the gas without verifying', () => {
    const ctx = ctxFor('simulate');
    const run = signed(8n);
    verifySignatures(new SignatureCache())(ctx, run);
    assert.equal(ctx.gasMeter.consumed(), perSig);
    assert.equal(run.verified.length, 0);
  });
});
