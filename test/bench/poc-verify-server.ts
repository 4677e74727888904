// Child process of poc-verify.bench: serves one artifact store to the validator as N participant
// API nodes, so the proofs' serving CPU is not counted as the validator's.
// argv: <store dir> <class name> <servers>; prints {"urls": [...]} once listening; exits on stdin EOF.
import { ArtifactStore } from '../../kernels/poc/artifacts/store.js';
import { startParticipantServer } from '../integration/poc-participant-server.js';

const [dir, className, n] = process.argv.slice(2);
const store = ArtifactStore.open(dir as string);
const servers = await Promise.all(
  Array.from({ length: Number(n) }, () => startParticipantServer(store, className as string, 'honest')),
);
process.stdout.write(`${JSON.stringify({ urls: servers.map((s) => s.url) })}\n`);
process.stdin.resume();
process.stdin.on('end', async () => {
  await Promise.all(servers.map((s) => s.close()));
  process.exit(0);
});
