// Seeded random single-node perturbations (kill -9 of app or CometBFT then restart, pause/resume,
// partition/heal, graceful restart), each bounded in time, like cometbft's e2e runner.
import type { Testnet } from './launcher.js';

export type PerturbationKind = 'kill-app' | 'kill-comet' | 'pause' | 'partition' | 'restart';
export const perturbationKinds: PerturbationKind[] = [
  'kill-app',
  'kill-comet',
  'pause',
  'partition',
  'restart',
];

export interface Perturbation {
  kind: PerturbationKind;
  node: number;
}

/** mulberry32: a tiny seeded PRNG, so a seed names the whole sequence of faults. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function planPerturbations(seed: number, count: number, nodes: number): Perturbation[] {
  const rand = seededRandom(seed);
  const plan: Perturbation[] = [];
  for (let i = 0; i < count; i++) {
    const kind = perturbationKinds[Math.floor(rand() * perturbationKinds.length)] as PerturbationKind;
    plan.push({ kind, node: Math.floor(rand() * nodes) });
  }
  return plan;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Applies one perturbation and undoes it. While the fault is in place `hold` runs (default: wait
 * 3 s); a test can pass one that also checks the fault took effect.
 */
export async function applyPerturbation(
  net: Testnet,
  p: Perturbation,
  hold: () => Promise<void> = () => sleep(3000),
): Promise<void> {
  switch (p.kind) {
    case 'kill-app':
      await net.kill9App(p.node);
      await hold();
      await net.startNode(p.node);
      return;
    case 'kill-comet':
      await net.kill9Comet(p.node);
      await hold();
      await net.startNode(p.node);
      return;
    case 'pause':
      net.pause(p.node);
      await hold();
      net.resume(p.node);
      return;
    case 'partition':
      await net.partition(p.node);
      await hold();
      await net.heal(p.node);
      return;
    case 'restart':
      await net.restart(p.node);
      return;
  }
}
