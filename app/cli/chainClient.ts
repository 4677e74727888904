// What every chain-facing gonkad command shares: the --node option, joining the `tx`/`query`
// groups, ABCI queries over CometBFT RPC, and signing + broadcasting messages with a keyring key
// (gas "auto" = simulate × --gas-adjustment), printing one JSON result on stdout.
import {
  DirectSecp256k1Wallet,
  type EncodeObject,
  type GeneratedType,
  Registry,
} from '@cosmjs/proto-signing';
import {
  calculateFee,
  type DeliverTxResponse,
  defaultRegistryTypes,
  GasPrice,
  QueryClient,
  SigningStargateClient,
} from '@cosmjs/stargate';
import { connectComet } from '@cosmjs/tendermint-rpc';
import type { Command } from 'commander';
import { PageRequest } from 'cosmjs-types/cosmos/base/query/v1beta1/pagination';
import { MsgCancelProposal } from 'cosmjs-types/cosmos/gov/v1/tx';
import { gonkaRegistryTypes } from '../../proto/gonka/registry.js';
import { defaultHome } from '../node/home.js';
import { closeInput, FileKeyring, KeyringError, readPassphrase } from '../node/keyring/fileKeyring.js';
import { deriveKey } from '../node/keyring/hd.js';
import { addressBytes, BECH32_PREFIX } from '../runtime/address.js';
import type { ProtoCodec } from '../runtime/router.js';
import { UserError } from './errors.js';

export const nodeOption = ['--node <url>', 'CometBFT RPC of a node', 'http://127.0.0.1:26657'] as const;

/** The options of a paginated list query (read back by pageOf). */
export const pageOptions = (c: Command): Command =>
  c
    .option('--limit <n>', 'page size')
    .option('--page-key <base64>', "the previous page's next_key (base64)")
    .option(...nodeOption);

/** --limit (default 100) and --page-key as a PageRequest; a bad --limit is the user's error. */
export const pageOf = (o: { limit?: string; pageKey?: string }) => {
  if (o.limit !== undefined && !/^\d{1,4}$/.test(o.limit))
    throw new UserError(`--limit must be a whole number, got '${o.limit}'`);
  return PageRequest.fromPartial({
    limit: o.limit ? BigInt(o.limit) : 100n,
    key: o.pageKey ? Uint8Array.from(Buffer.from(o.pageKey, 'base64')) : new Uint8Array(0),
  });
};

/** JSON for stdout: bigints as strings, bytes as base64. */
export const json = (v: unknown) =>
  `${JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x instanceof Uint8Array ? Buffer.from(x).toString('base64') : x), 2)}\n`;

/** Checks a bech32 account address given on the command line; a bad one is the user's error. */
export function checkAddress(address: string): void {
  try {
    addressBytes(address);
  } catch (e) {
    throw new UserError(e instanceof Error ? e.message : String(e));
  }
}

/** Group `name` under program, created if no earlier command module made it. */
export function group(program: Command, name: string, description: string): Command {
  return program.commands.find((c) => c.name() === name) ?? program.command(name).description(description);
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

export type TxOpts = Record<string, string>;

/** The options every signing command takes. */
export function txOptions(c: Command): Command {
  return c
    .option('--home <dir>', 'node home directory holding keyring-file/ (default $GONKA_HOME or ~/.gonka)')
    .option(...nodeOption)
    .option('--gas <n|auto>', 'gas limit, or auto (simulate × --gas-adjustment)', 'auto')
    .option('--gas-adjustment <x>', 'multiplier on the simulated gas', '1.4')
    .option('--gas-prices <price>', 'price per unit of gas', '0.1ngonka')
    .option('--memo <text>', 'memo', '');
}

/** Every message type the CLI signs: CosmJS's defaults plus ours. */
function cliRegistry(): Registry {
  return new Registry([
    ...defaultRegistryTypes,
    ['/cosmos.gov.v1.MsgCancelProposal', MsgCancelProposal as GeneratedType],
    ...gonkaRegistryTypes,
  ]);
}

/**
 * Signs `build(address)`'s messages with keyring key `from`, broadcasts, prints txhash, height,
 * code, gas and log (plus `extra(res)`) as JSON; a non-zero code sets exit code 1.
 */
export async function signAndSend(
  from: string,
  opts: TxOpts,
  build: (address: string) => EncodeObject[] | Promise<EncodeObject[]>,
  extra: (res: DeliverTxResponse) => Record<string, unknown> = () => ({}),
): Promise<void> {
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
  const wallet = await DirectSecp256k1Wallet.fromKey((await deriveKey(mnemonic)).privateKey, BECH32_PREFIX);
  const [account] = await wallet.getAccounts();
  let gasPrice: GasPrice;
  try {
    gasPrice = GasPrice.fromString(opts.gasPrices!);
  } catch (e) {
    throw new UserError(`invalid --gas-prices: ${e instanceof Error ? e.message : String(e)}`);
  }
  let fee: number | ReturnType<typeof calculateFee>;
  if (opts.gas === 'auto') fee = Number(opts.gasAdjustment);
  else if (/^\d+$/.test(opts.gas!)) fee = calculateFee(Number(opts.gas), gasPrice);
  else throw new UserError(`invalid --gas '${opts.gas}'`);
  const msgs = await build(account!.address);
  const client = await SigningStargateClient.connectWithSigner(opts.node!, wallet, {
    gasPrice,
    registry: cliRegistry(),
    broadcastPollIntervalMs: 500,
  });
  try {
    const res = await client.signAndBroadcast(account!.address, msgs, fee, opts.memo ?? '');
    process.stdout.write(
      json({
        txhash: res.transactionHash,
        height: res.height,
        code: res.code,
        gas_wanted: res.gasWanted,
        gas_used: res.gasUsed,
        raw_log: res.rawLog ?? '',
        ...extra(res),
      }),
    );
    if (res.code !== 0) process.exitCode = 1;
  } catch (e) {
    // A CheckTx rejection (e.g. insufficient funds) is the user's error: one line.
    if (e instanceof UserError) throw e;
    throw new UserError(e instanceof Error ? e.message : String(e));
  } finally {
    client.disconnect();
  }
}
