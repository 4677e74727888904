// `npm test`: node's test runner over dist/test, in two phases so the DESIGN.md §10 budget can be
// read off directly: unit + integration + simulation first, then e2e (real CometBFT). Prints the
// spec reporter's output, then each file's time, then one closing summary line.
// GONKA_TEST_PROFILE=long (npm run test:long) makes tests use their full acceptance sizes.
// Arguments filter files by substring: `npm test -- store abci`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { repoRoot } from './build.mjs';

const filters = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const testRoot = join(repoRoot, 'dist', 'test');

function listTests(dir) {
  let out = [];
  let entries = [];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out = out.concat(listTests(p));
    else if (e.name.endsWith('.test.js')) out.push(p);
  }
  return out.sort();
}

// Matched against the path under dist/test, so a checkout's own directory name never matches.
const all = listTests(testRoot).filter(
  (f) => filters.length === 0 || filters.some((s) => relative(testRoot, f).includes(s)),
);
if (all.length === 0) {
  process.stdout.write('no test files found under dist/test (is the build up to date?)\n');
  process.exit(1);
}
const isE2e = (f) => relative(testRoot, f).startsWith('e2e');
const phases = [
  { name: 'unit + integration + sim', files: all.filter((f) => !isE2e(f)), concurrency: 2 },
  { name: 'e2e', files: all.filter(isE2e), concurrency: Number(process.env.GONKA_E2E_CONCURRENCY ?? 2) },
];

const scratch = mkdtempSync(join(tmpdir(), 'gonka-test-report-'));
const totals = { pass: 0, fail: 0, skip: 0 };
const perFile = new Map();
const phaseTimes = [];
let exitCode = 0;

for (const [i, phase] of phases.entries()) {
  if (phase.files.length === 0) continue;
  const report = join(scratch, `phase-${i}.jsonl`);
  process.stdout.write(`\n=== ${phase.name}: ${phase.files.length} files ===\n`);
  const started = Date.now();
  const r = spawnSync(
    process.execPath,
    [
      '--test',
      `--test-concurrency=${phase.concurrency}`,
      // Per-file limit: 15 min; the long profile's single `large` PoC nonce in pure TS takes ~25 min here.
      `--test-timeout=${process.env.GONKA_TEST_PROFILE === 'long' ? 60 * 60_000 : 15 * 60_000}`,
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      `--test-reporter=${join(repoRoot, 'scripts', 'file-times-reporter.mjs')}`,
      `--test-reporter-destination=${report}`,
      ...phase.files,
    ],
    { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  phaseTimes.push([phase.name, (Date.now() - started) / 1000]);
  if (r.status !== 0) exitCode = 1;
  let lines = [];
  try {
    lines = readFileSync(report, 'utf8').split('\n').filter(Boolean);
  } catch {}
  for (const line of lines) {
    const t = JSON.parse(line);
    const file = relative(testRoot, t.file);
    if (t.nesting === 0) {
      const entry = perFile.get(file) ?? { ms: 0, ok: true };
      entry.ms += t.ms;
      entry.ok &&= t.ok;
      perFile.set(file, entry);
    }
    if (!t.leaf) continue;
    if (t.skip) totals.skip++;
    else if (t.ok) totals.pass++;
    else totals.fail++;
  }
}
rmSync(scratch, { recursive: true, force: true });

process.stdout.write('\nPer-file durations (sum of top-level tests):\n');
for (const [file, { ms, ok }] of [...perFile].sort((a, b) => b[1].ms - a[1].ms)) {
  process.stdout.write(`  ${(ms / 1000).toFixed(1).padStart(7)} s  ${ok ? 'ok  ' : 'FAIL'}  ${file}\n`);
}
for (const [name, secs] of phaseTimes) process.stdout.write(`phase ${name}: ${secs.toFixed(1)} s wall\n`);
if (exitCode !== 0 && totals.fail === 0) totals.fail = 1; // a file that crashed before reporting
process.stdout.write(`tests: ${totals.pass} passed, ${totals.fail} failed, ${totals.skip} skipped\n`);
process.exit(exitCode);
