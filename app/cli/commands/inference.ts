// gonkad tx inference register-key|revoke-key and gonkad query inference params|models|model|
// inference|inferences|api-key|api-keys|executor: bearer keys for paid inference and x/inference
// state. register-key makes the secret here (crypto RNG), registers only its SHA-256 and prints the
// secret once (or writes it to a 0600 file); the chain never sees it.
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { inferenceStatusToJSON } from '../../../proto/gen/gonka/inference/v1/inference.js';
import {
  QueryApiKeyRequest,
  QueryApiKeyResponse,
  QueryApiKeysRequest,
  QueryApiKeysResponse,
  QueryExecutorStatsRequest,
  QueryExecutorStatsResponse,
  QueryInferenceRequest,
  QueryInferenceResponse,
  QueryInferencesRequest,
  QueryInferencesResponse,
  QueryModelRequest,
  QueryModelResponse,
  QueryModelsRequest,
  QueryModelsResponse,
  QueryParamsRequest,
  QueryParamsResponse,
} from '../../../proto/gen/gonka/inference/v1/query.js';
import { MsgRegisterApiKey, MsgRevokeApiKey } from '../../../proto/gen/gonka/inference/v1/tx.js';
import { typeUrl } from '../../../proto/gonka/registry.js';
import { apiKeyHash, newApiKeySecret } from '../../apiKeySecret.js';
import {
  abciQuery,
  checkAddress,
  group,
  nodeOption,
  pageOf,
  pageOptions,
  signAndSend,
  type TxOpts,
  txOptions,
} from '../chainClient.js';
import { UserError } from '../errors.js';

const path = (m: string) => `/gonka.inference.v1.Query/${m}`;

/** JSON for stdout: bigints as strings, bytes (hashes) as hex, an inference's status by name. */
export const inferenceJson = (v: unknown) =>
  `${JSON.stringify(
    v,
    (k, x) =>
      typeof x === 'bigint'
        ? x.toString()
        : x instanceof Uint8Array
          ? Buffer.from(x).toString('hex')
          : k === 'status' && typeof x === 'number'
            ? inferenceStatusToJSON(x)
            : x,
    2,
  )}\n`;

/** A spend limit: whole ngonka, "1000" or "1000ngonka", at least 1. */
export function parseSpendLimit(s: string): bigint {
  const m = /^(\d{1,30})(ngonka)?$/.exec(s.trim());
  if (!m || BigInt(m[1]!) === 0n)
    throw new UserError(`--spend-limit must be a positive whole number of ngonka, got '${s}'`);
  return BigInt(m[1]!);
}

/** A key hash given on the command line: 64 hex digits. */
export function parseKeyHash(s: string): Uint8Array {
  if (!/^[0-9a-fA-F]{64}$/.test(s)) throw new UserError(`key hash must be 64 hex digits, got '${s}'`);
  return Uint8Array.from(Buffer.from(s, 'hex'));
}

const ID_RE = /^[A-Za-z0-9._/-]{1,128}$/;
const checkId = (what: string, s: string) => {
  if (!ID_RE.test(s)) throw new UserError(`${what} must be 1-128 characters of [A-Za-z0-9._/-], got '${s}'`);
};

const print = (v: unknown) => process.stdout.write(inferenceJson(v));

