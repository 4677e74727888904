// A small table-driven protobuf codec for our own gonka.<module>.v1 messages, in the shape
// CosmJS's Registry accepts (ts-proto style: encode(msg, writer?) / decode(input, length?) /
// fromPartial). Encoding is canonical — fields in number order, proto3 defaults omitted — so the
// strict tx decoder's re-encode round trip holds. The .proto files beside it are the source of
// truth for field numbers; the per-module codecs.ts repeat those numbers by hand.
import { BinaryReader, BinaryWriter } from 'cosmjs-types/binary';

/** A sub-message's codec: ours or cosmjs-types' (e.g. Coin). */
// biome-ignore lint/suspicious/noExplicitAny: a field's sub-message codec may be any message type
export type SubMessageCodec = Pick<MessageCodec<any>, 'typeUrl' | 'encode' | 'decode' | 'fromPartial'>;
export type FieldKind = 'string' | 'uint64' | 'bytes' | 'bool' | { message: SubMessageCodec };

export interface FieldSpec {
  name: string;
  no: number;
  kind: FieldKind;
  repeated?: boolean;
}

export interface MessageCodec<T> {
  readonly typeUrl: string;
  /** The field table, in field-number order (tests compare it with the .proto declarations). */
  readonly fields: readonly FieldSpec[];
  encode(message: T, writer?: BinaryWriter): BinaryWriter;
  decode(input: BinaryReader | Uint8Array, length?: number): T;
  fromPartial(object: Partial<T> | Record<string, unknown>): T;
}

const WIRE_VARINT = 0;
const WIRE_LEN = 2;

function defaultOf(f: FieldSpec): unknown {
  if (f.repeated) return [];
  if (f.kind === 'string') return '';
  if (f.kind === 'uint64') return 0n;
  if (f.kind === 'bytes') return new Uint8Array(0);
  if (f.kind === 'bool') return false;
  return undefined;
}

function isDefault(f: FieldSpec, v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (f.kind === 'string') return v === '';
  if (f.kind === 'uint64') return v === 0n;
  if (f.kind === 'bytes') return (v as Uint8Array).length === 0;
  if (f.kind === 'bool') return v === false;
  return false; // a present sub-message is always written, even when empty
}

function writeValue(w: BinaryWriter, f: FieldSpec, v: unknown): void {
  const k = f.kind;
  if (k === 'string') w.uint32((f.no << 3) | WIRE_LEN).string(v as string);
  else if (k === 'uint64') w.uint32((f.no << 3) | WIRE_VARINT).uint64(v as bigint);
  else if (k === 'bytes') w.uint32((f.no << 3) | WIRE_LEN).bytes(v as Uint8Array);
  else if (k === 'bool') w.uint32((f.no << 3) | WIRE_VARINT).bool(v as boolean);
  else {
    w.uint32((f.no << 3) | WIRE_LEN).fork();
    k.message.encode(v, w);
    w.ldelim();
  }
}

function readValue(r: BinaryReader, f: FieldSpec): unknown {
  const k = f.kind;
  if (k === 'string') return r.string();
  if (k === 'uint64') return r.uint64();
  if (k === 'bytes') return r.bytes();
  if (k === 'bool') return r.bool();
  return k.message.decode(r, r.uint32());
}

function partialValue(f: FieldSpec, v: unknown): unknown {
  const k = f.kind;
  if (k === 'uint64') return BigInt(v as bigint | string | number);
  if (k === 'string') return String(v);
  if (k === 'bytes') return Uint8Array.from(v as Uint8Array);
  if (k === 'bool') return Boolean(v);
  return k.message.fromPartial(v as Record<string, unknown>);
}

export function messageCodec<T>(typeName: string, specs: FieldSpec[]): MessageCodec<T> {
  const fields = [...specs].sort((a, b) => a.no - b.no);
  const byNo = new Map(fields.map((f) => [f.no, f]));
  const codec: MessageCodec<T> = {
    typeUrl: `/${typeName}`,
    fields,
    encode(message, writer = BinaryWriter.create()) {
      const m = message as Record<string, unknown>;
      for (const f of fields) {
        const v = m[f.name];
        if (f.repeated) for (const item of (v as unknown[] | undefined) ?? []) writeValue(writer, f, item);
        else if (!isDefault(f, v)) writeValue(writer, f, v);
      }
      return writer;
    },
    decode(input, length) {
      const r = input instanceof BinaryReader ? input : new BinaryReader(input);
      const end = length === undefined ? r.len : r.pos + length;
      const out = codec.fromPartial({});
      const m = out as Record<string, unknown>;
      while (r.pos < end) {
        const tag = r.uint32();
        const f = byNo.get(tag >>> 3);
        const wire = tag & 7;
        const expected = f && (f.kind === 'uint64' || f.kind === 'bool') ? WIRE_VARINT : WIRE_LEN;
        if (!f || wire !== expected) {
          r.skipType(wire);
          continue;
        }
        const v = readValue(r, f);
        if (f.repeated) (m[f.name] as unknown[]).push(v);
        else m[f.name] = v;
      }
      return out;
    },
    fromPartial(object) {
      const o = object as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const f of fields) {
        const v = o[f.name];
        if (v === undefined || v === null) out[f.name] = defaultOf(f);
        else if (f.repeated) out[f.name] = (v as unknown[]).map((x) => partialValue(f, x));
        else out[f.name] = partialValue(f, v);
      }
      return out as T;
    },
  };
  return codec;
}
