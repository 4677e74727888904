// Runs the tidy checker over the repository's sources (see checker.ts for the rules).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import {
  type CheckOptions,
  checkOptions,
  checkSourceFile,
  type Finding,
  relativeFile,
  testImports,
} from './checker.js';

/** Every .ts file under dir, sorted (declaration files excluded). */
export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out.sort();
}

/** The determinism and size rules over files (absolute paths); floats only where floatsIn says. */
export function scanDeterminism(
  root: string,
  files: string[],
  floatsIn: (file: string) => boolean,
): Finding[] {
  const program = ts.createProgram(files, checkOptions);
  const checker = program.getTypeChecker();
  const out: Finding[] = [];
  for (const abs of files) {
    const sf = program.getSourceFile(abs);
    if (!sf) throw new Error(`not parsed: ${abs}`);
    const file = relativeFile(root, abs);
    const opts: CheckOptions = { floats: floatsIn(file) };
    out.push(...checkSourceFile(sf, file, checker, opts));
  }
  return out;
}

/** Imports of test/ code from the given product files (syntax only, no type checking). */
export function scanTestImports(root: string, files: string[]): Finding[] {
  const testDir = join(root, 'test');
  const out: Finding[] = [];
  for (const abs of files) {
    const text = ts.sys.readFile(abs) ?? '';
    const sf = ts.createSourceFile(abs, text, ts.ScriptTarget.ES2022, true);
    out.push(...testImports(sf, relativeFile(root, abs), abs, testDir));
  }
  return out;
}
