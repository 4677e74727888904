// Locations inside the repository, resolved from this file so they work from dist/ and any cwd.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root: dist/app/paths.js → two levels up from dist/app. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function repoPath(...parts: string[]): string {
  return join(repoRoot, ...parts);
}

/** Pinned external binaries installed by scripts/setup.mjs. */
export function toolPath(name: 'cometbft' | 'grpcurl'): string {
  return join(repoRoot, '.tools', 'bin', name);
}
