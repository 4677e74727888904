// The file keyring and HD derivation: addresses match CosmJS's wallet for the same mnemonic
// (m/44'/118'/0'/0/0, prefix gonka), the mnemonic is stored encrypted, and a wrong passphrase fails.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { FileKeyring, KeyringError } from '../../app/node/keyring/fileKeyring.js';
import { deriveKey, generateMnemonic } from '../../app/node/keyring/hd.js';

describe('file keyring', () => {
  const home = mkdtempSync(join(tmpdir(), 'gonka-keys-'));
  after(() => rmSync(home, { recursive: true, force: true }));

  it('derives the same address as CosmJS for a mnemonic', async () => {
    const mnemonic = generateMnemonic(24);
    const key = await deriveKey(mnemonic);
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: 'gonka' });
    const [acct] = await wallet.getAccounts();
    assert.equal(key.address, acct!.address);
    assert.deepEqual(Buffer.from(key.publicKey), Buffer.from(acct!.pubkey));
  });

  it('stores keys encrypted, lists and shows them, and refuses a wrong passphrase', async () => {
    const ring = new FileKeyring(home);
    const created = await ring.add('alice', 'correct horse');
    assert.equal(ring.show('alice').address, created.address);
    assert.deepEqual(
      ring.list().map((k) => k.name),
      ['alice'],
    );
    const onDisk = readFileSync(join(home, 'keyring-file', 'alice.json'), 'utf8');
    assert.ok(
      !onDisk.includes(`${created.mnemonic.split(' ')[0]!} ${created.mnemonic.split(' ')[1]!}`),
      'mnemonic not in the clear',
    );
    assert.equal(ring.mnemonic('alice', 'correct horse'), created.mnemonic);
    assert.throws(() => ring.mnemonic('alice', 'wrong horse'), KeyringError);
    await assert.rejects(ring.add('alice', 'correct horse'), KeyringError);
    await assert.rejects(ring.add('bob', 'short'), KeyringError);
    await assert.rejects(ring.add('bad/name', 'correct horse'), KeyringError);
    const recovered = await ring.add('alice2', 'another pass', created.mnemonic);
    assert.equal(recovered.address, created.address);
  });
});
