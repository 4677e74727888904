// CometBFT RPC → Cosmos protobuf: the proxied parts of the gRPC services (as the SDK's own gRPC
// server does, they read the local CometBFT's JSON-RPC and answer in the SDK's types).
import { toBech32 } from '@cosmjs/encoding';
import { TxResponse } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import type { Validator } from 'cosmjs-types/cosmos/base/tendermint/v1beta1/query';
import type { Block as SdkBlock } from 'cosmjs-types/cosmos/base/tendermint/v1beta1/types';
import { PubKey as Ed25519PubKey } from 'cosmjs-types/cosmos/crypto/ed25519/keys';
import { Tx } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import type { Event } from 'cosmjs-types/tendermint/abci/types';
import type { Block } from 'cosmjs-types/tendermint/types/block';
import type { BlockID, Header } from 'cosmjs-types/tendermint/types/types';
import { BECH32_PREFIX } from '../../runtime/address.js';

/** CometBFT's JSON-RPC results, read field by field below (untyped JSON). */
// biome-ignore lint/suspicious/noExplicitAny: JSON-RPC results are untyped; each use reads known fields
export type RpcJson = any;

/** A JSON-RPC parameter: integers go as decimal strings (CometBFT reads int64 that way), bytes as base64. */
export type RpcParam = string | boolean | undefined;

/**
 * CometBFT's JSON-RPC over POST: the request is a JSON body, so a tx travels base64-encoded in it
 * and any tx up to max_tx_bytes fits (a hex tx in a GET URL fails beyond ≈ 512 KB).
 */
export class CometRpcClient {
  private nextId = 0;
  constructor(
    readonly url: string,
    private readonly timeoutMs = 10_000,
  ) {}

  async call<T = RpcJson>(method: string, params: Record<string, RpcParam> = {}): Promise<T> {
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: ++this.nextId,
      method,
      params: Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)),
    });
    let res: Response;
    try {
      res = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      throw new CometUnavailableError(`CometBFT RPC unreachable (${method}): ${describe(e)}`);
    }
    let json: { result?: T; error?: { code?: number; message?: string; data?: string } };
    try {
      json = (await res.json()) as typeof json;
    } catch (e) {
      throw new CometUnavailableError(
        `CometBFT RPC answered ${method} with HTTP ${res.status}: ${describe(e)}`,
      );
    }
    if (json.error) {
      const { code, message, data } = json.error;
      throw new RpcError(Number(code ?? 0), `${message ?? 'error'}${data ? `: ${data}` : ''}`);
    }
    if (json.result === undefined)
      throw new CometUnavailableError(`CometBFT RPC answered ${method} without a result`);
    return json.result;
  }
}

