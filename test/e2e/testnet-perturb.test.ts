// Issue 4 acceptance 1: a 4-validator local testnet (real CometBFT + app processes, peers linked
// through harness-owned relays) under a bounded testkv tx load survives seeded random single-node
// perturbations — kill -9 of the app or of CometBFT, pause, partition, restart — with no
// divergence in block or app hashes, no lost committed tx, and continued liveness.
// `npm test` runs 3 perturbations, `npm run test:long` 20.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { defaultAppState } from '../../app/app.js';
import {
  applyPerturbation,
  checkAgreement,
  checkCommittedTxs,
  checkLiveness,
  checkModuleInvariants,
  initTestnet,
  type Perturbation,
  planPerturbations,
  Testnet,
  TxLoad,
} from '../../testnet/index.js';
import { encodeTestTx, QUERY_GET } from '../fixtures/testkv.js';
import { sized } from '../profile.js';

const SEED = 17; // first three: partition, pause, kill -9 of an app
const PERTURBATIONS = sized(3, 20);
const enc = new TextEncoder();

/**
 * Holds a fault while checking it took effect: the other three keep making blocks, and a
 * partitioned or paused node falls behind them (so a relay that leaks or a signal that misses
 * fails the test).
 */
async function holdAndCheck(net: Testnet, p: Perturbation): Promise<void> {
  const others = net.nodes.filter((n) => n.index !== p.node).map((n) => n.index);
  const start = Math.max(...(await Promise.all(others.map((i) => net.nodes[i]!.rpc.height()))));
  const isolatedAt = p.kind === 'partition' ? await net.nodes[p.node]!.rpc.height() : undefined;
  await net.waitForHeight(start + 3, 60_000, others);
  if (p.kind === 'partition') {
    const h = await net.nodes[p.node]!.rpc.height();
    assert.ok(h <= (isolatedAt ?? 0) + 1, `partitioned node${p.node} went on from ${isolatedAt} to ${h}`);
  }
  if (p.kind === 'pause') {
    await assert.rejects(net.nodes[p.node]!.rpc.call('status', {}, 500), 'a paused node does not answer');
  }
}

describe('4-validator testnet under faults', () => {
  let dir: string;
  let net: Testnet;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gonka-testnet-'));
    await initTestnet({ dir, validators: 4, chainId: 'gonka-testnet-e2e', appState: defaultAppState() });
    net = Testnet.open(dir, { env: { GONKA_TEST_FIXTURES: 'testkv' } });
    await net.start();
    await net.waitForHeight(2, 90_000);
  });
  after(async () => {
    await net?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(`keeps agreement, committed txs and liveness through ${PERTURBATIONS} seeded perturbations and a full restart`, async () => {
    const load = new TxLoad(net, {
      maxTxs: PERTURBATIONS * 40 + 40,
      intervalMs: 150,
      makeTx: (seq) => ({
        bytes: encodeTestTx({ writes: [[`load-${seq}`, `v${seq}`]] }),
        effect: {
          path: QUERY_GET,
          data: enc.encode(JSON.stringify({ key: `load-${seq}` })),
          expect: { value: `v${seq}` },
        },
      }),
    });
    load.start();
    const plan = planPerturbations(SEED, PERTURBATIONS, net.nodes.length);
    const seen = new Set<string>();
    try {
      for (const [i, p] of plan.entries()) {
        seen.add(p.kind);
        await applyPerturbation(net, p, () => holdAndCheck(net, p));
        const live = await checkLiveness(net, 3, 90_000);
        const common = await checkAgreement(net);
        await checkModuleInvariants(net);
        process.stdout.write(
          `# perturbation ${i + 1}/${plan.length}: ${p.kind} node${p.node}; all nodes at ≥ ${live}, hashes agree on 1..${common}, module invariants hold on every node\n`,
        );
      }
    } finally {
      await load.stop();
    }
    // Finally restart everything at once: the network resumes from its stores.
    await net.restartAll();
    await checkLiveness(net, 2, 90_000);
    const common = await checkAgreement(net);
    const committed = await checkCommittedTxs(net, load.accepted);
    await checkModuleInvariants(net);
    process.stdout.write(
      `# sent ${load.sent}, accepted ${load.accepted.length}, committed ${committed.length}, agreement on 1..${common}; kinds: ${[...seen].join(', ')}\n`,
    );
    assert.ok(committed.length > 0, 'the load committed txs');
    assert.ok(
      committed.length >= load.accepted.length * 0.5,
      `most accepted txs commit (${committed.length}/${load.accepted.length})`,
    );
  });
});
