// In-process chain for the tx, ante and bank tests: a real persistent store in a temp dir, the
// production app, genesis with funded secp256k1 accounts, and blocks driven through the ABCI
// handlers (FinalizeBlock + Commit), with txs signed SIGN_MODE_DIRECT by deterministic keys.
// Optional: CometBFT consensus params for InitChain (block.max_gas) and extra test modules
// (proposal hooks); PrepareProposal / ProcessProposal are driven the way CometBFT drives them.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { MsgMultiSend, MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { AuthInfo, SignDoc, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import {
  CheckTxType,
  RequestFinalizeBlock,
  RequestPrepareProposal,
  RequestProcessProposal,
  RequestQuery,
  type ResponseFinalizeBlock,
  ResponseProcessProposal_ProposalStatus,
} from 'cosmjs-types/tendermint/abci/types';
import { ConsensusParams } from 'cosmjs-types/tendermint/types/params';
import { type Logger, pino } from 'pino';
import { type AppExtensions, appStoreNames, createApp, defaultAppState } from '../../app/app.js';
import { addressFromPubKey } from '../../app/runtime/address.js';
import type { BaseApp, QueryOptions } from '../../app/runtime/baseApp.js';
import type { ProtoCodec } from '../../app/runtime/router.js';
import { PersistentMultiStore } from '../../app/runtime/store/index.js';

export const CHAIN_ID = 'gonka-test';
export const DENOM = 'ngonka';

export class TestKey {
  readonly pubKey: Uint8Array;
  readonly address: string;
  constructor(readonly secret: Uint8Array) {
    this.pubKey = secp256k1.getPublicKey(secret, true);
    this.address = addressFromPubKey(this.pubKey);
  }
  static fromSeed(seed: string): TestKey {
    return new TestKey(createHash('sha256').update(seed).digest());
  }
  /** 64-byte low-S r‖s over SHA-256(message). */
  sign(message: Uint8Array): Uint8Array {
    return secp256k1.sign(message, this.secret);
  }
  pubKeyAny(): Any {
    return {
      typeUrl: '/cosmos.crypto.secp256k1.PubKey',
      value: PubKey.encode({ key: this.pubKey }).finish(),
    };
  }
}

export interface TxOptions {
  msgs: Any[];
  sequence: bigint;
  accountNumber: bigint;
  gas?: bigint;
  fee?: bigint;
  memo?: string;
  timeoutHeight?: bigint;
  chainId?: string;
  /** Leave the signature empty (simulation). */
  unsigned?: boolean;
  /** Put these bytes where the signature goes (junk or oversized signatures). */
  signature?: Uint8Array;
}

export function signTx(key: TestKey, o: TxOptions): Uint8Array {
  const bodyBytes = TxBody.encode(
    TxBody.fromPartial({ messages: o.msgs, memo: o.memo ?? '', timeoutHeight: o.timeoutHeight ?? 0n }),
  ).finish();
  const gas = o.gas ?? 200_000n;
  const fee = o.fee ?? (gas + 9n) / 10n;
  const authInfoBytes = AuthInfo.encode(
    AuthInfo.fromPartial({
      signerInfos: [
        {
          publicKey: key.pubKeyAny(),
          modeInfo: { single: { mode: SignMode.SIGN_MODE_DIRECT } },
          sequence: o.sequence,
        },
      ],
      fee: { amount: fee > 0n ? [{ denom: DENOM, amount: fee.toString() }] : [], gasLimit: gas },
    }),
  ).finish();
  const signDoc = SignDoc.encode({
    bodyBytes,
    authInfoBytes,
    chainId: o.chainId ?? CHAIN_ID,
    accountNumber: o.accountNumber,
  }).finish();
  const signature = o.signature ?? (o.unsigned ? new Uint8Array(0) : key.sign(signDoc));
  return TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [signature] }).finish();
}

export function sendMsg(from: string, to: string, amount: bigint, denom = DENOM): Any {
  return {
    typeUrl: '/cosmos.bank.v1beta1.MsgSend',
    value: MsgSend.encode({
      fromAddress: from,
      toAddress: to,
      amount: [{ denom, amount: amount.toString() }],
    }).finish(),
  };
}

export function multiSendMsg(from: string, outputs: [string, bigint][]): Any {
  const total = outputs.reduce((s, [, a]) => s + a, 0n);
  return {
    typeUrl: '/cosmos.bank.v1beta1.MsgMultiSend',
    value: MsgMultiSend.encode({
      inputs: [{ address: from, coins: [{ denom: DENOM, amount: total.toString() }] }],
      outputs: outputs.map(([address, a]) => ({ address, coins: [{ denom: DENOM, amount: a.toString() }] })),
    }).finish(),
  };
}

export class TestChain {
  height = 0n;
  private constructor(
    readonly app: BaseApp,
    readonly store: PersistentMultiStore,
    readonly dir: string,
    readonly keys: TestKey[],
  ) {}

