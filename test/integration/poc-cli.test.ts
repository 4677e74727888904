// `gonkad poc`: compute reproduces a conformance vector, mine → verify round-trips, a tampered
// store fails verification, and bad input gets one clear stderr line and exit 2, never a stack.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { repoPath } from '../../app/paths.js';
import { toHex } from '../../kernels/poc/bytes.js';
import { casesOf } from '../../kernels/poc/conformance/vectors.js';

const scratch = mkdtempSync(join(tmpdir(), 'gonka-poc-cli-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function gonkad(...args: string[]) {
  const r = spawnSync(process.execPath, [repoPath('dist', 'app', 'cli', 'main.js'), 'poc', ...args], {
    encoding: 'utf8',
    env: { ...process.env, GONKA_LOG_LEVEL: 'warn' },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function field(stdout: string, name: string): string | undefined {
  return stdout.match(new RegExp(`^${name}: (.*)$`, 'm'))?.[1];
}

describe('gonkad poc', () => {
  for (const engine of ['reference', 'ort']) {
    it(`compute (${engine}) prints a vector's output and leaf`, () => {
      const c = casesOf('devnet')[1]!;
      const r = gonkad(
        'compute',
        '--block-hash',
        toHex(c.blockHash),
        '--class',
        'devnet',
        '--pubkey',
        toHex(c.pubkey),
        '--nonce',
        c.nonce.toString(),
        '--engine',
        engine,
      );
      assert.equal(r.code, 0, r.stderr);
      assert.equal(field(r.stdout, 'output'), toHex(c.output));
      assert.equal(field(r.stdout, 'leaf'), toHex(c.leaf));
    });
  }

  it('mine then verify; a flipped output byte fails verify', () => {
    const store = join(scratch, 'mined');
    const mined = gonkad(
      'mine',
      '--class',
      'tiny',
      '--seconds',
      '30',
      '--max-nonces',
      '100',
      '--batch',
      '16',
      '--threads',
      '1',
      '--store',
      store,
    );
    assert.equal(mined.code, 0, mined.stderr);
    const count = Number(field(mined.stdout, 'count'));
    assert.equal(count, 100);
    assert.match(mined.stderr, /nonces\/s/);
    const root = field(mined.stdout, 'root');

    const ok = gonkad('verify', '--store', store, '--samples', '16');
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(field(ok.stdout, 'root'), root);
    assert.equal(field(ok.stdout, 'failed'), '0');

    // Flip one byte of leaf 5's output, then check every leaf.
    const fd = openSync(join(store, 'outputs.bin'), 'r+');
    const b = Buffer.alloc(1);
    readSync(fd, b, 0, 1, 5 * 256 + 10);
    b[0] = (b[0] as number) ^ 0x40;
    writeSync(fd, b, 0, 1, 5 * 256 + 10);
    closeSync(fd);
    const bad = gonkad('verify', '--store', store, '--samples', String(count));
    assert.equal(bad.code, 1);
    assert.equal(field(bad.stdout, 'failed'), '1');
    assert.match(bad.stderr, /leaf 5/);
  });

  const badInputs: [string, string[], RegExp][] = [
    [
      'odd-length hex',
      ['--block-hash', 'abc', '--class', 'tiny', '--pubkey', '02', '--nonce', '0'],
      /odd-length/,
    ],
    [
      'unknown class',
      ['--block-hash', 'ab', '--class', 'huge', '--pubkey', '02', '--nonce', '0'],
      /unknown PoC class/,
    ],
    [
      'nonce ≥ 2^64',
      ['--block-hash', 'ab', '--class', 'tiny', '--pubkey', '02', '--nonce', '18446744073709551616'],
      /64 bits/,
    ],
    [
      'non-hex pubkey',
      ['--block-hash', 'ab', '--class', 'tiny', '--pubkey', 'xyz0', '--nonce', '0'],
      /not hex/,
    ],
  ];
  for (const [what, args, message] of badInputs) {
    it(`rejects ${what} with one clear line`, () => {
      const r = gonkad('compute', ...args);
      assert.equal(r.code, 2);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    });
  }
});
