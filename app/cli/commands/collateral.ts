// gonkad tx collateral deposit|withdraw <from-key> <amount> and gonkad query collateral
// params|deposit|unbonding|jailed: signed with a keyring key through CosmJS (our codecs in its
// Registry) and read through ABCI queries over a node's CometBFT RPC. Hooks into the `tx` and
// `query` groups that tx.ts and query.ts create (this module is listed after them).
import { DirectSecp256k1Wallet, type GeneratedType, Registry } from '@cosmjs/proto-signing';
import {
  calculateFee,
  defaultRegistryTypes,
  GasPrice,
  QueryClient,
  SigningStargateClient,
} from '@cosmjs/stargate';
import { connectComet } from '@cosmjs/tendermint-rpc';
import type { Command } from 'commander';
import {
  collateralRegistryTypes,
  MsgDepositCollateral,
  MsgWithdrawCollateral,
  QueryCollateralRequest,
  QueryCollateralResponse,
  QueryJailedRequest,
  QueryJailedResponse,
  QueryParamsRequest,
  QueryParamsResponse,
  QueryUnbondingRequest,
  QueryUnbondingResponse,
} from '../../../proto/gonka/collateral/v1/codecs.js';
import { addressBytes, BECH32_PREFIX } from '../../../x/auth/address.js';
import { defaultHome } from '../../node/home.js';
import { closeInput, FileKeyring, KeyringError, readPassphrase } from '../../node/keyring/fileKeyring.js';
import { deriveKey } from '../../node/keyring/hd.js';
import type { ProtoCodec } from '../../runtime/router.js';
import { UserError } from '../errors.js';

export const nodeOption = ['--node <url>', 'CometBFT RPC of a node', 'http://127.0.0.1:26657'] as const;
const json = (v: unknown) =>
  `${JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x instanceof Uint8Array ? Buffer.from(x).toString('base64') : x), 2)}\n`;

/** Group `name` under program, created if no earlier command module made it. */
export function group(program: Command, name: string, description: string): Command {
  return program.commands.find((c) => c.name() === name) ?? program.command(name).description(description);
}

function checkAddress(address: string): void {
  try {
    addressBytes(address);
  } catch (e) {
    throw new UserError(e instanceof Error ? e.message : String(e));
  }
}

/** An ABCI query by gRPC path through CometBFT's RPC; a non-zero code is one clear error. */
export async function abciQuery<Req, Res>(
  node: string,
  path: string,
  req: ProtoCodec<Req>,
  res: ProtoCodec<Res>,
  value: Req,
): Promise<Res> {
  const comet = await connectComet(node);
  try {
    const r = await new QueryClient(comet).queryAbci(path, req.encode(value).finish());
    return res.decode(r.value);
  } catch (e) {
    throw new UserError(`query ${path} failed: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    comet.disconnect();
  }
}

function parseAmount(s: string): { denom: string; amount: string } {
  const m = /^(\d{1,30})(ngonka)?$/.exec(s);
  if (!m || BigInt(m[1]!) === 0n)
    throw new UserError(`amount must be a positive integer of ngonka (e.g. 1000ngonka), got '${s}'`);
  return { denom: 'ngonka', amount: BigInt(m[1]!).toString() };
}

function txCommand(parent: Command, verb: 'deposit' | 'withdraw'): void {
  const codec = verb === 'deposit' ? MsgDepositCollateral : MsgWithdrawCollateral;
  parent
    .command(verb)
    .description(
      verb === 'deposit'
        ? 'lock ngonka as collateral'
        : 'start unbonding collateral (released after unbonding_period_epochs; slashable until then)',
    )
    .argument('<from>', 'name of the participant key in the keyring')
    .argument('<amount>', 'ngonka, e.g. 1000000ngonka')
    .option('--home <dir>', 'node home directory holding keyring-file/ (default $GONKA_HOME or ~/.gonka)')
    .option(...nodeOption)
    .option('--gas <n|auto>', 'gas limit, or auto (simulate × --gas-adjustment)', 'auto')
    .option(
      '--gas-adjustment <x>',
      'multiplier on the simulated gas (a simulation carries no fee, so it misses the fee transfer)',
      '2',
    )
    .option('--gas-prices <price>', 'price per unit of gas', '0.1ngonka')
    .action(async (from: string, amountArg: string, opts: Record<string, string>) => {
      const amount = parseAmount(amountArg);
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
      const registry = new Registry([
        ...defaultRegistryTypes,
        ...(collateralRegistryTypes as unknown as [string, GeneratedType][]),
      ]);
      const client = await SigningStargateClient.connectWithSigner(opts.node!, wallet, {
        gasPrice,
        registry,
        broadcastPollIntervalMs: 500,
      });
      try {
        let fee: number | ReturnType<typeof calculateFee>;
        if (opts.gas === 'auto') fee = Number(opts.gasAdjustment);
        else if (/^\d+$/.test(opts.gas!)) fee = calculateFee(Number(opts.gas), gasPrice);
        else throw new UserError(`invalid --gas '${opts.gas}'`);
        const msg = {
          typeUrl: codec.typeUrl,
          value: codec.fromPartial({ participant: account!.address, amount }),
        };
        const res = await client.signAndBroadcast(account!.address, [msg], fee);
        process.stdout.write(
          json({
            txhash: res.transactionHash,
            height: res.height,
            code: res.code,
            gas_wanted: res.gasWanted,
            gas_used: res.gasUsed,
            raw_log: res.rawLog ?? '',
          }),
        );
        if (res.code !== 0) process.exitCode = 1;
      } catch (e) {
        // A CheckTx rejection (e.g. withdrawing more than deposited) is the user's error, one line.
        throw new UserError(e instanceof Error ? e.message : String(e));
      } finally {
        client.disconnect();
      }
    });
}

export function register(program: Command): void {
  const tx = group(program, 'tx', 'sign and broadcast transactions')
    .command('collateral')
    .description('x/collateral transactions');
  txCommand(tx, 'deposit');
  txCommand(tx, 'withdraw');

  const q = group(program, 'query', 'query chain state')
    .command('collateral')
    .description('x/collateral queries');
  const path = (m: string) => `/gonka.collateral.v1.Query/${m}`;
  q.command('params')
    .description('collateral params')
    .option(...nodeOption)
    .action(async (o: { node: string }) => {
      process.stdout.write(
        json(await abciQuery(o.node, path('Params'), QueryParamsRequest, QueryParamsResponse, {})),
      );
    });
  q.command('deposit')
    .description("a participant's active (bonded) collateral")
    .argument('<participant>', 'gonka1… address')
    .option(...nodeOption)
    .action(async (participant: string, o: { node: string }) => {
      checkAddress(participant);
      process.stdout.write(
        json(
          await abciQuery(o.node, path('Collateral'), QueryCollateralRequest, QueryCollateralResponse, {
            participant,
          }),
        ),
      );
    });
  q.command('unbonding')
    .description("a participant's unbonding entries (completion epoch, amount)")
    .argument('<participant>', 'gonka1… address')
    .option(...nodeOption)
    .action(async (participant: string, o: { node: string }) => {
      checkAddress(participant);
      process.stdout.write(
        json(
          await abciQuery(o.node, path('Unbonding'), QueryUnbondingRequest, QueryUnbondingResponse, {
            participant,
          }),
        ),
      );
    });
  q.command('jailed')
    .description('jailed participants')
    .option(...nodeOption)
    .action(async (o: { node: string }) => {
      process.stdout.write(
        json(await abciQuery(o.node, path('Jailed'), QueryJailedRequest, QueryJailedResponse, {})),
      );
    });
}
