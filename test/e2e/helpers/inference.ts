// What the paid-inference e2e tests share: deterministic developer accounts, x/inference and bank
// reads over a node's CometBFT RPC (ABCI queries, as wallets do), the `openai` npm client pointed
// at an API node, a signing fetch for signed requests, and the gonkad CLI with a file keyring.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { Bip39 } from '@cosmjs/crypto';
import { QueryBalanceRequest, QueryBalanceResponse } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import OpenAI from 'openai';
import { deriveKey } from '../../../app/node/keyring/hd.js';
import type { ProtoCodec } from '../../../app/runtime/router.js';
import type { Inference } from '../../../proto/gen/gonka/inference/v1/inference.js';
import {
  QueryApiKeyRequest,
  QueryApiKeyResponse,
  QueryExecutorStatsRequest,
  QueryExecutorStatsResponse,
  QueryInferenceRequest,
  QueryInferenceResponse,
  QueryInferencesRequest,
  QueryInferencesResponse,
  QueryModelRequest,
  QueryModelResponse,
} from '../../../proto/gen/gonka/inference/v1/query.js';
import {
  QueryParticipantsRequest,
  QueryParticipantsResponse,
} from '../../../proto/gen/gonka/poc/v1/query.js';
import { developerSignBytes } from '../../../x/inference/seed.js';
import { TestKey } from '../../integration/tx-harness.js';
import { gonkadEntry } from './entries.js';
import type { CometRpc } from './rpc.js';

export const DENOM = 'ngonka';

/** A developer account from a fixed seed: mnemonic (for the CLI keyring), address, signing key. */
export async function developer(seed: string) {
  const mnemonic = Bip39.encode(createHash('sha256').update(seed).digest()).toString();
  const k = await deriveKey(mnemonic);
  return { mnemonic, address: k.address, key: new TestKey(k.privateKey) };
}
export type Developer = Awaited<ReturnType<typeof developer>>;

/** x/inference, x/poc and bank reads through one node's RPC. */
export class ChainReader {
  constructor(readonly rpc: CometRpc) {}

  async query<Req, Res>(method: string, req: ProtoCodec<Req>, res: ProtoCodec<Res>, v: Req): Promise<Res> {
    const r = await this.rpc.abciQuery(method, req.encode(v).finish());
    if (r.code) throw new Error(`${method}: code ${r.code} ${r.log ?? ''}`);
    return res.decode(Buffer.from(r.value ?? '', 'base64'));
  }

  /** The latest failed txs (code ≠ 0 in the block): a Start or Finish the chain refused after
   *  CheckTx accepted it leaves no other trace, so failures name them. */
  async failedTxs(): Promise<string[]> {
    const r = await this.rpc.call<{
      txs: { height: string; tx_result: { code: number; codespace?: string; log: string } }[];
    }>('tx_search', {
      query: JSON.stringify('tx.height>0'),
      per_page: 100,
      order_by: JSON.stringify('desc'),
    });
    return r.txs
      .filter((t) => t.tx_result.code !== 0)
      .map(
        (t) =>
          `height ${t.height}: ${t.tx_result.codespace ?? ''} ${t.tx_result.code} ${t.tx_result.log.slice(0, 300)}`,
      );
  }

  async balance(address: string): Promise<bigint> {
    const r = await this.query(
      '/cosmos.bank.v1beta1.Query/Balance',
      QueryBalanceRequest,
      QueryBalanceResponse,
      {
        address,
        denom: DENOM,
      },
    );
    return BigInt(r.balance?.amount ?? '0');
  }

  /** The inference, or undefined while the chain has none by that id. */
  async inference(id: string): Promise<Inference | undefined> {
    const r = await this.rpc.abciQuery(
      '/gonka.inference.v1.Query/Inference',
      QueryInferenceRequest.encode({ id }).finish(),
    );
    if (r.code) return undefined;
    return QueryInferenceResponse.decode(Buffer.from(r.value ?? '', 'base64')).inference;
  }

  /** A developer's stored inferences (every page). */
  async inferencesOf(requestedBy: string): Promise<Inference[]> {
    const r = await this.query(
      '/gonka.inference.v1.Query/Inferences',
      QueryInferencesRequest,
      QueryInferencesResponse,
      QueryInferencesRequest.fromPartial({ requestedBy, pagination: { limit: 1000n } }),
    );
    return r.inferences;
  }

