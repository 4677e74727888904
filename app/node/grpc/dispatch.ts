// One entry point for every served method, shared by the gRPC server and the REST gateway: a
// module query (and Simulate) goes to BaseApp.query through the QueryScheduler, exactly as ABCI
// Query; tx broadcast/lookup and the tendermint service are proxied to CometBFT (proxied.ts); the
// node service answers from both (nodeService.ts). Requests and answers are protobuf bytes, so
// REST and gRPC cannot disagree on what a method does.
import { status as Status } from '@grpc/grpc-js';
import { RequestQuery } from 'cosmjs-types/tendermint/abci/types';
import type { BaseApp } from '../../runtime/baseApp.js';
import type { CometRpcClient } from './comet.js';
import { GrpcError } from './grpcError.js';
import { pinnedHeight } from './heights.js';
import { nodeServiceHandlers } from './nodeService.js';
import { proxiedHandlers } from './proxied.js';
import { type QueryScheduler, QueueFullError } from './queryScheduler.js';

/** gRPC status for an SDK (codespace, code), as the SDK's gRPC error mapping does for the common ones. */
export function statusFor(codespace: string, code: number): Status {
  if (code === 1) return Status.INTERNAL;
  if (codespace === 'sdk' && (code === 22 || code === 38 || code === 9)) return Status.NOT_FOUND;
  if (codespace === 'sdk' && code === 6) return Status.UNIMPLEMENTED;
  if (codespace === 'sdk' && code === 4) return Status.PERMISSION_DENIED;
  return Status.INVALID_ARGUMENT;
}

export interface DispatchResult {
  value: Uint8Array;
  /** The height a module query was read at. */
  height?: bigint;
}

/** Answers `path` (/pkg.Service/Method) for request bytes; `heightHeader` pins a module query's height. */
export type Dispatch = (path: string, request: Uint8Array, heightHeader?: string) => Promise<DispatchResult>;

export function createDispatch(opts: {
  app: BaseApp;
  rpc: CometRpcClient;
  version: string;
  scheduler: QueryScheduler;
  heightHeaderName: string;
}): Dispatch {
  const proxied = proxiedHandlers(opts.app, opts.rpc, opts.version);
  for (const [path, h] of nodeServiceHandlers(opts.app, opts.rpc)) proxied.set(path, h);
  return async (path, request, heightHeader) => {
    if (opts.app.queries.route(path)) {
      const height = pinnedHeight(opts.app, heightHeader, opts.heightHeaderName);
      // Queued and run in short slices (queryScheduler.ts), never straight from the I/O callback.
      const req = RequestQuery.fromPartial({ path, data: request, height });
      const r = await opts.scheduler
        .submit(() => opts.app.query(req))
        .catch((e: unknown) => {
          if (e instanceof QueueFullError) throw new GrpcError(Status.RESOURCE_EXHAUSTED, e.message);
          throw e;
        });
      if (r.code !== 0) throw new GrpcError(statusFor(r.codespace, r.code), r.log);
      return { value: r.value, height: r.height };
    }
    const h = proxied.get(path);
    if (!h && /\.Msg\//.test(path))
      throw new GrpcError(
        Status.UNIMPLEMENTED,
        `${path}: messages go in signed txs (cosmos.tx.v1beta1.Service/BroadcastTx)`,
      );
    if (!h) throw new GrpcError(Status.UNIMPLEMENTED, `${path} is not implemented`);
    return { value: await h(request) };
  };
}
