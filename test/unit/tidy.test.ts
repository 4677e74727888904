// Issue 11: the determinism rules of consensus code (DESIGN.md §2) and the function-size limit are
// checked, not kept by convention. The checker (test/tidy/checker.ts) walks the TypeScript AST of
// app/runtime, abci and x/ and fails on clock, randomness, environment and timer use, on floats in
// module and runtime code, and on functions over 70 lines; a second scan fails on any import of
// test/ from product code. Acceptance 3 is shown on fixture text at the end: no planted files.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { repoRoot } from '../../app/paths.js';
import { checkText, type Finding, MAX_FUNCTION_LINES, type Rule, testImports } from '../tidy/checker.js';
import { scanDeterminism, scanTestImports, sourceFiles } from '../tidy/scan.js';

/** Consensus code: everything the state machine runs, plus the ABCI server in front of it. */
const CONSENSUS_DIRS = ['app/runtime', 'abci', 'x'];
/**
 * Floats are checked where consensus values (amounts, gas, weights, heights) are computed: the
 * modules and the runtime. abci/ is the I/O edge — frame lengths, inbox bounds and metrics
 * seconds, none of which reaches state — so only the other rules apply there.
 */
const floatsIn = (file: string) => file.startsWith('x/') || file.startsWith('app/runtime/');
/** Product code: none of it may import test code (the test entry wires test modules instead). */
const PRODUCT_DIRS = ['app', 'abci', 'x', 'kernels', 'testnet'];

interface Allowed {
  file: string;
  rule: Rule;
  /** A substring of the finding's `what`, so an entry allows that use and nothing else. */
  what: string;
  reason: string;
}

/** Each exception, with why it cannot change consensus. An entry that matches nothing fails. */
const ALLOWED: Allowed[] = [
  {
    file: 'abci/serialQueue.ts',
    rule: 'timer',
    what: 'setImmediate',
    reason:
      'I/O scheduling: yields to socket reads between low-priority queries so a FinalizeBlock is seen during a query flood; order of consensus requests is unaffected',
  },
  {
    file: 'abci/server.ts',
    rule: 'clock',
    what: 'process.hrtime',
    reason: "request latency for the node's metrics (the observe callback); never passed to the app",
  },
  {
    file: 'app/runtime/blockGas.ts',
    rule: 'float',
    what: 'n / 128',
    reason: 'uvarint length of a safe integer: floor(n / 128) is exact for every n < 2^53',
  },
  {
    file: 'app/runtime/blockGas.ts',
    rule: 'float',
    what: 'Math.floor',
    reason: 'the same uvarint length (floor of an exact quotient of safe integers)',
  },
  {
    file: 'app/runtime/store/hash.ts',
    rule: 'float',
    what: 'v / 128',
    reason: 'uvarint encoding of a safe integer: floor(v / 128) is exact for every v < 2^53',
  },
  {
    file: 'app/runtime/store/hash.ts',
    rule: 'float',
    what: 'Math.floor',
    reason: 'the same uvarint encoding',
  },
];

const allows = (a: Allowed, f: Finding) => a.file === f.file && a.rule === f.rule && f.what.includes(a.what);
const show = (fs: Finding[]) => fs.map((f) => `  ${f.file}:${f.line} [${f.rule}] ${f.what}`).join('\n');

const consensusFiles = () => CONSENSUS_DIRS.flatMap((d) => sourceFiles(join(repoRoot, d)));
let scanned: Finding[] | undefined;
const scan = () => (scanned ??= scanDeterminism(repoRoot, consensusFiles(), floatsIn));

describe('tidy: determinism rules and function size in consensus code', () => {
  it('finds no clock, randomness, environment, timer or float use and no function over 70 lines', () => {
    const found = scan().filter((f) => !ALLOWED.some((a) => allows(a, f)));
    assert.equal(
      found.length,
      0,
      `consensus code breaks the determinism rules (DESIGN.md §2) or the ${MAX_FUNCTION_LINES}-line limit:\n${show(found)}`,
    );
  });

  it('has no stale allow-list entry', () => {
    const found = scan();
    const stale = ALLOWED.filter((a) => !found.some((f) => allows(a, f)));
    assert.deepEqual(
      stale.map((a) => `${a.file} [${a.rule}] ${a.what}`),
      [],
      'these ALLOWED entries match nothing any more; remove them',
    );
  });

  it('finds no import of test/ code in product code', () => {
    const files = PRODUCT_DIRS.flatMap((d) => sourceFiles(join(repoRoot, d)));
    const found = scanTestImports(repoRoot, files);
    assert.equal(found.length, 0, `product code imports test code:\n${show(found)}`);
  });
});

