// Runs one seeded simulation in its own process and prints its result as JSON on stdout, so the
// determinism test can compare two fresh processes. Usage: node sim-child.js <seed> <blocks>
import { freshApp, simGenesis, simulate } from './chain-sim.js';

const seed = Number(process.argv[2]);
const blocks = Number(process.argv[3]);
const sim = await freshApp(simGenesis());
try {
  const r = await simulate(sim, seed, blocks);
  process.stdout.write(`${JSON.stringify(r)}\n`);
} finally {
  await sim.close();
}
