// What a failed gRPC call answers and logs. A caller's mistake (a malformed request, a bad height,
// a tx CometBFT refuses) is INVALID_ARGUMENT / NOT_FOUND / OUT_OF_RANGE, logged at debug without a
// stack; UNAVAILABLE only when CometBFT cannot be reached; anything else is a bug in the node:
// the client sees a fixed "internal error" and the log gets the message and stack. Every line a
// remote caller can trigger goes through a token bucket, so a flood of bad requests cannot flood
// the log.
import { status as Status } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { INTERNAL_ERROR_MESSAGE } from '../../runtime/errors.js';
import { CometUnavailableError, RpcError } from './comet.js';
import { GrpcError } from './grpcError.js';
import { LogLimiter } from './logLimiter.js';

const MAX_DETAILS = 1024;

/** gRPC status for an error CometBFT answered (always about the request we forwarded). */
export function statusForCometError(message: string): Status {
  if (/not found/i.test(message)) return Status.NOT_FOUND;
  if (/already exists in cache/i.test(message)) return Status.ALREADY_EXISTS;
  if (/mempool is full/i.test(message)) return Status.RESOURCE_EXHAUSTED;
  return Status.INVALID_ARGUMENT;
}

export class GrpcErrorReporter {
  private readonly callerLines: LogLimiter;
  private readonly nodeLines: LogLimiter;

  constructor(
    private readonly log: Logger,
    opts: { perSecond?: number; burst?: number; now?: () => number } = {},
  ) {
    this.callerLines = new LogLimiter(opts.perSecond ?? 5, opts.burst ?? 20, opts.now);
    this.nodeLines = new LogLimiter(opts.perSecond ?? 5, opts.burst ?? 20, opts.now);
  }

  /** The status and details for a thrown value; logs it (rate-limited). */
  toStatus(e: unknown, path: string): { code: Status; details: string } {
    if (e instanceof CometUnavailableError) {
      this.note(this.nodeLines, 'warn', { path, err: e.message }, 'gRPC call: CometBFT RPC unavailable');
      return { code: Status.UNAVAILABLE, details: 'CometBFT RPC is unavailable' };
    }
    if (e instanceof GrpcError && e.code === Status.INTERNAL) {
      // An internal query failure: BaseApp already logged it in full; the log text is redacted.
      this.note(this.nodeLines, 'warn', { path, err: e.message }, 'gRPC call failed internally');
      return { code: Status.INTERNAL, details: e.message };
    }
    if (e instanceof GrpcError || e instanceof RpcError) {
      const code = e instanceof GrpcError ? e.code : statusForCometError(e.message);
      const details = e.message.length > MAX_DETAILS ? `${e.message.slice(0, MAX_DETAILS)}…` : e.message;
      this.note(this.callerLines, 'debug', { path, code: Status[code], err: details }, 'gRPC caller error');
      return { code, details };
    }
    this.note(
      this.nodeLines,
      'error',
      { path, err: e instanceof Error ? (e.stack ?? e.message) : String(e) },
      'gRPC handler failed',
    );
    return { code: Status.INTERNAL, details: INTERNAL_ERROR_MESSAGE };
  }

  private note(
    limiter: LogLimiter,
    level: 'debug' | 'warn' | 'error',
    fields: Record<string, unknown>,
    msg: string,
  ): void {
    if (!this.log.isLevelEnabled(level)) return;
    const t = limiter.take();
    if (!t.ok) return;
    this.log[level](t.suppressed > 0 ? { ...fields, suppressed: t.suppressed } : fields, msg);
  }
}
