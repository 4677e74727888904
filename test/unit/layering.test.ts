// The layering rules (README "Architecture"), checked on the source text so a violation fails CI
// instead of waiting for review:
//   1. x/A imports nothing from x/B, except `import type` in x/A/expectedKeepers.ts (the narrow
//      interfaces a module declares for what it needs; app/app.ts wires the concrete keepers);
//   2. app/runtime and abci import nothing from x/ (the runtime names no module);
//   3. product code (abci, app, x, proto, kernels, testnet) imports nothing from test/;
// and every module has the same files and README sections (CONTRIBUTING.md).
// The checker itself is tested on fixture text first, so a broken regex cannot pass vacuously.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, sep } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

interface Import {
  spec: string;
  typeOnly: boolean;
}

/** Every static import/export-from, side-effect import and dynamic import('…') in `src`. */
export function importsOf(src: string): Import[] {
  const out: Import[] = [];
  const stat = /(?:^|[\n;])\s*(?:import|export)\s+(type\s+)?(?:([^;'"]*?)\s+from\s+)?['"]([^'"]+)['"]/g;
  for (const m of src.matchAll(stat)) {
    // `import { type A, type B } from` is erased too when every name is a type.
    const names = /^\{([^}]*)\}$/.exec((m[2] ?? '').trim())?.[1];
    const allTypeNames =
      names
        ?.split(',')
        .map((n) => n.trim())
        .filter(Boolean)
        .every((n) => n.startsWith('type ')) ?? false;
    out.push({ spec: m[3]!, typeOnly: Boolean(m[1]) || allTypeNames });
  }
  for (const m of src.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g))
    out.push({ spec: m[1]!, typeOnly: false });
  return out;
}

/** The rule a repo-relative `file` breaks by importing `imp`, or undefined. */
export function violation(file: string, imp: Import): string | undefined {
  if (!imp.spec.startsWith('.')) return undefined;
  const target = posix.normalize(posix.join(posix.dirname(file), imp.spec));
  const top = (p: string) => p.split('/')[0];
  const mod = (p: string) => (p.startsWith('x/') ? p.split('/')[1] : undefined);
  const from = mod(file);
  const to = mod(target);
  if (from !== undefined && to !== undefined && from !== to) {
    // x/A/expectedKeepers.ts, or one beside a sub-package's consumer (x/auth/ante/expectedKeepers.ts).
    const declared = /^x\/[^/]+\/(?:[^/]+\/)*expectedKeepers\.ts$/.test(file) && imp.typeOnly;
    if (!declared) return `${file} imports ${target}: modules meet only through expectedKeepers.ts types`;
  }
  if ((file.startsWith('app/runtime/') || top(file) === 'abci') && to !== undefined)
    return `${file} imports ${target}: the runtime and abci import no module`;
  if (top(target) === 'test' && top(file) !== 'test')
    return `${file} imports ${target}: product code imports no test code`;
  return undefined;
}

/** The files every module has (CONTRIBUTING.md, "Adding a module"). */
const ANATOMY = [
  'module.ts',
  'keeper.ts',
  'keys.ts',
  'msgs.ts',
  'msgServer.ts',
  'query.ts',
  'genesis.ts',
  'params.ts',
  'events.ts',
  'errors.ts',
  'expectedKeepers.ts',
  'invariants.ts',
  'README.md',
];
const README_SECTIONS = ['State', 'Messages', 'Queries', 'Events', 'Params', 'Errors', 'Invariants'];

function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}

function sources(root: string, dir: string): string[] {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  const out: string[] = [];
  for (const e of readdirSync(abs, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== 'cuda') out.push(...sources(root, p));
    } else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p.split(sep).join('/'));
  }
  return out;
}

describe('layering rules', () => {
  it('the checker finds each kind of violation in fixture text', () => {
    const check = (file: string, src: string) => importsOf(src).flatMap((i) => violation(file, i) ?? []);
    assert.equal(
      check('x/collateral/keeper.ts', "import { GOV_MODULE } from '../auth/keeper.js';").length,
      1,
    );
    assert.equal(
      check('x/collateral/keeper.ts', "import type { BankKeeper } from '../bank/keeper.js';").length,
      1,
    );
    assert.equal(
      check('x/collateral/expectedKeepers.ts', "import { parseCoins } from '../bank/coins.js';").length,
      1,
    );
    assert.equal(
      check('x/governance/expectedKeepers.ts', "import type { Coins } from '../bank/coins.js';").length,
      0,
    );
    assert.equal(
      check(
        'x/governance/expectedKeepers.ts',
        "import {\n  type Coins,\n  type X,\n} from '../bank/coins.js';",
      ).length,
      0,
    );
    assert.equal(
      check('x/bank/keeper.ts', "import { prefixEnd } from '../../app/runtime/keys.js';").length,
      0,
    );
    assert.equal(
      check('app/runtime/ante/cosmosTx.ts', "import type { A } from '../../../x/auth/keeper.js';").length,
      1,
    );
    assert.equal(check('abci/server.ts', "const m = await import('../x/poc/module.js');").length, 1);
    assert.equal(check('app/cli/index.ts', "import '../../test/fixtures/testkv.js';").length, 1);
    assert.equal(check('app/app.ts', "export { bankModule } from '../x/bank/module.js';").length, 0);
    assert.equal(check('test/unit/a.test.ts', "import { x } from '../../x/bank/keeper.js';").length, 0);
  });

  it('every module has the same anatomy and README shape', () => {
    const root = repoRoot();
    const modules = readdirSync(join(root, 'x'), { withFileTypes: true }).filter((e) => e.isDirectory());
    assert.ok(modules.length >= 5);
    const missing: string[] = [];
    for (const m of modules) {
      const has = (f: string) => existsSync(join(root, 'x', m.name, f));
      // A module with no messages yet (README: Messages "None") has neither msgs.ts nor msgServer.ts.
      const noMsgs = !has('msgServer.ts') && !has('msgs.ts');
      for (const f of ANATOMY)
        if (!has(f) && !(noMsgs && (f === 'msgs.ts' || f === 'msgServer.ts')))
          missing.push(`x/${m.name}/${f}`);
      const readme = join(root, 'x', m.name, 'README.md');
      if (!existsSync(readme)) continue;
      const headings = [...readFileSync(readme, 'utf8').matchAll(/^## (\w+)/gm)].map((h) => h[1]);
      const order = README_SECTIONS.map((t) => headings.indexOf(t));
      if (order.some((i, k) => i < 0 || (k > 0 && i < order[k - 1]!)))
        missing.push(
          `x/${m.name}/README.md sections ${README_SECTIONS.join(', ')} in order (has ${headings.join(', ')})`,
        );
    }
    assert.deepEqual(missing, []);
  });

  it('the repository keeps them', () => {
    const root = repoRoot();
    const files = ['abci', 'app', 'x', 'proto', 'kernels', 'testnet'].flatMap((d) => sources(root, d));
    assert.ok(files.length > 50 && files.some((f) => f.startsWith('x/bank/')), `found ${files.length} files`);
    const broken = files.flatMap((f) =>
      importsOf(readFileSync(join(root, f), 'utf8')).flatMap((i) => violation(f, i) ?? []),
    );
    assert.deepEqual(broken, []);
  });
});
