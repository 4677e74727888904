// gonkad tx poc register|update and gonkad query poc participant|stage|sprint|seed|commits|votes|
// weights: the Sprint's participant messages and state. `register` proves possession of the node's
// consensus key: it signs RegistrationSignDoc{chain_id, participant} with priv_validator_key.json.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  QueryCommitsRequest,
  QueryCommitsResponse,
  QueryConfirmationsRequest,
  QueryConfirmationsResponse,
  QueryFraudRecordsRequest,
  QueryFraudRecordsResponse,
  QueryParticipantRequest,
  QueryParticipantResponse,
  QuerySprintRequest,
  QuerySprintResponse,
  QueryStageRequest,
  QueryStageResponse,
  QueryVotesRequest,
  QueryVotesResponse,
  QueryWeightsRequest,
  QueryWeightsResponse,
} from '../../../proto/gen/gonka/poc/v1/query.js';
import { MsgRegisterParticipant, MsgUpdateParticipant } from '../../../proto/gen/gonka/poc/v1/tx.js';
import { typeUrl } from '../../../proto/gonka/registry.js';
import { signPop } from '../../../x/poc/registration.js';
import { defaultHome, homePaths } from '../../node/home.js';
import {
  abciQuery,
  checkAddress,
  group,
  json,
  nodeOption,
  pageOf,
  pageOptions,
  signAndSend,
  type TxOpts,
  txOptions,
} from '../chainClient.js';
import { UserError } from '../errors.js';

const path = (m: string) => `/gonka.poc.v1.Query/${m}`;

/** "tiny,devnet" or "1,2" → class ids, named by the chain's params (x/poc/params.ts names). */
const CLASS_NAMES: Record<string, number> = { tiny: 1, devnet: 2, large: 3 };
export function parseClasses(s: string): number[] {
  const out = s
    .split(',')
    .filter((x) => x !== '')
    .map((x) => {
      const id = CLASS_NAMES[x] ?? (/^\d{1,9}$/.test(x) ? Number(x) : undefined);
      if (id === undefined) throw new UserError(`unknown class '${x}' (tiny, devnet, large or a class id)`);
      return id;
    });
  if (out.length > 8) throw new UserError('at most 8 classes');
  return out;
}

interface PrivValidatorKey {
  pub_key: { type: string; value: string };
  priv_key: { type: string; value: string };
}

