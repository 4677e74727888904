// Deterministic block contents shared by the store integration tests and their crash child: block
// v writes and deletes a fixed pattern of keys in two stores, so any process can recompute the
// state (and app hash) of any height.
import type { MultiStore } from '../../app/runtime/store/types.js';

export const STORE_NAMES = ['acc', 'bank'];

export function applyBlock(ms: MultiStore, v: number, writes = 40): void {
  const branch = ms.branch();
  for (let i = 0; i < writes; i++) {
    const store = branch.getStore(STORE_NAMES[i % 2] as string);
    const key = Buffer.from(`k/${(v * 37 + i * 11) % 400}`);
    if ((v + i) % 7 === 0) store.delete(key);
    else store.set(key, Buffer.from(`v${v}-${i}`));
  }
  branch.write();
}
