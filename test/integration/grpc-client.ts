// A raw grpc-js client for tests: request and answer bytes pass unchanged (identity serializers),
// so tests control exactly what goes on the wire (malformed bytes, overflowing varints, 100 MB).
import * as grpc from '@grpc/grpc-js';

export interface RawAnswer {
  err: grpc.ServiceError | null;
  value?: Buffer;
}

export class RawGrpcClient {
  readonly client: grpc.Client;
  constructor(port: number) {
    this.client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
      'grpc.max_send_message_length': -1,
      'grpc.max_receive_message_length': -1,
    });
  }

  call(path: string, bytes: Uint8Array, headers: Record<string, string> = {}): Promise<RawAnswer> {
    const md = new grpc.Metadata();
    for (const [k, v] of Object.entries(headers)) md.set(k, v);
    return new Promise((resolve) =>
      this.client.makeUnaryRequest(
        path,
        (b: Buffer) => b,
        (b: Buffer) => b,
        Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
        md,
        { deadline: Date.now() + 60_000 },
        (err, value) => resolve({ err, value }),
      ),
    );
  }

  close(): void {
    this.client.close();
  }
}

/** A protobuf varint of any bigint (wraps nothing: 2^64 becomes an 11-bit-overflowing 10-byte varint). */
export function varint(v: bigint): number[] {
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return out;
}

/** A message whose field 1 is the varint `v` (e.g. GetBlockByHeightRequest.height). */
export const field1Varint = (v: bigint) => Uint8Array.from([0x08, ...varint(v)]);
