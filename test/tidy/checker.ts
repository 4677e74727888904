// The tidy checker behind test/unit/tidy.test.ts: walks the TypeScript AST of consensus sources
// (app/runtime, abci, x) and reports what the determinism rules of DESIGN.md §2 forbid there —
// clock, randomness, environment, timers, floats — and functions longer than MAX_FUNCTION_LINES.
// It reads syntax (and, for floats, the type checker), never raw text, so a rule's name in a
// comment or a string is not a finding.
import { dirname, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/** TigerBeetle's limit: a function fits on a screen. */
export const MAX_FUNCTION_LINES = 70;

export type Rule = 'clock' | 'random' | 'env' | 'timer' | 'float' | 'long-function' | 'test-import';

export interface Finding {
  /** Repository-relative path with '/' separators. */
  file: string;
  line: number;
  rule: Rule;
  /** What was found: `Date.now`, `a / b`, `registerGovMsgs (228 lines)`. */
  what: string;
}

/** Property reads that observe the clock, the environment or a random source: object.name. */
const forbiddenMembers: Record<string, Rule> = {
  'Date.now': 'clock',
  'performance.now': 'clock',
  'process.hrtime': 'clock',
  'process.uptime': 'clock',
  'Math.random': 'random',
  'process.env': 'env',
  'process.argv': 'env',
};

/** Random sources, by their own name, on whatever object or import they are reached through. */
const randomNames = new Set(['randomBytes', 'randomUUID', 'getRandomValues', 'randomInt', 'randomFillSync']);

const timerNames = new Set(['setTimeout', 'setInterval', 'setImmediate']);

/**
 * Math functions that are exact on integers stay allowed (max, min, abs, sign, and the 32-bit
 * clz32, imul); every other one only makes sense on fractions (floor, round, sqrt, log, pow…).
 * Math.random is the random rule's.
 */
const integerMath = new Set(['max', 'min', 'abs', 'sign', 'clz32', 'imul', 'random']);

export interface CheckOptions {
  /** Apply the float rule (needs the type checker). */
  floats: boolean;
}

function lineOf(sf: ts.SourceFile, pos: number): number {
  return sf.getLineAndCharacterOfPosition(pos).line + 1;
}

/** `a.b` or `a.b.c` as text when every part is a plain name, else undefined. */
function dottedName(e: ts.Expression): string | undefined {
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) {
    const left = dottedName(e.expression);
    return left === undefined ? undefined : `${left}.${e.name.text}`;
  }
  return undefined;
}

function functionName(node: ts.FunctionLikeDeclaration): string {
  if (node.name && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name))) return node.name.text;
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (ts.isPropertyDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return '(anonymous function)';
}

function isNumberType(checker: ts.TypeChecker, e: ts.Expression): boolean {
  const t = checker.getTypeAtLocation(e);
  return (t.getFlags() & ts.TypeFlags.NumberLike) !== 0;
}

/** A literal whose value is not an integer: 1.5, .5, 1e-3 (1.0 and 1e3 are integers and pass). */
function isFractionalLiteral(n: ts.NumericLiteral): boolean {
  return !Number.isInteger(Number(n.text));
}

