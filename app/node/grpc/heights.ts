// Query heights from gRPC callers (the x-cosmos-block-height header, ABCIQuery's height): parsed
// as bigint, range-checked, and compared with the latest committed height here, so a height the
// node has not reached gets the clean "invalid height" answer without reaching a number.
import { status as Status } from '@grpc/grpc-js';
import type { BaseApp } from '../../runtime/baseApp.js';
import { GrpcError } from './grpcError.js';
import { checkHeight, parseHeightText } from './ints.js';

/** A height the app can be queried at (0 = latest); above the latest committed one is refused. */
export function queryHeight(app: BaseApp, height: bigint, what: string): bigint {
  checkHeight(height, what, { allowZero: true });
  const latest = BigInt(app.store.lastCommitInfo().version);
  if (height > latest)
    throw new GrpcError(
      Status.INVALID_ARGUMENT,
      `invalid height: ${what} ${height} is not committed yet (latest ${latest})`,
    );
  return height;
}

/** The height pinned by a request header value (absent: 0, the latest). */
export function pinnedHeight(app: BaseApp, header: string | Buffer | undefined, name: string): bigint {
  if (header === undefined) return 0n;
  return queryHeight(app, parseHeightText(String(header), name), name);
}
