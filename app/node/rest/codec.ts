// Protobuf ⇄ JSON for the REST gateway, written the way the Cosmos SDK's grpc-gateway writes it
// (protojson with OrigName and EmitDefaults): snake_case field names, every field present (an
// unset message is null), 64-bit integers as strings, bytes as base64, enums by name, and Any as
// its type's fields plus "@type" (the type URL exactly as on the wire, "/cosmos.…").
// The descriptors are the ones gRPC reflection serves (descriptors.ts), loaded into
// @bufbuild/protobuf's registry, so REST, gRPC and reflection read the same .proto files.
import {
  create,
  createFileRegistry,
  type DescMessage,
  type FileRegistry,
  fromBinary,
  fromJson,
  type JsonValue,
  toBinary,
  toJson,
} from '@bufbuild/protobuf';
import {
  type DescriptorProto,
  type FileDescriptorProto,
  FileDescriptorProtoSchema,
  FileDescriptorSetSchema,
} from '@bufbuild/protobuf/wkt';
import type { PackageDefinition } from '@grpc/proto-loader';
import { fixedFileDescriptors } from '../grpc/descriptors.js';

/** Nesting bound for request messages (Any inside Any…): a request is one tx at most. */
const MAX_ANY_DEPTH = 32;

/** Files in dependency order (the registry resolves imports only from files already added). */
function dependencyOrder(files: FileDescriptorProto[]): FileDescriptorProto[] {
  const byName = new Map(files.map((f) => [f.name, f]));
  const out: FileDescriptorProto[] = [];
  const done = new Set<string>();
  const visiting = new Set<string>();
  const visit = (f: FileDescriptorProto) => {
    if (done.has(f.name)) return;
    if (visiting.has(f.name)) throw new Error(`descriptor import cycle through ${f.name}`);
    visiting.add(f.name);
    for (const d of f.dependency) {
      const dep = byName.get(d);
      if (!dep) throw new Error(`${f.name} imports ${d}, which is not loaded`);
      visit(dep);
    }
    visiting.delete(f.name);
    done.add(f.name);
    out.push(f);
  };
  for (const f of files) visit(f);
  return out;
}

export class JsonCodec {
  readonly registry: FileRegistry;

  constructor(definition: PackageDefinition) {
    const files = fixedFileDescriptors(definition).map((b) => fromBinary(FileDescriptorProtoSchema, b));
    for (const f of files) setJsonNames(f.messageType);
    this.registry = createFileRegistry(create(FileDescriptorSetSchema, { file: dependencyOrder(files) }));
  }

  message(typeName: string): DescMessage {
    const m = this.registry.getMessage(typeName);
    if (!m) throw new Error(`REST: message type ${typeName} is not loaded`);
    return m;
  }

  /** A request from its JSON form; throws (the caller maps it to INVALID_ARGUMENT) on a bad value. */
  encodeJson(desc: DescMessage, json: JsonValue): Uint8Array {
    const msg = fromJson(desc, json, { registry: this.registry });
    this.cosmosTypeUrls(desc, msg as unknown as Record<string, unknown>, 0);
    return toBinary(desc, msg);
  }

  /**
   * The JSON decoder packs every Any as "type.googleapis.com/<name>"; Cosmos type URLs are
   * "/<name>" (the app routes messages by them), so each Any, nested ones included, is rewritten.
   */
  private cosmosTypeUrls(desc: DescMessage, msg: Record<string, unknown>, depth: number): void {
    if (depth > MAX_ANY_DEPTH) throw new Error('messages nested too deep');
    if (desc.typeName === 'google.protobuf.Any') {
      const any = msg as unknown as { typeUrl: string; value: Uint8Array };
      if (!any.typeUrl) return;
      const name = any.typeUrl.slice(any.typeUrl.lastIndexOf('/') + 1);
      const inner = this.registry.getMessage(name);
      if (inner) {
        const m = fromBinary(inner, any.value);
        this.cosmosTypeUrls(inner, m as unknown as Record<string, unknown>, depth + 1);
        any.value = toBinary(inner, m);
      }
      any.typeUrl = `/${name}`;
      return;
    }
    for (const f of desc.fields) {
      let v: unknown = msg[f.localName];
      if (f.oneof) {
        const o = msg[f.oneof.localName] as { case?: string; value?: unknown } | undefined;
        v = o?.case === f.localName ? o.value : undefined;
      }
      if (v === undefined || v === null) continue;
      if (f.fieldKind === 'message') this.cosmosTypeUrls(f.message, v as Record<string, unknown>, depth + 1);
      else if (f.fieldKind === 'list' && f.listKind === 'message')
        for (const e of v as Record<string, unknown>[]) this.cosmosTypeUrls(f.message, e, depth + 1);
      else if (f.fieldKind === 'map' && f.mapKind === 'message')
        for (const e of Object.values(v as Record<string, Record<string, unknown>>))
          this.cosmosTypeUrls(f.message, e, depth + 1);
    }
  }

  /** An answer as grpc-gateway writes it. */
  decodeToJson(desc: DescMessage, bytes: Uint8Array): JsonValue {
    const msg = fromBinary(desc, bytes);
    const json = toJson(desc, msg, {
      registry: this.registry,
      useProtoFieldName: true,
      alwaysEmitImplicit: true,
    });
    return this.gatewayShape(desc, json);
  }

  /** Adds null for unset message fields and puts Any's "@type" first with the wire's type URL. */
  private gatewayShape(desc: DescMessage, json: JsonValue): JsonValue {
    if (json === null || typeof json !== 'object' || Array.isArray(json)) return json;
    if (desc.typeName === 'google.protobuf.Any') {
      const typeUrl = String(json['@type'] ?? '');
      const inner = typeUrl.slice(typeUrl.lastIndexOf('/') + 1);
      const innerDesc = this.registry.getMessage(inner);
      const { '@type': _t, ...rest } = json;
      const body = innerDesc && !isWellKnownJson(inner) ? this.gatewayShape(innerDesc, rest) : rest;
      return { '@type': `/${inner}`, ...(body as Record<string, JsonValue>) };
    }
    if (isWellKnownJson(desc.typeName)) return json;
    const out: Record<string, JsonValue> = {};
    for (const field of desc.fields) {
      const key = field.name;
      const v = json[key];
      if (field.fieldKind === 'message') {
        if (v === undefined) out[key] = null;
        else out[key] = this.gatewayShape(field.message, v);
      } else if (field.fieldKind === 'list' && field.listKind === 'message') {
        out[key] = Array.isArray(v) ? v.map((e) => this.gatewayShape(field.message, e)) : [];
      } else if (field.fieldKind === 'map' && field.mapKind === 'message') {
        const m = (v ?? {}) as Record<string, JsonValue>;
        out[key] = Object.fromEntries(
          Object.entries(m).map(([k, e]) => [k, this.gatewayShape(field.message, e)]),
        );
      } else if (v !== undefined) out[key] = v;
      else if (field.fieldKind === 'list') out[key] = [];
    }
    return out;
  }
}

/**
 * protobufjs (keepCase) writes every field's json_name as empty; protojson's lowerCamelCase name
 * is what clients such as cosmpy send (`fromAddress`), so it is set here. Both names are read.
 */
function setJsonNames(messages: DescriptorProto[]): void {
  for (const m of messages) {
    for (const f of m.field) f.jsonName = f.name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    setJsonNames(m.nestedType);
  }
}

/** Types whose JSON is a scalar string (Timestamp, Duration) or otherwise special. */
function isWellKnownJson(typeName: string): boolean {
  return typeName.startsWith('google.protobuf.') && typeName !== 'google.protobuf.Any';
}
