// The node's gRPC server (@grpc/grpc-js). Module queries and Simulate go through the same query
// router as ABCI Query (the request bytes are handed to BaseApp.query unchanged, so there is one
// implementation of every query); tx broadcast/lookup and the tendermint service are proxied to
// the local CometBFT RPC. Reflection (grpc.reflection v1 and v1alpha) serves our own .proto files
// in proto/, which reproduce cosmjs-types' field numbers. Heights: the `x-cosmos-block-height`
// request header pins a query's height; every query answer carries the height it was read at.
// Dispatch (dispatch.ts) is shared with the REST gateway (app/node/rest).
// Module queries go through a QueryScheduler (bounded queue, few-ms slices) so a flood of them
// cannot stall the consensus connection served on the same event loop.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import type { Logger } from 'pino';
import { defaultAuthParams } from '../../../x/auth/params.js';
import { repoPath } from '../../paths.js';
import type { BaseApp } from '../../runtime/baseApp.js';
import { CometRpcClient } from './comet.js';
import { fixedFileDescriptors } from './descriptors.js';
import { createDispatch, type Dispatch } from './dispatch.js';
import { GrpcErrorReporter } from './errorStatus.js';
import { QueryScheduler } from './queryScheduler.js';

export const HEIGHT_HEADER = 'x-cosmos-block-height';

/** Files whose services we serve, plus the types that travel in Any (for clients to resolve). */
export const PROTO_FILES = [
  'cosmos/auth/v1beta1/query.proto',
  'cosmos/bank/v1beta1/query.proto',
  'cosmos/tx/v1beta1/service.proto',
  'cosmos/base/tendermint/v1beta1/query.proto',
  'cosmos/auth/v1beta1/auth.proto',
  'cosmos/bank/v1beta1/tx.proto',
  'cosmos/crypto/secp256k1/keys.proto',
  'cosmos/crypto/ed25519/keys.proto',
  'cosmos/gov/v1/query.proto',
  'cosmos/gov/v1beta1/query.proto',
  'cosmos/gov/v1/tx.proto',
  'cosmos/base/node/v1beta1/query.proto',
  'cosmos/consensus/v1/query.proto',
  'cosmos/consensus/v1/tx.proto',
  'gonka/poc/v1/query.proto',
  'gonka/poc/v1/tx.proto',
  'gonka/collateral/v1/query.proto',
  'gonka/collateral/v1/tx.proto',
  'gonka/governance/v1/tx.proto',
  'gonka/inference/v1/query.proto',
  'gonka/inference/v1/tx.proto',
  'gonka/auth/v1/query.proto',
  'gonka/auth/v1/tx.proto',
];

let servedProtos: protoLoader.PackageDefinition | undefined;

/** The served .proto files as proto-loader reads them (services, their options, descriptors).
 *  Parsed once per process: the gRPC and REST servers both read the same files at start-up. */
export function loadServedProtos(): protoLoader.PackageDefinition {
  servedProtos ??= protoLoader.loadSync(
    PROTO_FILES.map((f) => repoPath('proto', f)),
    { includeDirs: [repoPath('proto')], keepCase: true },
  );
  return servedProtos;
}

export interface GrpcServerOptions {
  app: BaseApp;
  host: string;
  port: number;
  /** CometBFT RPC, e.g. http://127.0.0.1:26657 */
  rpcUrl: string;
  version: string;
  logger: Logger;
  /** The largest tx callers may send (x/auth max_tx_bytes); bounds every request. Default: x/auth's default. */
  maxTxBytes?: bigint;
  /** Where module queries run (bounded queue, short slices); a default one when absent. */
  scheduler?: QueryScheduler;
  /** The method dispatcher shared with the REST gateway; built from the options above when absent. */
  dispatch?: Dispatch;
}

/** Calls one gRPC connection may have in flight (below the query scheduler's queue of 256). */
export const MAX_CONCURRENT_STREAMS = 64;

