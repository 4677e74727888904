// Crash safety of Commit: a child process committing blocks is killed with SIGKILL just before and
// just after the Commit batch (failpoints) and at random moments; on reopen the store holds exactly
// one committed version — the last one the child finished, or the one it was writing — whose app
// hash and contents equal a reference run's, and committing goes on from there.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PersistentMultiStore } from '../../app/runtime/store/index.js';
import type { CommitInfo } from '../../app/runtime/store/types.js';
import { sized } from '../profile.js';
import { applyBlock, STORE_NAMES } from './store-blocks.js';

const child = join(dirname(fileURLToPath(import.meta.url)), 'store-crash-child.js');
const dirs: string[] = [];
function freshDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'gonka-store-crash-'));
  dirs.push(d);
  return d;
}
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface ChildRun {
  committed: number[];
  signal: NodeJS.Signals | null;
  code: number | null;
  stderr: string;
}

/** Runs the child; killAfter: SIGKILL it once it has reported that many commits. Bounded by a deadline. */
function runChild(
  dir: string,
  opts: { until?: number; failpoint?: string; killAfter?: number },
): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const args = [child, dir, ...(opts.until === undefined ? [] : [String(opts.until)])];
    const env = { ...process.env, GONKA_FAILPOINT: opts.failpoint ?? '' };
    const p = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const run: ChildRun = { committed: [], signal: null, code: null, stderr: '' };
    const deadline = setTimeout(() => {
      p.kill('SIGKILL');
      reject(new Error(`crash child did not finish in time: ${run.stderr}`));
    }, 30_000);
    let buf = '';
    p.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^committed (\d+) /.exec(line);
        if (m) run.committed.push(Number(m[1]));
        if (opts.killAfter !== undefined && run.committed.length === opts.killAfter) p.kill('SIGKILL');
      }
    });
    p.stderr.on('data', (d: Buffer) => {
      run.stderr += d.toString();
    });
    p.on('exit', (code, signal) => {
      clearTimeout(deadline);
      run.code = code;
      run.signal = signal;
      resolve(run);
    });
  });
}

// Reference app hashes per height from an in-process run that is never interrupted.
const reference = new Map<number, CommitInfo>();
const refHeights = sized(400, 2000);
let refDir = '';
before(async () => {
  refDir = freshDir();
  const cms = await PersistentMultiStore.open(refDir, STORE_NAMES, { keepRecent: 5 });
  for (let v = 1; v <= refHeights; v++) {
    applyBlock(cms, v);
    reference.set(v, await cms.commit());
  }
  await cms.close();
});

async function checkConsistent(dir: string, allowed: number[]): Promise<number> {
  const cms = await PersistentMultiStore.open(dir, STORE_NAMES, { keepRecent: 5 });
  const info = cms.lastCommitInfo();
  assert.ok(allowed.includes(info.version), `reopened at ${info.version}, expected one of ${allowed}`);
  if (info.version > 0) {
    assert.deepEqual(info, reference.get(info.version));
    assert.deepEqual(Buffer.from(cms.workingHash()), Buffer.from(info.hash));
  }
  // The chain continues from the recovered version with the reference hashes.
  for (let v = info.version + 1; v <= info.version + 3; v++) {
    applyBlock(cms, v);
    assert.deepEqual(await cms.commit(), reference.get(v));
  }
  await cms.close();
  return info.version;
}

describe('store crash safety', () => {
  for (const [failpoint, survives] of [
    ['commit-before-batch', false],
    ['commit-after-batch', true],
  ] as const) {
    it(`kill -9 at ${failpoint} leaves ${survives ? 'the new' : 'the previous'} version`, async () => {
      const dir = freshDir();
      const first = await runChild(dir, { until: 6 });
      assert.equal(first.code, 0, first.stderr);
      const crashed = await runChild(dir, { failpoint });
      assert.equal(crashed.signal, 'SIGKILL');
      assert.match(crashed.stderr, new RegExp(`failpoint ${failpoint} hit`));
      assert.deepEqual(crashed.committed, []);
      const version = await checkConsistent(dir, [6, 7]);
      assert.equal(version, survives ? 7 : 6);
    });
  }

  it('kill -9 at random moments of a commit loop never loses or mixes versions', async () => {
    const dir = freshDir();
    let last = 0;
    const kills = sized(3, 10);
    for (let i = 0; i < kills; i++) {
      const run = await runChild(dir, { killAfter: 5 + ((i * 13) % 17) });
      assert.equal(run.signal, 'SIGKILL', run.stderr);
      const reported = run.committed[run.committed.length - 1] ?? last;
      // What the child reported is durable; the one commit in flight may or may not have landed.
      const version = await checkConsistent(dir, [reported, reported + 1]);
      assert.ok(version + 3 < refHeights);
      // checkConsistent committed 3 more blocks on top.
      last = version + 3;
    }
  });
});