  async executorStats(executor: string) {
    const r = await this.rpc.abciQuery(
      '/gonka.inference.v1.Query/ExecutorStats',
      QueryExecutorStatsRequest.encode({ executor }).finish(),
    );
    const s = r.code
      ? undefined
      : QueryExecutorStatsResponse.decode(Buffer.from(r.value ?? '', 'base64')).stats;
    return { completed: s?.completed ?? 0n, missed: s?.missed ?? 0n, earned: BigInt(s?.earned || '0') };
  }

  async apiKey(keyHash: Uint8Array) {
    return (
      await this.query('/gonka.inference.v1.Query/ApiKey', QueryApiKeyRequest, QueryApiKeyResponse, {
        keyHash: Buffer.from(keyHash).toString('hex'),
      })
    ).key;
  }

  async model(modelId: string) {
    return this.query('/gonka.inference.v1.Query/Model', QueryModelRequest, QueryModelResponse, { modelId });
  }

  async participants() {
    return (
      await this.query(
        '/gonka.poc.v1.Query/Participants',
        QueryParticipantsRequest,
        QueryParticipantsResponse,
        QueryParticipantsRequest.fromPartial({ pagination: { limit: 100n } }),
      )
    ).participants;
  }
}

/** The `openai` client against an API node, never retrying (a retry would hide the first error). */
export function openaiClient(apiUrl: string, apiKey: string, fetchImpl?: typeof fetch): OpenAI {
  return new OpenAI({
    baseURL: `${apiUrl}/v1`,
    apiKey,
    maxRetries: 0,
    timeout: 60_000,
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
}

/** A fetch that sends the request without any Authorization header (the client insists on a key). */
export const withoutAuth: typeof fetch = (url, init) => {
  const headers = new Headers(init?.headers);
  headers.delete('authorization');
  return fetch(url, { ...init, headers });
};

/** A captured signed request: what a replay resends byte for byte. */
export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

/**
 * A fetch that turns the client's request into a signed one (no bearer key): developer's secp256k1
 * over SHA-256(developerSignBytes(SHA-256(raw body), ts, TA)). `replay` resends a captured
 * request's body and headers instead of what the client built; `captured` receives each signed one.
 */
export function signingFetch(
  dev: Developer,
  transferAgent: string,
  opts: { replay?: SignedRequest; captured?: (r: SignedRequest) => void } = {},
): typeof fetch {
  return (url, init) => {
    const headers = new Headers(init?.headers);
    headers.delete('authorization');
    if (opts.replay) {
      for (const [k, v] of Object.entries(opts.replay.headers)) headers.set(k, v);
      return fetch(url, { ...init, headers, body: opts.replay.body });
    }
    const body = String(init?.body ?? '');
    const ts = BigInt(Date.now());
    const bodyHash = createHash('sha256').update(body, 'utf8').digest();
    const sig = dev.key.sign(developerSignBytes(bodyHash, ts, transferAgent));
    const signed = {
      'x-gonka-requester': dev.address,
      'x-gonka-pubkey': Buffer.from(dev.key.pubKey).toString('base64'),
      'x-gonka-timestamp': ts.toString(),
      'x-gonka-signature': Buffer.from(sig).toString('base64'),
    };
    for (const [k, v] of Object.entries(signed)) headers.set(k, v);
    opts.captured?.({ body, headers: signed });
    return fetch(url, { ...init, headers, body });
  };
}

/** Asserts that `p` rejects with an OpenAI APIError of this status (and code, when given). */
export async function expectApiError(
  p: Promise<unknown>,
  status: number,
  code?: string,
  what = `${status} ${code ?? ''}`,
): Promise<InstanceType<typeof OpenAI.APIError>> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof OpenAI.APIError, `${what}: not an APIError: ${String(e)}`);
    assert.equal(e.status, status, `${what}: status (${e.message})`);
    if (code !== undefined) assert.equal(e.code, code, `${what}: code (${e.message})`);
    return e;
  }
  assert.fail(`${what}: the request succeeded`);
}

/** `gonkad <args>` with a file keyring at `home` and the node's RPC; resolves with its output. */
export function gonkad(args: string[], env: Record<string, string>, stdin = '') {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const p = spawn(process.execPath, [gonkadEntry, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (status) => resolve({ status, stdout, stderr }));
    p.stdin.end(stdin);
  });
}

/** gonkad that must succeed; its stdout as JSON. */
export async function gonkadJson(args: string[], env: Record<string, string>, stdin = ''): Promise<any> {
  const r = await gonkad(args, env, stdin);
  assert.equal(r.status, 0, `gonkad ${args.join(' ')}: ${r.stderr} ${r.stdout}`);
  return JSON.parse(r.stdout);
}
