// File descriptors for gRPC reflection. proto-loader regroups our .proto files by package and
// emits them without `dependency` lists and with scope-relative type names, which strict clients
// (grpcurl, Go's protodesc) cannot resolve. This pass makes every type reference absolute and
// lists the files it needs as dependencies, so each served file stands on its own.
import { createRequire } from 'node:module';
import type { PackageDefinition } from '@grpc/proto-loader';

// The descriptor codec @grpc/reflection itself uses (protobufjs's proto2 descriptor types keep
// field presence, which clients need: e.g. an enum value numbered 0 must be present on the wire).
interface DescriptorProto {
  name: string;
  field?: { name?: string; typeName?: string }[];
  nestedType?: DescriptorProto[];
  enumType?: { name: string }[];
}
interface FileDescriptorProto {
  name: string;
  package: string;
  dependency?: string[];
  messageType?: DescriptorProto[];
  enumType?: { name: string }[];
  /** Top-level extensions (google.api.http on MethodOptions): their extendee is a dependency too. */
  extension?: { typeName?: string; extendee?: string }[];
  service?: { name: string; method?: { inputType?: string; outputType?: string }[] }[];
}
const requireFromReflection = createRequire(createRequire(import.meta.url).resolve('@grpc/reflection'));
const { FileDescriptorProto: Codec } = requireFromReflection('protobufjs/ext/descriptor') as {
  FileDescriptorProto: {
    decode(b: Uint8Array): FileDescriptorProto;
    encode(f: FileDescriptorProto): { finish(): Uint8Array };
  };
};

/**
 * google/protobuf/descriptor.proto's messages, which proto-loader pulls in through
 * google/api/annotations.proto (the REST bindings). They are proto2 (explicit defaults) but
 * proto-loader puts them in one proto3 file with Any and Timestamp, which strict clients refuse
 * (grpcurl: "invalid default … implicit field presence"); no served message uses them, so they
 * are left out, with the google.api.http extension of MethodOptions (the REST gateway reads the
 * bindings from proto-loader's method options, not from these descriptors).
 */
const DESCRIPTOR_PROTO_MESSAGES = new Set([
  'FileDescriptorSet',
  'FileDescriptorProto',
  'DescriptorProto',
  'ExtensionRangeOptions',
  'FieldDescriptorProto',
  'OneofDescriptorProto',
  'EnumDescriptorProto',
  'EnumValueDescriptorProto',
  'ServiceDescriptorProto',
  'MethodDescriptorProto',
  'FileOptions',
  'MessageOptions',
  'FieldOptions',
  'OneofOptions',
  'EnumOptions',
  'EnumValueOptions',
  'ServiceOptions',
  'MethodOptions',
  'UninterpretedOption',
  'FeatureSet',
  'FeatureSetDefaults',
  'SourceCodeInfo',
  'GeneratedCodeInfo',
]);

function withoutDescriptorProto(f: FileDescriptorProto): FileDescriptorProto {
  if (f.package === 'google.protobuf') {
    f.messageType = f.messageType?.filter((m) => !DESCRIPTOR_PROTO_MESSAGES.has(m.name));
    f.enumType = f.enumType?.filter((e) => e.name !== 'Edition' && e.name !== 'SymbolVisibility');
  }
  f.extension = f.extension?.filter((x) => !x.extendee?.replace(/^\./, '').startsWith('google.protobuf.'));
  return f;
}

export function fixedFileDescriptors(definition: PackageDefinition): Uint8Array[] {
  const files = new Map<string, FileDescriptorProto>();
  for (const entry of Object.values(definition)) {
    for (const bin of (entry as { fileDescriptorProtos?: Buffer[] }).fileDescriptorProtos ?? []) {
      const f = withoutDescriptorProto(Codec.decode(bin));
      if (!files.has(f.name)) files.set(f.name, f);
    }
  }
  // fully-qualified symbol (no leading dot) → file name
  const symbols = new Map<string, string>();
  const indexMessages = (scope: string, msgs: DescriptorProto[] | undefined, file: string) => {
    for (const m of msgs ?? []) {
      const fqn = `${scope}.${m.name}`;
      symbols.set(fqn, file);
      for (const e of m.enumType ?? []) symbols.set(`${fqn}.${e.name}`, file);
      indexMessages(fqn, m.nestedType, file);
    }
  };
  for (const f of files.values()) {
    indexMessages(f.package, f.messageType, f.name);
    for (const e of f.enumType ?? []) symbols.set(`${f.package}.${e.name}`, f.name);
    for (const s of f.service ?? []) symbols.set(`${f.package}.${s.name}`, f.name);
  }
  const resolve = (ref: string, scope: string): string | undefined => {
    if (ref.startsWith('.')) return symbols.has(ref.slice(1)) ? ref.slice(1) : undefined;
    for (let s = scope; s; s = s.includes('.') ? s.slice(0, s.lastIndexOf('.')) : '') {
      if (symbols.has(`${s}.${ref}`)) return `${s}.${ref}`;
    }
    return symbols.has(ref) ? ref : undefined;
  };
  for (const f of files.values()) {
    const deps = new Set<string>();
    const fix = (ref: string | undefined, scope: string): string | undefined => {
      if (!ref) return ref;
      const fqn = resolve(ref, scope);
      if (!fqn) throw new Error(`reflection: cannot resolve type ${ref} in ${scope}`);
      const owner = symbols.get(fqn)!;
      if (owner !== f.name) deps.add(owner);
      return `.${fqn}`;
    };
    const walk = (scope: string, msgs: DescriptorProto[] | undefined) => {
      for (const m of msgs ?? []) {
        const fqn = `${scope}.${m.name}`;
        // protobufjs lists an extension (google.api.http) as a field '.google.api.http' of the
        // message it extends too; in a descriptor it belongs only to its own file's `extension`
        // (kept, it makes descriptor.proto import annotations.proto: a cycle clients refuse).
        m.field = m.field?.filter((field) => !field.name?.startsWith('.'));
        for (const field of m.field ?? []) if (field.typeName) field.typeName = fix(field.typeName, fqn);
        walk(fqn, m.nestedType);
      }
    };
    walk(f.package, f.messageType);
    for (const x of f.extension ?? []) {
      if (x.typeName) x.typeName = fix(x.typeName, f.package);
      if (x.extendee) x.extendee = fix(x.extendee, f.package);
    }
    for (const s of f.service ?? []) {
      for (const m of s.method ?? []) {
        m.inputType = fix(m.inputType, f.package);
        m.outputType = fix(m.outputType, f.package);
      }
    }
    f.dependency = [...deps].sort();
  }
  return [...files.values()].map((f) => Codec.encode(f).finish());
}
