// Reference replay: feeds blocks (fetched from a node, or recorded) to a fresh in-process app and
// returns the app hash after each height. Two fresh replays of the same blocks must agree, and
// each must equal the app hash CometBFT put in the next header.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RequestFinalizeBlock, RequestInitChain } from 'cosmjs-types/tendermint/abci/types';
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
    out.push({
      height: h,
      txs: (r.block.data.txs ?? []).map((t: string) => Buffer.from(t, 'base64')),
      time: parseRfc3339(r.block.header.time),
      hash: Buffer.from(r.block_id.hash, 'hex'),
      proposer: Buffer.from(r.block.header.proposer_address, 'hex'),
    });
  }
  return out;
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
  genesis: { chain_id: string; genesis_time: string; app_state: unknown },
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