/** The ed25519 seed and public key of a CometBFT priv_validator_key.json. */
export function readConsensusKey(file: string): { seed: Uint8Array; pubkey: Uint8Array } {
  let k: PrivValidatorKey;
  try {
    k = JSON.parse(readFileSync(file, 'utf8')) as PrivValidatorKey;
  } catch (e) {
    throw new UserError(`cannot read consensus key ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (k?.priv_key?.type !== 'tendermint/PrivKeyEd25519')
    throw new UserError(`${file}: not an ed25519 priv_validator_key.json`);
  const priv = Buffer.from(k.priv_key.value, 'base64');
  const pub = Buffer.from(k.pub_key.value, 'base64');
  if (priv.length !== 64 || pub.length !== 32) throw new UserError(`${file}: malformed ed25519 key`);
  return { seed: Uint8Array.from(priv.subarray(0, 32)), pubkey: Uint8Array.from(pub) };
}

/** The chain id from the node's CometBFT /status (what the PoP must name). */
async function chainIdOf(node: string): Promise<string> {
  const r = await fetch(`${node.replace(/\/$/, '')}/status`, { signal: AbortSignal.timeout(10_000) });
  if (!r.ok) throw new UserError(`${node}/status answered ${r.status}`);
  const body = (await r.json()) as { result?: { node_info?: { network?: string } } };
  const id = body.result?.node_info?.network;
  if (!id) throw new UserError(`${node}/status has no chain id`);
  return id;
}

const epochArg = (s: string | undefined): bigint => {
  if (s === undefined) return 0n;
  if (!/^\d{1,19}$/.test(s)) throw new UserError(`epoch must be an unsigned integer, got '${s}'`);
  return BigInt(s);
};

/** The Sprint that decides the epoch given on the command line (none given: the latest). */
const sprintOf = (node: string, epoch: string | undefined) =>
  abciQuery(node, path('Sprint'), QuerySprintRequest, QuerySprintResponse, { epoch: epochArg(epoch) });

export function register(program: Command): void {
  const tx = group(program, 'tx', 'sign and broadcast transactions')
    .command('poc')
    .description('x/poc transactions: register as a Sprint participant, update it');
  txOptions(
    tx
      .command('register')
      .description(
        "register the key's account as a participant with the node's consensus key (weight 0 until a Sprint)",
      )
      .argument('<from>', 'name of the participant key in the keyring')
      .requiredOption('--api-url <url>', 'http(s) URL of the API node other validators fetch proofs from')
      .option('--classes <list>', 'PoC classes mined, e.g. tiny,devnet', 'tiny')
      .option('--consensus-key-file <file>', "priv_validator_key.json (default: the home's)")
      .option('--chain-id <id>', "chain id the proof of possession names (default: the node's)"),
  ).action(async (from: string, opts: TxOpts) => {
    const classes = parseClasses(opts.classes!);
    const key = readConsensusKey(
      opts.consensusKeyFile ?? homePaths(opts.home ?? defaultHome()).privValidatorKey,
    );
    const chainId = opts.chainId ?? (await chainIdOf(opts.node!));
    await signAndSend(from, opts, (participant) => [
      {
        typeUrl: typeUrl(MsgRegisterParticipant),
        value: MsgRegisterParticipant.fromPartial({
          participant,
          apiUrl: opts.apiUrl!,
          consensusPubkey: key.pubkey,
          pop: signPop(chainId, participant, key.seed),
          classes,
        }),
      },
    ]);
  });
  txOptions(
    tx
      .command('update')
      .description("change a participant's api_url and classes")
      .argument('<from>', 'name of the participant key in the keyring')
      .requiredOption('--api-url <url>', 'http(s) URL of the API node')
      .option('--classes <list>', 'PoC classes mined, e.g. tiny,devnet', 'tiny'),
  ).action(async (from: string, opts: TxOpts) => {
    const classes = parseClasses(opts.classes!);
    await signAndSend(from, opts, (participant) => [
      {
        typeUrl: typeUrl(MsgUpdateParticipant),
        value: MsgUpdateParticipant.fromPartial({ participant, apiUrl: opts.apiUrl!, classes }),
      },
    ]);
  });

  const q = group(program, 'query', 'query chain state').commands.find((c) => c.name() === 'poc')!;
  q.command('participant')
    .description('one participant: consensus key, weight, api_url, classes')
    .argument('<address>')
    .option(...nodeOption)
    .action(async (address: string, o: { node: string }) => {
      checkAddress(address);
      const r = await abciQuery(
        o.node,
        path('Participant'),
        QueryParticipantRequest,
        QueryParticipantResponse,
        {
          address,
        },
      );
      process.stdout.write(json(r));
    });
  q.command('stage')
    .description('the Sprint stage at the latest height, with the current or latest Sprint')
    .option(...nodeOption)
    .action(async (o: { node: string }) => {
      process.stdout.write(
        json(await abciQuery(o.node, path('Stage'), QueryStageRequest, QueryStageResponse, {})),
      );
    });
  q.command('sprint')
    .description('a Sprint by the epoch it decides (default: the latest)')
    .argument('[epoch]')
    .option(...nodeOption)
    .action(async (epoch: string | undefined, o: { node: string }) => {
      process.stdout.write(json(await sprintOf(o.node, epoch)));
    });
  q.command('seed')
    .description("a Sprint's seed (hash of block P) and validation hash, hex")
    .argument('[epoch]')
    .option(...nodeOption)
    .action(async (epoch: string | undefined, o: { node: string }) => {
      const { sprint } = await sprintOf(o.node, epoch);
      process.stdout.write(
        json({
          epoch: sprint?.epoch,
          poc_start: sprint?.pocStart,
          seed: Buffer.from(sprint?.seed ?? []).toString('hex'),
          validation_hash: Buffer.from(sprint?.validationHash ?? []).toString('hex'),
        }),
      );
    });
  for (const [name, desc] of [
    ['commits', "a Sprint's commits, or with --round n a confirmation round's (default: the latest Sprint)"],
    ['weights', "a Sprint's weight results (default: the latest Sprint)"],
  ] as const)
    pageOptions(q.command(name).description(desc).argument('[epoch]'))
      .option('--round <n>', 'confirmation round n of the epoch (commits only; default 0: the Sprint)')
      .action(
        async (
          epoch: string | undefined,
          o: { node: string; limit?: string; pageKey?: string; round?: string },
        ) => {
          const req = { epoch: epochArg(epoch), pagination: pageOf(o), round: roundArg(o.round) };
          const r =
            name === 'commits'
              ? await abciQuery(o.node, path('Commits'), QueryCommitsRequest, QueryCommitsResponse, req)
              : await abciQuery(o.node, path('Weights'), QueryWeightsRequest, QueryWeightsResponse, req);
          process.stdout.write(json(r));
        },
      );
  pageOptions(
    q
      .command('votes')
      .description("a Sprint's votes, optionally on one participant (default: the latest Sprint)")
      .argument('[epoch]')
      .option('--participant <address>')
      .option('--round <n>', 'confirmation round n of the epoch (default 0: the Sprint)'),
  ).action(
    async (
      epoch: string | undefined,
      o: { node: string; participant?: string; limit?: string; pageKey?: string; round?: string },
    ) => {
      if (o.participant) checkAddress(o.participant);
      const r = await abciQuery(o.node, path('Votes'), QueryVotesRequest, QueryVotesResponse, {
        epoch: epochArg(epoch),
        participant: o.participant ?? '',
        pagination: pageOf(o),
        round: roundArg(o.round),
      });
      process.stdout.write(json(r));
    },
  );
  pageOptions(
    q
      .command('fraud')
      .description(
        "proven PoC forgeries (fraud proofs) of a Sprint and its epoch's rounds (default: the latest Sprint)",
      )
      .argument('[epoch]'),
  ).action(async (epoch: string | undefined, o: { node: string; limit?: string; pageKey?: string }) => {
    const r = await abciQuery(
      o.node,
      path('FraudRecords'),
      QueryFraudRecordsRequest,
      QueryFraudRecordsResponse,
      {
        epoch: epochArg(epoch),
        pagination: pageOf(o),
      },
    );
    process.stdout.write(json(r));
  });
  q.command('confirmations')
    .description("an epoch's confirmation rounds and their results (default: the running epoch)")
    .argument('[epoch]')
    .option(...nodeOption)
    .action(async (epoch: string | undefined, o: { node: string }) => {
      const r = await abciQuery(
        o.node,
        path('Confirmations'),
        QueryConfirmationsRequest,
        QueryConfirmationsResponse,
        { epoch: epochArg(epoch) },
      );
      process.stdout.write(json(r));
    });
}

/** --round: a confirmation round number (u32), 0 = the Sprint. */
function roundArg(s: string | undefined): number {
  if (s === undefined) return 0;
  if (!/^\d{1,10}$/.test(s) || Number(s) > 0xffff_ffff)
    throw new UserError(`round '${s.slice(0, 20)}' is not a round number (0 … 4294967295)`);
  return Number(s);
}
