// Issue 4 acceptance 1, issue 10 acceptance 6: a 4-validator local testnet (real CometBFT + app
// processes, peers linked through harness-owned relays) under two bounded loads — unsigned testkv
// txs and signed bank sends to random live nodes (fees, sequences, mempool recheck) — survives
// seeded random single-node perturbations — kill -9 of the app or of CometBFT, pause, partition,
// restart — with no divergence in block or app hashes, every committed tx on every node at the
// same height with the same result, the bank state equal on every node and to a model of the
// committed results, no accepted send lost except with a killed node's mempool, and liveness.
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
import {
  assertLoadAccounted,
  auditBankLoad,
  describeAccounting,
  settleMempools,
} from './helpers/bankAudit.js';
import { BankLoad, fundLoadAccounts, type LoadTarget, loadKeys } from './helpers/bankLoad.js';
import { testNodeEntry } from './helpers/entries.js';
import { CometRpc } from './helpers/rpc.js';

const SEED = 17; // first three: partition, pause, kill -9 of an app
const PERTURBATIONS = sized(3, 20);
const enc = new TextEncoder();
const CHAIN_ID = 'gonka-testnet-e2e';
const BANK_SEED = 41;
const BANK_ACCOUNTS = 6;
const BANK_DEPTH = 3;

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
    const appState = defaultAppState();
    fundLoadAccounts(appState, loadKeys(BANK_SEED, BANK_ACCOUNTS));
    await initTestnet({ dir, validators: 4, chainId: CHAIN_ID, appState });
    net = Testnet.open(dir, { nodeEntry: testNodeEntry });
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
    const targets: LoadTarget[] = net.nodes.map((n) => ({
      name: n.entry.name,
      rpc: new CometRpc(n.rpc.url),
      live: () => n.running && !n.paused,
      runId: () => n.appPid,
    }));
    const bank = new BankLoad(targets, {
      accounts: BANK_ACCOUNTS,
      seed: BANK_SEED,
      maxTxs: PERTURBATIONS * 80 + 80,
      intervalMs: 60,
      depth: BANK_DEPTH,
      chainId: CHAIN_ID,
    });
    await bank.start();
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
      await bank.stop();
    }
    // Whatever a live mempool holds commits (or fails recheck) before the full restart below,
    // which would otherwise drop it.
    await settleMempools(targets);
    // Finally restart everything at once: the network resumes from its stores.
    await net.restartAll();
    await checkLiveness(net, 2, 90_000);
    bank.finish();
    const common = await checkAgreement(net);
    const committed = await checkCommittedTxs(net, load.accepted);
    await checkModuleInvariants(net);
    // Every tx of blocks 1..common on every node with the same result, the bank state everywhere
    // equal to the model, every accepted send committed or accounted for.
    const { committed: inBlocks, accounting: a } = await auditBankLoad(targets, bank, common);
    process.stdout.write(
      `# testkv: sent ${load.sent}, accepted ${load.accepted.length}, committed ${committed.length}, agreement on 1..${common}; kinds: ${[...seen].join(', ')}\n` +
        `# ${inBlocks.length} txs in blocks 1..${common}, identical with identical results on every node\n` +
        `# bank load: ${describeAccounting(a)}; runs ended ${bank.endedRuns}, resets ${bank.resets}\n`,
    );
    assertLoadAccounted(
      a,
      { accounts: BANK_ACCOUNTS, depth: BANK_DEPTH, endedRuns: bank.endedRuns },
      (r) => `${r.hash} seq ${r.sequence} to ${targets[r.target]!.name}`,
    );
    assert.ok(committed.length > 0, 'the load committed txs');
    assert.ok(
      committed.length >= load.accepted.length * 0.5,
      `most accepted txs commit (${committed.length}/${load.accepted.length})`,
    );
  });
});
