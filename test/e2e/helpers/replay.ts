// Reference replay: feeds blocks (fetched from a node, or recorded) to a fresh in-process app and
// returns the app hash after each height. Two fresh replays of the same blocks must agree, and
// each must equal the app hash CometBFT put in the next header.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RequestFinalizeBlock, RequestInitChain, type VoteInfo } from 'cosmjs-types/tendermint/abci/types';
import { ConsensusParams } from 'cosmjs-types/tendermint/types/params';
import { pino } from 'pino';
import { type AppExtensions, appStoreNames, createApp } from '../../../app/app.js';
import { openAppStore } from '../../../app/node/openStore.js';
import type { CometRpc } from './rpc.js';

export interface RecordedBlock {
  height: number;
  txs: Uint8Array[];
  time: { seconds: bigint; nanos: number };
  hash: Uint8Array;
  proposer: Uint8Array;
  /**
   * decided_last_commit votes as CometBFT sent them with this block: the previous height's
   * validator set in set order, each with its address, power and block_id_flag from the block's
   * last_commit (x/collateral's liveness tracking reads them, so they are state-relevant).
   */
  votes?: VoteInfo[];
}

type GenesisConsensusParams = {
  block?: { max_bytes?: string; max_gas?: string };
  evidence?: { max_age_num_blocks?: string; max_age_duration?: string; max_bytes?: string };
  validator?: { pub_key_types?: string[] };
  version?: { app?: string };
  abci?: { vote_extensions_enable_height?: string };
};

/**
 * The ConsensusParams CometBFT sends in InitChain for a genesis file's `consensus_params` (every
 * section, durations in nanoseconds): the app stores them, so a replay must send the same.
 */
export function consensusParamsFromGenesis(
  cp: GenesisConsensusParams | undefined,
): ConsensusParams | undefined {
  if (!cp) return undefined;
  const ns = BigInt(cp.evidence?.max_age_duration ?? '0');
  return ConsensusParams.fromPartial({
    block: { maxBytes: BigInt(cp.block?.max_bytes ?? '0'), maxGas: BigInt(cp.block?.max_gas ?? '0') },
    evidence: {
      maxAgeNumBlocks: BigInt(cp.evidence?.max_age_num_blocks ?? '0'),
      maxAgeDuration: { seconds: ns / 1_000_000_000n, nanos: Number(ns % 1_000_000_000n) },
      maxBytes: BigInt(cp.evidence?.max_bytes ?? '0'),
    },
    validator: { pubKeyTypes: cp.validator?.pub_key_types ?? [] },
    version: { app: BigInt(cp.version?.app ?? '0') },
    abci: { voteExtensionsEnableHeight: BigInt(cp.abci?.vote_extensions_enable_height ?? '0') },
  });
}

export function parseRfc3339(s: string): { seconds: bigint; nanos: number } {
  const m = /^(.*?)(?:\.(\d+))?Z$/.exec(s);
  if (!m) throw new Error(`bad time ${s}`);
  const seconds = BigInt(Math.floor(Date.parse(`${m[1]}Z`) / 1000));
  const nanos = Number((m[2] ?? '').padEnd(9, '0').slice(0, 9));
  return { seconds, nanos };
}

export async function fetchBlocks(rpc: CometRpc, from: number, to: number): Promise<RecordedBlock[]> {
  const out: RecordedBlock[] = [];
  for (let h = from; h <= to; h++) {
    const r = await rpc.call<any>('block', { height: h });
    if ((r.block.evidence?.evidence ?? []).length > 0)
      throw new Error(`block ${h} carries evidence: the reference replay does not convert misbehavior yet`);
    out.push({
      height: h,
      txs: (r.block.data.txs ?? []).map((t: string) => Buffer.from(t, 'base64')),
      time: parseRfc3339(r.block.header.time),
      hash: Buffer.from(r.block_id.hash, 'hex'),
      proposer: Buffer.from(r.block.header.proposer_address, 'hex'),
      votes: h > 1 ? await lastCommitVotes(rpc, h - 1, r.block.last_commit?.signatures ?? []) : [],
    });
  }
  return out;
}

/** CometBFT's decided_last_commit for the block after `height`: the set at `height` in set order. */
async function lastCommitVotes(
  rpc: CometRpc,
  height: number,
  signatures: { block_id_flag: number }[],
): Promise<VoteInfo[]> {
  const set = await rpc.call<any>('validators', { height, per_page: 100 });
  const validators = set.validators as { address: string; voting_power: string }[];
  if (validators.length !== signatures.length)
    throw new Error(
      `height ${height}: ${validators.length} validators but ${signatures.length} commit signatures`,
    );
  return validators.map((v, i) => ({
    validator: { address: Buffer.from(v.address, 'hex'), power: BigInt(v.voting_power) },
    blockIdFlag: signatures[i]!.block_id_flag,
  }));
}

/** Header app hashes for heights from..to (header of h+1 carries the app hash after h). */
export async function headerAppHashes(rpc: CometRpc, from: number, to: number): Promise<string[]> {
  const out: string[] = [];
  for (let h = from; h <= to; h++) {
    const r = await rpc.call<any>('block', { height: h + 1 });
    out.push(String(r.block.header.app_hash).toLowerCase());
  }
  return out;
}

/** Replays blocks 1..n on a fresh app; returns app hash (hex) and tx result codes per height. */
export async function replay(
  genesis: {
    chain_id: string;
    genesis_time: string;
    app_state: unknown;
    consensus_params?: GenesisConsensusParams;
  },
  blocks: RecordedBlock[],
  ext: AppExtensions,
): Promise<{ appHashes: string[]; codes: number[][]; gasUsed: bigint[][] }> {
  const dir = mkdtempSync(join(tmpdir(), 'gonka-replay-'));
  const store = await openAppStore(dir, appStoreNames(ext));
  const app = createApp(store, pino({ level: 'silent' }), 'replay', ext);
  try {
    app.initChain(
      RequestInitChain.fromPartial({
        chainId: genesis.chain_id,
        time: parseRfc3339(genesis.genesis_time),
        appStateBytes: new TextEncoder().encode(JSON.stringify(genesis.app_state ?? {})),
        initialHeight: 1n,
        consensusParams: consensusParamsFromGenesis(genesis.consensus_params),
      }),
    );
    const appHashes: string[] = [];
    const codes: number[][] = [];
    const gasUsed: bigint[][] = [];
    for (const b of blocks) {
      const res = app.finalizeBlock(
        RequestFinalizeBlock.fromPartial({
          txs: b.txs,
          height: BigInt(b.height),
          time: b.time,
          hash: b.hash,
          proposerAddress: b.proposer,
          decidedLastCommit: { round: 0, votes: b.votes ?? [] },
        }),
      );
      await app.commit();
      appHashes.push(Buffer.from(res.appHash).toString('hex'));
      codes.push(res.txResults.map((r) => r.code));
      gasUsed.push(res.txResults.map((r) => r.gasUsed));
    }
    return { appHashes, codes, gasUsed };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
