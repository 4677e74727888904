// gonkad genesis add-account: fund an account in a node home's genesis before the chain starts.
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { addGenesisAccount, parseCoinsString } from '../../genesisAccounts.js';
import { defaultHome, homePaths, isInitialized } from '../../node/home.js';
import { UserError } from '../errors.js';

export function register(program: Command): void {
  const genesis = program
    .command('genesis')
    .description('edit the genesis of a node home before the chain starts');
  genesis
    .command('add-account')
    .description('add a funded account (BaseAccount + balance) to genesis.json')
    .argument('<address>', 'bech32 address (gonka1…)')
    .argument('<coins>', 'coins, e.g. 1000000000ngonka')
    .option('--home <dir>', 'node home directory (default $GONKA_HOME or ~/.gonka)')
    .action((address: string, coinsArg: string, opts: { home?: string }) => {
      const home = opts.home ?? defaultHome();
      if (!isInitialized(home))
        throw new UserError(`${home} is not an initialized node home (run \`gonkad init --home ${home}\`)`);
      const path = homePaths(home).genesis;
      const doc = JSON.parse(readFileSync(path, 'utf8')) as { app_state?: Record<string, unknown> };
      try {
        const coins = parseCoinsString(coinsArg);
        doc.app_state ??= {};
        addGenesisAccount(doc.app_state, address, coins);
      } catch (e) {
        throw new UserError(e instanceof Error ? e.message : String(e));
      }
      writeFileSync(path, `${JSON.stringify(doc, null, 2)}\n`);
      process.stdout.write(`${JSON.stringify({ address, coins: coinsArg })}\n`);
    });
}
