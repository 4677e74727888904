// The largest ABCI request frame the node accepts, checked on each length prefix (abci/server.ts).
// A request is at most a block and its surroundings: FinalizeBlock carries the block's txs and
// evidence (both inside block.max_bytes) plus the decided commit and misbehavior lists;
// PrepareProposal carries up to max_bytes of mempool txs plus the vote extensions of the last
// commit, which block.max_bytes does not count. So the cap is 2 × block.max_bytes + 4 MiB, and
// until the first block, at least the genesis file + 4 MiB (InitChain carries app_state).
// block.max_bytes comes from genesis and from every update the app returns; the highest ever
// seen is kept in <home>/data/abci-frame-limit.json (node-local, not consensus state), so a
// restart after governance raised it never refuses a block the chain may carry. Node-side only:
// nothing here reaches state, and a cap too high only costs memory under attack.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Response } from 'cosmjs-types/tendermint/abci/types';
import type { RequestKind } from '../../abci/dispatch.js';
import { MAX_BLOCK_SIZE_BYTES } from '../runtime/consensus/validate.js';

export const FRAME_HEADROOM_BYTES = 4 * 1024 * 1024;
/** CometBFT's default block.max_bytes (a genesis without one gets it). */
const COMETBFT_DEFAULT_MAX_BYTES = 22_020_096;
const MAX_BLOCK = Number(MAX_BLOCK_SIZE_BYTES);

/** block.max_bytes as a byte count: -1 means CometBFT's maximum (100 MiB). */
function blockBytes(v: bigint | string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = BigInt(v);
  if (n === -1n || n > MAX_BLOCK_SIZE_BYTES) return MAX_BLOCK;
  return n > 0n ? Number(n) : undefined;
}

export interface FrameLimitOptions {
  home: string;
  genesisBytes: number;
  /** genesis.json's consensus_params.block.max_bytes (a decimal string). */
  genesisMaxBlockBytes?: string;
  lastHeight(): number;
}

export interface FrameLimit {
  cap(): number;
  observe(kind: RequestKind, res: Response): void;
}

export function abciFrameLimit(opts: FrameLimitOptions): FrameLimit {
  const file = join(opts.home, 'data', 'abci-frame-limit.json');
  const stored = existsSync(file)
    ? blockBytes((JSON.parse(readFileSync(file, 'utf8')) as { max_block_bytes?: string }).max_block_bytes)
    : undefined;
  let maxBlock = Math.max(blockBytes(opts.genesisMaxBlockBytes) ?? COMETBFT_DEFAULT_MAX_BYTES, stored ?? 0);
  const raise = (v: bigint | undefined) => {
    const n = blockBytes(v);
    if (n === undefined || n <= maxBlock) return;
    maxBlock = n;
    writeFileSync(file, `${JSON.stringify({ max_block_bytes: String(n) })}\n`);
  };
  return {
    cap() {
      const blocks = 2 * maxBlock + FRAME_HEADROOM_BYTES;
      return opts.lastHeight() === 0 ? Math.max(blocks, opts.genesisBytes + FRAME_HEADROOM_BYTES) : blocks;
    },
    observe(kind, res) {
      if (kind === 'finalizeBlock') raise(res.finalizeBlock?.consensusParamUpdates?.block?.maxBytes);
      else if (kind === 'initChain') raise(res.initChain?.consensusParams?.block?.maxBytes);
    },
  };
}
