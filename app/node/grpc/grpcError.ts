// An error whose gRPC status is chosen where it is thrown (a caller's mistake, a missing item).
import type { status as Status } from '@grpc/grpc-js';

export class GrpcError extends Error {
  constructor(
    readonly code: Status,
    message: string,
  ) {
    super(message);
  }
}
