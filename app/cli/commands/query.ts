// gonkad query bank balances <address> | query account <address>: reads through a node's CometBFT
// RPC (ABCI query), as any CosmJS client does.
import { StargateClient } from '@cosmjs/stargate';
import type { Command } from 'commander';
import { checkAddress, nodeOption } from '../chainClient.js';
import { UserError } from '../errors.js';

export function register(program: Command): void {
  const query = program.command('query').alias('q').description('query chain state');
  query
    .command('bank')
    .description('x/bank queries')
    .command('balances')
    .description('all balances of an address')
    .argument('<address>', 'gonka1… address')
    .option(...nodeOption)
    .action(async (address: string, opts: { node: string }) => {
      checkAddress(address);
      const client = await StargateClient.connect(opts.node);
      try {
        const balances = await client.getAllBalances(address);
        process.stdout.write(
          `${JSON.stringify({ balances }, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`,
        );
      } finally {
        client.disconnect();
      }
    });
  query
    .command('account')
    .description('an account: number, sequence and public key')
    .argument('<address>', 'gonka1… address')
    .option(...nodeOption)
    .action(async (address: string, opts: { node: string }) => {
      checkAddress(address);
      const client = await StargateClient.connect(opts.node);
      try {
        const account = await client.getAccount(address);
        if (!account) throw new UserError(`account ${address} not found`);
        process.stdout.write(
          `${JSON.stringify(account, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`,
        );
      } finally {
        client.disconnect();
      }
    });
}
