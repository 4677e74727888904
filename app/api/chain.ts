// The API node's view of the chain, over CometBFT RPC: ABCI queries by gRPC path, the account
// and fee params the broadcaster needs, tx simulation and broadcast_tx_sync, and the x/poc
// queries the Sprint driver follows. Two small interfaces (TxChain, PocChain) so tests can put
// the app in process behind them.
import { type CometClient, connectComet } from '@cosmjs/tendermint-rpc';
import { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { QueryAccountRequest, QueryAccountResponse } from 'cosmjs-types/cosmos/auth/v1beta1/query';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { SimulateRequest, SimulateResponse } from 'cosmjs-types/cosmos/tx/v1beta1/service';
import {
  QueryParamsRequest as AuthParamsRequest,
  QueryParamsResponse as AuthParamsResponse,
} from '../../proto/gen/gonka/auth/v1/query.js';
import type {
  Participant,
  PocCommit,
  Params as PocParams,
  WeightResult,
} from '../../proto/gen/gonka/poc/v1/poc.js';
import {
  QueryCommitsRequest,
  QueryCommitsResponse,
  QueryConfirmationsRequest,
  QueryConfirmationsResponse,
  QueryParamsRequest,
  QueryParamsResponse,
  QueryParticipantRequest,
  QueryParticipantResponse,
  QueryStageRequest,
  QueryStageResponse,
  QueryWeightsRequest,
  QueryWeightsResponse,
} from '../../proto/gen/gonka/poc/v1/query.js';
import type { ProtoCodec } from '../runtime/router.js';

/** A tx or query the chain refused: the SDK's (codespace, code, log). */
export class ChainError extends Error {
  constructor(
    readonly codespace: string,
    readonly code: number,
    readonly log: string,
  ) {
    super(`${codespace || 'chain'} code ${code}: ${log}`);
  }
}

export interface AccountInfo {
  accountNumber: bigint;
  sequence: bigint;
}

export interface BroadcastResult {
  code: number;
  codespace: string;
  log: string;
  /** Upper-case hex tx hash. */
  hash: string;
}

/** What the broadcaster needs from a chain. */
export interface TxChain {
  chainId(): Promise<string>;
  /** Committed account state; undefined for an account the chain has not seen. */
  account(address: string): Promise<AccountInfo | undefined>;
  /** x/auth min_gas_price, a decimal string (ngonka per gas). */
  minGasPrice(): Promise<string>;
  /** Gas used by a simulation of the tx; a refused tx throws ChainError. */
  simulate(tx: Uint8Array): Promise<bigint>;
  /** CheckTx's verdict (code 0: in the mempool). */
  broadcastSync(tx: Uint8Array): Promise<BroadcastResult>;
}

/** What the Sprint driver reads. */
export interface PocChain {
  stage(): Promise<QueryStageResponse>;
  params(): Promise<PocParams>;
  participant(address: string): Promise<Participant | undefined>;
  /** Every commit of an epoch's Sprint (round 0) or of its confirmation round n (all pages). */
  commits(epoch: bigint, round?: number): Promise<PocCommit[]>;
}

/** What the confirmation-round driver reads on top of the Sprint driver's queries. */
export interface ConfirmationChain extends PocChain {
  /** The rounds of `epoch` (0 = the running epoch) with their results; the running one last. */
  confirmations(epoch: bigint): Promise<QueryConfirmationsResponse>;
  /** What the Sprint deciding `epoch` decided for `address` (undefined: not in its results). */
  weightResult(epoch: bigint, address: string): Promise<WeightResult | undefined>;
}

/** Bound on pages read for one commits listing (500 per page). */
const MAX_PAGES = 200;

export class RpcChain implements TxChain, ConfirmationChain {
  private chainIdCache: string | undefined;

  /** Protected so tests can put the app in process behind the same queries (overriding query). */
  protected constructor(
    readonly url: string,
    private readonly comet: CometClient,
  ) {}

  static async connect(url: string): Promise<RpcChain> {
    return new RpcChain(url, await connectComet(url));
  }

  disconnect(): void {
    this.comet.disconnect();
  }

  async height(): Promise<bigint> {
    return BigInt((await this.comet.status()).syncInfo.latestBlockHeight);
  }

  async query<Req, Res>(path: string, req: ProtoCodec<Req>, res: ProtoCodec<Res>, value: Req): Promise<Res> {
    const r = await this.comet.abciQuery({ path, data: req.encode(value).finish() });
    if (r.code) throw new ChainError(r.codespace ?? '', r.code, r.log ?? '');
    return res.decode(r.value);
  }

  async chainId(): Promise<string> {
    this.chainIdCache ??= (await this.comet.status()).nodeInfo.network;
    return this.chainIdCache;
  }

  async account(address: string): Promise<AccountInfo | undefined> {
    try {
      const r = await this.query(
        '/cosmos.auth.v1beta1.Query/Account',
        QueryAccountRequest,
        QueryAccountResponse,
        QueryAccountRequest.fromPartial({ address }),
      );
      if (!r.account) return undefined;
      const a = BaseAccount.decode(r.account.value);
      return { accountNumber: a.accountNumber, sequence: a.sequence };
    } catch (e) {
      if (e instanceof ChainError && e.code === 22) return undefined; // sdk 22: not found
      throw e;
    }
  }

  /** The account's 33-byte compressed secp256k1 key, once the chain has seen it sign. */
  async accountPubKey(address: string): Promise<Uint8Array | undefined> {
    const r = await this.query(
      '/cosmos.auth.v1beta1.Query/Account',
      QueryAccountRequest,
      QueryAccountResponse,
      QueryAccountRequest.fromPartial({ address }),
    );
    const pk = r.account ? BaseAccount.decode(r.account.value).pubKey : undefined;
    if (pk?.typeUrl !== '/cosmos.crypto.secp256k1.PubKey') return undefined;
    return PubKey.decode(pk.value).key;
  }

  async minGasPrice(): Promise<string> {
    const r = await this.query('/gonka.auth.v1.Query/Params', AuthParamsRequest, AuthParamsResponse, {});
    return r.params?.minGasPrice ?? '0';
  }

  async simulate(tx: Uint8Array): Promise<bigint> {
    const r = await this.query(
      '/cosmos.tx.v1beta1.Service/Simulate',
      SimulateRequest,
      SimulateResponse,
      SimulateRequest.fromPartial({ txBytes: tx }),
    );
    return r.gasInfo?.gasUsed ?? 0n;
  }

  async broadcastSync(tx: Uint8Array): Promise<BroadcastResult> {
    const r = await this.comet.broadcastTxSync({ tx });
    return {
      code: r.code,
      codespace: r.codespace ?? '',
      log: r.log ?? '',
      hash: Buffer.from(r.hash).toString('hex').toUpperCase(),
    };
  }

  async stage(): Promise<QueryStageResponse> {
    return this.query('/gonka.poc.v1.Query/Stage', QueryStageRequest, QueryStageResponse, {});
  }

  async params(): Promise<PocParams> {
    const r = await this.query('/gonka.poc.v1.Query/Params', QueryParamsRequest, QueryParamsResponse, {});
    if (!r.params) throw new Error('x/poc params query answered no params');
    return r.params;
  }

  async participant(address: string): Promise<Participant | undefined> {
    try {
      const r = await this.query(
        '/gonka.poc.v1.Query/Participant',
        QueryParticipantRequest,
        QueryParticipantResponse,
        { address },
      );
      return r.participant;
    } catch (e) {
      if (e instanceof ChainError && e.codespace !== '' && /not found/i.test(e.log)) return undefined;
      throw e;
    }
  }

  async confirmations(epoch: bigint): Promise<QueryConfirmationsResponse> {
    return this.query(
      '/gonka.poc.v1.Query/Confirmations',
      QueryConfirmationsRequest,
      QueryConfirmationsResponse,
      QueryConfirmationsRequest.fromPartial({ epoch }),
    );
  }

  async weightResult(epoch: bigint, address: string): Promise<WeightResult | undefined> {
    let key: Uint8Array = new Uint8Array(0);
    for (let page = 0; page < MAX_PAGES; page++) {
      const r = await this.query(
        '/gonka.poc.v1.Query/Weights',
        QueryWeightsRequest,
        QueryWeightsResponse,
        QueryWeightsRequest.fromPartial({ epoch, pagination: { key, limit: 500n } }),
      );
      const mine = r.weights.find((w) => w.participant === address);
      if (mine) return mine;
      key = r.pagination?.nextKey ?? new Uint8Array(0);
      if (key.length === 0) break;
    }
    return undefined;
  }

  async commits(epoch: bigint, round = 0): Promise<PocCommit[]> {
    return allPages(MAX_PAGES, async (key) => {
      const r = await this.query(
        '/gonka.poc.v1.Query/Commits',
        QueryCommitsRequest,
        QueryCommitsResponse,
        QueryCommitsRequest.fromPartial({ epoch, round, pagination: { key, limit: 500n } }),
      );
      return { items: r.commits, nextKey: r.pagination?.nextKey };
    });
  }
}

/** Every item of a paged list query, following next_key for at most `maxPages` pages. */
export async function allPages<T>(
  maxPages: number,
  page: (key: Uint8Array) => Promise<{ items: T[]; nextKey: Uint8Array | undefined }>,
): Promise<T[]> {
  const out: T[] = [];
  let key: Uint8Array = new Uint8Array(0);
  for (let i = 0; i < maxPages; i++) {
    const r = await page(key);
    out.push(...r.items);
    key = r.nextKey ?? new Uint8Array(0);
    if (key.length === 0) break;
  }
  return out;
}
