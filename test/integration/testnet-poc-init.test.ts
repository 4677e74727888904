// Issue 12, `gonkad testnet` with PoC services: init allocates each validator's API and ML ports,
// gives its API node home the operator key and writes the Sprint params into the genesis, all in
// the manifest; a testnet without PoC keeps its old shape. The launcher's service control (start
// in order, kill -9 one API node, restart it, stop all) runs on stand-in services (no chain).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadApiKey } from '../../app/api/key.js';
import { repoPath } from '../../app/paths.js';
import { initTestnet } from '../../testnet/config.js';
import { readManifest } from '../../testnet/manifest.js';
import { parseThrottleList, resolvePocOptions, sprintGenesisParams } from '../../testnet/pocConfig.js';
import { serviceSpecs, TestnetServices } from '../../testnet/services.js';
import { confirmationProfile } from '../../x/poc/confirmationParams.js';

const fakeService = repoPath('dist', 'test', 'fixtures', 'fakeService.js');
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'gonka-testnet-poc-'));
  dirs.push(d);
  return d;
};
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const genesisPocParams = (home: string) =>
  JSON.parse(readFileSync(join(home, 'config', 'genesis.json'), 'utf8')).app_state.poc.params;

describe('testnet init with PoC services', () => {
  it('allocates api/ml ports, an API home with the operator key and the Sprint params', async () => {
    const dir = tempDir();
    await initTestnet({
      dir,
      validators: 2,
      poc: { mlThrottle: [800, 400], maxPowerFraction: '0.5', mlWorkers: 1 },
    });
    const m = readManifest(dir);
    const ports = m.validators.flatMap((v) => [
      v.ports.rpc,
      v.ports.p2p,
      v.ports.grpc,
      v.ports.api,
      v.ports.ml,
    ]);
    ports.push(...m.links.map((l) => l.port));
    assert.ok(ports.every((p) => typeof p === 'number' && p > 0));
    assert.equal(new Set(ports).size, ports.length, 'every port distinct');
    for (const [i, v] of m.validators.entries()) {
      assert.ok(v.services, `validator ${i} has services`);
      assert.equal(v.services.apiHome, join(v.home, 'api'));
      assert.equal(v.services.mlThrottle, [800, 400][i]);
      assert.deepEqual(v.services.classes, ['tiny']);
      const key = await loadApiKey(v.services.apiHome);
      assert.equal(key.address, v.operator, "the API node signs as the validator's operator");
      const p = genesisPocParams(v.home);
      assert.equal(p.generation_blocks, '2');
      assert.equal(p.commit_blocks, '2');
      assert.equal(p.validation_blocks, '2');
      assert.equal(p.dkg_blocks, '2');
      assert.equal(p.max_power_fraction, '0.5');
      assert.equal(p.sample_size, 200);
      assert.equal(p.classes[0].class_id, 1, 'class tiny');
      assert.equal(p.classes[0].coefficient, '1');
      const spec = serviceSpecs(v);
      assert.ok(spec);
      assert.deepEqual(spec.ml.args.slice(-2), ['--test-throttle', String([800, 400][i])]);
      const arg = (name: string) => spec.api.args[spec.api.args.indexOf(name) + 1];
      assert.equal(arg('--ml-node'), `http://127.0.0.1:${v.ports.ml}`);
      assert.equal(arg('--node-rpc'), `http://127.0.0.1:${v.ports.rpc}`);
      assert.equal(arg('--listen'), `127.0.0.1:${v.ports.api}`);
      assert.equal(arg('--home'), v.services.apiHome);
    }
  });

  it('a testnet without PoC has no services, no extra ports and the Sprint off', async () => {
    const dir = tempDir();
    await initTestnet({ dir, validators: 1 });
    const v = readManifest(dir).validators[0]!;
    assert.equal(v.services, undefined);
    assert.deepEqual(Object.keys(v.ports).sort(), ['grpc', 'p2p', 'rest', 'rpc']);
    assert.equal(existsSync(join(v.home, 'api')), false);
    assert.equal(genesisPocParams(v.home).generation_blocks, undefined);
    assert.equal(serviceSpecs(v), undefined);
  });

  it('refuses bad PoC options', () => {
    assert.deepEqual(parseThrottleList('800, 400,200,100', 4), [800, 400, 200, 100]);
    assert.throws(() => parseThrottleList('800,400', 4), /2 rates for 4 validators/);
    assert.throws(() => parseThrottleList('800,0', 2), /entry 2 must be a positive integer/);
    assert.throws(() => parseThrottleList('800,x', 2), /entry 2/);
    assert.throws(() => resolvePocOptions({ classes: ['huge'] }, 1), /unknown PoC class 'huge'/);
    assert.throws(() => resolvePocOptions({ mlWorkers: 0 }, 1), /mlWorkers/);
    assert.throws(() => resolvePocOptions({ mlThrottle: [1] }, 2), /1 rates for 2 validators/);
  });

  it('puts the confirmation option into the genesis params, checked by x/poc (rounds off without it)', () => {
    const stages = { generation: 12, commit: 3, validation: 6, dkg: 2 };
    const confirmation = { ...confirmationProfile('fast'), expectedPerEpoch: 10_000, generationBlocks: 12n };
    const p = sprintGenesisParams(resolvePocOptions({ stages, confirmation }, 1), 52);
    const c = p.confirmation as Record<string, unknown> | undefined;
    assert.equal(c?.expected_per_epoch, 10_000);
    assert.equal(c?.generation_blocks, '12');
    assert.equal(c?.alpha, '0.5');
    assert.equal(sprintGenesisParams(resolvePocOptions({ stages }, 1), 52).confirmation, undefined);
    // Sprint 25 blocks + 2 × margin 2 + round 16 + 1 = 46: one block less does not fit.
    assert.doesNotThrow(() => sprintGenesisParams(resolvePocOptions({ stages, confirmation }, 1), 46));
    assert.throws(
      () => sprintGenesisParams(resolvePocOptions({ stages, confirmation }, 1), 45),
      /does not fit the 20 blocks before the Sprint/,
    );
  });

  it("refuses stages that don't fit the epoch before writing anything", async () => {
    const dir = join(tempDir(), 'net');
    await assert.rejects(
      initTestnet({ dir, validators: 1, epochLength: 24, poc: { stages: { generation: 10 } } }),
      /leaves less than 10 of the 24-block epoch/,
    );
    assert.equal(existsSync(dir), false);
  });

  it('gonkad testnet init refuses a throttle list of the wrong length', () => {
    const dir = join(tempDir(), 'net');
    const init = (...args: string[]) =>
      spawnSync(
        process.execPath,
        [repoPath('dist', 'app', 'cli', 'main.js'), 'testnet', 'init', '--dir', dir, ...args],
        {
          encoding: 'utf8',
        },
      );
    const r = init('--validators', '4', '--ml-throttle', '800,400');
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /--ml-throttle lists 2 rates for 4 validators/);
    assert.equal(existsSync(join(dir, 'testnet.json')), false, 'nothing written');
  });
});

