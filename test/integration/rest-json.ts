// Field-by-field comparison of a gRPC answer (decoded with cosmjs-types, written with its toJSON)
// and the REST gateway's JSON for the same call: shared by the REST integration and e2e tests.
import assert from 'node:assert/strict';

export type Json = any;

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const isTime = (s: unknown) => typeof s === 'string' && /^\d{4}-\d\d-\d\dT/.test(s);

/**
 * Every field cosmjs-types' toJSON reports (it omits defaults) has the same value over REST:
 * keys snake_cased; an Any compares its type URL; times compare as instants.
 */
export function assertSubset(grpc: Json, rest: Json, path = '$'): void {
  if (Array.isArray(grpc)) {
    assert.ok(Array.isArray(rest), `${path}: REST has an array`);
    assert.equal(rest.length, grpc.length, `${path}: length`);
    for (const [i, g] of grpc.entries()) assertSubset(g, rest[i], `${path}[${i}]`);
    return;
  }
  if (grpc !== null && typeof grpc === 'object') {
    if ('typeUrl' in grpc && 'value' in grpc) {
      assert.equal(rest?.['@type'], grpc.typeUrl, `${path}: @type`);
      assert.equal(Object.keys(rest)[0], '@type', `${path}: @type comes first`);
      return;
    }
    for (const [k, v] of Object.entries(grpc)) assertSubset(v, rest?.[snake(k)], `${path}.${snake(k)}`);
    return;
  }
  if (isTime(grpc)) assert.equal(Date.parse(rest), Date.parse(grpc), `${path}: time`);
  else assert.equal(rest, grpc, `${path}`);
}
