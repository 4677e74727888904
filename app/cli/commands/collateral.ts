import type { Command } from 'commander';
import { PageRequest } from 'cosmjs-types/cosmos/base/query/v1beta1/pagination';
import {
  QueryCollateralRequest,
  QueryCollateralResponse,
  QueryJailedRequest,
  QueryJailedResponse,
  QueryParamsRequest,
  QueryParamsResponse,
  QuerySigningInfoRequest,
  QuerySigningInfoResponse,
  QueryUnbondingRequest,
  QueryUnbondingResponse,
} from '../../../proto/gen/gonka/collateral/v1/query.js';
import {
  MsgDepositCollateral,
  MsgUnjail,
  MsgWithdrawCollateral,
} from '../../../proto/gen/gonka/collateral/v1/tx.js';
import { typeUrl } from '../../../proto/gonka/registry.js';
import {
  abciQuery,
  checkAddress,
  group,
  json,
  nodeOption,
  signAndSend,
  type TxOpts,
  txOptions,
} from '../chainClient.js';
import { UserError } from '../errors.js';

function parseAmount(s: string): { denom: string; amount: string } {
  const m = /^(\d{1,30})(ngonka)?$/.exec(s);
  if (!m || BigInt(m[1]!) === 0n)
    throw new UserError(`amount must be a positive integer of ngonka (e.g. 1000ngonka), got '${s}'`);
  return { denom: 'ngonka', amount: BigInt(m[1]!).toString() };
}

function txCommand(parent: Command, verb: 'deposit' | 'withdraw'): void {
  const codec = verb === 'deposit' ? MsgDepositCollateral : MsgWithdrawCollateral;
  txOptions(
    parent
      .command(verb)
      .description(
        verb === 'deposit'
          ? 'lock ngonka as collateral'
          : 'start unbonding collateral (released after unbonding_period_epochs; slashable until then)',
      )
      .argument('<from>', 'name of the participant key in the keyring')
      .argument('<amount>', 'ngonka, e.g. 1000000ngonka'),
  ).action(async (from: string, amountArg: string, opts: TxOpts) => {
    const amount = parseAmount(amountArg);
    await signAndSend(from, opts, (participant) => [
      { typeUrl: typeUrl(codec), value: codec.fromPartial({ participant, amount }) },
    ]);
  });
}

export function register(program: Command): void {
  const tx = group(program, 'tx', 'sign and broadcast transactions')
    .command('collateral')
    .description('x/collateral transactions');
  txCommand(tx, 'deposit');
  txCommand(tx, 'withdraw');
  txOptions(
    tx
      .command('unjail')
      .description(
        "ask for a jailed validator's power back (after downtime_jail_blocks; never when tombstoned)",
      )
      .argument('<from>', 'name of the participant key in the keyring'),
  ).action(async (from: string, opts: TxOpts) => {
    await signAndSend(from, opts, (participant) => [
      { typeUrl: typeUrl(MsgUnjail), value: MsgUnjail.fromPartial({ participant }) },
    ]);
  });

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
      // Every page (1,000 a page).
      const participants: string[] = [];
      let key: Uint8Array = new Uint8Array(0);
      for (let pages = 0; pages < 1000; pages++) {
        const r = await abciQuery(o.node, path('Jailed'), QueryJailedRequest, QueryJailedResponse, {
          pagination: PageRequest.fromPartial({ key, limit: 1000n }),
        });
        participants.push(...r.participants);
        key = r.pagination?.nextKey ?? new Uint8Array(0);
        if (key.length === 0) break;
      }
      process.stdout.write(json({ participants }));
    });
  q.command('signing-info')
    .description("a validator's liveness record (start height, missed blocks, jailed until, tombstoned)")
    .argument('<participant>', 'gonka1… address')
    .option(...nodeOption)
    .action(async (address: string, o: { node: string }) => {
      checkAddress(address);
      process.stdout.write(
        json(
          await abciQuery(o.node, path('SigningInfo'), QuerySigningInfoRequest, QuerySigningInfoResponse, {
            address,
          }),
        ),
      );
    });
}