const describe = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** CometBFT answered with an error: the request it was built from was wrong (a caller's mistake). */
export class RpcError extends Error {
  constructor(
    readonly rpcCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** CometBFT could not be reached or answered garbage: the only case that is UNAVAILABLE. */
export class CometUnavailableError extends Error {}

const hex = (s: string | undefined) => Buffer.from(s ?? '', 'hex');
const b64 = (s: string | undefined | null) => Buffer.from(s ?? '', 'base64');

/** RFC 3339 with up to nanosecond precision → Timestamp, without floats. */
export function parseTime(s: string): Timestamp {
  const m = /^(.*?)(?:\.(\d{1,9}))?Z$/.exec(s);
  if (!m) throw new Error(`unexpected time '${s}'`);
  const seconds = BigInt(Date.parse(`${m[1]}Z`) / 1000);
  return { seconds, nanos: Number((m[2] ?? '').padEnd(9, '0')) };
}

export function eventsFrom(json: RpcJson[] | undefined): Event[] {
  return (json ?? []).map((e) => ({
    type: e.type,
    attributes: (e.attributes ?? []).map((a: RpcJson) => ({
      key: a.key ?? '',
      value: a.value ?? '',
      index: Boolean(a.index),
    })),
  }));
}

/** TxResponse from CometBFT's `tx` / `tx_search` item plus its block time. */
export function txResponseFrom(item: RpcJson, blockTime: string): TxResponse {
  const r = item.tx_result ?? {};
  const txBytes = b64(item.tx);
  let tx: { typeUrl: string; value: Uint8Array } | undefined;
  try {
    tx = { typeUrl: '/cosmos.tx.v1beta1.Tx', value: Tx.encode(Tx.decode(txBytes)).finish() };
  } catch {
    tx = undefined;
  }
  return TxResponse.fromPartial({
    height: BigInt(item.height),
    txhash: String(item.hash).toUpperCase(),
    codespace: r.codespace ?? '',
    code: Number(r.code ?? 0),
    data: b64(r.data).toString('hex').toUpperCase(),
    rawLog: r.log ?? '',
    info: r.info ?? '',
    gasWanted: BigInt(r.gas_wanted ?? 0),
    gasUsed: BigInt(r.gas_used ?? 0),
    tx,
    timestamp: blockTime,
    events: eventsFrom(r.events),
  });
}

function blockIdFrom(j: RpcJson): BlockID {
  return {
    hash: hex(j?.hash),
    partSetHeader: { total: Number(j?.parts?.total ?? 0), hash: hex(j?.parts?.hash) },
  };
}

function headerFrom(h: RpcJson): Header {
  return {
    version: { block: BigInt(h.version?.block ?? 0), app: BigInt(h.version?.app ?? 0) },
    chainId: h.chain_id,
    height: BigInt(h.height),
    time: parseTime(h.time),
    lastBlockId: blockIdFrom(h.last_block_id),
    lastCommitHash: hex(h.last_commit_hash),
    dataHash: hex(h.data_hash),
    validatorsHash: hex(h.validators_hash),
    nextValidatorsHash: hex(h.next_validators_hash),
    consensusHash: hex(h.consensus_hash),
    appHash: hex(h.app_hash),
    lastResultsHash: hex(h.last_results_hash),
    evidenceHash: hex(h.evidence_hash),
    proposerAddress: hex(h.proposer_address),
  };
}

/** `block` RPC result → (BlockID, tendermint Block, SDK Block with a bech32 proposer). */
export function blockFrom(res: RpcJson): { blockId: BlockID; block: Block; sdkBlock: SdkBlock } {
  const b = res.block;
  const header = headerFrom(b.header);
  const lastCommit = {
    height: BigInt(b.last_commit?.height ?? 0),
    round: Number(b.last_commit?.round ?? 0),
    blockId: blockIdFrom(b.last_commit?.block_id),
    signatures: (b.last_commit?.signatures ?? []).map((s: RpcJson) => ({
      blockIdFlag: Number(s.block_id_flag),
      validatorAddress: hex(s.validator_address),
      timestamp: parseTime(s.timestamp === '0001-01-01T00:00:00Z' ? '1970-01-01T00:00:00Z' : s.timestamp),
      signature: b64(s.signature),
    })),
  };
  const data = { txs: (b.data?.txs ?? []).map((t: string) => b64(t)) };
  const evidence = { evidence: [] }; // evidence is not decoded from JSON; the test networks have none
  const block: Block = { header, data, evidence, lastCommit };
  const sdkBlock: SdkBlock = {
    header: { ...header, proposerAddress: toBech32(`${BECH32_PREFIX}valcons`, header.proposerAddress) },
    data,
    evidence,
    lastCommit,
  };
  return { blockId: blockIdFrom(res.block_id), block, sdkBlock };
}

export function validatorsFrom(res: RpcJson): {
  blockHeight: bigint;
  validators: Validator[];
  total: bigint;
} {
  const validators = (res.validators ?? []).map((v: RpcJson) => ({
    address: toBech32(`${BECH32_PREFIX}valcons`, hex(v.address)),
    pubKey: {
      typeUrl: '/cosmos.crypto.ed25519.PubKey',
      value: Ed25519PubKey.encode({ key: b64(v.pub_key?.value) }).finish(),
    },
    votingPower: BigInt(v.voting_power),
    proposerPriority: BigInt(v.proposer_priority),
  }));
  return { blockHeight: BigInt(res.block_height), validators, total: BigInt(res.total ?? validators.length) };
}
