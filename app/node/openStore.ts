// Opens the node's app store: the persistent authenticated multistore in <home>/data/app.
import { PersistentMultiStore } from '../runtime/store/index.js';
import type { CommitMultiStore } from '../runtime/store/types.js';

export async function openAppStore(
  dir: string,
  storeNames: string[],
  keepRecent = 100,
): Promise<CommitMultiStore> {
  return PersistentMultiStore.open(dir, storeNames, { keepRecent });
}
