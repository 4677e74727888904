// The persistent root store: ICS23 proofs against the committed app hash, reopening with the same
// hash and values, versioned queries, pruning in memory and on disk.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ics23 } from '@confio/ics23';
import { ClassicLevel } from 'classic-level';
import { PersistentMultiStore, verifyChainedProof } from '../../app/runtime/store/index.js';
import { applyBlock, STORE_NAMES } from './store-blocks.js';

const dirs: string[] = [];
function freshDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'gonka-store-'));
  dirs.push(d);
  return d;
}
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const key = (s: string) => Buffer.from(s);

async function storeWithBlocks(dir: string, blocks: number, keepRecent = 100): Promise<PersistentMultiStore> {
  const cms = await PersistentMultiStore.open(dir, STORE_NAMES, { keepRecent });
  for (let v = 1; v <= blocks; v++) {
    applyBlock(cms, v);
    await cms.commit();
  }
  return cms;
}

describe('store proofs', () => {
  it('membership and non-membership proofs verify against the committed app hash; tampering fails', async () => {
    const cms = await PersistentMultiStore.open(freshDir(), ['acc', 'bank', 'empty', 'gov'], {});
    const bank = cms.getStore('bank');
    for (let i = 0; i < 500; i++) bank.set(key(`balance/${i}`), key(`${i * 3}`));
    cms.getStore('acc').set(key('only'), key('one'));
    const working = Buffer.from(cms.workingHash());
    const info = await cms.commit();
    assert.deepEqual(Buffer.from(info.hash), working, 'the committed hash is the working hash');
    assert.deepEqual(cms.lastCommitInfo(), info);

    for (let i = 0; i < 500; i += 7) {
      const k = key(`balance/${i}`);
      const r = cms.query('bank', k, undefined, true);
      assert.equal(r.height, 1);
      assert.deepEqual(Buffer.from(r.value as Uint8Array), key(`${i * 3}`));
      assert.ok(verifyChainedProof(info.hash, 'bank', k, r.value, r.proofOps ?? []), `membership of ${k}`);
      assert.ok(
        !verifyChainedProof(info.hash, 'bank', k, key('tampered'), r.proofOps ?? []),
        'tampered value',
      );
      assert.ok(
        !verifyChainedProof(info.hash, 'bank', k, undefined, r.proofOps ?? []),
        'present key as absent',
      );
      assert.ok(!verifyChainedProof(info.hash, 'acc', k, r.value, r.proofOps ?? []), 'wrong store');
    }
    // Many absent keys, so that neighbours on both sides and at both ends of the trie are exercised.
    for (let i = 0; i < 300; i++) {
      const k = key(`missing/${i}`);
      const r = cms.query('bank', k, undefined, true);
      assert.equal(r.value, undefined);
      assert.ok(
        verifyChainedProof(info.hash, 'bank', k, undefined, r.proofOps ?? []),
        `non-membership of ${k}`,
      );
      assert.ok(
        !verifyChainedProof(info.hash, 'bank', k, key('x'), r.proofOps ?? []),
        'absent key as present',
      );
      assert.ok(!verifyChainedProof(info.hash, 'bank', key(`balance/${i}`), undefined, r.proofOps ?? []));
    }
    // One-key store (leaf is the root) and empty store.
    for (const [store, k, present] of [
      ['acc', 'only', true],
      ['acc', 'other', false],
      ['empty', 'anything', false],
      ['gov', 'x', false],
    ] as const) {
      const r = cms.query(store, key(k), 1, true);
      assert.equal(r.value !== undefined, present);
      assert.ok(verifyChainedProof(info.hash, store, key(k), r.value, r.proofOps ?? []), `${store}/${k}`);
    }
    // A proof against another app hash, or with a flipped byte in a sibling hash, fails.
    const r = cms.query('bank', key('balance/3'), undefined, true);
    const ops = r.proofOps ?? [];
    assert.ok(!verifyChainedProof(Buffer.alloc(32, 1), 'bank', key('balance/3'), r.value, ops));
    const decoded = ics23.CommitmentProof.decode(ops[0]?.data as Uint8Array);
    const step = decoded.exist?.path?.[0];
    assert.ok(step?.suffix && step.prefix);
    const flip = (bytes: Uint8Array, i: number) => {
      bytes[i] = (bytes[i] ?? 0) ^ 1;
    };
    if (step.suffix.length > 0) flip(step.suffix, 3);
    else flip(step.prefix, 5);
    const tampered = [
      { ...(ops[0] as (typeof ops)[0]), data: ics23.CommitmentProof.encode(decoded).finish() },
      ops[1],
    ];
    assert.ok(!verifyChainedProof(info.hash, 'bank', key('balance/3'), r.value, tampered as typeof ops));
    await cms.close();
  });
});

