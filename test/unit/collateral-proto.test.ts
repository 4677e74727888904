// The hand-written gonka.poc.v1 / gonka.collateral.v1 / gonka.auth.v1 / gonka.governance.v1 (Params) codecs match their .proto declarations (the
// files gRPC reflection and other-language clients use): every message, field name, number, type
// and label, in both directions.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as protoLoader from '@grpc/proto-loader';
import { repoPath } from '../../app/paths.js';
import * as auth from '../../proto/gonka/auth/v1/codecs.js';
import type { MessageCodec } from '../../proto/gonka/codec.js';
import * as collateral from '../../proto/gonka/collateral/v1/codecs.js';
import * as governance from '../../proto/gonka/governance/v1/codecs.js';
import * as poc from '../../proto/gonka/poc/v1/codecs.js';

interface FieldDescriptor {
  name: string;
  number: number;
  label: string;
  type: string;
  typeName: string;
}

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const protoType = {
  string: 'TYPE_STRING',
  uint64: 'TYPE_UINT64',
  bytes: 'TYPE_BYTES',
  bool: 'TYPE_BOOL',
} as const;

function codecsOf(mod: Record<string, unknown>): MessageCodec<unknown>[] {
  return Object.values(mod).filter(
    (v): v is MessageCodec<unknown> => typeof v === 'object' && v !== null && 'typeUrl' in v && 'fields' in v,
  );
}

describe('codecs match the .proto files', () => {
  const files = [
    'gonka/poc/v1/query.proto',
    'gonka/poc/v1/tx.proto',
    'gonka/collateral/v1/query.proto',
    'gonka/collateral/v1/tx.proto',
    'gonka/auth/v1/query.proto',
    'gonka/auth/v1/tx.proto',
    'gonka/governance/v1/params.proto',
  ];
  const def = protoLoader.loadSync(
    files.map((f) => repoPath('proto', f)),
    { includeDirs: [repoPath('proto')], keepCase: true },
  );
  for (const [pkg, mod] of [
    ['gonka.poc.v1', poc],
    ['gonka.collateral.v1', collateral],
    ['gonka.auth.v1', auth],
    ['gonka.governance.v1', governance],
  ] as const) {
    it(pkg, () => {
      const codecs = codecsOf(mod as Record<string, unknown>);
      const declared = Object.keys(def).filter(
        (k) => k.startsWith(`${pkg}.`) && 'type' in (def[k] as object),
      );
      assert.deepEqual(
        codecs.map((c) => c.typeUrl.slice(1)).sort(),
        declared.sort(),
        'one codec per declared message',
      );
      for (const c of codecs) {
        const name = c.typeUrl.slice(1);
        const fields = ((def[name] as { type: { field: FieldDescriptor[] } }).type.field ?? []).map((f) => ({
          name: f.name,
          number: f.number,
          repeated: f.label === 'LABEL_REPEATED',
          // proto-loader leaves same-package type names scope-relative
          type:
            f.type === 'TYPE_MESSAGE'
              ? f.typeName.includes('.')
                ? f.typeName
                : `${pkg}.${f.typeName}`
              : f.type,
        }));
        const ours = c.fields.map((f) => ({
          name: snake(f.name),
          number: f.no,
          repeated: Boolean(f.repeated),
          type: typeof f.kind === 'string' ? protoType[f.kind] : f.kind.message.typeUrl.slice(1),
        }));
        assert.deepEqual(
          ours,
          [...fields].sort((a, b) => a.number - b.number),
          name,
        );
      }
    });
  }
});
