// A home written by software with other module stores is refused with a message that says so
// (and how to start over), not with a bare app-hash mismatch.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PersistentMultiStore } from '../../app/runtime/store/index.js';

describe('store layout changes', () => {
  it('refuses added and removed module stores with an actionable message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gonka-layout-'));
    try {
      const s = await PersistentMultiStore.open(dir, ['a', 'c']);
      s.getStore('a').set(Buffer.from('k'), Buffer.from('v'));
      await s.commit();
      await s.close();
      await assert.rejects(PersistentMultiStore.open(dir, ['a', 'b', 'c']), /module layout changed.*--reset/);
      await assert.rejects(PersistentMultiStore.open(dir, ['a']), /module layout changed.*--reset/);
      const again = await PersistentMultiStore.open(dir, ['a', 'c']);
      assert.equal(again.lastCommitInfo().version, 1);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
