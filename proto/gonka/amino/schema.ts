// The legacy Amino JSON form of a protobuf message, driven by a small field schema per message.
// The rules are the Cosmos SDK's (x/tx/signing/aminojson), so a wallet signing with CosmJS
// AminoTypes and the chain rebuilding the sign doc write the same bytes:
//   - keys are the .proto field names (snake_case);
//   - a field at its proto3 default (0, "", false, empty bytes, empty list, unset message) is left
//     out, unless the SDK marks it `(amino.dont_omitempty)` (`keep` here): then it is written as
//     its zero ("0", "", [], …);
//   - 64-bit integers are decimal strings, 32-bit integers and enums JSON numbers, bytes base64,
//     Duration a string of nanoseconds, Any `{"type": <amino name>, "value": {…}}`.
// The same schema decodes Amino JSON back (fromAmino), which is how CosmJS rebuilds the protobuf
// body from what it signed; a field the schema lacked would be unsigned, so the schemas are
// checked against the .proto files (test/unit/amino-schema.test.ts).

export type Scalar = 'string' | 'int64' | 'uint64' | 'int32' | 'uint32' | 'enum' | 'bool' | 'bytes';
export type Kind = Scalar | 'duration' | 'any' | MessageSchema;

export interface FieldSpec {
  /** The .proto field name, which is also the Amino JSON key. */
  name: string;
  /** The property of the generated TypeScript object (ts-proto / cosmjs-types camelCase). */
  prop: string;
  kind: Kind;
  repeated: boolean;
  /** `(amino.dont_omitempty)`: written even at its default. */
  keep: boolean;
}

export interface MessageSchema {
  readonly fields: readonly FieldSpec[];
}

/** Resolves an Any inside a message (gov proposals carry messages). */
export interface AnyCodec {
  toAmino(any: { typeUrl: string; value: Uint8Array }): AminoJsonMsg;
  fromAmino(msg: AminoJsonMsg): { typeUrl: string; value: Uint8Array };
}

