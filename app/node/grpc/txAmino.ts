// cosmos.tx.v1beta1.Service: GetBlockWithTxs (a block from CometBFT with its txs decoded, paged
// by offset/limit as the SDK does) and the legacy Amino codec pair TxEncodeAmino / TxDecodeAmino
// (StdTx JSON ⇄ Amino binary, proto/gonka/amino/stdTx.ts).
import { status as Status } from '@grpc/grpc-js';
import {
  GetBlockWithTxsRequest,
  GetBlockWithTxsResponse,
  TxDecodeAminoRequest,
  TxDecodeAminoResponse,
  TxEncodeAminoRequest,
  TxEncodeAminoResponse,
} from 'cosmjs-types/cosmos/tx/v1beta1/service';
import { Tx } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { stdTxBinaryToJson, stdTxJsonToBinary } from '../../../proto/gonka/amino/stdTx.js';
import { blockFrom, type CometRpcClient } from './comet.js';
import { decodeRequest } from './decodeRequest.js';
import { GrpcError } from './grpcError.js';
import { checkHeight } from './ints.js';

type Handler = (req: Uint8Array) => Promise<Uint8Array>;
const TX = '/cosmos.tx.v1beta1.Service';
const DEFAULT_LIMIT = 100n;

const invalid = (e: unknown) =>
  new GrpcError(Status.INVALID_ARGUMENT, e instanceof Error ? e.message : String(e));

export function setBlockWithTxsAndAmino(h: Map<string, Handler>, rpc: CometRpcClient): void {
  h.set(`${TX}/GetBlockWithTxs`, async (bytes) => {
    const req = decodeRequest(GetBlockWithTxsRequest, bytes, 'GetBlockWithTxsRequest');
    checkHeight(req.height, 'height', { allowZero: false });
    const latest = BigInt((await rpc.call('status')).sync_info.latest_block_height);
    if (req.height > latest)
      throw new GrpcError(
        Status.INVALID_ARGUMENT,
        `requested block height is bigger then the chain length (height ${req.height}, latest ${latest})`,
      );
    const res = await rpc.call('block', { height: req.height.toString() });
    const { blockId, block } = blockFrom(res);
    const all = block.data!.txs;
    const total = BigInt(all.length);
    const offset = req.pagination?.offset ?? 0n;
    const limit = req.pagination && req.pagination.limit > 0n ? req.pagination.limit : DEFAULT_LIMIT;
    if (total > 0n && offset >= total)
      throw new GrpcError(
        Status.INVALID_ARGUMENT,
        `out of range: cannot paginate ${total} txs with offset ${offset} and limit ${limit}`,
      );
    const end = offset + limit > total ? total : offset + limit;
    const txs = all.slice(Number(offset), Number(end)).map((raw, i) => {
      try {
        return Tx.decode(raw);
      } catch (e) {
        throw new GrpcError(Status.INTERNAL, `tx ${Number(offset) + i} of block ${req.height}: ${String(e)}`);
      }
    });
    return GetBlockWithTxsResponse.encode({
      txs,
      blockId,
      block,
      pagination: { nextKey: new Uint8Array(0), total },
    }).finish();
  });
  h.set(`${TX}/TxEncodeAmino`, async (bytes) => {
    const req = decodeRequest(TxEncodeAminoRequest, bytes, 'TxEncodeAminoRequest');
    if (!req.aminoJson) throw new GrpcError(Status.INVALID_ARGUMENT, 'invalid empty tx json');
    try {
      return TxEncodeAminoResponse.encode({ aminoBinary: stdTxJsonToBinary(req.aminoJson) }).finish();
    } catch (e) {
      throw invalid(e);
    }
  });
  h.set(`${TX}/TxDecodeAmino`, async (bytes) => {
    const req = decodeRequest(TxDecodeAminoRequest, bytes, 'TxDecodeAminoRequest');
    if (req.aminoBinary.length === 0) throw new GrpcError(Status.INVALID_ARGUMENT, 'invalid empty tx bytes');
    try {
      return TxDecodeAminoResponse.encode({ aminoJson: stdTxBinaryToJson(req.aminoBinary) }).finish();
    } catch (e) {
      throw invalid(e);
    }
  });
}