describe('testnet services: start, kill -9, restart, stop', () => {
  it('controls each ML and API node by pid and describes them', async () => {
    const dir = tempDir();
    await initTestnet({ dir, validators: 2, poc: {} });
    const services = new TestnetServices(readManifest(dir).validators, fakeService);
    try {
      assert.equal(services.any, true);
      await services.startAll('ml');
      await services.startAll('api');
      assert.ok(services.all().every((s) => s.running));
      const api1 = services.service('api', 1);
      const pid = api1.pid;
      await api1.kill9();
      assert.equal(api1.running, false);
      assert.throws(() => process.kill(pid!, 0), 'the killed pid is gone');
      assert.match(
        services.describe().join('\n'),
        /validator-1 api: down http:\/\/127\.0\.0\.1:\d+\n.*fake api start/,
      );
      assert.equal(services.service('api', 0).running, true, 'the other API node keeps running');
      await services.start('api', 1);
      assert.equal(api1.running, true);
      assert.notEqual(api1.pid, pid);
      assert.match(services.describe().join('\n'), /validator-1 api: running \(pid \d+\)/);
    } finally {
      await services.stopAll();
    }
    assert.ok(services.all().every((s) => !s.running));
    assert.throws(() => services.service('ml', 5), /validator 5 has no ml node/);
  });
});
