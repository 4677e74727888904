// `npm run bench`: runs every dist/test/bench/*.bench.js one after another (never in parallel, so
// figures are not disturbed), each printing its own table. Arguments filter by substring.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './build.mjs';

const filters = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const dir = join(repoRoot, 'dist', 'test', 'bench');
let files = [];
try {
  files = readdirSync(dir).filter((f) => f.endsWith('.bench.js'));
} catch {}
files = files.sort().filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
let failed = 0;
for (const f of files) {
  process.stdout.write(`\n### ${f}\n`);
  const r = spawnSync(process.execPath, ['--expose-gc', join(dir, f)], { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
if (files.length === 0) process.stdout.write('no benchmarks found\n');
process.exit(failed ? 1 : 0);