/** Room in a request beyond its tx (the request's own fields, a Simulate's framing). */
export const MESSAGE_HEADROOM_BYTES = 4 * 1024 * 1024;
/** CometBFT's hard cap on a block (types.MaxBlockSizeBytes): no answer we build is larger. */
const COMET_MAX_BLOCK_BYTES = 100 * 1024 * 1024;

/**
 * Message size limits: a request carries at most one tx, so it may be max_tx_bytes plus headroom;
 * grpc-js refuses a longer one from its length prefix (RESOURCE_EXHAUSTED) before buffering it.
 * Answers are the node's own (a block at most), so their bound is only a backstop.
 */
export function messageLimits(maxTxBytes: bigint): { receive: number; send: number } {
  const receive = Number(maxTxBytes) + MESSAGE_HEADROOM_BYTES;
  return { receive, send: Math.max(receive, COMET_MAX_BLOCK_BYTES + MESSAGE_HEADROOM_BYTES) };
}

export interface RunningGrpcServer {
  port: number;
  close(): Promise<void>;
}

const identity = (b: Buffer) => b;

export async function startGrpcServer(opts: GrpcServerOptions): Promise<RunningGrpcServer> {
  const definition = loadServedProtos();
  const scheduler = opts.scheduler ?? new QueryScheduler();
  const dispatch =
    opts.dispatch ??
    createDispatch({
      app: opts.app,
      rpc: new CometRpcClient(opts.rpcUrl),
      version: opts.version,
      scheduler,
      heightHeaderName: HEIGHT_HEADER,
    });
  const limits = messageLimits(opts.maxTxBytes ?? defaultAuthParams().maxTxBytes);
  const server = new grpc.Server({
    'grpc.max_receive_message_length': limits.receive,
    'grpc.max_send_message_length': limits.send,
    // HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS per connection: a client's further calls wait on its
    // own side instead of costing the node a stream, a queue slot and a RESOURCE_EXHAUSTED each
    // (a flood of refusals took more of the event loop than the queries themselves).
    'grpc.max_concurrent_streams': MAX_CONCURRENT_STREAMS,
  });
  const reporter = new GrpcErrorReporter(opts.logger);

  for (const [name, def] of Object.entries(definition)) {
    if ((def as { format?: string }).format !== undefined) continue; // a message or enum, not a service
    if (!name.startsWith('cosmos.') && !name.startsWith('gonka.')) continue;
    const methods = def as protoLoader.ServiceDefinition;
    const rawService: Record<string, grpc.MethodDefinition<Buffer, Buffer>> = {};
    const impl: grpc.UntypedServiceImplementation = {};
    for (const [method, m] of Object.entries(methods)) {
      rawService[method] = {
        path: m.path,
        requestStream: false,
        responseStream: false,
        requestSerialize: identity,
        requestDeserialize: identity,
        responseSerialize: identity,
        responseDeserialize: identity,
      };
      impl[method] = (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
        void handle(m.path, call).then(
          ({ value, height }) => {
            const md = new grpc.Metadata();
            if (height !== undefined) md.set(HEIGHT_HEADER, height.toString());
            callback(null, Buffer.from(value), md);
          },
          (e: unknown) => callback(reporter.toStatus(e, m.path)),
        );
      };
    }
    server.addService(rawService, impl);
  }
  // Reflection reads only `fileDescriptorProtos`; hand it self-contained files (see descriptors.ts).
  new ReflectionService({
    files: { fileDescriptorProtos: fixedFileDescriptors(definition) },
  } as unknown as protoLoader.PackageDefinition).addToServer(server);

  function handle(path: string, call: grpc.ServerUnaryCall<Buffer, Buffer>) {
    const header = call.metadata.get(HEIGHT_HEADER)[0];
    return dispatch(path, call.request, header === undefined ? undefined : String(header));
  }

  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${opts.host}:${opts.port}`, grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
        setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 2000).unref();
      }),
  };
}
