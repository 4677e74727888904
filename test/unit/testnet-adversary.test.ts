// Testnet arming of TEST ONLY adversaries (issue 13): a validator's manifest entry carries extra
// ML/API node argv that its command lines end with; options naming a validator that does not exist
// are refused; TestnetServices.rearm swaps a stopped validator's command lines for another run.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ValidatorEntry } from '../../testnet/manifest.js';
import { resolvePocOptions } from '../../testnet/pocConfig.js';
import { serviceSpecs, TestnetServices } from '../../testnet/services.js';

const entry = (adversary?: { ml?: string[]; api?: string[] }): ValidatorEntry => ({
  name: 'node2',
  home: '/tmp/nowhere/node2',
  nodeId: 'x',
  ports: { rpc: 1, p2p: 2, grpc: 3, api: 4, ml: 5 },
  services: {
    apiHome: '/tmp/nowhere/node2/api',
    classes: ['tiny'],
    mlWorkers: 1,
    ...(adversary ? { adversary } : {}),
  },
});

describe('testnet adversary arming', () => {
  it("appends the manifest's adversary argv to the ML and API node command lines", () => {
    const honest = serviceSpecs(entry())!;
    assert.ok(!honest.ml.args.includes('--test-adversary') && !honest.api.args.includes('--test-adversary'));
    const armed = serviceSpecs(
      entry({ ml: ['--test-adversary', 'fabricate=0.05'], api: ['--test-adversary', 'refuse-proofs'] }),
    )!;
    assert.deepEqual(armed.ml.args.slice(-2), ['--test-adversary', 'fabricate=0.05']);
    assert.deepEqual(armed.api.args.slice(-2), ['--test-adversary', 'refuse-proofs']);
    assert.deepEqual(armed.ml.args.slice(0, -2), honest.ml.args);
    // An explicit argument overrides the manifest's (re-arming); {} is none.
    assert.deepEqual(
      serviceSpecs(entry({ api: ['--test-adversary', 'refuse-proofs'] }), {})!.api.args,
      honest.api.args,
    );
  });

  it('poc.adversary names existing validators only and reaches their services entry', () => {
    const o = resolvePocOptions({ adversary: { 2: { api: ['--test-adversary', 'overcount=4'] } } }, 4);
    assert.deepEqual(o.adversary[2], { api: ['--test-adversary', 'overcount=4'] });
    assert.throws(
      () => resolvePocOptions({ adversary: { 4: { api: [] } } }, 4),
      /adversary names validator 4 of 4/,
    );
  });

  it('rearm swaps the command lines of a stopped validator', () => {
    const services = new TestnetServices(
      [entry({ api: ['--test-adversary', 'sprint-only'] })],
      '/nonexistent/main.js',
    );
    services.rearm(0, { ml: ['--test-adversary', 'fabricate=0.5'] });
    assert.deepEqual(services.service('ml', 0).spec.args.slice(-2), ['--test-adversary', 'fabricate=0.5']);
    assert.ok(!services.service('api', 0).spec.args.includes('sprint-only'), "the manifest's is replaced");
    services.rearm(0, undefined);
    assert.ok(!services.service('ml', 0).spec.args.includes('--test-adversary'));
    assert.ok(!services.service('api', 0).spec.args.includes('--test-adversary'), 'undefined: honest');
    assert.throws(() => services.rearm(1, undefined), /no services/);
  });
});
