// Crash-test child: opens the store in argv[2] and commits blocks (store-blocks.ts) up to height
// argv[3] (10,000 when absent: the tests kill it long before), printing "committed <v> <hash>" after each. Run with
// GONKA_FAILPOINT=commit-before-batch|commit-after-batch to die by SIGKILL inside a commit.
import { armFailpoint } from '../../app/runtime/failpoints.js';
import { PersistentMultiStore } from '../../app/runtime/store/index.js';
import { applyBlock, STORE_NAMES } from './store-blocks.js';

armFailpoint(process.env.GONKA_FAILPOINT);
const [dir, until] = process.argv.slice(2);
if (dir === undefined) throw new Error('usage: store-crash-child <dir> [height]');
const cms = await PersistentMultiStore.open(dir, STORE_NAMES, { keepRecent: 5 });
const stop = until === undefined ? 10_000 : Number(until);
while (cms.lastCommitInfo().version < stop) {
  applyBlock(cms, cms.lastCommitInfo().version + 1);
  const info = await cms.commit();
  process.stdout.write(`committed ${info.version} ${Buffer.from(info.hash).toString('hex')}\n`);
}
await cms.close();