describe('tidy: the checker fails on planted violations (fixture text, acceptance 3)', () => {
  const check = (file: string, text: string) =>
    checkText(file, text, repoRoot, { floats: floatsIn(file) }).map((f) => `${f.rule}: ${f.what}`);

  it('a Date.now() in x/ is a clock finding; the same words in a comment or a string are not', () => {
    assert.deepEqual(
      check('x/bank/keeper.ts', 'export function stamp(): number {\n  return Date.now();\n}\n'),
      ['clock: Date.now'],
    );
    assert.deepEqual(
      check(
        'x/bank/keeper.ts',
        "// Date.now() is forbidden here\nexport const rule = 'no Date.now() or setTimeout';\n",
      ),
      [],
    );
  });

  it('a float division in a keeper is a float finding; a bigint division is not', () => {
    assert.deepEqual(
      check(
        'x/collateral/keeper.ts',
        'export function share(amount: number, n: number): number {\n  return amount / n;\n}\n',
      ),
      ['float: number division: amount / n'],
    );
    assert.deepEqual(
      check(
        'x/collateral/keeper.ts',
        'export function share(amount: bigint, n: bigint): bigint {\n  return amount / n;\n}\n',
      ),
      [],
    );
    assert.deepEqual(check('x/poc/keeper.ts', 'export const ratio = 0.5;\nexport const big = 1e3;\n'), [
      'float: fractional literal 0.5',
    ]);
    assert.deepEqual(
      check('x/poc/keeper.ts', 'export const r = (x: number) => Math.sqrt(Math.max(x, 0));\n'),
      ['float: Math.sqrt'],
    );
  });

  it(`a ${MAX_FUNCTION_LINES + 1}-line function is a finding; a ${MAX_FUNCTION_LINES}-line one is not`, () => {
    const fn = (lines: number) =>
      `export function long(): number {\n  let x = 0;\n${'  x += 1;\n'.repeat(lines - 4)}  return x;\n}\n`;
    assert.equal(fn(71).trimEnd().split('\n').length, 71);
    assert.deepEqual(check('x/governance/msgServer.ts', fn(71)), ['long-function: long (71 lines)']);
    assert.deepEqual(check('x/governance/msgServer.ts', fn(70)), []);
    // Methods and arrow functions count too.
    const arrow = `export const f = () => {\n${'  void 0;\n'.repeat(70)}};\n`;
    assert.deepEqual(check('app/runtime/router.ts', arrow), ['long-function: f (72 lines)']);
    const method = `export class K {\n  m(): void {\n${'    void 0;\n'.repeat(70)}  }\n}\n`;
    assert.deepEqual(check('x/bank/keeper.ts', method), ['long-function: m (72 lines)']);
  });

  it('randomness, environment and timers are findings in every consensus directory', () => {
    const text = [
      "import { randomBytes } from 'node:crypto';",
      'export function bad(): void {',
      '  Math.random();',
      '  randomBytes(8);',
      '  globalThis.crypto.randomUUID();',
      '  void process.env.HOME;',
      '  void process.argv;',
      '  setTimeout(() => undefined, 1);',
      '  void new Date();',
      '  performance.now();',
      '  process.hrtime.bigint();',
      '}',
    ].join('\n');
    assert.deepEqual(check('abci/handlers.ts', text), [
      'random: Math.random',
      'random: randomBytes',
      'random: globalThis.crypto.randomUUID',
      'env: process.env',
      'env: process.argv',
      'timer: setTimeout',
      'clock: new Date',
      'clock: performance.now',
      'clock: process.hrtime',
    ]);
  });

  it('an import of test/ from product code is a finding', () => {
    const file = 'app/node/start.ts';
    const abs = join(repoRoot, file);
    const text =
      "import { testKvExtensions } from '../../test/fixtures/testkv.js';\nawait import('../../test/x.js');\n";
    const sf = ts.createSourceFile(abs, text, ts.ScriptTarget.ES2022, true);
    assert.deepEqual(
      testImports(sf, file, abs, join(repoRoot, 'test')).map((f) => f.what),
      ['../../test/fixtures/testkv.js', '../../test/x.js'],
    );
    const fine = ts.createSourceFile(
      abs,
      "import { x } from '../testing.js';\n",
      ts.ScriptTarget.ES2022,
      true,
    );
    assert.deepEqual(testImports(fine, file, abs, join(repoRoot, 'test')), []);
  });
});
