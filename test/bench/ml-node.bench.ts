// ML node throughput (issue 12): nonces/s mined through `gonkad ml start` (a child process, as in
// production) and MlNodeClient, appended in nonce order into an ArtifactStore the way an API node
// does, divided by PocMiner straight into an ArtifactStore (what `gonkad poc mine` runs): same
// class, workers, batch and seconds. Rounds alternate direct / ML node so the shared machine's load
// swings hit both alike; session start-up is outside the timed window on both sides.
// Run: npx tsc -p tsconfig.json && node dist/test/bench/ml-node.bench.js [--class devnet]
//      [--workers N] [--seconds S] [--rounds R]
import { OrderedAppender } from '../../kernels/poc/artifacts/appender.js';
import { compareWithDirectMiner, type MiningRun } from './mining-harness.js';

/** Nonces per mine request; two requests in flight so the node never waits for the next one. */
const CHUNK = 20_000;

async function throughNode(run: MiningRun): Promise<number> {
  const { client } = run;
  const store = run.newStore();
  const appender = new OrderedAppender(store);
  let next = 0;
  const started = performance.now();
  const deadline = started + run.seconds * 1000;
  const lane = async () => {
    while (performance.now() < deadline) {
      const start = next;
      next += CHUNK;
      await client.mine(
        { blockHash: run.blockHash, cls: run.clsName, pubkey: run.pubkey, start, end: next },
        (first, outputs) => appender.add(first, outputs),
      );
    }
  };
  const timer = setTimeout(() => void client.stop(), run.seconds * 1000);
  await Promise.all([lane(), lane()]);
  clearTimeout(timer);
  // What reached the store in order; a stopped range leaves a gap the next request would fill.
  const rate = store.count / ((performance.now() - started) / 1000);
  store.close();
  return rate;
}

await compareWithDirectMiner({
  blockSeed: 0x62,
  scratchPrefix: 'gonka-ml-bench-',
  title: 'ML node + client ÷ PocMiner → ArtifactStore',
  nodeColumn: 'ML node → client → store (nonces/s)',
  viaNode: throughNode,
});
