// The generated gonka codecs (proto/gen, `npm run proto:gen`) agree with proto/gonka/**.proto:
// (1) regenerating with the pinned ts-proto + buf reproduces the committed files byte for byte;
// (2) every message declared in a .proto has a generated codec, and each one encodes a value with
//     a non-default value in every field to exactly the bytes of an independent encoder built
//     from the .proto text (proto-loader's parser → @bufbuild/protobuf reflection), and decodes
//     those bytes back; (3) fields are declared in field-number order (the canonical encoding the
//     strict tx decoder's round trip needs); (4) every tx.proto is in the CosmJS registry list.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  create as createDynamic,
  createFileRegistry,
  type DescField,
  type DescMessage,
  type FileRegistry,
  fromBinary,
  toBinary,
} from '@bufbuild/protobuf';
import {
  FileDescriptorProtoSchema,
  FileDescriptorSetSchema,
  file_google_protobuf_duration,
} from '@bufbuild/protobuf/wkt';
import * as protoLoader from '@grpc/proto-loader';
import { fixedFileDescriptors } from '../../app/node/grpc/descriptors.js';
import { repoPath } from '../../app/paths.js';
import { TX_FILES } from '../../proto/gonka/registry.js';

interface Codec {
  $type: string;
  encode(m: unknown): { finish(): Uint8Array };
  decode(b: Uint8Array): unknown;
  fromPartial(m: unknown): unknown;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]))
    .sort();
}

const gonkaProtos = filesUnder(repoPath('proto', 'gonka'))
  .filter((f) => f.endsWith('.proto'))
  .map((f) => relative(repoPath('proto'), f));

/** Generated modules, compiled beside this test (dist/proto/gen/gonka/**). */
const genDir = fileURLToPath(new URL('../../proto/gen/gonka/', import.meta.url));
async function generatedCodecs(): Promise<Map<string, Codec>> {
  const codecs = new Map<string, Codec>();
  for (const f of filesUnder(genDir).filter((f) => f.endsWith('.js'))) {
    const mod = (await import(pathToFileURL(f).href)) as Record<string, unknown>;
    for (const v of Object.values(mod))
      if (typeof v === 'object' && v !== null && typeof (v as Codec).$type === 'string')
        codecs.set((v as Codec).$type, v as Codec);
  }
  return codecs;
}

/** The files and what they import, transitively (proto-loader describes only the files it is given). */
function withImports(files: string[]): string[] {
  const all = new Set<string>();
  const visit = (f: string) => {
    if (all.has(f) || f.startsWith('google/')) return;
    all.add(f);
    for (const m of readFileSync(repoPath('proto', f), 'utf8').matchAll(/^import "([^"]+)";/gm)) visit(m[1]!);
  };
  files.forEach(visit);
  return [...all].sort();
}

/** The .proto files parsed by proto-loader (protobufjs), as a @bufbuild/protobuf registry. */
function referenceRegistry(): FileRegistry {
  const def = protoLoader.loadSync(
    withImports(gonkaProtos).map((f) => repoPath('proto', f)),
    { includeDirs: [repoPath('proto')], keepCase: true },
  );
  const file = fixedFileDescriptors(def).map((b) => fromBinary(FileDescriptorProtoSchema, b));
  // proto-loader names the well-known types' file after their package (google_protobuf.proto) and
  // leaves it out; the reference takes Duration's descriptor from @bufbuild/protobuf instead.
  const duration = file_google_protobuf_duration.proto;
  for (const f of file)
    f.dependency = f.dependency.map((d) => (d === 'google_protobuf.proto' ? duration.name : d));
  const known = new Set(file.map((f) => f.name));
  return createFileRegistry(
    createDynamic(FileDescriptorSetSchema, { file: known.has(duration.name) ? file : [duration, ...file] }),
  );
}