export function register(program: Command): void {
  const tx = group(program, 'tx', 'sign and broadcast transactions')
    .command('inference')
    .description('x/inference transactions: bearer API keys for paid inference');
  txOptions(
    tx
      .command('register-key')
      .description(
        'make a new API key secret, register its SHA-256 as a grant to a transfer agent (an API node) ' +
          'to escrow from your account within --spend-limit per epoch; prints the secret once',
      )
      .argument('<from>', 'name of the paying key in the keyring (the key owner)')
      .requiredOption('--transfer-agent <address>', "the API node's account (its GET /v1/identity address)")
      .requiredOption('--spend-limit <ngonka>', 'most ngonka the transfer agent may escrow per epoch')
      .option('--secret-out <file>', 'write the secret to this new file (mode 0600) instead of printing it'),
  ).action(async (from: string, opts: TxOpts) => {
    checkAddress(opts.transferAgent!);
    const limit = parseSpendLimit(opts.spendLimit!);
    const secret = newApiKeySecret();
    const keyHash = apiKeyHash(secret);
    if (opts.secretOut) {
      // Written before broadcasting (and never over an existing file): a key registered on chain
      // whose secret was lost could never be used.
      try {
        writeFileSync(opts.secretOut, `${secret}\n`, { mode: 0o600, flag: 'wx' });
      } catch (e) {
        throw new UserError(`cannot write ${opts.secretOut}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    await signAndSend(
      from,
      opts,
      (owner) => [
        {
          typeUrl: typeUrl(MsgRegisterApiKey),
          value: MsgRegisterApiKey.fromPartial({
            owner,
            keyHash,
            transferAgent: opts.transferAgent!,
            spendLimitPerEpoch: limit.toString(),
          }),
        },
      ],
      (res) => ({
        key_hash: Buffer.from(keyHash).toString('hex'),
        ...(opts.secretOut ? { secret_file: opts.secretOut } : res.code === 0 ? { secret } : {}),
      }),
    );
  });
  txOptions(
    tx
      .command('revoke-key')
      .description('revoke one of your API keys: its transfer agent can escrow nothing more with it')
      .argument('<from>', 'name of the key owner in the keyring')
      .argument('<key-hash>', "the key's SHA-256 (64 hex digits)"),
  ).action(async (from: string, hash: string, opts: TxOpts) => {
    const keyHash = parseKeyHash(hash);
    await signAndSend(from, opts, (owner) => [
      { typeUrl: typeUrl(MsgRevokeApiKey), value: MsgRevokeApiKey.fromPartial({ owner, keyHash }) },
    ]);
  });

  const q = group(program, 'query', 'query chain state')
    .command('inference')
    .description('x/inference queries: models and prices, inferences, API keys, executors');
  q.command('params')
    .description('x/inference params')
    .option(...nodeOption)
    .action(async (o: { node: string }) => {
      print(await abciQuery(o.node, path('Params'), QueryParamsRequest, QueryParamsResponse, {}));
    });
  pageOptions(q.command('models').description('registered models with their current price')).action(
    async (o: { node: string; limit?: string; pageKey?: string }) => {
      print(
        await abciQuery(o.node, path('Models'), QueryModelsRequest, QueryModelsResponse, {
          pagination: pageOf(o),
        }),
      );
    },
  );
  q.command('model')
    .description('one model (e.g. gonka/demo) and its price state')
    .argument('<id>')
    .option(...nodeOption)
    .action(async (id: string, o: { node: string }) => {
      checkId('model id', id);
      print(await abciQuery(o.node, path('Model'), QueryModelRequest, QueryModelResponse, { modelId: id }));
    });
  q.command('inference')
    .description('one inference: parties, token counts, price, escrow, cost and status')
    .argument('<id>')
    .option(...nodeOption)
    .action(async (id: string, o: { node: string }) => {
      checkId('inference id', id);
      print(
        await abciQuery(o.node, path('Inference'), QueryInferenceRequest, QueryInferenceResponse, { id }),
      );
    });
  pageOptions(
    q
      .command('inferences')
      .description('open inferences in expiry order, or those of one requester or executor')
      .option('--requested-by <address>', "a developer's inferences")
      .option('--executor <address>', "an executor's inferences"),
  ).action(
    async (o: {
      node: string;
      requestedBy?: string;
      executor?: string;
      limit?: string;
      pageKey?: string;
    }) => {
      if (o.requestedBy) checkAddress(o.requestedBy);
      if (o.executor) checkAddress(o.executor);
      print(
        await abciQuery(o.node, path('Inferences'), QueryInferencesRequest, QueryInferencesResponse, {
          requestedBy: o.requestedBy ?? '',
          executor: o.executor ?? '',
          pagination: pageOf(o),
        }),
      );
    },
  );
  q.command('api-key')
    .description('one API key by its SHA-256 (hex): owner, transfer agent, limit, spent, revoked')
    .argument('<key-hash>')
    .option(...nodeOption)
    .action(async (hash: string, o: { node: string }) => {
      parseKeyHash(hash);
      print(
        await abciQuery(o.node, path('ApiKey'), QueryApiKeyRequest, QueryApiKeyResponse, {
          keyHash: hash.toLowerCase(),
        }),
      );
    });
  pageOptions(q.command('api-keys').description("an owner's API keys").argument('<owner>')).action(
    async (owner: string, o: { node: string; limit?: string; pageKey?: string }) => {
      checkAddress(owner);
      print(
        await abciQuery(o.node, path('ApiKeys'), QueryApiKeysRequest, QueryApiKeysResponse, {
          owner,
          pagination: pageOf(o),
        }),
      );
    },
  );
  q.command('executor')
    .description("an executor's completed and missed inferences and its earnings")
    .argument('<address>')
    .option(...nodeOption)
    .action(async (address: string, o: { node: string }) => {
      checkAddress(address);
      print(
        await abciQuery(
          o.node,
          path('ExecutorStats'),
          QueryExecutorStatsRequest,
          QueryExecutorStatsResponse,
          {
            executor: address,
          },
        ),
      );
    });
}
