// Legacy Amino *binary* (go-amino, as the SDK's LegacyAmino.Marshal writes it), for the tx
// service's TxEncodeAmino / TxDecodeAmino. Amino binary of a struct is proto3-compatible: field n
// is the n-th struct field (our schemas list fields in .proto order and the .proto files number
// them 1, 2, 3, … so n is the schema position + 1), defaults are left out, numeric lists packed.
// The one difference is interfaces (Any, public keys, and the top-level registered types): their
// value is the 4 prefix bytes of the concrete type's amino name followed by its encoding.
import { createHash } from 'node:crypto';
import { BinaryReader, BinaryWriter } from 'cosmjs-types/binary';
import type { Kind, MessageSchema } from './schema.js';

/** The 4 prefix bytes go-amino derives from a registered name (after its 3 disambiguation bytes). */
export function aminoPrefix(name: string): Uint8Array {
  let bz = createHash('sha256').update(name).digest();
  while (bz[0] === 0) bz = bz.subarray(1);
  bz = bz.subarray(3);
  while (bz[0] === 0) bz = bz.subarray(1);
  return Uint8Array.from(bz.subarray(0, 4));
}

/** Encodes/decodes the concrete value behind an interface field (prefix bytes included). */
export interface InterfaceBinary {
  encodeAny(any: { typeUrl: string; value: Uint8Array }): Uint8Array;
  decodeAny(bytes: Uint8Array): { typeUrl: string; value: Uint8Array };
}

const NUMERIC = new Set(['int64', 'uint64', 'int32', 'uint32', 'enum', 'bool']);
const VARINT = 0;
const LEN = 2;

function writeScalar(w: BinaryWriter, kind: Kind, v: unknown): void {
  switch (kind) {
    case 'int64':
      w.int64(v as bigint);
      return;
    case 'uint64':
      w.uint64(v as bigint);
      return;
    case 'int32':
    case 'enum':
      w.int32(v as number);
      return;
    case 'uint32':
      w.uint32(v as number);
      return;
    case 'bool':
      w.bool(v as boolean);
      return;
  }
}

function isDefault(kind: Kind, v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (kind === 'string') return v === '';
  if (kind === 'bytes') return (v as Uint8Array).length === 0;
  if (kind === 'int64' || kind === 'uint64') return v === 0n;
  if (kind === 'int32' || kind === 'uint32' || kind === 'enum') return v === 0;
  if (kind === 'bool') return v === false;
  return false;
}

function writeValue(w: BinaryWriter, no: number, kind: Kind, v: unknown, ifaces: InterfaceBinary): void {
  if (NUMERIC.has(kind as string)) {
    w.uint32((no << 3) | VARINT);
    writeScalar(w, kind, v);
  } else if (kind === 'string') {
    w.uint32((no << 3) | LEN).string(v as string);
  } else if (kind === 'bytes') {
    w.uint32((no << 3) | LEN).bytes(v as Uint8Array);
  } else if (kind === 'duration') {
    const d = v as { seconds: bigint; nanos: number };
    w.uint32((no << 3) | LEN).fork();
    if (d.seconds !== 0n) w.uint32(8).int64(d.seconds);
    if (d.nanos !== 0) w.uint32(16).int32(d.nanos);
    w.ldelim();
  } else if (kind === 'any') {
    w.uint32((no << 3) | LEN).bytes(ifaces.encodeAny(v as { typeUrl: string; value: Uint8Array }));
  } else {
    w.uint32((no << 3) | LEN).fork();
    writeFields(w, kind as MessageSchema, v as Record<string, unknown>, ifaces);
    w.ldelim();
  }
}

function writeFields(
  w: BinaryWriter,
  s: MessageSchema,
  msg: Record<string, unknown>,
  ifaces: InterfaceBinary,
) {
  s.fields.forEach((field, i) => {
    const no = i + 1;
    const v = msg[field.prop];
    if (field.repeated) {
      const list = (v ?? []) as unknown[];
      if (list.length === 0) return;
      if (NUMERIC.has(field.kind as string)) {
        w.uint32((no << 3) | LEN).fork();
        for (const x of list) writeScalar(w, field.kind, x);
        w.ldelim();
      } else for (const x of list) writeValue(w, no, field.kind, x, ifaces);
    } else if (!isDefault(field.kind, v)) writeValue(w, no, field.kind, v, ifaces);
  });
}

/** Amino binary of one struct (no prefix: the caller adds it where the value is an interface). */
export function encodeAminoBinary(s: MessageSchema, msg: Record<string, unknown>, ifaces: InterfaceBinary) {
  const w = new BinaryWriter();
  writeFields(w, s, msg, ifaces);
  return w.finish();
}

function readScalar(r: BinaryReader, kind: Kind): unknown {
  switch (kind) {
    case 'int64':
      return r.int64();
    case 'uint64':
      return r.uint64();
    case 'int32':
    case 'enum':
      return r.int32();
    case 'uint32':
      return r.uint32();
    default:
      return r.bool();
  }
}

function zeroOf(kind: Kind): unknown {
  if (kind === 'string') return '';
  if (kind === 'bytes') return new Uint8Array();
  if (kind === 'int64' || kind === 'uint64') return 0n;
  if (kind === 'int32' || kind === 'uint32' || kind === 'enum') return 0;
  if (kind === 'bool') return false;
  return undefined;
}

/** The generated-object form of one amino-binary struct; unknown fields are an error. */
export function decodeAminoBinary(
  s: MessageSchema,
  bytes: Uint8Array,
  ifaces: InterfaceBinary,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of s.fields) out[f.prop] = f.repeated ? [] : zeroOf(f.kind);
  const r = new BinaryReader(bytes);
  while (r.pos < r.len) {
    const tag = r.uint32();
    const no = tag >>> 3;
    const wire = tag & 7;
    const field = s.fields[no - 1];
    if (!field) throw new Error(`amino binary: unknown field ${no}`);
    const numeric = NUMERIC.has(field.kind as string);
    let v: unknown;
    if (numeric && field.repeated && wire === LEN) {
      const end = r.uint32() + r.pos;
      while (r.pos < end) (out[field.prop] as unknown[]).push(readScalar(r, field.kind));
      continue;
    }
    if (numeric) {
      if (wire !== VARINT) throw new Error(`amino binary: field ${field.name} has wire type ${wire}`);
      v = readScalar(r, field.kind);
    } else {
      if (wire !== LEN) throw new Error(`amino binary: field ${field.name} has wire type ${wire}`);
      if (field.kind === 'string') v = r.string();
      else if (field.kind === 'bytes') v = r.bytes();
      else if (field.kind === 'any') v = ifaces.decodeAny(r.bytes());
      else if (field.kind === 'duration') {
        const d = new BinaryReader(r.bytes());
        const dur = { seconds: 0n, nanos: 0 };
        while (d.pos < d.len) {
          const t = d.uint32();
          if (t === 8) dur.seconds = d.int64();
          else if (t === 16) dur.nanos = d.int32();
          else throw new Error(`amino binary: bad duration field ${t >>> 3}`);
        }
        v = dur;
      } else v = decodeAminoBinary(field.kind as MessageSchema, r.bytes(), ifaces);
    }
    if (field.repeated) (out[field.prop] as unknown[]).push(v);
    else out[field.prop] = v;
  }
  return out;
}