  static async create(opts: {
    accounts: number;
    balance?: bigint;
    seed?: string;
    appState?: (s: Record<string, any>) => void;
    /** CometBFT's block.max_gas sent in InitChain (omitted: no consensus params sent). */
    maxGas?: bigint;
    /** Test modules appended to the production ones. */
    ext?: AppExtensions;
    logger?: Logger;
    /** Query budget / invariants switch (node config). */
    query?: QueryOptions;
  }): Promise<TestChain> {
    const dir = mkdtempSync(join(tmpdir(), 'gonka-txtest-'));
    const store = await PersistentMultiStore.open(dir, appStoreNames(opts.ext), { keepRecent: 5 });
    const app = createApp(
      store,
      opts.logger ?? pino({ level: 'silent' }),
      'test',
      opts.ext,
      undefined,
      opts.query,
    );
    const keys = Array.from({ length: opts.accounts }, (_, i) =>
      TestKey.fromSeed(`${opts.seed ?? 'acct'}-${i}`),
    );
    const state = defaultAppState(opts.ext) as Record<string, any>;
    state.bank.balances = keys.map((k) => ({
      address: k.address,
      coins: [{ denom: DENOM, amount: String(opts.balance ?? 1_000_000_000n) }],
    }));
    opts.appState?.(state);
    app.initChain({
      time: { seconds: 1_700_000_000n, nanos: 0 },
      chainId: CHAIN_ID,
      validators: [],
      appStateBytes: new TextEncoder().encode(JSON.stringify(state)),
      initialHeight: 1n,
      consensusParams: opts.maxGas === undefined ? undefined : cometParams(opts.maxGas),
    });
    app.setChainId(CHAIN_ID);
    const chain = new TestChain(app, store, dir, keys);
    await chain.block([]); // height 1: genesis committed, queries work
    return chain;
  }

  async block(txs: Uint8Array[]): Promise<ResponseFinalizeBlock> {
    this.height += 1n;
    const res = this.app.finalizeBlock(
      RequestFinalizeBlock.fromPartial({
        height: this.height,
        time: { seconds: 1_700_000_000n + this.height, nanos: 0 },
        txs,
        hash: new Uint8Array(32),
      }),
    );
    await this.app.commit();
    return res;
  }

  /** PrepareProposal for the next height, as CometBFT calls it (maxTxBytes from the block size). */
  prepare(txs: Uint8Array[], maxTxBytes = 22_020_096n): Uint8Array[] {
    return this.app.prepareProposal(
      RequestPrepareProposal.fromPartial({
        height: this.height + 1n,
        time: { seconds: 1_700_000_001n + this.height, nanos: 0 },
        txs,
        maxTxBytes,
      }),
    ).txs;
  }

  /** ProcessProposal for the next height: true when accepted. */
  process(txs: Uint8Array[]): boolean {
    const r = this.app.processProposal(
      RequestProcessProposal.fromPartial({
        height: this.height + 1n,
        time: { seconds: 1_700_000_001n + this.height, nanos: 0 },
        txs,
        hash: new Uint8Array(32),
      }),
    );
    return r.status === ResponseProcessProposal_ProposalStatus.ACCEPT;
  }

  checkTx(tx: Uint8Array, recheck = false) {
    return this.app.checkTx({ tx, type: recheck ? CheckTxType.RECHECK : CheckTxType.NEW });
  }

  query<Req, Res>(path: string, reqCodec: ProtoCodec<Req>, resCodec: ProtoCodec<Res>, req: Req): Res {
    const r = this.app.query(RequestQuery.fromPartial({ path, data: reqCodec.encode(req).finish() }));
    if (r.code !== 0) throw new Error(`query ${path} failed with code ${r.code}: ${r.log}`);
    return resCodec.decode(r.value);
  }

  rawQuery(path: string, data: Uint8Array) {
    return this.app.query(RequestQuery.fromPartial({ path, data }));
  }

  async close(): Promise<void> {
    await this.store.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

import { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { QueryAccountRequest, QueryAccountResponse } from 'cosmjs-types/cosmos/auth/v1beta1/query';
import { QueryBalanceRequest, QueryBalanceResponse } from 'cosmjs-types/cosmos/bank/v1beta1/query';

export function accountOf(chain: TestChain, address: string): BaseAccount {
  const r = chain.query('/cosmos.auth.v1beta1.Query/Account', QueryAccountRequest, QueryAccountResponse, {
    address,
  });
  return BaseAccount.decode(r.account!.value);
}

export function balanceOf(chain: TestChain, address: string, denom = DENOM): bigint {
  const r = chain.query('/cosmos.bank.v1beta1.Query/Balance', QueryBalanceRequest, QueryBalanceResponse, {
    address,
    denom,
  });
  return BigInt(r.balance!.amount);
}

/** CometBFT v0.38's default consensus params with the given block.max_gas. */
export function cometParams(maxGas: bigint): ConsensusParams {
  return ConsensusParams.fromPartial({
    block: { maxBytes: 22_020_096n, maxGas },
    evidence: {
      maxAgeNumBlocks: 100_000n,
      maxAgeDuration: { seconds: 172_800n, nanos: 0 },
      maxBytes: 1_048_576n,
    },
    validator: { pubKeyTypes: ['ed25519'] },
    abci: { voteExtensionsEnableHeight: 1n },
  });
}

/** xorshift32: a small seeded PRNG, so every run draws the same numbers; prng(seed)(n) is in [0, n). */
export function prng(seed: number) {
  let x = seed >>> 0 || 1;
  return (n: number) => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x % n;
  };
}
