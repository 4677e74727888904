// Marks dist/ as fresh after `npm run build` so the gonkad shim does not rebuild.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './build.mjs';

writeFileSync(join(repoRoot, 'dist', '.stamp'), `${new Date().toISOString()}\n`);