/** A value with a non-default value in every field (two items in repeated ones), as a plain object. */
function sample(desc: DescMessage, seed = 1): Record<string, unknown> {
  const one = (f: DescField, i: number): unknown => {
    const n = seed * 100 + f.number * 10 + i;
    if (f.fieldKind === 'message' || (f.fieldKind === 'list' && f.listKind === 'message'))
      return sample(f.message!, n);
    if (f.fieldKind === 'enum' || (f.fieldKind === 'list' && f.listKind === 'enum'))
      return f.enum!.values[1 + (i % (f.enum!.values.length - 1))]!.number;
    const scalar = f.fieldKind === 'scalar' || f.fieldKind === 'list' ? f.scalar : undefined;
    switch (scalar) {
      case 9: // string
        return `s${n}é`;
      case 4: // uint64
        return 2n ** 40n + BigInt(n);
      case 3: // int64 (Duration.seconds)
        return 2n ** 33n + BigInt(n);
      case 5: // int32 (Duration.nanos)
        return n;
      case 13: // uint32
        return 2 ** 31 + n;
      case 8: // bool
        return true;
      case 12: // bytes
        return new Uint8Array([n & 255, 255, 0]);
      default:
        throw new Error(`${desc.typeName}.${f.name}: add a sample for scalar ${scalar} (${f.fieldKind})`);
    }
  };
  return Object.fromEntries(
    desc.fields.map((f) => [f.localName, f.fieldKind === 'list' ? [one(f, 1), one(f, 2)] : one(f, 0)]),
  );
}

describe('generated gonka codecs', () => {
  it('are what `npm run proto:gen` generates from proto/gonka today', async (t) => {
    const gen = (await import(pathToFileURL(repoPath('scripts', 'proto-gen.mjs')).href)) as {
      toolsBin(): string | undefined;
      generate(outRoot: string): string[];
    };
    if (!gen.toolsBin()) {
      t.skip(
        'buf / protoc-gen-ts_proto not installed (devDependencies @bufbuild/buf, ts-proto): run npm install',
      );
      return;
    }
    const out = mkdtempSync(join(tmpdir(), 'gonka-protogen-'));
    try {
      const fresh = gen.generate(out);
      const committed = filesUnder(repoPath('proto', 'gen')).map((f) =>
        relative(repoPath('proto', 'gen'), f),
      );
      assert.deepEqual(committed, fresh, 'same files (run `npm run proto:gen` and commit proto/gen)');
      for (const f of fresh)
        assert.equal(
          readFileSync(repoPath('proto', 'gen', f), 'utf8'),
          readFileSync(join(out, 'proto', 'gen', f), 'utf8'),
          `proto/gen/${f} is stale: run \`npm run proto:gen\``,
        );
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('cover every gonka message and round-trip against the .proto declarations', async () => {
    const registry = referenceRegistry();
    const codecs = await generatedCodecs();
    const declared: DescMessage[] = [];
    for (const file of registry.files)
      if (file.proto.package.startsWith('gonka.'))
        for (const m of file.messages) declared.push(m, ...m.nestedMessages);
    assert.ok(declared.length >= 36, `found ${declared.length} gonka messages`);
    assert.deepEqual(
      [...codecs.keys()].sort(),
      declared.map((m) => m.typeName).sort(),
      'one generated codec per declared message',
    );
    for (const desc of declared) {
      const codec = codecs.get(desc.typeName)!;
      const numbers = desc.fields.map((f) => f.number);
      assert.deepEqual(
        numbers,
        [...numbers].sort((a, b) => a - b),
        `${desc.typeName}: fields in number order`,
      );
      const value = sample(desc);
      const reference = toBinary(desc, createDynamic(desc, value as never));
      const ours = codec.encode(codec.fromPartial(value)).finish();
      assert.deepEqual(Buffer.from(ours), Buffer.from(reference), `${desc.typeName}: encoding`);
      assert.deepEqual(codec.decode(reference), codec.fromPartial(value), `${desc.typeName}: decoding`);
      if (desc.fields.length > 0) assert.ok(reference.length > 0, `${desc.typeName}: sample is non-default`);
      assert.equal(
        codec.encode(codec.fromPartial({})).finish().length,
        0,
        `${desc.typeName}: defaults omitted`,
      );
    }
  });

  it('register every gonka tx.proto with CosmJS (proto/gonka/registry.ts TX_FILES)', () => {
    assert.deepEqual(
      Object.keys(TX_FILES).sort(),
      gonkaProtos.filter((f) => f.endsWith('/tx.proto')),
    );
  });
});
