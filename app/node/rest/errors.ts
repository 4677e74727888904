// gRPC status → HTTP, and the error body grpc-gateway writes ({code, message, details}), so a
// wallet or explorer that reads the SDK's REST errors reads ours. The status codes follow
// grpc-gateway's HTTPStatusFromCode.
import { status as Status } from '@grpc/grpc-js';

const HTTP_FOR: Record<number, number> = {
  [Status.OK]: 200,
  [Status.CANCELLED]: 499,
  [Status.UNKNOWN]: 500,
  [Status.INVALID_ARGUMENT]: 400,
  [Status.DEADLINE_EXCEEDED]: 504,
  [Status.NOT_FOUND]: 404,
  [Status.ALREADY_EXISTS]: 409,
  [Status.PERMISSION_DENIED]: 403,
  [Status.UNAUTHENTICATED]: 401,
  [Status.RESOURCE_EXHAUSTED]: 429,
  [Status.FAILED_PRECONDITION]: 400,
  [Status.ABORTED]: 409,
  [Status.OUT_OF_RANGE]: 400,
  [Status.UNIMPLEMENTED]: 501,
  [Status.INTERNAL]: 500,
  [Status.UNAVAILABLE]: 503,
  [Status.DATA_LOSS]: 500,
};

export function httpStatusFor(code: Status): number {
  return HTTP_FOR[code] ?? 500;
}

export interface GatewayError {
  code: number;
  message: string;
  details: unknown[];
}

export function gatewayError(code: Status, message: string): GatewayError {
  return { code, message, details: [] };
}
