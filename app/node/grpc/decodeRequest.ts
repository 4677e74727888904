// Request decoding shared by the gRPC methods that are not app queries.
import { status as Status } from '@grpc/grpc-js';
import { GrpcError } from './grpcError.js';
import { assertVarintsFit } from './ints.js';

/** Decodes a caller's request; malformed bytes are INVALID_ARGUMENT, never an internal error. */
export function decodeRequest<T>(codec: { decode(b: Uint8Array): T }, bytes: Uint8Array, what: string): T {
  assertVarintsFit(bytes);
  try {
    return codec.decode(bytes);
  } catch (e) {
    throw new GrpcError(
      Status.INVALID_ARGUMENT,
      `malformed ${what}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}
