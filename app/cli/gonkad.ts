// The gonkad program as a function, so an entry script can run it with extra app modules:
// app/cli/main.ts runs it bare (the product); a test entry (test/fixtures/testNode.ts) runs it with
// the test-only modules. Product code never imports test code; the entry chooses what to wire.
import { Command, CommanderError } from 'commander';
import type { AppExtensions } from '../app.js';
import { StartupError } from '../node/start.js';
import { commandModules } from './commands/index.js';
import { UserError } from './errors.js';

export interface GonkadOptions {
  /** Extra app modules every node this process starts runs with (`start`, `devnet`). */
  extensions?: AppExtensions;
  /**
   * The script a launcher spawns for each child node (`testnet start`): the entry that wired the
   * same extensions. Default: the product entry, dist/app/cli/main.js.
   */
  nodeEntry?: string;
}

export async function runGonkad(argv: string[], options: GonkadOptions = {}): Promise<void> {
  const program = new Command('gonkad')
    .description('Gonka Proof-of-Useful-Work chain node, devnet and tools')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .exitOverride();

  for (const mod of commandModules) mod.register(program, options);

  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) process.exit(err.exitCode);
    if (err instanceof UserError) {
      process.stderr.write(`error: ${err.message}\n`);
      process.exit(2);
    }
    if (err instanceof StartupError) {
      process.stderr.write(`error: ${err.message}\n`);
      process.exit(1);
    }
    process.stderr.write(`fatal: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  }
}
