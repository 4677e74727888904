// CometBFT indexes a block's txs and events asynchronously, after the block is committed: a node
// stopped (even by SIGTERM) or killed while the indexer is behind never indexes that block, so
// `tx` and `tx_search` miss committed txs forever (tendermint#3211, #7312). CometBFT's own remedy
// is the offline `cometbft reindex-event`. The node runs it for the last few committed heights
// every time before it starts CometBFT, so nothing a client can look up is lost on a crash.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { toolPath } from '../paths.js';

const run = promisify(execFile);

/**
 * How many heights back from the app's last commit are re-indexed. The indexer subscribes
 * unbuffered to the event bus, so it trails consensus by at most the block it is writing; a few
 * more cover a crash during block replay.
 */
export const REINDEX_DEPTH = 4;

export interface ReindexResult {
  from: number;
  to: number;
  ms: number;
}

/**
 * Re-indexes heights (lastHeight − depth, lastHeight] from CometBFT's block and state stores.
 * Must run while CometBFT is stopped (it opens CometBFT's databases). Heights above the app's
 * last commit are left alone: CometBFT replays those at its handshake and indexes them then.
 * Returns undefined when there is nothing to do (a new chain).
 */
export async function reindexRecentEvents(
  home: string,
  lastHeight: number,
  depth = REINDEX_DEPTH,
): Promise<ReindexResult | undefined> {
  if (lastHeight < 1) return undefined;
  const from = Math.max(1, lastHeight - depth + 1);
  const started = performance.now();
  await run(
    toolPath('cometbft'),
    ['reindex-event', '--home', home, '--start-height', String(from), '--end-height', String(lastHeight)],
    { timeout: 120_000, maxBuffer: 4 << 20 },
  );
  return { from, to: lastHeight, ms: Math.round(performance.now() - started) };
}
