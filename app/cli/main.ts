// gonkad: the one command-line entry point. Each subcommand lives in commands/<name>.ts and
// exports `register(program)`; results go to stdout, logs and progress to stderr.
import { Command, CommanderError } from 'commander';
import { StartupError } from '../node/start.js';
import { commandModules } from './commands/index.js';
import { UserError } from './errors.js';

const program = new Command('gonkad')
  .description('Gonka Proof-of-Useful-Work chain node, devnet and tools')
  .showHelpAfterError('(run with --help for usage)')
  .configureOutput({ writeErr: (s) => process.stderr.write(s) })
  .exitOverride();

for (const mod of commandModules) mod.register(program);

try {
  await program.parseAsync(process.argv);
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
