// Key files are 0600 in a 0700 directory (issue 10): checked on every open of the keyring, and
// tightened with a warning when they were looser (a copied or restored keyring).
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FileKeyring } from '../../app/node/keyring/fileKeyring.js';

const mode = (p: string) => statSync(p).mode & 0o777;

describe('key file modes', { skip: process.platform === 'win32' }, () => {
  const home = mkdtempSync(join(tmpdir(), 'gonka-keymodes-'));
  after(() => rmSync(home, { recursive: true, force: true }));

  it('creates 0600 files in a 0700 directory and tightens looser ones on every open, with a warning', async () => {
    const warnings: string[] = [];
    const ring = new FileKeyring(home, (m) => warnings.push(m));
    await ring.add('bob', 'correct horse');
    const dir = join(home, 'keyring-file');
    const file = join(dir, 'bob.json');
    assert.equal(mode(dir), 0o700);
    assert.equal(mode(file), 0o600);
    assert.deepEqual(warnings, [], 'no warning for a keyring that was already private');

    chmodSync(file, 0o644);
    chmodSync(dir, 0o755);
    ring.show('bob');
    assert.equal(mode(file), 0o600, 'show tightens the file');
    assert.equal(mode(dir), 0o700, 'and the directory');
    assert.equal(warnings.length, 2);
    assert.match(warnings.join('\n'), /bob\.json had mode 0644.*tightened to 0600/);
    assert.match(warnings.join('\n'), /keyring-file had mode 0755.*tightened to 0700/);

    chmodSync(file, 0o640);
    ring.list();
    assert.equal(mode(file), 0o600, 'list tightens too');
    chmodSync(file, 0o604);
    assert.equal(ring.mnemonic('bob', 'correct horse').split(' ').length, 24);
    assert.equal(mode(file), 0o600, 'and reading the mnemonic');
    assert.equal(warnings.length, 4);
  });
});
