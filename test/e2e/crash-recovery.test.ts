// Crash recovery on a real CometBFT (issue 2, acceptance 3; issue 10, acceptance 6): kill -9 of
// the app at each named failpoint and at random moments, and kill -9 of CometBFT at random moments,
// all under two bounded loads: unsigned testkv txs and signed bank sends (fees, sequences, mempool
// recheck). After every restart the chain must continue, no committed tx may be lost, every
// accepted bank send must commit or have been in the mempool of a run that crashed, the bank state
// must equal a model of the committed results, and at the end every header's app hash must equal a
// fresh reference replay of the same blocks.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { seededRandom } from '../../testnet/perturb.js';
import { encodeTestTx, QUERY_GET, testKvExtensions } from '../fixtures/testkv.js';
import { sized } from '../profile.js';
import {
  assertLoadAccounted,
  auditBankLoad,
  describeAccounting,
  settleMempools,
} from './helpers/bankAudit.js';
import { BankLoad, fundLoadAccounts, type LoadTarget, loadKeys } from './helpers/bankLoad.js';
import { TestNode } from './helpers/node.js';
import { fetchBlocks, headerAppHashes, replay } from './helpers/replay.js';
import { waitFor } from './helpers/rpc.js';

const enc = new TextEncoder();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const BANK_SEED = 20261206;
const BANK_ACCOUNTS = 4;
const BANK_DEPTH = 3;

describe('crash recovery', () => {
  let node: TestNode;
  const random = seededRandom(20261125);
  /** Keys of txs CheckTx accepted: [key, value, tx hash]. */
  const submitted: [string, string, string][] = [];
  let loadOn = false;
  let loadDone: Promise<void> = Promise.resolve();
  let seq = 0;
  let bank: BankLoad;

  /** A bounded background load: one tx every 40 ms while on, at most 5,000 in total. */
  function startLoad() {
    loadOn = true;
    loadDone = (async () => {
      while (loadOn && seq < 5000) {
        const key = `crash-${seq}`;
        const value = `v${seq}`;
        seq++;
        try {
          const r = await node.rpc.broadcastSync(encodeTestTx({ writes: [[key, value]] }));
          if (r.code === 0) submitted.push([key, value, r.hash]);
        } catch {
          // The node is down: keep trying until it is back (bounded by loadOn and the count).
        }
        await sleep(40);
      }
    })();
  }

  async function restartAndProgress(): Promise<void> {
    const comet = node.cometPid();
    if (comet) await node.pidGone(comet);
    const before = await node.rpc.height().catch(() => 0);
    node.start();
    await waitFor(
      'chain to advance after restart',
      async () => {
        const h = await node.rpc.height();
        return h >= before + 3 ? h : undefined;
      },
      60_000,
    );
  }

  before(async () => {
    node = await TestNode.create({ fixtures: 'testkv' });
    const genesisPath = join(node.home, 'config', 'genesis.json');
    const genesis = JSON.parse(readFileSync(genesisPath, 'utf8'));
    fundLoadAccounts(genesis.app_state, loadKeys(BANK_SEED, BANK_ACCOUNTS));
    writeFileSync(genesisPath, JSON.stringify(genesis));
    node.start();
    await node.waitForHeight(2, 60_000);
    const target: LoadTarget = {
      name: 'node',
      rpc: node.rpc,
      live: () => node.proc !== undefined && node.proc.exitCode === null && node.proc.signalCode === null,
      runId: () => node.proc,
    };
    bank = new BankLoad([target], {
      accounts: BANK_ACCOUNTS,
      seed: BANK_SEED,
      maxTxs: sized(1500, 5000),
      intervalMs: 60,
      depth: BANK_DEPTH,
      chainId: genesis.chain_id,
    });
    startLoad();
    await bank.start();
  });

  after(async () => {
    loadOn = false;
    await loadDone;
    await bank?.stop();
    bank?.finish();
    await node?.destroy();
  });

  for (const point of ['before-commit', 'commit-before-batch', 'commit-after-batch']) {
    it(`recovers from kill -9 at failpoint ${point}`, async () => {
      await node.stop();
      node.start({ GONKA_FAILPOINT: `${point}:${3 + Math.floor(random() * 4)}` });
      const code = await node.exited(60_000);
      assert.equal(code, null, 'the app died by SIGKILL');
      assert.match(node.output, new RegExp(`failpoint ${point} hit`));
      await restartAndProgress();
    });
  }

  it(`recovers from ${sized(3, 10)} random kill -9 of the app`, async () => {
    for (let i = 0; i < sized(3, 10); i++) {
      await sleep(200 + Math.floor(random() * 1500));
      node.proc!.kill('SIGKILL');
      assert.equal(await node.exited(), null);
      await restartAndProgress();
    }
  });

  it(`recovers from ${sized(3, 10)} random kill -9 of CometBFT`, async () => {
    for (let i = 0; i < sized(3, 10); i++) {
      await sleep(200 + Math.floor(random() * 1500));
      const pid = node.cometPid();
      assert.ok(pid, 'cometbft pid file');
      process.kill(pid, 'SIGKILL');
      assert.equal(await node.exited(), 1, 'the node exits non-zero when CometBFT dies');
      assert.match(node.output, /CometBFT exited unexpectedly/);
      await restartAndProgress();
    }
  });

  it('lost no committed tx and matches a reference replay at every height', async () => {
    loadOn = false;
    await loadDone;
    await bank.stop();
    await node.waitForHeight((await node.rpc.height()) + 2);
    // Signed sends: every accepted one committed (with the results the bank state shows) or was in
    // the mempool of a run that crashed, or failed recheck behind such a lost tx of its sender.
    const upTo = await settleMempools(bank.targets);
    bank.finish();
    const { accounting: a } = await auditBankLoad(bank.targets, bank, upTo);
    process.stdout.write(
      `# bank load: ${describeAccounting(a)}; runs ended ${bank.endedRuns}, resets ${bank.resets}\n`,
    );
    assertLoadAccounted(
      a,
      { accounts: BANK_ACCOUNTS, depth: BANK_DEPTH, endedRuns: bank.endedRuns },
      (r) => `${r.hash} seq ${r.sequence}`,
    );
    let committed = 0;
    for (const [key, value, hash] of submitted) {
      // Mempool contents are not durable across a crash; committed txs are.
      const tx = await node.rpc.call<any>('tx', { hash: `0x${hash}` }).catch(() => undefined);
      if (!tx) continue;
      committed++;
      const r = await node.rpc.abciQuery(QUERY_GET, enc.encode(JSON.stringify({ key })));
      assert.deepEqual(
        JSON.parse(Buffer.from(r.value, 'base64').toString()),
        { value },
        `committed ${key} survives`,
      );
    }
    assert.ok(committed > 20, `only ${committed} txs committed`);
    const top = (await node.rpc.height()) - 1;
    // Every tx of every committed block is indexed, crashes mid-indexing included (the node
    // re-indexes its last heights on start).
    const inBlocks = (await node.rpc.blockMetas(1, top)).reduce((n, m) => n + m.numTxs, 0);
    const indexed = await node.rpc.call<any>('tx_search', {
      query: JSON.stringify(`tx.height>0 AND tx.height<=${top}`),
      per_page: 1,
    });
    assert.equal(Number(indexed.total_count), inBlocks, 'txs indexed = txs in blocks 1..top');
    const blocks = await fetchBlocks(node.rpc, 1, top);
    const ref = await replay(node.genesis(), blocks, testKvExtensions);
    assert.deepEqual(ref.appHashes, await headerAppHashes(node.rpc, 1, top));
  });
});
