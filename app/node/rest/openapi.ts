// /openapi.json: an OpenAPI 3.0 document generated from the same routes and descriptors the
// gateway serves (routes.ts, codec.ts), so it cannot drift from what the node answers. Schemas
// are the grpc-gateway JSON of each message: 64-bit integers and bytes as strings, enums by name,
// Any as an object with "@type".
import { type DescField, type DescMessage, ScalarType } from '@bufbuild/protobuf';
import type { JsonCodec } from './codec.js';
import type { RestRoute } from './routes.js';

type Schema = Record<string, unknown>;

const ref = (typeName: string) => ({ $ref: `#/components/schemas/${typeName}` });

function scalarSchema(t: ScalarType): Schema {
  switch (t) {
    case ScalarType.STRING:
      return { type: 'string' };
    case ScalarType.BOOL:
      return { type: 'boolean' };
    case ScalarType.BYTES:
      return { type: 'string', format: 'byte' };
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return { type: 'number' };
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return { type: 'integer', format: 'int32' };
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return { type: 'integer', format: 'int64', minimum: 0 };
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return { type: 'string', format: 'uint64' };
    default:
      return { type: 'string', format: 'int64' };
  }
}

class SchemaBuilder {
  readonly schemas: Record<string, Schema> = {};

  message(desc: DescMessage): Schema {
    const name = desc.typeName;
    if (name === 'google.protobuf.Timestamp') return { type: 'string', format: 'date-time' };
    if (name === 'google.protobuf.Duration') return { type: 'string', example: '1.5s' };
    if (!(name in this.schemas)) {
      if (name === 'google.protobuf.Any') {
        this.schemas[name] = {
          type: 'object',
          properties: { '@type': { type: 'string' } },
          additionalProperties: true,
        };
      } else {
        const s: Schema = { type: 'object', properties: {} };
        this.schemas[name] = s; // before the fields: a message may contain itself
        s.properties = Object.fromEntries(desc.fields.map((f) => [f.name, this.field(f)]));
      }
    }
    return ref(name);
  }

  private single(f: DescField, kind: 'scalar' | 'enum' | 'message'): Schema {
    if (kind === 'enum') return { type: 'string', enum: f.enum!.values.map((v) => v.name) };
    if (kind === 'message') return this.message(f.message!);
    return scalarSchema(f.scalar!);
  }

  field(f: DescField): Schema {
    switch (f.fieldKind) {
      case 'list':
        return { type: 'array', items: this.single(f, f.listKind) };
      case 'map':
        return { type: 'object', additionalProperties: this.single(f, f.mapKind) };
      default:
        return this.single(f, f.fieldKind);
    }
  }
}

/** Query parameters of a GET route: the request's scalar fields, nested ones dotted (pagination.limit). */
function queryParameters(
  b: SchemaBuilder,
  desc: DescMessage,
  prefix: string,
  depth: number,
  skip: Set<string>,
) {
  const out: Schema[] = [];
  for (const f of desc.fields) {
    const name = prefix + f.name;
    if (skip.has(name)) continue;
    if (f.fieldKind === 'message' && !f.message.typeName.startsWith('google.protobuf.')) {
      if (depth < 2) out.push(...queryParameters(b, f.message, `${name}.`, depth + 1, skip));
      continue;
    }
    if (f.fieldKind === 'map') continue;
    out.push({ name, in: 'query', required: false, schema: b.field(f) });
  }
  return out;
}

export function openApiDocument(routes: RestRoute[], codec: JsonCodec, version: string): Schema {
  const b = new SchemaBuilder();
  const paths: Record<string, Record<string, Schema>> = {};
  for (const r of routes) {
    const path = `/${r.segments.map((s) => ('literal' in s ? s.literal : `{${s.field}}`)).join('/')}`;
    const req = codec.message(r.requestType);
    const pathFields = r.segments.flatMap((s) => ('field' in s ? [s.field] : []));
    const parameters: Schema[] = pathFields.map((name) => ({
      name,
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    if (r.body === '') parameters.push(...queryParameters(b, req, '', 0, new Set(pathFields)));
    const op: Schema = {
      operationId: `${r.service.split('.').slice(-2).join('_')}_${r.method}`,
      tags: [r.service],
      summary: `${r.service}/${r.method}`,
      parameters,
      responses: {
        200: {
          description: 'A successful response.',
          content: { 'application/json': { schema: b.message(codec.message(r.responseType)) } },
        },
        default: {
          description: 'An error (gRPC status code, message, details).',
          content: { 'application/json': { schema: ref('gateway.Error') } },
        },
      },
    };
    if (r.body === '*')
      op.requestBody = { required: true, content: { 'application/json': { schema: b.message(req) } } };
    paths[path] ??= {};
    paths[path][r.verb] ??= op; // the first binding of a template answers (routes.ts)
  }
  b.schemas['gateway.Error'] = {
    type: 'object',
    properties: {
      code: { type: 'integer' },
      message: { type: 'string' },
      details: { type: 'array', items: ref('google.protobuf.Any') },
    },
  };
  b.message(codec.message('google.protobuf.Any'));
  return {
    openapi: '3.0.3',
    info: {
      title: 'gonka REST (LCD)',
      version,
      description:
        "grpc-gateway paths and JSON of the node's gRPC services, derived from their google.api.http bindings",
    },
    paths,
    components: { schemas: b.schemas },
  };
}
