// Sprint mining throughput through the API node (issue 12 acceptance 5, first half): nonces/s
// that the API node's scheduler (app/api/mining.ts: dynamic chunks, two requests in flight per ML
// node) appends in nonce order into an ArtifactStore from a `gonkad ml start` child, divided by
// PocMiner straight into an ArtifactStore (what `gonkad poc mine` runs): same class, workers,
// batch and seconds. Rounds alternate so the shared machine's load swings hit both alike; session
// start-up is outside the timed windows. The chain is not involved: a devnet's Sprint adds only
// polls and a commit every 10 s on the API node's side.
// Run: npx tsc -p tsconfig.json && node dist/test/bench/api-sprint.bench.js [--class devnet]
//      [--workers N] [--seconds S] [--rounds R]
import { mineWithNodes } from '../../app/api/mining.js';
import { OrderedAppender } from '../../kernels/poc/artifacts/appender.js';
import { compareWithDirectMiner, type MiningRun } from './mining-harness.js';

async function throughApiScheduler(run: MiningRun): Promise<number> {
  const store = run.newStore();
  const stop = new AbortController();
  const started = performance.now();
  const flush = setInterval(() => store.flush(), 2000); // as the Sprint driver's commits do
  const timer = setTimeout(() => stop.abort(), run.seconds * 1000);
  await mineWithNodes([run.client], {
    blockHash: run.blockHash,
    cls: run.clsName,
    pubkey: run.pubkey,
    appender: new OrderedAppender(store),
    maxCount: Number.MAX_SAFE_INTEGER,
    signal: stop.signal,
  });
  clearTimeout(timer);
  clearInterval(flush);
  const rate = store.count / ((performance.now() - started) / 1000);
  store.close();
  return rate;
}

await compareWithDirectMiner({
  blockSeed: 0x61,
  scratchPrefix: 'gonka-api-bench-',
  title: 'API node scheduler + ML node ÷ PocMiner → ArtifactStore',
  nodeColumn: 'API node ← ML node → store (nonces/s)',
  viaNode: throughApiScheduler,
});