export interface AminoJsonMsg {
  readonly type: string;
  readonly value: Record<string, unknown>;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const camel = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** A field: `f('proposal_id', 'uint64', { keep: true })`, `f('amount', COIN, { repeated: true })`. */
export function f(
  name: string,
  kind: Kind,
  opts: { repeated?: boolean; keep?: boolean; prop?: string } = {},
): FieldSpec {
  return {
    name,
    prop: opts.prop ?? camel(name),
    kind,
    repeated: opts.repeated ?? false,
    keep: opts.keep ?? false,
  };
}

export function schema(...fields: FieldSpec[]): MessageSchema {
  return { fields };
}

/** cosmos.base.v1beta1.Coin: both keys always (the SDK's legacy_coins / Int encoding). */
export const COIN = schema(f('denom', 'string', { keep: true }), f('amount', 'string', { keep: true }));
/** A `repeated Coin` field the SDK marks dont_omitempty (an empty list is written `[]`). */
export const coins = (name: string) => f(name, COIN, { repeated: true, keep: true });

const NANOS_PER_SECOND = 1_000_000_000n;

function isDefault(kind: Kind, v: unknown): boolean {
  if (v === undefined || v === null) return true;
  switch (kind) {
    case 'string':
      return v === '';
    case 'int64':
    case 'uint64':
      return v === 0n;
    case 'int32':
    case 'uint32':
    case 'enum':
      return v === 0;
    case 'bool':
      return v === false;
    case 'bytes':
      return (v as Uint8Array).length === 0;
    default:
      // A message, Duration or Any is present once set, even if empty (`{}`), as in protobuf.
      return false;
  }
}

function zero(kind: Kind): unknown {
  switch (kind) {
    case 'string':
      return '';
    case 'int64':
    case 'uint64':
      return 0n;
    case 'int32':
    case 'uint32':
    case 'enum':
      return 0;
    case 'bool':
      return false;
    case 'bytes':
      return new Uint8Array();
    default:
      return undefined;
  }
}

function valueToAmino(kind: Kind, v: unknown, anys: AnyCodec): Json {
  switch (kind) {
    case 'string':
    case 'bool':
      return v as Json;
    case 'int64':
    case 'uint64':
      return (v as bigint).toString();
    case 'int32':
    case 'uint32':
    case 'enum':
      return v as number;
    case 'bytes':
      return Buffer.from(v as Uint8Array).toString('base64');
    case 'duration': {
      const d = v as { seconds: bigint; nanos: number };
      return (d.seconds * NANOS_PER_SECOND + BigInt(d.nanos)).toString();
    }
    case 'any':
      return anys.toAmino(v as { typeUrl: string; value: Uint8Array }) as unknown as Json;
    default:
      return toAminoJson(kind, v as Record<string, unknown>, anys);
  }
}

/** The Amino JSON object of a decoded protobuf message (keys unsorted; the sign doc sorts them). */
export function toAminoJson(
  s: MessageSchema,
  msg: Record<string, unknown>,
  anys: AnyCodec,
): { [k: string]: Json } {
  const out: { [k: string]: Json } = {};
  for (const field of s.fields) {
    const v = msg[field.prop];
    if (field.repeated) {
      const list = (v ?? []) as unknown[];
      if (list.length === 0 && !field.keep) continue;
      out[field.name] = list.map((x) => valueToAmino(field.kind, x, anys));
    } else if (isDefault(field.kind, v)) {
      if (!field.keep) continue;
      const z = zero(field.kind);
      if (z === undefined) throw new Error(`amino: ${field.name} must be set`);
      out[field.name] = valueToAmino(field.kind, z, anys);
    } else {
      out[field.name] = valueToAmino(field.kind, v, anys);
    }
  }
  return out;
}

function bad(name: string, want: string): never {
  throw new Error(`amino: ${name} is not ${want}`);
}

function valueFromAmino(name: string, kind: Kind, j: unknown, anys: AnyCodec): unknown {
  switch (kind) {
    case 'string':
      return typeof j === 'string' ? j : bad(name, 'a string');
    case 'bool':
      return typeof j === 'boolean' ? j : bad(name, 'a boolean');
    case 'int64':
    case 'uint64':
      if (typeof j !== 'string' || !/^-?\d{1,20}$/.test(j)) bad(name, 'an integer string');
      return BigInt(j);
    case 'int32':
    case 'uint32':
    case 'enum':
      return typeof j === 'number' && Number.isSafeInteger(j) ? j : bad(name, 'an integer');
    case 'bytes':
      return typeof j === 'string' ? new Uint8Array(Buffer.from(j, 'base64')) : bad(name, 'base64');
    case 'duration': {
      if (typeof j !== 'string' || !/^-?\d{1,30}$/.test(j)) bad(name, 'a nanosecond string');
      const n = BigInt(j);
      return { seconds: n / NANOS_PER_SECOND, nanos: Number(n % NANOS_PER_SECOND) };
    }
    case 'any':
      return anys.fromAmino(j as AminoJsonMsg);
    default:
      if (typeof j !== 'object' || j === null || Array.isArray(j)) bad(name, 'an object');
      return fromAminoJson(kind, j as Record<string, unknown>, anys);
  }
}

/** The generated-object form of an Amino JSON object (unknown keys are an error: they'd be unsigned). */
export function fromAminoJson(
  s: MessageSchema,
  j: Record<string, unknown>,
  anys: AnyCodec,
): Record<string, unknown> {
  const known = new Set(s.fields.map((x) => x.name));
  for (const k of Object.keys(j)) if (!known.has(k)) throw new Error(`amino: unknown field ${k}`);
  const out: Record<string, unknown> = {};
  for (const field of s.fields) {
    const v = j[field.name];
    if (field.repeated) {
      if (v === undefined || v === null) out[field.prop] = [];
      else if (!Array.isArray(v)) bad(field.name, 'a list');
      else out[field.prop] = v.map((x) => valueFromAmino(field.name, field.kind, x, anys));
    } else if (v === undefined || v === null) {
      out[field.prop] = zero(field.kind);
    } else {
      out[field.prop] = valueFromAmino(field.name, field.kind, v, anys);
    }
  }
  return out;
}

/**
 * The canonical bytes of an Amino JSON document, as CosmJS `serializeSignDoc` writes them: keys
 * sorted at every level, no whitespace, and `&`, `<`, `>` escaped as Go's encoder does.
 */
export function canonicalAminoJson(doc: unknown): Uint8Array {
  const json = JSON.stringify(sortKeys(doc))
    .replace(/&/g, '\\u0026')
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e');
  return new TextEncoder().encode(json);
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
  return out;
}
