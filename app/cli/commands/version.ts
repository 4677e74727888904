import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { repoPath } from '../../paths.js';

export function register(program: Command): void {
  program
    .command('version')
    .description('print the gonkad version')
    .action(() => {
      const pkg = JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as { version: string };
      process.stdout.write(`${pkg.version}\n`);
    });
}
