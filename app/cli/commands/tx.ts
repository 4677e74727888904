// gonkad tx bank send <from-key> <to-address> <coins>: signs with a keyring key (SIGN_MODE_DIRECT,
// through CosmJS) and broadcasts to a node's CometBFT RPC, waiting for the block.
import { DirectSecp256k1Wallet } from '@cosmjs/proto-signing';
import { calculateFee, GasPrice, SigningStargateClient } from '@cosmjs/stargate';
import type { Command } from 'commander';
import { addressBytes, BECH32_PREFIX } from '../../../x/auth/address.js';
import { parseCoinsString } from '../../../x/bank/genesisAccounts.js';
import { defaultHome } from '../../node/home.js';
import { closeInput, FileKeyring, KeyringError, readPassphrase } from '../../node/keyring/fileKeyring.js';
import { deriveKey } from '../../node/keyring/hd.js';
import { UserError } from '../errors.js';

export function register(program: Command): void {
  const tx = program.command('tx').description('sign and broadcast transactions');
  const bank = tx.command('bank').description('x/bank transactions');
  bank
    .command('send')
    .description('send coins from a keyring key to an address')
    .argument('<from>', 'name of the sending key in the keyring')
    .argument('<to>', 'recipient address (gonka1…)')
    .argument('<coins>', 'coins, e.g. 1000ngonka')
    .option('--home <dir>', 'node home directory holding keyring-file/ (default $GONKA_HOME or ~/.gonka)')
    .option('--node <url>', 'CometBFT RPC of a node', 'http://127.0.0.1:26657')
    .option('--gas <n|auto>', 'gas limit, or auto (simulate × --gas-adjustment)', 'auto')
    .option('--gas-adjustment <x>', 'multiplier on the simulated gas', '1.4')
    .option('--gas-prices <price>', 'price per unit of gas', '0.1ngonka')
    .option('--memo <text>', 'memo', '')
    .action(async (from: string, to: string, coinsArg: string, opts: Record<string, string>) => {
      let coins: { denom: string; amount: string }[];
      try {
        addressBytes(to);
        coins = parseCoinsString(coinsArg).map((c) => ({ denom: c.denom, amount: c.amount.toString() }));
      } catch (e) {
        throw new UserError(e instanceof Error ? e.message : String(e));
      }
      const ring = new FileKeyring(opts.home ?? defaultHome());
      let mnemonic: string;
      try {
        ring.show(from);
        mnemonic = ring.mnemonic(from, await readPassphrase('passphrase: '));
      } catch (e) {
        if (e instanceof KeyringError) throw new UserError(e.message);
        throw e;
      } finally {
        closeInput();
      }
      const wallet = await DirectSecp256k1Wallet.fromKey(
        (await deriveKey(mnemonic)).privateKey,
        BECH32_PREFIX,
      );
      const [account] = await wallet.getAccounts();
      let gasPrice: GasPrice;
      try {
        gasPrice = GasPrice.fromString(opts.gasPrices!);
      } catch (e) {
        throw new UserError(`invalid --gas-prices: ${e instanceof Error ? e.message : String(e)}`);
      }
      const client = await SigningStargateClient.connectWithSigner(opts.node!, wallet, {
        gasPrice,
        broadcastPollIntervalMs: 500,
      });
      try {
        let fee: number | ReturnType<typeof calculateFee>;
        if (opts.gas === 'auto') fee = Number(opts.gasAdjustment);
        else if (/^\d+$/.test(opts.gas!)) fee = calculateFee(Number(opts.gas), gasPrice);
        else throw new UserError(`invalid --gas '${opts.gas}'`);
        const res = await client.sendTokens(account!.address, to, coins, fee, opts.memo);
        process.stdout.write(
          `${JSON.stringify({ txhash: res.transactionHash, height: res.height, code: res.code, gas_wanted: String(res.gasWanted), gas_used: String(res.gasUsed), raw_log: res.rawLog ?? '' }, null, 2)}\n`,
        );
        if (res.code !== 0) process.exitCode = 1;
      } finally {
        client.disconnect();
      }
    });
}