describe('store non-membership edge cases', () => {
  it('proves absence below the smallest and above the largest path, and rejects a forged neighbour', async () => {
    const cms = await PersistentMultiStore.open(freshDir(), ['small'], {});
    for (const k of ['a', 'b', 'c']) cms.getStore('small').set(key(k), key(`value-${k}`));
    const info = await cms.commit();
    const shapes = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const k = key(`absent/${i}`);
      const r = cms.query('small', k, undefined, true);
      const ops = r.proofOps ?? [];
      assert.ok(verifyChainedProof(info.hash, 'small', k, undefined, ops), `non-membership of ${k}`);
      const nonexist = ics23.CommitmentProof.decode(ops[0]?.data as Uint8Array).nonexist;
      shapes.add(`${nonexist?.left ? 'L' : '-'}${nonexist?.right ? 'R' : '-'}`);
      if (nonexist?.left && nonexist.right) {
        // A right neighbour alone claims the key lies below every path: for a key in the middle it must fail.
        const forged = ics23.CommitmentProof.encode({
          nonexist: { key: nonexist.key, right: nonexist.right },
        }).finish();
        const forgedOps = [{ ...(ops[0] as (typeof ops)[0]), data: forged }, ops[1] as (typeof ops)[0]];
        assert.ok(
          !verifyChainedProof(info.hash, 'small', k, undefined, forgedOps),
          'right-only proof for a middle key',
        );
      }
    }
    assert.deepEqual([...shapes].sort(), ['-R', 'L-', 'LR'], 'all three neighbour shapes were exercised');
    await cms.close();
  });
});