/** Every finding in one source file; `file` is the path reported. */
export function checkSourceFile(
  sf: ts.SourceFile,
  file: string,
  checker: ts.TypeChecker | undefined,
  opts: CheckOptions,
): Finding[] {
  const out: Finding[] = [];
  const report = (node: ts.Node, rule: Rule, what: string) =>
    out.push({ file, line: lineOf(sf, node.getStart(sf)), rule, what });

  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node)) {
      const name = dottedName(node);
      const rule = name === undefined ? undefined : forbiddenMembers[name];
      if (rule) report(node, rule, name!);
      else if (randomNames.has(node.name.text)) report(node, 'random', node.getText(sf));
      else if (timerNames.has(node.name.text)) report(node, 'timer', node.getText(sf));
      else if (opts.floats && name?.startsWith('Math.') && !integerMath.has(node.name.text))
        report(node, 'float', name);
    } else if (
      ts.isNewExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'Date'
    ) {
      report(node, 'clock', 'new Date');
    } else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) {
      const callee = node.expression.text;
      if (callee === 'Date') report(node, 'clock', 'Date()');
      else if (timerNames.has(callee)) report(node, 'timer', callee);
      else if (randomNames.has(callee)) report(node, 'random', callee);
    } else if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const from = node.moduleSpecifier.text;
      if (/^(node:)?timers(\/promises)?$/.test(from)) report(node, 'timer', `import from '${from}'`);
    } else if (opts.floats && checker && ts.isBinaryExpression(node)) {
      const op = node.operatorToken.kind;
      if (
        (op === ts.SyntaxKind.SlashToken || op === ts.SyntaxKind.SlashEqualsToken) &&
        (isNumberType(checker, node.left) || isNumberType(checker, node.right))
      )
        report(node, 'float', `number division: ${node.getText(sf)}`);
    } else if (opts.floats && ts.isNumericLiteral(node) && isFractionalLiteral(node)) {
      report(node, 'float', `fractional literal ${node.text}`);
    }
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const fn = node as ts.FunctionLikeDeclaration;
      const lines = lineOf(sf, fn.end) - lineOf(sf, fn.getStart(sf)) + 1;
      if (lines > MAX_FUNCTION_LINES) report(fn, 'long-function', `${functionName(fn)} (${lines} lines)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** Imports (static, dynamic, re-exports) of a module under test/ from a product source file. */
export function testImports(sf: ts.SourceFile, file: string, absPath: string, testDir: string): Finding[] {
  const out: Finding[] = [];
  const check = (spec: ts.Expression | undefined, node: ts.Node) => {
    if (!spec || !ts.isStringLiteralLike(spec) || !spec.text.startsWith('.')) return;
    const target = resolve(dirname(absPath), spec.text);
    if (target === testDir || target.startsWith(testDir + sep))
      out.push({ file, line: lineOf(sf, node.getStart(sf)), rule: 'test-import', what: spec.text });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) check(node.moduleSpecifier, node);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword)
      check(node.arguments[0], node);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference))
      check(node.moduleReference.expression, node);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/**
 * Compiler options for checking: the project's strictness, nothing emitted. @types/node is left
 * out (parsing it would triple the scan's time): the only rule that needs types is the float
 * rule's `/`, whose operands in consensus code are bigint or number from our own sources and the
 * ES library; a Node-typed operand (Buffer) is unresolved and not counted as a number.
 */
export const checkOptions: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2023.d.ts'],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  types: [],
  resolveJsonModule: true,
};

const libFiles = new Map<string, ts.SourceFile>();

/**
 * Checks source TEXT as if it were the file `file` (repository-relative): how the test shows each
 * rule fires, without planting files in the tree. Floats are checked when `floats` is set.
 */
export function checkText(file: string, text: string, root: string, opts: CheckOptions): Finding[] {
  const abs = resolve(root, file);
  const host = ts.createCompilerHost(checkOptions);
  const readSource = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, ...rest) => {
    if (resolve(name) === abs) return ts.createSourceFile(name, text, lang, true);
    // The ES library's declarations are parsed once for every call, not per call.
    let sf = libFiles.get(name);
    if (!sf) {
      sf = readSource(name, lang, ...rest);
      if (sf) libFiles.set(name, sf);
    }
    return sf;
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => resolve(name) === abs || fileExists(name);
  const program = ts.createProgram([abs], checkOptions, host);
  const sf = program.getSourceFile(abs)!;
  return checkSourceFile(sf, file, opts.floats ? program.getTypeChecker() : undefined, opts);
}

export function relativeFile(root: string, abs: string): string {
  return relative(root, abs).split(sep).join('/');
}
