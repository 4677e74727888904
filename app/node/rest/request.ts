// An HTTP request → the JSON form of a method's request message, as grpc-gateway fills it: path
// parameters and (for a route without a body) query parameters name request fields by their
// proto names, dotted for nested ones (`pagination.limit=10`); a repeated field takes the
// parameter once per value; a route with body "*" reads the JSON body, path parameters on top.
// Query values are text, so each is turned into the JSON a field of its kind takes; a value that
// does not fit its field is the caller's mistake (INVALID_ARGUMENT), never a crash.
import { type DescField, type DescMessage, type JsonValue, ScalarType } from '@bufbuild/protobuf';
import { status as Status } from '@grpc/grpc-js';
import { GrpcError } from '../grpc/grpcError.js';

/** Bounds on what one request may name. */
export const MAX_QUERY_PARAMS = 64;
export const MAX_FIELD_DEPTH = 4;

type JsonObject = { [k: string]: JsonValue };

const INT = /^-?\d{1,20}$/;

function bad(message: string): GrpcError {
  return new GrpcError(Status.INVALID_ARGUMENT, message);
}

/** One text value as the JSON a field of this kind takes. */
function scalarJson(field: DescField, raw: string, name: string): JsonValue {
  if (field.fieldKind === 'enum' || (field.fieldKind === 'list' && field.listKind === 'enum')) {
    const e = field.enum!;
    const v = e.values.find((x) => x.name === raw) ?? (INT.test(raw) ? e.value[Number(raw)] : undefined);
    if (!v) throw bad(`invalid value '${raw}' for ${name}: not a ${e.name}`);
    return v.name;
  }
  if (field.fieldKind === 'message' || (field.fieldKind === 'list' && field.listKind === 'message'))
    return raw; // a well-known type written as a string (Timestamp, Duration)
  const scalar = field.scalar!;
  switch (scalar) {
    case ScalarType.STRING:
      return raw;
    case ScalarType.BOOL:
      if (raw === 'true' || raw === 'false') return raw === 'true';
      throw bad(`invalid value '${raw}' for ${name}: not a bool`);
    case ScalarType.BYTES: {
      // grpc-gateway takes standard or URL-safe base64
      const std = raw.replace(/-/g, '+').replace(/_/g, '/');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(std)) throw bad(`invalid value for ${name}: not base64`);
      return std;
    }
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      if (!/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(raw)) throw bad(`invalid value '${raw}' for ${name}`);
      return raw;
    default:
      if (!INT.test(raw)) throw bad(`invalid value '${raw}' for ${name}: not an integer`);
      return raw; // protojson takes integers as strings; the range is checked by the decoder
  }
}

/** Sets `path` (dotted proto names) in `target` to the text value(s). */
function setField(
  desc: DescMessage,
  target: JsonObject,
  path: string,
  values: string[],
  strict: boolean,
): void {
  const parts = path.split('.');
  if (parts.length > MAX_FIELD_DEPTH) throw bad(`parameter ${path} is nested too deep`);
  let msg = desc;
  let obj = target;
  for (const [i, part] of parts.entries()) {
    const field = msg.fields.find((f) => f.name === part || f.jsonName === part);
    if (!field) {
      // grpc-gateway ignores query parameters that name no field; a path parameter always does.
      if (strict) throw bad(`no field ${part} in ${msg.typeName}`);
      return;
    }
    const last = i === parts.length - 1;
    if (!last) {
      if (field.fieldKind !== 'message') throw bad(`${parts.slice(0, i + 1).join('.')} has no fields`);
      const next = (obj[field.name] ?? {}) as JsonObject;
      if (typeof next !== 'object' || Array.isArray(next)) throw bad(`conflicting values for ${path}`);
      obj[field.name] = next;
      obj = next;
      msg = field.message;
      continue;
    }
    if (field.fieldKind === 'list') obj[field.name] = values.map((v) => scalarJson(field, v, path));
    else if (field.fieldKind === 'map') throw bad(`map field ${path} cannot be set from a parameter`);
    else if (field.fieldKind === 'message' && !field.message.typeName.startsWith('google.protobuf.'))
      throw bad(`message field ${path} cannot be set from one parameter`);
    else {
      if (values.length > 1) throw bad(`parameter ${path} given more than once`);
      obj[field.name] = scalarJson(field, values[0]!, path);
    }
  }
}

export function requestJson(
  desc: DescMessage,
  pathParams: Map<string, string>,
  query: URLSearchParams | undefined,
  body: JsonValue | undefined,
): JsonValue {
  let out: JsonObject = {};
  if (body !== undefined) {
    if (body === null || typeof body !== 'object' || Array.isArray(body))
      throw bad('the request body must be a JSON object');
    out = body as JsonObject;
  }
  if (query) {
    const keys = [...new Set(query.keys())];
    if (keys.length > MAX_QUERY_PARAMS) throw bad(`more than ${MAX_QUERY_PARAMS} query parameters`);
    for (const key of keys) {
      if (pathParams.has(key)) continue; // a path parameter wins
      setField(desc, out, key, query.getAll(key), false);
    }
  }
  for (const [key, value] of pathParams) setField(desc, out, key, [value], true);
  return out;
}
