// gonkad tx poc register|update and query poc participant|stage against a real single-validator
// node: the PoP is signed from a priv_validator_key.json (the node's own key is refused as already
// registered: it is the genesis validator's), the chain id comes from the node's /status. The
// genesis gets the fast Sprint params (setSprintParams), so the node also runs empty Sprints.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setSprintParams } from '../../x/poc/genesisValidators.js';
import { gonkadEntry } from './helpers/entries.js';
import { TestNode } from './helpers/node.js';

const PASS = 'poc e2e passphrase';

describe('gonkad tx poc register / update on a real node', () => {
  let node: TestNode;
  let address: string;
  const cli = (args: string[]) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const withNode = args[0] === 'tx' || args[0] === 'query' ? ['--node', node.rpc.url] : [];
      const withHome = args[0] === 'query' ? [] : ['--home', node.home];
      const p = spawn(process.execPath, [gonkadEntry, ...args, ...withHome, ...withNode], {
        env: { ...process.env, GONKA_KEYRING_PASSPHRASE: PASS },
      });
      let stdout = '';
      let stderr = '';
      p.stdout.on('data', (d) => (stdout += d));
      p.stderr.on('data', (d) => (stderr += d));
      p.on('close', (status) => resolve({ status, stdout, stderr }));
      p.stdin.end('');
    });
  const ok = async (args: string[]) => {
    const r = await cli(args);
    assert.equal(r.status, 0, `gonkad ${args.join(' ')}: ${r.stderr} ${r.stdout}`);
    return JSON.parse(r.stdout);
  };

  before(async () => {
    node = await TestNode.create();
    address = (await ok(['keys', 'add', 'op'])).address;
    const add = spawnSync(
      process.execPath,
      [gonkadEntry, 'genesis', 'add-account', address, '1000000000ngonka', '--home', node.home],
      { encoding: 'utf8' },
    );
    assert.equal(add.status, 0, add.stderr);
    // The Sprint's classes exist only with Sprint params: the fast test profile's
    const genesisFile = join(node.home, 'config', 'genesis.json');
    const genesis = JSON.parse(readFileSync(genesisFile, 'utf8'));
    setSprintParams(genesis, 'fast');
    writeFileSync(genesisFile, JSON.stringify(genesis, null, 2));
    node.start();
    await node.waitForHeight(2);
  });
  after(() => node?.destroy());

  it("refuses the node's own consensus key (the genesis validator's), registers a new one", async () => {
    const dup = await cli(['tx', 'poc', 'register', 'op', '--api-url', 'http://127.0.0.1:9100']);
    assert.notEqual(dup.status, 0);
    assert.match(dup.stderr + dup.stdout, /consensus key already registered/);

    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const pub = publicKey.export({ format: 'der', type: 'spki' }).subarray(12);
    const seed = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(16);
    const file = join(node.home, 'other_priv_validator_key.json');
    writeFileSync(
      file,
      JSON.stringify({
        pub_key: { type: 'tendermint/PubKeyEd25519', value: pub.toString('base64') },
        priv_key: { type: 'tendermint/PrivKeyEd25519', value: Buffer.concat([seed, pub]).toString('base64') },
      }),
    );
    const reg = await ok([
      'tx',
      'poc',
      'register',
      'op',
      '--api-url',
      'http://127.0.0.1:9100',
      '--classes',
      'tiny',
      '--consensus-key-file',
      file,
    ]);
    assert.equal(reg.code, 0, reg.raw_log);
    const p = (await ok(['query', 'poc', 'participant', address])).participant;
    assert.equal(p.apiUrl, 'http://127.0.0.1:9100');
    assert.deepEqual(p.classes, [1]);
    assert.equal(Buffer.from(p.consensusPubkey, 'base64').toString('hex'), pub.toString('hex'));
    assert.equal(p.weight, '0');
  });

  it('updates api_url and classes; the stage and sprint queries answer', async () => {
    const up = await ok([
      'tx',
      'poc',
      'update',
      'op',
      '--api-url',
      'https://api.example',
      '--classes',
      'tiny,devnet',
    ]);
    assert.equal(up.code, 0, up.raw_log);
    const p = (await ok(['query', 'poc', 'participant', address])).participant;
    assert.equal(p.apiUrl, 'https://api.example');
    assert.deepEqual(p.classes, [1, 2]);
    const stage = await ok(['query', 'poc', 'stage']);
    assert.ok(['idle', 'generation', 'commit', 'validation', 'weights_final', 'dkg'].includes(stage.stage));
    assert.equal(stage.epoch !== undefined, true);
  });

  it("the Sprint's seed is CometBFT's hash of block P; an empty Sprint keeps the validator set", async () => {
    // The latest Sprint once its validation hash is known (older Sprints are pruned, and how far
    // the chain got by now depends on the machine): epoch 24, stages 2/2/2/2, P = B − 10.
    let seed: { epoch: string; poc_start: string; seed: string; validation_hash: string };
    const deadline = Date.now() + 60_000;
    for (;;) {
      seed = await ok(['query', 'poc', 'seed']);
      if (seed.validation_hash !== '') break;
      assert.ok(Date.now() < deadline, `no Sprint reached validation: ${JSON.stringify(seed)}`);
      await new Promise((r) => setTimeout(r, 300));
    }
    const { sprint } = await ok(['query', 'poc', 'sprint', seed.epoch]);
    const pocStart = Number(seed.poc_start);
    assert.equal(Number(sprint.validationStart ?? sprint.validation_start), pocStart + 4);
    const block = async (h: number) => {
      const r = (await (await fetch(`${node.rpc.url}/block?height=${h}`)).json()) as {
        result: { block_id: { hash: string } };
      };
      return r.result.block_id.hash.toLowerCase();
    };
    assert.equal(seed.seed, await block(pocStart));
    assert.equal(seed.validation_hash, await block(pocStart + 4));
    await node.waitForHeight(pocStart + 10); // the next epoch's first block
    assert.deepEqual((await ok(['query', 'poc', 'weights', seed.epoch])).weights, []);
    // Issue 13's queries answer on a node where nothing was proven and no round runs.
    assert.deepEqual((await ok(['query', 'poc', 'fraud', seed.epoch])).records, []);
    assert.deepEqual((await ok(['query', 'poc', 'confirmations'])).rounds, []);
    assert.deepEqual((await ok(['query', 'poc', 'commits', seed.epoch, '--round', '1'])).commits, []);
    const vals = (await (await fetch(`${node.rpc.url}/validators?height=${pocStart + 10}`)).json()) as {
      result: { validators: { voting_power: string }[] };
    };
    assert.deepEqual(
      vals.result.validators.map((v) => v.voting_power),
      ['10'],
    );
  });
});
