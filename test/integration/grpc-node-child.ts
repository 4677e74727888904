// A gRPC node in a child process for the memory tests: the in-process app (tx-harness) behind the
// real gRPC server, so the parent measures the node's memory alone, not its own client buffers.
// Messages: parent → 'mem' (answers heap + array buffers after a full GC) or 'stop'.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { pino } from 'pino';
import { startGrpcServer } from '../../app/node/grpc/server.js';
import { TestChain } from './tx-harness.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const chain = await TestChain.create({ accounts: 2 });
const server = await startGrpcServer({
  app: chain.app,
  host: '127.0.0.1',
  port: 0,
  rpcUrl: 'http://127.0.0.1:9', // unused: the calls tested are app queries or refused before proxying
  version: 'test',
  logger: pino({ level: 'silent' }),
});
process.on('message', (m: string) => {
  if (m === 'mem') {
    gc();
    gc();
    const u = process.memoryUsage();
    process.send!({ mem: u.heapUsed + u.arrayBuffers, rss: u.rss });
  } else if (m === 'stop') {
    void server
      .close()
      .then(() => chain.close())
      .then(() => process.exit(0));
  }
});
process.send!({ port: server.port, seeds: chain.keys.map((k) => Buffer.from(k.secret).toString('hex')) });
