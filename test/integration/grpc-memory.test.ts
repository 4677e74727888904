// Issue 10 acceptance 1, gRPC part: oversized gRPC messages (100 MB, sent whole or announced by a
// length prefix) are refused from their length prefix (RESOURCE_EXHAUSTED) without the node keeping
// them, and a flood of Simulate calls with large memos (distinct bytes, under and over max_tx_bytes)
// leaves the heap bounded. Memory is heap + array buffers after a full GC, before and after.
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { connect } from 'node:http2';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { status as Status } from '@grpc/grpc-js';
import { QueryBalanceRequest } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { BroadcastMode, BroadcastTxRequest, SimulateRequest } from 'cosmjs-types/cosmos/tx/v1beta1/service';
import { RawGrpcClient } from './grpc-client.js';
import { DENOM, sendMsg, signTx, TestKey } from './tx-harness.js';

const MiB = 1024 * 1024;

/** The node (grpc-node-child.js) in a child process, so only its memory is measured. */
async function startNode() {
  const child = fork(join(dirname(fileURLToPath(import.meta.url)), 'grpc-node-child.js'), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = () =>
    new Promise<any>((resolve, reject) => {
      child.once('message', resolve);
      child.once('exit', (code) => reject(new Error(`node child exited (${code})`)));
    });
  const hello = await next();
  return {
    port: hello.port as number,
    keys: (hello.seeds as string[]).map((s) => new TestKey(Buffer.from(s, 'hex'))),
    /** Heap + array buffers of the node after a full GC. */
    retained: async (): Promise<number> => {
      const r = next();
      child.send('mem');
      return (await r).mem as number;
    },
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.send('stop');
      await exited;
    },
  };
}

/**
 * Sends a gRPC message header announcing `announced` bytes, then up to `body` bytes of it in 1 MiB
 * writes (as fast as the server takes them, never ending the request), and returns the grpc-status
 * the server answers with: it must answer from the length prefix, without waiting for the rest.
 */
function sendOversized(port: number, path: string, announced: number, body: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const session = connect(`http://127.0.0.1:${port}`);
    let answered = false;
    const timer = setTimeout(() => {
      session.destroy();
      reject(new Error('no status within 30 s: the server waited for the announced bytes'));
    }, 30_000);
    session.on('error', () => {}); // the stream is reset once the status is in
    const stream = session.request({
      ':method': 'POST',
      ':path': path,
      'content-type': 'application/grpc',
      te: 'trailers',
    });
    const take = (h: Record<string, unknown>) => {
      if (h['grpc-status'] === undefined || answered) return;
      answered = true;
      clearTimeout(timer);
      stream.close();
      session.destroy();
      resolve(String(h['grpc-status']));
    };
    stream.on('response', take);
    stream.on('trailers', take);
    stream.on('data', () => {});
    stream.on('error', () => {});
    const head = Buffer.alloc(5);
    head.writeUInt32BE(announced, 1);
    stream.write(head);
    const chunk = Buffer.alloc(MiB, 0x61);
    let left = body;
    const pump = () => {
      while (left > 0 && !answered) {
        left -= chunk.length;
        if (!stream.write(chunk)) return void stream.once('drain', pump);
      }
    };
    pump();
  });
}

describe('gRPC memory under oversized messages', () => {
  let node: Awaited<ReturnType<typeof startNode>>;
  let client: RawGrpcClient;

  before(async () => {
    node = await startNode();
    client = new RawGrpcClient(node.port);
  });
  after(async () => {
    client?.close();
    await node?.stop();
  });

  const balanceAnswers = async () => {
    const r = await client.call(
      '/cosmos.bank.v1beta1.Query/Balance',
      QueryBalanceRequest.encode({ address: node.keys[0]!.address, denom: DENOM }).finish(),
    );
    assert.equal(r.err, null, r.err?.details);
  };

  it('refuses 100 MB messages to Simulate and BroadcastTx from their length prefix; the node keeps none of them', async () => {
    await balanceAnswers();
    const base = await node.retained();
    // A real grpc-js client sending a whole 100 MB Simulate and BroadcastTx (the client holds its
    // unsent bytes until it closes, so two, not twenty, from this process).
    const txBytes = Buffer.alloc(100 * MiB, 0x62);
    for (const [path, bytes] of [
      ['/cosmos.tx.v1beta1.Service/Simulate', SimulateRequest.encode({ txBytes }).finish()],
      [
        '/cosmos.tx.v1beta1.Service/BroadcastTx',
        BroadcastTxRequest.encode({ txBytes, mode: BroadcastMode.BROADCAST_MODE_SYNC }).finish(),
      ],
    ] as const) {
      const r = await client.call(path, bytes);
      assert.equal(r.err?.code, Status.RESOURCE_EXHAUSTED, `${path}: ${r.err?.details}`);
    }
    // Twenty more, each streamed as fast as the node reads, and twenty that only announce 100 MB.
    for (let i = 0; i < 20; i++) {
      const path = `/cosmos.tx.v1beta1.Service/${i % 2 ? 'BroadcastTx' : 'Simulate'}`;
      assert.equal(
        await sendOversized(node.port, path, 100 * MiB, 100 * MiB),
        String(Status.RESOURCE_EXHAUSTED),
      );
      assert.equal(
        await sendOversized(node.port, path, 100 * MiB, 256 * 1024),
        String(Status.RESOURCE_EXHAUSTED),
      );
    }
    const growth = (await node.retained()) - base;
    assert.ok(
      growth < 32 * MiB,
      `node retained ${(growth / MiB).toFixed(1)} MiB after 42 refused 100 MB messages`,
    );
    await balanceAnswers();
  });

  // Needs the decode cache to keep only txs that passed ante (app/runtime/ante, issue 10's cache part).
  it('keeps the node heap bounded through Simulate calls with large memos (distinct bytes)', async () => {
    const [a, b] = node.keys as [TestKey, TestKey];
    const calls = 2000;
    const base = await node.retained();
    for (let i = 0; i < calls; i++) {
      // every 20th is over max_tx_bytes (1.1 MB); the others carry a 30 KB memo (over max_memo_characters).
      // Kept whole, they would be ≈ 170 MB of tx bytes alone.
      const memoBytes = i % 20 === 19 ? 1100 * 1024 : 30 * 1024;
      const memo = `${i.toString(36).padStart(6, '0')}${'m'.repeat(memoBytes)}`;
      const tx = signTx(a, {
        msgs: [sendMsg(a.address, b.address, 1n)],
        sequence: 0n,
        accountNumber: 0n,
        memo,
        unsigned: true,
      });
      const r = await client.call(
        '/cosmos.tx.v1beta1.Service/Simulate',
        SimulateRequest.encode({ txBytes: tx }).finish(),
      );
      assert.equal(r.err?.code, Status.INVALID_ARGUMENT, r.err?.details);
    }
    const growth = (await node.retained()) - base;
    assert.ok(
      growth < 64 * MiB,
      `node retained ${(growth / MiB).toFixed(1)} MiB after ${calls} Simulate calls with large memos`,
    );
    await balanceAnswers();
  });
});