describe('store persistence', () => {
  it('reopens with the same app hash, values and retained versions', async () => {
    const dir = freshDir();
    const cms = await storeWithBlocks(dir, 12);
    const info = cms.lastCommitInfo();
    const hashes = new Map(cms.availableVersions().map((v) => [v, cms.query('bank', key('k/11'), v).value]));
    const all = [...cms.iterateAt('acc', undefined)].map(([k, v]) => [
      Buffer.from(k).toString(),
      Buffer.from(v).toString(),
    ]);
    applyBlock(cms, 13); // uncommitted: must not survive
    await cms.close();

    const again = await PersistentMultiStore.open(dir, STORE_NAMES);
    assert.deepEqual(again.lastCommitInfo(), info);
    assert.deepEqual(Buffer.from(again.workingHash()), Buffer.from(info.hash));
    assert.deepEqual(again.availableVersions(), [...Array(13).keys()]);
    for (const [v, value] of hashes) assert.deepEqual(again.query('bank', key('k/11'), v).value, value);
    const reloaded = [...again.iterateAt('acc', undefined)].map(([k, v]) => [
      Buffer.from(k).toString(),
      Buffer.from(v).toString(),
    ]);
    assert.deepEqual(reloaded, all);
    // Continuing after the reopen gives the same hashes as a store that never stopped.
    applyBlock(again, 13);
    const continued = await again.commit();
    await again.close();
    const reference = await storeWithBlocks(freshDir(), 13);
    assert.deepEqual(reference.lastCommitInfo(), continued);
    await reference.close();
  });

  it('serves versioned queries and proofs, and prunes old versions in memory and on disk', async () => {
    const dir = freshDir();
    const cms = await storeWithBlocks(dir, 10, 4);
    assert.deepEqual(cms.availableVersions(), [7, 8, 9, 10]);
    assert.throws(() => cms.query('bank', key('k/0'), 6), /not available/);
    // Each retained version answers as a store built to exactly that height.
    for (const v of [7, 8, 9, 10]) {
      const ref = await storeWithBlocks(freshDir(), v);
      const refInfo = ref.lastCommitInfo();
      for (const name of STORE_NAMES) {
        const got = [...cms.iterateAt(name, v)].map(
          ([k, x]) => Buffer.from(k).toString() + Buffer.from(x).toString(),
        );
        const want = [...ref.iterateAt(name, undefined)].map(
          ([k, x]) => Buffer.from(k).toString() + Buffer.from(x).toString(),
        );
        assert.deepEqual(got, want, `${name} at ${v}`);
      }
      const q = cms.query('acc', key('k/44'), v, true);
      assert.ok(
        verifyChainedProof(refInfo.hash, 'acc', key('k/44'), q.value, q.proofOps ?? []),
        `proof at ${v}`,
      );
      await ref.close();
    }
    // A committed branch (CheckTx state) sees the version; its own write() cannot touch committed state.
    const check = cms.branchAt(8);
    assert.deepEqual(check.getStore('bank').get(key('k/11')), cms.query('bank', key('k/11'), 8).value);
    check.getStore('bank').set(key('new'), key('x'));
    assert.throws(() => check.write());
    await cms.close();

    // On disk only the undo logs and commit records of retained versions remain.
    const db = new ClassicLevel<Buffer, Buffer>(dir, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
    const undoVersions = new Set<number>();
    for await (const k of db.keys({ gte: Buffer.from('U'), lt: Buffer.from('V') }))
      undoVersions.add(Number(k.readBigUInt64BE(1)));
    const historyVersions: number[] = [];
    for await (const k of db.keys({ gte: Buffer.from('H'), lt: Buffer.from('I') }))
      historyVersions.push(Number(k.readBigUInt64BE(1)));
    await db.close();
    assert.deepEqual(
      [...undoVersions].sort((a, b) => a - b),
      [8, 9, 10],
    );
    assert.deepEqual(historyVersions, [7, 8, 9, 10]);

    // Reopening with a smaller window prunes further; the same versions come back otherwise.
    const again = await PersistentMultiStore.open(dir, STORE_NAMES, { keepRecent: 2 });
    assert.deepEqual(again.availableVersions(), [9, 10]);
    await again.close();
    // A larger window later grows from what is left.
    const grown = await PersistentMultiStore.open(dir, STORE_NAMES, { keepRecent: 100 });
    assert.deepEqual(grown.availableVersions(), [9, 10]);
    for (const v of [11, 12]) {
      applyBlock(grown, v);
      await grown.commit();
    }
    await grown.close();
    const reopened = await PersistentMultiStore.open(dir, STORE_NAMES, { keepRecent: 100 });
    assert.deepEqual(reopened.availableVersions(), [9, 10, 11, 12]);
    await reopened.close();
  });

  it('keeps no history with keepRecent 1 and grows it after a reopen with a larger window', async () => {
    const dir = freshDir();
    const cms = await storeWithBlocks(dir, 3, 1);
    assert.deepEqual(cms.availableVersions(), [3]);
    await cms.close();
    const grown = await PersistentMultiStore.open(dir, STORE_NAMES, { keepRecent: 100 });
    assert.deepEqual(grown.availableVersions(), [3]);
    for (const v of [4, 5]) {
      applyBlock(grown, v);
      await grown.commit();
    }
    await grown.close();
    const reopened = await PersistentMultiStore.open(dir, STORE_NAMES, { keepRecent: 100 });
    assert.deepEqual(reopened.availableVersions(), [3, 4, 5]);
    const reference = await storeWithBlocks(freshDir(), 5);
    assert.deepEqual(reopened.lastCommitInfo(), reference.lastCommitInfo());
    await reference.close();
    await reopened.close();
  });
});
