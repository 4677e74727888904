#!/usr/bin/env node
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
// Committed shim: works right after `npm ci` by compiling the TypeScript sources when they are
// newer than dist/ (progress on stderr), then running the CLI.
import { buildIfStale, repoRoot } from '../scripts/build.mjs';

buildIfStale();
await import(pathToFileURL(join(repoRoot, 'dist', 'app', 'cli', 'main.js')).href);
