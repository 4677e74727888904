// `npm run proto:gen`: generates TypeScript for every .proto under proto/gonka (and the Cosmos
// files they import) into proto/gen with ts-proto, through `buf generate` and proto/buf.gen.yaml.
// Both tools are devDependencies; the generated code is committed, so building and running the
// node needs neither (test/unit/proto-codegen.test.ts regenerates into a temp dir and compares).
//   node scripts/proto-gen.mjs [--out <dir>]   (default: the repository, i.e. proto/gen)
// PROTO_GEN_TOOLS=<dir> uses <dir>/node_modules/.bin instead of this checkout's (tools installed
// elsewhere with `npm install --prefix <dir> ts-proto @bufbuild/buf`).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { delimiter, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Directory holding the `buf` and `protoc-gen-ts_proto` executables, or undefined. */
export function toolsBin() {
  const dirs = [process.env.PROTO_GEN_TOOLS, root]
    .filter(Boolean)
    .map((d) => join(d, 'node_modules', '.bin'));
  return dirs.find((d) => existsSync(join(d, 'buf')) && existsSync(join(d, 'protoc-gen-ts_proto')));
}

/** Every .proto under proto/gonka, relative to the repository root, sorted. */
export function gonkaProtos(dir = join(root, 'proto', 'gonka')) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...gonkaProtos(p));
    else if (e.name.endsWith('.proto')) out.push(relative(root, p));
  }
  return out.sort();
}

/** Generated files of option-only imports, removed after generation. */
export const OPTION_ONLY = ['google/api', 'google/protobuf/descriptor.ts'];

/** Generates into `<outRoot>/proto/gen` (replacing what is there); returns the files written. */
export function generate(outRoot = root) {
  const bin = toolsBin();
  if (!bin) throw new Error('buf / protoc-gen-ts_proto not found: run `npm install` (devDependencies)');
  const genDir = join(outRoot, 'proto', 'gen');
  rmSync(genDir, { recursive: true, force: true });
  mkdirSync(genDir, { recursive: true });
  const args = ['generate', 'proto', '--template', 'proto/buf.gen.yaml', '--output', outRoot];
  for (const p of gonkaProtos()) args.push('--path', p);
  const r = spawnSync(join(bin, 'buf'), args, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` },
  });
  if (r.status !== 0) throw new Error(`buf generate failed (${r.status}): ${r.stderr || r.error}`);
  // google/api/annotations.proto (the REST routes, read by app/node/rest from the .proto text)
  // only declares a method option: no message of ours uses its types or descriptor.proto's, so
  // their 8k generated lines are dropped rather than committed.
  for (const f of OPTION_ONLY) rmSync(join(genDir, f), { recursive: true, force: true });
  return listFiles(genDir).map((f) => relative(genDir, f));
}

export function listFiles(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out.sort();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--out');
  const outRoot = i > 0 ? resolve(process.argv[i + 1]) : root;
  for (const f of generate(outRoot)) process.stdout.write(`proto/gen/${f}\n`);
}
