// The amino schemas (proto/gonka/amino.ts) list exactly the fields of the .proto messages, with
// the same names, numbers (position + 1, which Amino binary uses), lists and kinds — recursively.
// A field missing from a schema would be left out of the Amino sign doc, i.e. unsigned, so every
// message whose .proto is in this repository is checked against it.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoPath } from '../../app/paths.js';
import type { Kind, MessageSchema } from '../../proto/gonka/amino/schema.js';
import { AMINO_ENTRIES } from '../../proto/gonka/amino.js';

interface PbField {
  name: string;
  id: number;
  type: string;
  repeated: boolean;
  resolve(): PbField;
  resolvedType: PbType | PbEnum | null;
}
interface PbType {
  fullName: string;
  fieldsArray: PbField[];
}
interface PbEnum {
  values: Record<string, number>;
}
const requireFromLoader = createRequire(createRequire(import.meta.url).resolve('@grpc/proto-loader'));
const protobuf = requireFromLoader('protobufjs') as {
  Root: new () => {
    resolvePath: (origin: string, target: string) => string;
    loadSync(files: string[], o: object): { lookupType(n: string): PbType; resolveAll(): void };
  };
};

const FILES = [
  'gonka/auth/v1/tx.proto',
  'gonka/collateral/v1/tx.proto',
  'gonka/governance/v1/tx.proto',
  'gonka/poc/v1/tx.proto',
  'gonka/inference/v1/tx.proto',
  'cosmos/bank/v1beta1/tx.proto',
  'cosmos/gov/v1/tx.proto',
];

function loadRoot() {
  const root = new protobuf.Root();
  const dir = repoPath('proto');
  root.resolvePath = (_origin, target) => join(dir, target);
  const r = root.loadSync(FILES, { keepCase: true });
  r.resolveAll();
  return r;
}

const SCALARS = new Set(['string', 'int64', 'uint64', 'int32', 'uint32', 'bool', 'bytes']);

function compare(s: MessageSchema, t: PbType, path: string): void {
  const fields = [...t.fieldsArray].sort((a, b) => a.id - b.id);
  assert.deepEqual(
    s.fields.map((f) => f.name),
    fields.map((f) => f.name),
    `${path}: fields`,
  );
  fields.forEach((pf, i) => {
    const sf = s.fields[i]!;
    const where = `${path}.${pf.name}`;
    assert.equal(pf.id, i + 1, `${where}: field number is its position + 1`);
    assert.equal(sf.repeated, pf.repeated, `${where}: repeated`);
    const kind: Kind = sf.kind;
    const rt = pf.resolvedType;
    const full = rt && !('values' in rt) ? rt.fullName.replace(/^\./, '') : '';
    const expected = SCALARS.has(pf.type)
      ? pf.type
      : rt && 'values' in rt
        ? 'enum'
        : full === 'google.protobuf.Any'
          ? 'any'
          : full === 'google.protobuf.Duration'
            ? 'duration'
            : undefined;
    if (expected) {
      assert.equal(kind, expected, where);
      return;
    }
    assert.equal(typeof kind, 'object', `${where}: a message`);
    compare(kind as MessageSchema, rt as PbType, where);
  });
}

describe('amino schemas match the .proto files', () => {
  const root = loadRoot();
  it('every message whose .proto is here, recursively', () => {
    let checked = 0;
    for (const e of AMINO_ENTRIES) {
      const name = e.typeUrl.slice(1);
      const pkg = name.slice(0, name.lastIndexOf('.'));
      if (!FILES.some((f) => f.slice(0, f.lastIndexOf('/')).replace(/\//g, '.') === pkg)) continue;
      compare(e.schema, root.lookupType(name), name);
      checked++;
    }
    // bank 4, gov 6, auth 1, collateral 4, governance 1, poc 6, inference 6
    assert.equal(checked, 28);
  });
  it('is not vacuous: a missing or mistyped field fails', () => {
    const send = AMINO_ENTRIES.find((e) => e.typeUrl === '/cosmos.bank.v1beta1.MsgSend')!.schema;
    const t = root.lookupType('cosmos.bank.v1beta1.MsgSend');
    assert.throws(() => compare({ fields: send.fields.slice(0, 2) }, t, 'MsgSend'));
    assert.throws(() =>
      compare({ fields: [send.fields[0]!, { ...send.fields[1]!, kind: 'bytes' }, send.fields[2]!] }, t, 'x'),
    );
    assert.throws(() => compare(send, root.lookupType('cosmos.bank.v1beta1.MsgMultiSend'), 'x'));
  });
});
