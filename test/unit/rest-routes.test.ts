// The REST gateway's routes come from the google.api.http bindings of the served .proto files
// (never a hand-kept list), match paths as grpc-gateway does, and turn path/query parameters into
// request fields of the right kind, refusing values that do not fit (issue 15, acceptance 3).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { GrpcError } from '../../app/node/grpc/grpcError.js';
import { loadServedProtos, PROTO_FILES } from '../../app/node/grpc/server.js';
import { JsonCodec } from '../../app/node/rest/codec.js';
import { requestJson } from '../../app/node/rest/request.js';
import { matchRoute, parseTemplate, type RestRoute, restRoutes } from '../../app/node/rest/routes.js';
import { repoPath } from '../../app/paths.js';

const definition = loadServedProtos();
const codec = new JsonCodec(definition);
const routes = restRoutes(definition, codec.registry);
const route = (method: string) => routes.find((r) => `${r.service}/${r.method}` === method)!;

describe('REST routes from google.api.http', () => {
  it('has one route per binding written in the served .proto files', () => {
    const declared = PROTO_FILES.flatMap((f) => {
      const text = readFileSync(repoPath('proto', f), 'utf8');
      return [...text.matchAll(/option \(google\.api\.http\)(?:\.| = \{ )(get|post)[:\s=]+"([^"]+)"/g)].map(
        (m) => `${m[1]} ${m[2]}`,
      );
    });
    assert.ok(declared.length >= 70, `${declared.length} bindings`);
    assert.deepEqual(routes.map((r) => `${r.verb} ${r.template}`).sort(), declared.sort());
    for (const must of [
      'get /cosmos/auth/v1beta1/accounts/{address}',
      'get /cosmos/bank/v1beta1/balances/{address}',
      'get /cosmos/tx/v1beta1/txs/{hash}',
      'get /cosmos/tx/v1beta1/txs',
      'post /cosmos/tx/v1beta1/txs',
      'post /cosmos/tx/v1beta1/simulate',
      'get /cosmos/base/tendermint/v1beta1/blocks/latest',
      'get /cosmos/gov/v1/proposals/{proposal_id}/tally',
      'get /cosmos/gov/v1beta1/proposals',
      'get /cosmos/base/node/v1beta1/config',
      'get /gonka/poc/v1/epoch',
    ])
      assert.ok(declared.includes(must), must);
  });

  it('the cosmos declarations are what proto/generate.mjs renders (bindings included)', async () => {
    const gen = (await import(pathToFileURL(repoPath('proto', 'generate.mjs')).href)) as {
      generate(outDir: string): string[];
    };
    const out = mkdtempSync(join(tmpdir(), 'gonka-protogen-'));
    try {
      for (const f of gen.generate(out))
        assert.equal(readFileSync(join(out, f), 'utf8'), readFileSync(repoPath('proto', f), 'utf8'), f);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('matches literal, single-segment and greedy path parameters', () => {
    const r = { segments: parseTemplate('/a/{x}/b/{rest=**}') } as RestRoute;
    assert.deepEqual(Object.fromEntries(matchRoute(r, ['a', '1', 'b', 'c', 'd'])!), { x: '1', rest: 'c/d' });
    assert.equal(matchRoute(r, ['a', '1', 'b']), undefined);
    assert.equal(matchRoute(r, ['a', '', 'b', 'c']), undefined);
    assert.equal(matchRoute(r, ['z', '1', 'b', 'c']), undefined);
    assert.throws(() => parseTemplate('/a/{x=*}/b'), /unsupported segment/);
  });

  it('fills request fields from path and query parameters by kind', () => {
    const all = codec.message(route('cosmos.bank.v1beta1.Query/AllBalances').requestType);
    const q = new URLSearchParams(
      'pagination.limit=10&pagination.count_total=true&pagination.key=_-8&resolve_denom=false&unknown=1',
    );
    assert.deepEqual(requestJson(all, new Map([['address', 'gonka1x']]), q, undefined), {
      pagination: { limit: '10', count_total: true, key: '/+8' },
      resolve_denom: false,
      address: 'gonka1x',
    });
    const props = codec.message(route('cosmos.gov.v1.Query/Proposals').requestType);
    assert.deepEqual(requestJson(props, new Map(), new URLSearchParams('proposal_status=2'), undefined), {
      proposal_status: 'PROPOSAL_STATUS_VOTING_PERIOD',
    });
    const events = codec.message(route('cosmos.tx.v1beta1.Service/GetTxsEvent').requestType);
    assert.deepEqual(requestJson(events, new Map(), new URLSearchParams('events=a&events=b'), undefined), {
      events: ['a', 'b'],
    });
  });

  it('refuses values that do not fit their field, as INVALID_ARGUMENT', () => {
    const all = codec.message(route('cosmos.bank.v1beta1.Query/AllBalances').requestType);
    const bad = (qs: string, path = new Map<string, string>()) =>
      assert.throws(
        () => requestJson(all, path, new URLSearchParams(qs), undefined),
        (e: unknown) => e instanceof GrpcError && e.code === 3,
        qs,
      );
    bad('pagination.limit=ten');
    bad('pagination.limit=1.5');
    bad('pagination.count_total=yes');
    bad('pagination.key=%%%');
    bad('pagination=1');
    bad('pagination.limit=1&pagination.limit=2');
    bad('a.b.c.d.e=1');
    bad(Array.from({ length: 65 }, (_, i) => `p${i}=1`).join('&'));
    bad('', new Map([['no_such_field', 'x']]));
    assert.throws(() => codec.encodeJson(all, { pagination: { limit: '9'.repeat(25) } }), /limit/);
  });
});
