// The API node's home: the operator key file (0600 in a 0700 home, never overwritten, the given
// mnemonic's address) and the per-epoch artifact stores (reused for the same seed and pubkey so a
// restart resumes, replaced for another, only the last two epochs kept).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { initApiKey, keyFilePath, loadApiKey } from '../../app/api/key.js';
import { EpochStores } from '../../app/api/stores.js';
import { deriveKey, generateMnemonic } from '../../app/node/keyring/hd.js';

const meta = (blockHash: string) => ({ class: 'tiny', blockHash, pubkey: '02', outputBytes: 4 });

describe('API node home', () => {
  it('writes the operator key 0600 in a 0700 home, from a given mnemonic, and never overwrites it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gonka-api-key-'));
    const home = join(dir, 'api');
    const mnemonic = generateMnemonic();
    const address = await initApiKey(home, mnemonic);
    assert.equal(address, (await deriveKey(mnemonic)).address);
    assert.equal(statSync(keyFilePath(home)).mode & 0o777, 0o600);
    assert.equal(statSync(home).mode & 0o777, 0o700);
    assert.equal((await loadApiKey(home)).address, address);
    await assert.rejects(initApiKey(home), /already exists/);
    rmSync(dir, { recursive: true, force: true });
  });

  it('resumes a store for the same seed, replaces it for another, and keeps two epochs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gonka-api-stores-'));
    const stores = new EpochStores(dir);
    const a = stores.openForMining(5n, 'tiny', meta('aa'));
    a.append(new Uint8Array(4).fill(1));
    a.flush();
    assert.equal(stores.openForMining(5n, 'tiny', meta('aa')).count, 1);
    stores.close();
    const reopened = new EpochStores(dir);
    assert.equal(reopened.openForMining(5n, 'tiny', meta('aa')).count, 1, 'resumed after a restart');
    assert.equal(reopened.openForMining(5n, 'tiny', meta('bb')).count, 0, 'another seed: a fresh store');
    reopened.openForMining(6n, 'tiny', meta('cc'));
    reopened.openForMining(7n, 'tiny', meta('dd'));
    reopened.prune(7n);
    assert.equal(existsSync(join(dir, '5')), false);
    assert.ok(reopened.get(6n, 'tiny') && reopened.get(7n, 'tiny'));
    assert.equal(reopened.get(5n, 'tiny'), undefined);
    reopened.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
