// Message and query routing. Messages route by protobuf type URL (`/gonka.<module>.v1.Msg<Verb>`
// or the Cosmos type URL); queries by gRPC-style path `/<service>/<method>`, the same paths the
// gRPC server and CosmJS's ABCI queries use.
import type { Any } from 'cosmjs-types/google/protobuf/any';
import type { Context } from './context.js';
import { sdkErrors } from './errors.js';

export interface ProtoCodec<T> {
  decode(bytes: Uint8Array): T;
  encode(message: T): { finish(): Uint8Array };
}

export interface MsgRoute<Req = unknown, Res = unknown> {
  typeUrl: string;
  request: ProtoCodec<Req>;
  /** Type URL of the response message (packed into TxMsgData.msg_responses). */
  responseTypeUrl: string;
  response: ProtoCodec<Res>;
  /** Stateless checks (ValidateBasic), run in CheckTx before the ante handler's state reads. */
  validate?(msg: Req): void;
  /** Addresses (bech32) whose signatures the message requires, in order. */
  signers(msg: Req): string[];
  handle(ctx: Context, msg: Req): Res;
}

export class MsgRouter {
  private readonly routes = new Map<string, MsgRoute>();

  register<Req, Res>(route: MsgRoute<Req, Res>): void {
    if (this.routes.has(route.typeUrl)) throw new Error(`message ${route.typeUrl} registered twice`);
    this.routes.set(route.typeUrl, route as MsgRoute);
  }

  route(typeUrl: string): MsgRoute {
    const r = this.routes.get(typeUrl);
    if (!r) throw sdkErrors.unknownRequest(`unrecognized message type ${typeUrl}`);
    return r;
  }

  has(typeUrl: string): boolean {
    return this.routes.has(typeUrl);
  }

  typeUrls(): string[] {
    return [...this.routes.keys()].sort();
  }

  /** Decodes an Any into its message, rejecting unknown types. */
  decodeAny(any: Any): { route: MsgRoute; msg: unknown } {
    const route = this.route(any.typeUrl);
    try {
      return { route, msg: route.request.decode(any.value) };
    } catch (e) {
      throw sdkErrors.txDecode(`cannot decode ${any.typeUrl}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

export interface QueryRoute<Req = unknown, Res = unknown> {
  path: string;
  request: ProtoCodec<Req>;
  response: ProtoCodec<Res>;
  handle(ctx: Context, req: Req): Res;
}

export class QueryRouter {
  private readonly routes = new Map<string, QueryRoute>();

  register<Req, Res>(route: QueryRoute<Req, Res>): void {
    if (!/^\/[\w.]+\/\w+$/.test(route.path))
      throw new Error(`query path ${route.path} is not /<service>/<method>`);
    if (this.routes.has(route.path)) throw new Error(`query ${route.path} registered twice`);
    this.routes.set(route.path, route as QueryRoute);
  }

  route(path: string): QueryRoute | undefined {
    return this.routes.get(path);
  }

  paths(): string[] {
    return [...this.routes.keys()].sort();
  }
}
