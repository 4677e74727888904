// gonkad tx bank send <from-key> <to-address> <coins>: signs with a keyring key (SIGN_MODE_DIRECT,
// through CosmJS) and broadcasts to a node's CometBFT RPC, waiting for the block.
import type { Command } from 'commander';
import { parseCoinsString } from '../../genesisAccounts.js';
import { addressBytes } from '../../runtime/address.js';
import { group, signAndSend, type TxOpts, txOptions } from '../chainClient.js';
import { UserError } from '../errors.js';

export function register(program: Command): void {
  const bank = group(program, 'tx', 'sign and broadcast transactions')
    .command('bank')
    .description('x/bank transactions');
  txOptions(
    bank
      .command('send')
      .description('send coins from a keyring key to an address')
      .argument('<from>', 'name of the sending key in the keyring')
      .argument('<to>', 'recipient address (gonka1…)')
      .argument('<coins>', 'coins, e.g. 1000ngonka'),
  ).action(async (from: string, to: string, coinsArg: string, opts: TxOpts) => {
    let amount: { denom: string; amount: string }[];
    try {
      addressBytes(to);
      amount = parseCoinsString(coinsArg).map((c) => ({ denom: c.denom, amount: c.amount.toString() }));
    } catch (e) {
      throw new UserError(e instanceof Error ? e.message : String(e));
    }
    await signAndSend(from, opts, (fromAddress) => [
      { typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: { fromAddress, toAddress: to, amount } },
    ]);
  });
}
