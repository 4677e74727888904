// gRPC methods that are not app queries: cosmos.tx.v1beta1.Service's BroadcastTx, GetTx,
// GetTxsEvent, TxDecode and TxEncode, and cosmos.base.tendermint.v1beta1.Service, answered from
// the local CometBFT RPC (as the SDK's gRPC server does) or from the app's ABCI Query.
import { status as Status } from '@grpc/grpc-js';
import { TxResponse } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import {
  ABCIQueryRequest,
  ABCIQueryResponse,
  GetBlockByHeightRequest,
  GetBlockByHeightResponse,
  GetLatestBlockResponse,
  GetLatestValidatorSetRequest,
  GetLatestValidatorSetResponse,
  GetNodeInfoResponse,
  GetSyncingResponse,
  GetValidatorSetByHeightRequest,
  GetValidatorSetByHeightResponse,
} from 'cosmjs-types/cosmos/base/tendermint/v1beta1/query';
import {
  BroadcastMode,
  BroadcastTxRequest,
  BroadcastTxResponse,
  GetTxRequest,
  GetTxResponse,
  GetTxsEventRequest,
  GetTxsEventResponse,
  OrderBy,
  TxDecodeRequest,
  TxDecodeResponse,
  TxEncodeRequest,
  TxEncodeResponse,
} from 'cosmjs-types/cosmos/tx/v1beta1/service';
import { Tx } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { RequestQuery } from 'cosmjs-types/tendermint/abci/types';
import type { BaseApp } from '../../runtime/baseApp.js';
import {
  blockFrom,
  type CometRpcClient,
  RpcError,
  type RpcJson,
  txResponseFrom,
  validatorsFrom,
} from './comet.js';
import { decodeRequest } from './decodeRequest.js';
import { GrpcError } from './grpcError.js';
import { queryHeight } from './heights.js';
import { checkHeight, INT64_MAX } from './ints.js';
import { setBlockWithTxsAndAmino } from './txAmino.js';

export { GrpcError };

type Handler = (req: Uint8Array) => Promise<Uint8Array>;

const MAX_PAGE = 100n;

/** A Cosmos Tx from CometBFT's base64, or an empty one for a tx in another format (test txs). */
function decodeStoredTx(b64: string): Tx {
  try {
    return Tx.decode(Buffer.from(b64, 'base64'));
  } catch {
    return Tx.fromPartial({});
  }
}

/** A page number CometBFT can read (its `page` is an int64). */
function pageParam(page: bigint): string {
  if (page > INT64_MAX) throw new GrpcError(Status.OUT_OF_RANGE, `page ${page} is out of range`);
  return page.toString();
}

type BlockTime = (height: string) => Promise<string>;

const TX = '/cosmos.tx.v1beta1.Service';
const TM = '/cosmos.base.tendermint.v1beta1.Service';

/** A block's time by height, from CometBFT, remembered for the last ~1000 heights asked. */
function blockTimeCache(rpc: CometRpcClient): BlockTime {
  const blockTimes = new Map<string, string>();
  return async (height: string): Promise<string> => {
    const cached = blockTimes.get(height);
    if (cached) return cached;
    const b = await rpc.call('block', { height: String(height) });
    const t = b.block.header.time as string;
    if (blockTimes.size > 1000) blockTimes.clear();
    blockTimes.set(height, t);
    return t;
  };
}

/** cosmos.tx.v1beta1.Service: BroadcastTx and GetTx. */
function setBroadcastAndGetTx(h: Map<string, Handler>, rpc: CometRpcClient, blockTime: BlockTime): void {
  h.set(`${TX}/BroadcastTx`, async (bytes) => {
    const req = decodeRequest(BroadcastTxRequest, bytes, 'BroadcastTxRequest');
    if (req.txBytes.length === 0) throw new GrpcError(Status.INVALID_ARGUMENT, 'invalid empty tx');
    const method =
      req.mode === BroadcastMode.BROADCAST_MODE_ASYNC
        ? 'broadcast_tx_async'
        : req.mode === BroadcastMode.BROADCAST_MODE_SYNC
          ? 'broadcast_tx_sync'
          : undefined;
    if (!method)
      throw new GrpcError(
        Status.INVALID_ARGUMENT,
        'supported broadcast modes: BROADCAST_MODE_SYNC, BROADCAST_MODE_ASYNC',
      );
    const r = await rpc.call(method, { tx: Buffer.from(req.txBytes).toString('base64') });
    return BroadcastTxResponse.encode({
      txResponse: TxResponse.fromPartial({
        txhash: r.hash,
        code: Number(r.code ?? 0),
        codespace: r.codespace ?? '',
        rawLog: r.log ?? '',
        data: r.data ?? '',
      }),
    }).finish();
  });
  h.set(`${TX}/GetTx`, async (bytes) => {
    const req = decodeRequest(GetTxRequest, bytes, 'GetTxRequest');
    if (!/^[0-9a-fA-F]{64}$/.test(req.hash))
      throw new GrpcError(Status.INVALID_ARGUMENT, 'tx hash must be 64 hex characters');
    let item: RpcJson;
    try {
      item = await rpc.call('tx', { hash: Buffer.from(req.hash, 'hex').toString('base64') });
    } catch (e) {
      if (!(e instanceof RpcError)) throw e; // CometBFT unreachable stays UNAVAILABLE
      throw new GrpcError(Status.NOT_FOUND, `tx not found: ${req.hash} (${e.message})`);
    }
    const txResponse = txResponseFrom(item, await blockTime(item.height));
    return GetTxResponse.encode({ tx: decodeStoredTx(item.tx), txResponse }).finish();
  });
}

