// The chain node end to end: our ABCI app behind a real CometBFT v0.38.25 (fast profile), real
// LevelDB, txs of the test-only testkv module. Covers issue 2 acceptance 2 (blocks, abci_info,
// header app hashes), 4 (two fresh replays agree) and 5 (ICS23 proofs against the app hash).
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { verifyChainedProof } from '../../app/runtime/store/index.js';
import { encodeTestTx, QUERY_GET, testKvExtensions } from '../fixtures/testkv.js';
import { TestNode } from './helpers/node.js';
import { fetchBlocks, headerAppHashes, replay } from './helpers/replay.js';
import { waitFor } from './helpers/rpc.js';

const enc = new TextEncoder();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('chain node behind real CometBFT', () => {
  let node: TestNode;

  before(async () => {
    node = await TestNode.create({ fixtures: 'testkv' });
    node.start();
    await node.waitForHeight(2, 60_000);
  });
  after(async () => node?.destroy());

  it('produces blocks and answers abci_info with what it committed', async () => {
    await node.waitForHeight(5);
    const info = (await node.rpc.call<any>('abci_info')).response;
    assert.equal(info.data, 'gonka-ts');
    assert.equal(info.app_version, '1');
    const last = Number(info.last_block_height);
    assert.ok(last >= 5, `last_block_height ${last}`);
    await node.waitForHeight(last + 1);
    const next = await node.rpc.block(last + 1);
    assert.equal(
      Buffer.from(info.last_block_app_hash, 'base64').toString('hex'),
      next.header.app_hash.toLowerCase(),
    );
  });

  it('executes txs and serves their writes through queries', async () => {
    const hashes: string[] = [];
    for (let i = 0; i < 20; i++) {
      const r = await node.rpc.broadcastSync(encodeTestTx({ writes: [[`k${i}`, `v${i}`]] }));
      assert.equal(r.code, 0, r.log);
      hashes.push(r.hash);
    }
    for (const hash of hashes) {
      const tx = await waitFor(`tx ${hash}`, () =>
        node.rpc.call<any>('tx', { hash: `0x${hash}` }).catch(() => undefined),
      );
      assert.equal(tx.tx_result.code ?? 0, 0);
      assert.ok(BigInt(tx.tx_result.gas_used) > 0n);
      assert.ok(tx.tx_result.events.some((e: any) => e.type === 'testkv_write'));
    }
    const res = await node.rpc.abciQuery(QUERY_GET, enc.encode(JSON.stringify({ key: 'k7' })));
    assert.equal(res.code ?? 0, 0);
    assert.ok(Number(res.height) > 0);
    assert.deepEqual(JSON.parse(Buffer.from(res.value, 'base64').toString()), { value: 'v7' });
    // A rejected tx gets a code and changes nothing.
    const bad = await node.rpc.broadcastSync(encodeTestTx({ writes: [['x', 'y']], gas: 1500 }));
    assert.equal(bad.code, 0, 'CheckTx only charges tx-size gas here; it fails in FinalizeBlock');
    const badTx = await waitFor('failed tx', () =>
      node.rpc.call<any>('tx', { hash: `0x${bad.hash}` }).catch(() => undefined),
    );
    assert.equal(badTx.tx_result.code, 11, 'out of gas');
    const x = await node.rpc.abciQuery(QUERY_GET, enc.encode(JSON.stringify({ key: 'x' })));
    assert.deepEqual(JSON.parse(Buffer.from(x.value, 'base64').toString()), { value: null });
  });

  it('proves membership and non-membership with ICS23 against the header app hash', async () => {
    await waitFor('k3 committed', async () => {
      const r = await node.rpc.abciQuery('/store/testkv/key', enc.encode('k3'));
      return r.value ? r : undefined;
    });
    const h = await node.rpc.height();
    const present = await node.rpc.abciQuery('/store/testkv/key', enc.encode('k3'), {
      height: h,
      prove: true,
    });
    const absent = await node.rpc.abciQuery('/store/testkv/key', enc.encode('no-such-key'), {
      height: h,
      prove: true,
    });
    await node.waitForHeight(h + 1);
    const appHash = Buffer.from((await node.rpc.block(h + 1)).header.app_hash, 'hex');
    const ops = (r: any) =>
      r.proofOps.ops.map((o: any) => ({
        type: o.type,
        key: Buffer.from(o.key, 'base64'),
        data: Buffer.from(o.data, 'base64'),
      }));
    assert.equal(Number(present.height), h);
    assert.ok(verifyChainedProof(appHash, 'testkv', enc.encode('k3'), enc.encode('v3'), ops(present)));
    assert.ok(verifyChainedProof(appHash, 'testkv', enc.encode('no-such-key'), undefined, ops(absent)));
    assert.equal(
      verifyChainedProof(appHash, 'testkv', enc.encode('k3'), enc.encode('v4'), ops(present)),
      false,
      'tampered value',
    );
    assert.equal(
      verifyChainedProof(appHash, 'testkv', enc.encode('k3'), undefined, ops(absent)),
      false,
      'absent-proof for a present key',
    );
    const wrongHash = Buffer.from(appHash);
    wrongHash[0]! ^= 1;
    assert.equal(
      verifyChainedProof(wrongHash, 'testkv', enc.encode('k3'), enc.encode('v3'), ops(present)),
      false,
    );
  });

  it('matches two fresh reference replays of the same blocks at every height', async () => {
    const top = (await node.rpc.height()) - 1;
    const blocks = await fetchBlocks(node.rpc, 1, top);
    const headers = await headerAppHashes(node.rpc, 1, top);
    const a = await replay(node.genesis(), blocks, testKvExtensions);
    const b = await replay(node.genesis(), blocks, testKvExtensions);
    assert.deepEqual(a.appHashes, b.appHashes);
    assert.deepEqual(a.gasUsed, b.gasUsed);
    assert.deepEqual(a.appHashes, headers);
    assert.ok(
      blocks.some((blk) => blk.txs.length > 0),
      'the replayed range contains txs',
    );
  });
  it('serves Prometheus metrics: height, txs and ABCI requests by method', async () => {
    const h = await node.rpc.height();
    const text = await waitFor('metrics at the current height', async () => {
      const res = await fetch(`http://127.0.0.1:${node.ports.metrics}/metrics`);
      const body = await res.text();
      const m = /^gonka_block_height (\d+)$/m.exec(body);
      return m && Number(m[1]) >= h ? body : undefined;
    });
    const txs = /^gonka_block_txs_total (\d+)$/m.exec(text);
    assert.ok(txs && Number(txs[1]) >= 21, `txs counted: ${txs?.[1]}`);
    assert.match(text, /^gonka_abci_requests_total\{method="finalizeBlock"\} \d+$/m);
    assert.match(text, /^gonka_abci_request_duration_seconds_bucket\{le="0.01",method="commit"\} \d+$/m);
    assert.match(text, /^gonka_process_cpu_seconds_total /m);
  });

  // CometBFT indexes txs after the commit, asynchronously; a node stopped mid-indexing never
  // indexed that block (tendermint#3211). The node re-indexes its last committed heights before
  // starting CometBFT: here the whole tx index is lost, and the last heights must come back.
  it('re-indexes its last committed heights on start, so stopping mid-indexing loses no tx lookup', async () => {
    let on = true;
    let sent = 0;
    const load = (async () => {
      while (on && sent < 2000) {
        sent++;
        await node.rpc.broadcastSync(encodeTestTx({ writes: [[`idx-${sent}`, 'v']] })).catch(() => sleep(20));
      }
    })();
    await sleep(800);
    await node.stop();
    on = false;
    await load;
    rmSync(join(node.home, 'data', 'tx_index.db'), { recursive: true, force: true });
    node.start({ GONKA_LOG_LEVEL: 'info' });
    const range = await waitFor(
      'the re-index log line',
      async () => {
        const line = node.output.split('\n').find((l) => l.includes('re-indexed the last committed heights'));
        return line ? (JSON.parse(line) as { from: number; to: number }) : undefined;
      },
      30_000,
    );
    assert.ok(range.to - range.from >= 3, `re-indexed ${range.from}..${range.to}`);
    await node.waitForHeight(range.to + 1);
    let txs = 0;
    for (let h = range.from; h <= range.to; h++) {
      const block = await node.rpc.block(h);
      const found = await node.rpc.call<any>('tx_search', {
        query: JSON.stringify(`tx.height=${h}`),
        per_page: 100,
      });
      assert.equal(Number(found.total_count), block.txs.length, `txs of height ${h} found by tx_search`);
      txs += block.txs.length;
    }
    assert.ok(txs > 0, `the re-indexed heights ${range.from}..${range.to} carry txs`);
    const older = await node.rpc.call<any>('tx_search', { query: JSON.stringify(`tx.height<${range.from}`) });
    assert.equal(Number(older.total_count), 0, 'older heights stay unindexed: the index really was lost');
  });
});
