// Issue 15 acceptance 5: the chain-registry files gonkad writes (chain.json, assetlist.json) validate
// against the registry's JSON schema (test/fixtures/chain-registry, written from its documentation),
// and keplr-suggest-chain.json against Keplr's ChainInfo shape; the cross-field rules the
// registry's CI adds (display/base among the denom units, fee token listed) hold. Broken files are
// rejected, so the validator is not vacuous.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { chainName, type RegistryInput, writeChainRegistry } from '../../app/node/chainRegistry.js';
import { repoPath } from '../../app/paths.js';

// ajv and ajv-formats come with fastify (already a dependency): no new package.
const require = createRequire(import.meta.url);
const Ajv = require('ajv') as new (
  o: object,
) => {
  compile(s: object): ((d: unknown) => boolean) & { errors?: unknown };
};
const addFormats = require('ajv-formats') as (a: unknown) => void;

const schema = (name: string) =>
  JSON.parse(readFileSync(repoPath('test/fixtures/chain-registry', name), 'utf8')) as object;

const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
addFormats(ajv);
const validators = {
  'chain.json': ajv.compile(schema('chain.schema.json')),
  'assetlist.json': ajv.compile(schema('assetlist.schema.json')),
  'keplr-suggest-chain.json': ajv.compile(schema('keplr-chain-info.schema.json')),
};
type Name = keyof typeof validators;
const valid = (name: Name, doc: unknown) => {
  const v = validators[name];
  return v(doc) ? true : JSON.stringify(v.errors);
};

const input: RegistryInput = {
  chainId: 'gonka-devnet',
  rpc: 'http://127.0.0.1:26657',
  rest: 'http://127.0.0.1:1317',
  grpc: 'http://127.0.0.1:9090',
  minGasPrice: '0.1',
  networkType: 'devnet',
};

describe('chain registry files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gonka-registry-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const paths = writeChainRegistry(dir, input);
  const read = (name: Name) => JSON.parse(readFileSync(join(dir, 'chain-registry', name), 'utf8'));

  it('writes chain.json, assetlist.json and keplr-suggest-chain.json into <home>/chain-registry', () => {
    assert.deepEqual(
      paths.map((p) => p.slice(dir.length)),
      [
        '/chain-registry/chain.json',
        '/chain-registry/assetlist.json',
        '/chain-registry/keplr-suggest-chain.json',
      ],
    );
  });

  it('each validates against its schema', () => {
    for (const name of Object.keys(validators) as Name[]) assert.equal(valid(name, read(name)), true, name);
  });

  it('holds the cross-field rules: denoms, decimals 9, gas price steps from the minimum', () => {
    const chain = read('chain.json');
    const assets = read('assetlist.json');
    const keplr = read('keplr-suggest-chain.json');
    assert.equal(chain.chain_name, assets.chain_name);
    assert.equal(chain.chain_id, 'gonka-devnet');
    const asset = assets.assets[0];
    const units = asset.denom_units.map((u: { denom: string }) => u.denom);
    assert.ok(units.includes(asset.base) && units.includes(asset.display));
    assert.equal(asset.denom_units.find((u: { denom: string }) => u.denom === asset.base).exponent, 0);
    assert.equal(asset.denom_units.find((u: { denom: string }) => u.denom === asset.display).exponent, 9);
    assert.equal(chain.fees.fee_tokens[0].denom, asset.base);
    assert.equal(chain.slip44, keplr.bip44.coinType);
    assert.deepEqual(keplr.feeCurrencies[0], {
      coinDenom: 'GNK',
      coinMinimalDenom: 'ngonka',
      coinDecimals: 9,
      gasPriceStep: { low: 0.1, average: 0.2, high: 0.4 },
    });
    assert.equal(keplr.bech32Config.bech32PrefixValAddr, 'gonkavaloper');
    assert.equal(chainName('Gonka-Test_1'), 'gonkatest1');
  });

  it('the schemas reject broken files', () => {
    const chain = read('chain.json');
    assert.notEqual(valid('chain.json', { ...chain, chain_name: 'Gonka-Devnet' }), true);
    const { slip44: _, ...noSlip } = chain;
    assert.notEqual(valid('chain.json', noSlip), true);
    assert.notEqual(valid('chain.json', { ...chain, surprise: 1 }), true);
    const assets = read('assetlist.json');
    assert.notEqual(
      valid('assetlist.json', { ...assets, assets: [{ ...assets.assets[0], type_asset: 'coin' }] }),
      true,
    );
    const keplr = read('keplr-suggest-chain.json');
    assert.notEqual(valid('keplr-suggest-chain.json', { ...keplr, rpc: 'not a url' }), true);
    assert.notEqual(
      valid('keplr-suggest-chain.json', { ...keplr, feeCurrencies: [keplr.currencies[0]] }),
      true,
    );
  });
});
