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
import { blockFrom, type CometRpcClient, type RpcJson, txResponseFrom, validatorsFrom } from './comet.js';

export class GrpcError extends Error {
  constructor(
    readonly code: Status,
    message: string,
  ) {
    super(message);
  }
}

type Handler = (req: Uint8Array) => Promise<Uint8Array>;

const MAX_PAGE = 100n;

export function proxiedHandlers(app: BaseApp, rpc: CometRpcClient, appVersion: string): Map<string, Handler> {
  const h = new Map<string, Handler>();
  const blockTimes = new Map<string, string>();
  const blockTime = async (height: string): Promise<string> => {
    const cached = blockTimes.get(height);
    if (cached) return cached;
    const b = await rpc.call('block', { height });
    const t = b.block.header.time as string;
    if (blockTimes.size > 1000) blockTimes.clear();
    blockTimes.set(height, t);
    return t;
  };

  // ---- cosmos.tx.v1beta1.Service ----------------------------------------------------------------
  const TX = '/cosmos.tx.v1beta1.Service';
  h.set(`${TX}/BroadcastTx`, async (bytes) => {
    const req = BroadcastTxRequest.decode(bytes);
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
    const r = await rpc.call(method, { tx: `0x${Buffer.from(req.txBytes).toString('hex')}` });
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
    const req = GetTxRequest.decode(bytes);
    if (!/^[0-9a-fA-F]{64}$/.test(req.hash))
      throw new GrpcError(Status.INVALID_ARGUMENT, 'tx hash must be 64 hex characters');
    let item: RpcJson;
    try {
      item = await rpc.call('tx', { hash: `0x${req.hash}` });
    } catch (e) {
      throw new GrpcError(
        Status.NOT_FOUND,
        `tx not found: ${req.hash} (${e instanceof Error ? e.message : String(e)})`,
      );
    }
    const txResponse = txResponseFrom(item, await blockTime(item.height));
    return GetTxResponse.encode({ tx: Tx.decode(Buffer.from(item.tx, 'base64')), txResponse }).finish();
  });
  h.set(`${TX}/GetTxsEvent`, async (bytes) => {
    const req = GetTxsEventRequest.decode(bytes);
    const query = req.query || req.events.join(' AND ');
    if (!query) throw new GrpcError(Status.INVALID_ARGUMENT, 'query cannot be empty');
    const limit = req.limit > 0n ? (req.limit > MAX_PAGE ? MAX_PAGE : req.limit) : 100n;
    const page = req.page > 0n ? req.page : 1n;
    const r = await rpc.call('tx_search', {
      query: JSON.stringify(query),
      page: Number(page),
      per_page: Number(limit),
      order_by: JSON.stringify(req.orderBy === OrderBy.ORDER_BY_DESC ? 'desc' : 'asc'),
    });
    const txResponses = [];
    for (const item of r.txs ?? []) txResponses.push(txResponseFrom(item, await blockTime(item.height)));
    const txs = (r.txs ?? []).map((item: RpcJson) => Tx.decode(Buffer.from(item.tx, 'base64')));
    return GetTxsEventResponse.encode({
      txs,
      txResponses,
      total: BigInt(r.total_count ?? txs.length),
    }).finish();
  });
  h.set(`${TX}/TxDecode`, async (bytes) => {
    const req = TxDecodeRequest.decode(bytes);
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
    const req = TxEncodeRequest.decode(bytes);
    if (!req.tx) throw new GrpcError(Status.INVALID_ARGUMENT, 'invalid empty tx');
    return TxEncodeResponse.encode({ txBytes: Tx.encode(req.tx).finish() }).finish();
  });

  // ---- cosmos.base.tendermint.v1beta1.Service ---------------------------------------------------
  const TM = '/cosmos.base.tendermint.v1beta1.Service';
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
  h.set(`${TM}/GetBlockByHeight`, async (bytes) => {
    const req = GetBlockByHeightRequest.decode(bytes);
    if (req.height <= 0n) throw new GrpcError(Status.INVALID_ARGUMENT, 'height must be positive');
    const latest = BigInt((await rpc.call('status')).sync_info.latest_block_height);
    if (req.height > latest)
      throw new GrpcError(Status.INVALID_ARGUMENT, 'requested block height is bigger then the chain length');
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
        height: height?.toString(),
        page: Number(pageNo),
        per_page: Number(perPage),
      }),
    );
  };
  h.set(`${TM}/GetLatestValidatorSet`, async (bytes) => {
    const req = GetLatestValidatorSetRequest.decode(bytes);
    const v = await validatorSet(undefined, req.pagination);
    return GetLatestValidatorSetResponse.encode({
      blockHeight: v.blockHeight,
      validators: v.validators,
      pagination: { nextKey: new Uint8Array(0), total: v.total },
    }).finish();
  });
  h.set(`${TM}/GetValidatorSetByHeight`, async (bytes) => {
    const req = GetValidatorSetByHeightRequest.decode(bytes);
    const v = await validatorSet(req.height, req.pagination);
    return GetValidatorSetByHeightResponse.encode({
      blockHeight: v.blockHeight,
      validators: v.validators,
      pagination: { nextKey: new Uint8Array(0), total: v.total },
    }).finish();
  });
  h.set(`${TM}/ABCIQuery`, async (bytes) => {
    const req = ABCIQueryRequest.decode(bytes);
    const r = app.query(
      RequestQuery.fromPartial({ data: req.data, path: req.path, height: req.height, prove: req.prove }),
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
  return h;
}