/** cosmos.tx.v1beta1.Service: GetTxsEvent, TxDecode and TxEncode. */
function setTxSearchAndCodec(h: Map<string, Handler>, rpc: CometRpcClient, blockTime: BlockTime): void {
  h.set(`${TX}/GetTxsEvent`, async (bytes) => {
    const req = decodeRequest(GetTxsEventRequest, bytes, 'GetTxsEventRequest');
    const query = req.query || req.events.join(' AND ');
    if (!query) throw new GrpcError(Status.INVALID_ARGUMENT, 'query cannot be empty');
    const limit = req.limit > 0n ? (req.limit > MAX_PAGE ? MAX_PAGE : req.limit) : 100n;
    const page = req.page > 0n ? req.page : 1n;
    const r = await rpc.call('tx_search', {
      query,
      page: pageParam(page),
      per_page: limit.toString(),
      order_by: req.orderBy === OrderBy.ORDER_BY_DESC ? 'desc' : 'asc',
    });
    const txResponses = [];
    for (const item of r.txs ?? []) txResponses.push(txResponseFrom(item, await blockTime(item.height)));
    const txs = (r.txs ?? []).map((item: RpcJson) => decodeStoredTx(item.tx));
    return GetTxsEventResponse.encode({
      txs,
      txResponses,
      total: BigInt(r.total_count ?? txs.length),
    }).finish();
  });
  h.set(`${TX}/TxDecode`, async (bytes) => {
    const req = decodeRequest(TxDecodeRequest, bytes, 'TxDecodeRequest');
    try {
      return TxDecodeResponse.encode({ tx: Tx.decode(req.txBytes) }).finish();
    } catch (e) {
      throw new GrpcError(
        Status.INVALID_ARGUMENT,
        `cannot decode tx: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  });
  h.set(`${TX}/TxEncode`, async (bytes) => {
    const req = decodeRequest(TxEncodeRequest, bytes, 'TxEncodeRequest');
    if (!req.tx) throw new GrpcError(Status.INVALID_ARGUMENT, 'invalid empty tx');
    return TxEncodeResponse.encode({ txBytes: Tx.encode(req.tx).finish() }).finish();
  });
}

/** cosmos.base.tendermint.v1beta1.Service: node info, syncing, latest block. */
function setNodeInfoHandlers(h: Map<string, Handler>, rpc: CometRpcClient, appVersion: string): void {
  h.set(`${TM}/GetNodeInfo`, async () => {
    const s = await rpc.call('status');
    const n = s.node_info;
    return GetNodeInfoResponse.encode({
      defaultNodeInfo: {
        protocolVersion: {
          p2p: BigInt(n.protocol_version.p2p),
          block: BigInt(n.protocol_version.block),
          app: BigInt(n.protocol_version.app),
        },
        defaultNodeId: n.id,
        listenAddr: n.listen_addr,
        network: n.network,
        version: n.version,
        channels: Buffer.from(n.channels ?? '', 'hex'),
        moniker: n.moniker,
        other: { txIndex: n.other?.tx_index ?? '', rpcAddress: n.other?.rpc_address ?? '' },
      },
      applicationVersion: {
        name: 'gonka',
        appName: 'gonkad',
        version: appVersion,
        gitCommit: '',
        buildTags: '',
        goVersion: `node ${process.versions.node}`,
        buildDeps: [],
        cosmosSdkVersion: '',
      },
    }).finish();
  });
  h.set(`${TM}/GetSyncing`, async () => {
    const s = await rpc.call('status');
    return GetSyncingResponse.encode({ syncing: Boolean(s.sync_info.catching_up) }).finish();
  });
  h.set(`${TM}/GetLatestBlock`, async () =>
    GetLatestBlockResponse.encode(blockFrom(await rpc.call('block'))).finish(),
  );
}

/** cosmos.base.tendermint.v1beta1.Service: blocks by height and validator sets. */
function setBlockAndValidatorHandlers(h: Map<string, Handler>, rpc: CometRpcClient): void {
  /** A block height a caller asked for: positive and no higher than CometBFT's latest block. */
  const blockHeight = async (height: bigint): Promise<bigint> => {
    checkHeight(height, 'height', { allowZero: false });
    const latest = BigInt((await rpc.call('status')).sync_info.latest_block_height);
    if (height > latest)
      throw new GrpcError(
        Status.INVALID_ARGUMENT,
        `requested block height is bigger then the chain length (height ${height}, latest ${latest})`,
      );
    return height;
  };
  h.set(`${TM}/GetBlockByHeight`, async (bytes) => {
    const req = decodeRequest(GetBlockByHeightRequest, bytes, 'GetBlockByHeightRequest');
    await blockHeight(req.height);
    return GetBlockByHeightResponse.encode(
      blockFrom(await rpc.call('block', { height: req.height.toString() })),
    ).finish();
  });
  const validatorSet = async (
    height: bigint | undefined,
    page: { offset: bigint; limit: bigint } | undefined,
  ) => {
    const perPage = page && page.limit > 0n ? (page.limit > MAX_PAGE ? MAX_PAGE : page.limit) : MAX_PAGE;
    const pageNo = page && page.offset > 0n ? page.offset / perPage + 1n : 1n;
    return validatorsFrom(
      await rpc.call('validators', {
        height: height === undefined ? undefined : (await blockHeight(height)).toString(),
        page: pageParam(pageNo),
        per_page: perPage.toString(),
      }),
    );
  };
  h.set(`${TM}/GetLatestValidatorSet`, async (bytes) => {
    const req = decodeRequest(GetLatestValidatorSetRequest, bytes, 'GetLatestValidatorSetRequest');
    const v = await validatorSet(undefined, req.pagination);
    return GetLatestValidatorSetResponse.encode({
      blockHeight: v.blockHeight,
      validators: v.validators,
      pagination: { nextKey: new Uint8Array(0), total: v.total },
    }).finish();
  });
  h.set(`${TM}/GetValidatorSetByHeight`, async (bytes) => {
    const req = decodeRequest(GetValidatorSetByHeightRequest, bytes, 'GetValidatorSetByHeightRequest');
    const v = await validatorSet(req.height, req.pagination);
    return GetValidatorSetByHeightResponse.encode({
      blockHeight: v.blockHeight,
      validators: v.validators,
      pagination: { nextKey: new Uint8Array(0), total: v.total },
    }).finish();
  });
}

/** cosmos.base.tendermint.v1beta1.Service: ABCIQuery, answered by the app itself. */
function setAbciQueryHandler(h: Map<string, Handler>, app: BaseApp): void {
  h.set(`${TM}/ABCIQuery`, async (bytes) => {
    const req = decodeRequest(ABCIQueryRequest, bytes, 'ABCIQueryRequest');
    const height = queryHeight(app, req.height, 'height');
    const r = app.query(
      RequestQuery.fromPartial({ data: req.data, path: req.path, height, prove: req.prove }),
    );
    return ABCIQueryResponse.encode({
      code: r.code,
      log: r.log,
      info: r.info,
      index: r.index,
      key: r.key,
      value: r.value,
      proofOps: r.proofOps ? { ops: r.proofOps.ops } : undefined,
      height: r.height,
      codespace: r.codespace,
    }).finish();
  });
}

export function proxiedHandlers(app: BaseApp, rpc: CometRpcClient, appVersion: string): Map<string, Handler> {
  const h = new Map<string, Handler>();
  const blockTime = blockTimeCache(rpc);
  setBroadcastAndGetTx(h, rpc, blockTime);
  setTxSearchAndCodec(h, rpc, blockTime);
  setBlockWithTxsAndAmino(h, rpc);
  setNodeInfoHandlers(h, rpc, appVersion);
  setBlockAndValidatorHandlers(h, rpc);
  setAbciQueryHandler(h, app);
  return h;
}
