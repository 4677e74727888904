// The ML node (issue 12): `gonkad ml start` and MlNodeClient. Mined outputs equal the pure-TS
// reference and `gonkad poc mine`'s store for the same inputs; disjoint concurrent ranges, stop
// mid-range, the test throttle, backpressure against a client that does not read, bad input
// (400/413/429, the node serving after each) and a broken ML node the client refuses cleanly.
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { type MineRequest, MlNodeClient, MlNodeError } from '../../app/ml/client.js';
import { frameHeader } from '../../app/ml/frames.js';
import { buildMlServer, type MlServer, type MlServerOptions } from '../../app/ml/server.js';
import { repoPath } from '../../app/paths.js';
import { ArtifactStore } from '../../kernels/poc/artifacts/store.js';
import { sha256, toHex } from '../../kernels/poc/bytes.js';
import { POC_CLASSES } from '../../kernels/poc/classes.js';
import { createEpoch } from '../../kernels/poc/epoch.js';
import { PocMiner, type RangeJob } from '../../kernels/poc/mining/miner.js';
import { computeOutput } from '../../kernels/poc/reference.js';

const scratch = mkdtempSync(join(tmpdir(), 'gonka-ml-node-'));
const BLOCK_HASH = sha256(Uint8Array.of(0x4d, 0x4c));
/** secp256k1's generator, compressed: a valid 33-byte key. */
const PUBKEY = Uint8Array.from(
  Buffer.from('0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798', 'hex'),
);
/** Nonces `gonkad poc mine` stores for the comparisons. */
const STORE_NONCES = 1200;
const quiet = pino({ level: process.env.ML_TEST_LOG ?? 'silent' });
const main = repoPath('dist', 'app', 'cli', 'main.js');

const req = (start: number, end: number): MineRequest => ({
  blockHash: BLOCK_HASH,
  cls: 'tiny',
  pubkey: PUBKEY,
  start,
  end,
});

async function startServer(extra: Partial<MlServerOptions> = {}): Promise<{ server: MlServer; url: string }> {
  const server = await buildMlServer({ log: quiet, workers: 1, batch: 16, workersHint: 1, ...extra });
  const url = await server.app.listen({ host: '127.0.0.1', port: 0 });
  return { server, url };
}

/** Mines through the client; returns outputs by nonce, failing on any nonce delivered twice. */
async function mineAll(client: MlNodeClient, r: MineRequest, signal?: AbortSignal) {
  const outputs = new Map<number, Uint8Array>();
  let frames = 0;
  const delivered = await client.mine(
    r,
    (first, batch) => {
      frames++;
      batch.forEach((o, i) => {
        assert.ok(!outputs.has(first + i), `nonce ${first + i} twice`);
        outputs.set(first + i, Uint8Array.from(o));
      });
    },
    signal,
  );
  return { delivered, outputs, frames };
}

async function until(what: string, cond: () => Promise<boolean> | boolean, timeoutMs = 20_000) {
  const deadline = performance.now() + timeoutMs;
  while (!(await cond())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function post(url: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: res.status, body: (await res.json()) as { error?: { code: number; message: string } } };
}

const mineBody = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    block_hash: toHex(BLOCK_HASH),
    class: 'tiny',
    pubkey: toHex(PUBKEY),
    start: '0',
    end: '32',
    ...over,
  });

describe('ML node', () => {
  let store: ArtifactStore;
  let node: { server: MlServer; url: string };
  let client: MlNodeClient;

  before(async () => {
    // The same inputs mined by the CLI (its own miner, straight into an artifact store).
    const dir = join(scratch, 'poc-mine');
    await promisify(execFile)(
      process.execPath,
      [
        main,
        'poc',
        'mine',
        '--class',
        'tiny',
        '--seconds',
        '120',
        '--max-nonces',
        String(STORE_NONCES),
        '--workers',
        '1',
        '--block-hash',
        toHex(BLOCK_HASH),
        '--pubkey',
        toHex(PUBKEY),
        '--store',
        dir,
      ],
      { env: { ...process.env, GONKA_LOG_LEVEL: 'warn' }, timeout: 120_000 },
    );
    store = ArtifactStore.open(dir);
    assert.equal(store.count, STORE_NONCES);
    node = await startServer();
    client = new MlNodeClient(node.url);
  });
  after(async () => {
    store?.close();
    await node?.server.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('mines a range whose every output equals the reference and `gonkad poc mine`', async () => {
    const { delivered, outputs, frames } = await mineAll(client, req(40, 200));
    assert.equal(delivered, 160);
    assert.equal(outputs.size, 160);
    assert.ok(frames >= 10, `batch 16 gives ≥ 10 frames, got ${frames}`);
    const epoch = createEpoch(POC_CLASSES.tiny, BLOCK_HASH);
    for (let n = 40; n < 200; n++) {
      const out = outputs.get(n);
      assert.ok(out, `nonce ${n} missing`);
      assert.equal(toHex(out), toHex(computeOutput(epoch, PUBKEY, BigInt(n))), `nonce ${n} vs reference`);
      assert.equal(toHex(out), toHex(store.output(n)), `nonce ${n} vs poc mine`);
    }
    const status = await client.status();
    assert.equal(status.state, 'idle');
    assert.equal(status.class, 'tiny');
    assert.equal(status.mined, '160');
    assert.equal(status.workers, 1);
    assert.ok(status.form !== null);
  });

  it('serves two disjoint ranges at once from one session', async () => {
    const [a, b] = await Promise.all([mineAll(client, req(200, 700)), mineAll(client, req(700, 1200))]);
    assert.equal(a.delivered, 500);
    assert.equal(b.delivered, 500);
    for (const [part, lo] of [
      [a, 200],
      [b, 700],
    ] as const)
      for (let n = lo; n < lo + 500; n++) assert.equal(toHex(part.outputs.get(n)!), toHex(store.output(n)));
    const metrics = await (await fetch(`${node.url}/metrics`)).text();
    assert.match(metrics, /gonka_ml_mining_sessions 1\b/);
    assert.match(metrics, /gonka_ml_nonces_mined_total 1160\b/);
  });

  it('stop ends a running range early: the client gets what was mined, the node serves on', async () => {
    let firstBatch: () => void = () => {};
    const gotOne = new Promise<void>((r) => {
      firstBatch = r;
    });
    const outputs = new Map<number, Uint8Array>();
    const mining = client.mine(req(0, 1_000_000), (first, batch) => {
      for (const [i, o] of batch.entries()) outputs.set(first + i, o);
      firstBatch();
    });
    await gotOne;
    const stop = await post(`${node.url}/v1/poc/stop`, '{}');
    assert.deepEqual(stop, { status: 200, body: { stopped: 1 } });
    const delivered = await mining;
    assert.ok(delivered > 0 && delivered < 1_000_000, `delivered ${delivered}`);
    assert.equal(outputs.size, delivered);
    for (const n of [0, Math.min(delivered, STORE_NONCES) - 1])
      assert.equal(toHex(outputs.get(n)!), toHex(store.output(n)));
    assert.equal((await client.status()).state, 'idle');
    assert.equal((await mineAll(client, req(5, 9))).delivered, 4);
  });

  it('pauses mining while the client does not read (backpressure), and stops when it leaves', async () => {
    const before = BigInt((await client.status()).mined);
    const abort = new AbortController();
    const res = await fetch(`${node.url}/v1/poc/mine`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: mineBody({ start: '0', end: '1000000' }),
      signal: abort.signal,
    });
    assert.equal(res.status, 200);
    // Never read the body: the response buffer, the socket buffers and the ranges in flight fill,
    // then the node must stop handing out ranges. A million tiny nonces take minutes to mine.
    let last = -1n;
    let stableSince = performance.now();
    await until(
      'mining to pause',
      async () => {
        const mined = BigInt((await client.status()).mined) - before;
        if (mined !== last) {
          last = mined;
          stableSince = performance.now();
        }
        return mined > 0n && performance.now() - stableSince > 1500;
      },
      60_000,
    );
    assert.ok(last < 200_000n, `${last} nonces sent to a client that reads nothing`);
    assert.equal((await client.status()).state, 'mining');
    abort.abort();
    await until('the job to end after the client left', async () => (await client.status()).state === 'idle');
  });

  it('refuses bad input with 400/413 and JSON errors, and keeps serving', async () => {
    const mine = `${node.url}/v1/poc/mine`;
    const cases: [string, string, RegExp][] = [
      ['unknown class', mineBody({ class: 'huge' }), /class/],
      ['bad hex block hash', mineBody({ block_hash: 'zz'.repeat(32) }), /block_hash/],
      ['short block hash', mineBody({ block_hash: 'ab'.repeat(31) }), /block_hash/],
      ['pubkey not on the curve', mineBody({ pubkey: `02${'11'.repeat(32)}` }), /secp256k1/],
      ['range too large', mineBody({ start: '10', end: '1000011' }), /at most 1000000/],
      ['end = start', mineBody({ start: '7', end: '7' }), /greater than start/],
      ['end < start', mineBody({ start: '7', end: '3' }), /greater than start/],
      ['nonce as a JSON number', mineBody({ start: 0 }), /start/],
      ['beyond 2^53', mineBody({ start: '9007199254740990', end: '9007199254741000' }), /2\^53/],
      ['unknown field', mineBody({ extra: 1 }), /additional/],
      ['not JSON', '{"block_hash":', /JSON/],
    ];
    for (const [what, body, message] of cases) {
      const r = await post(mine, body);
      assert.equal(r.status, 400, what);
      assert.equal(r.body.error?.code, 400, what);
      assert.match(r.body.error?.message ?? '', message, what);
      assert.equal((await client.status()).state, 'idle', `still serving after: ${what}`);
    }
    const big = await post(mine, mineBody({ pad: 'x'.repeat(20_000) }));
    assert.equal(big.status, 413);
    assert.equal(big.body.error?.code, 413);
    assert.equal((await mineAll(client, req(0, 3))).delivered, 3);
    const metrics = await (await fetch(`${node.url}/metrics`)).text();
    assert.match(metrics, /gonka_ml_request_errors_total\{code="400"\} 11\b/);
    assert.match(metrics, /gonka_ml_request_errors_total\{code="413"\} 1\b/);
    // The client checks its own side first: a bad range never leaves the API node.
    await assert.rejects(
      client.mine(req(5, 5), () => {}),
      RangeError,
    );
    await assert.rejects(
      client.mine(req(0, 1_000_001), () => {}),
      RangeError,
    );
  });

  it('answers 429 over the rate limit, then serves again once the window passes', async () => {
    const limited = await startServer({ rateLimit: { max: 4, timeWindowMs: 1000 } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 8; i++) {
        const res = await fetch(`${limited.url}/v1/status`);
        codes.push(res.status);
        if (res.status === 429) {
          const body = (await res.json()) as { error: { code: number; message: string } };
          assert.equal(body.error.code, 429);
        } else await res.arrayBuffer();
      }
      assert.ok(codes.includes(429), `codes ${codes}`);
      const c = new MlNodeClient(limited.url);
      await until('the limit window to pass', async () => {
        const res = await fetch(`${limited.url}/v1/status`);
        await res.arrayBuffer();
        return res.status === 200;
      });
      assert.equal((await mineAll(c, req(0, 2))).delivered, 2);
    } finally {
      await limited.server.close();
    }
  });

  it('the test throttle bounds the nonces sent over a window', async () => {
    const RATE = 400;
    const throttled = await startServer({ testThrottle: RATE });
    try {
      const c = new MlNodeClient(throttled.url);
      const abort = new AbortController();
      let count = 0;
      let firstAt = 0;
      const mining = c
        .mine(
          req(0, 1_000_000),
          (_first, batch) => {
            if (count === 0) firstAt = performance.now();
            count += batch.length;
          },
          abort.signal,
        )
        .catch((err: unknown) => err);
      await until('the first batch', () => count > 0);
      const base = count;
      await until('a 2 s window', () => performance.now() - firstAt >= 2000);
      const windowS = (performance.now() - firstAt) / 1000;
      const sent = count - base;
      abort.abort();
      assert.equal(((await mining) as Error).name, 'AbortError');
      // At most the bucket (RATE/4), RATE per second, and the ranges already in flight when the
      // window opened (3 per worker of ≤ batch 16); at least a quarter of the rate.
      assert.ok(sent <= RATE / 4 + RATE * windowS + 3 * 16, `${sent} nonces in ${windowS.toFixed(2)} s`);
      assert.ok(sent >= (RATE * windowS) / 4, `${sent} nonces in ${windowS.toFixed(2)} s`);
    } finally {
      await throttled.server.close();
    }
  });

  it('a miner failing mid-stream cuts that response only; the next request gets a fresh miner', async () => {
    let opened = 0;
    const failing = await startServer({
      open: async (options) => {
        opened++;
        if (opened > 1) return PocMiner.start(options);
        // A miner whose worker dies after the first range: one frame, then the job rejects.
        let failed: Error | undefined;
        const fake = {
          form: 'u8i8',
          workerCount: 1,
          activeJobs: 0,
          get failed() {
            return failed;
          },
          kick() {},
          async close() {},
          async run(job: RangeJob) {
            job.sink(job.start, 1, new Uint8Array(256));
            await new Promise((r) => setTimeout(r, 50));
            failed = new Error('PoC miner worker: simulated crash');
            throw failed;
          },
        };
        return fake as unknown as PocMiner;
      },
    });
    try {
      const c = new MlNodeClient(failing.url);
      let got = 0;
      await assert.rejects(
        c.mine(req(0, 100), (_first, outputs) => {
          got += outputs.length;
        }),
        (err: unknown) => err instanceof MlNodeError && err.kind === 'network',
      );
      assert.equal(got, 1);
      const { delivered, outputs } = await mineAll(c, req(0, 20));
      assert.equal(delivered, 20);
      assert.equal(toHex(outputs.get(19)!), toHex(store.output(19)));
      assert.equal(opened, 2);
    } finally {
      await failing.server.close();
    }
  });

  it('the client refuses a broken ML node without crashing', async () => {
    let delivered = 0;
    const bodies: Record<string, Buffer> = {
      outside: Buffer.concat([frameHeader(10_000, 1), Buffer.alloc(256)]),
      twice: Buffer.concat([frameHeader(0, 1), Buffer.alloc(256), frameHeader(0, 1), Buffer.alloc(256)]),
      huge: frameHeader(0, 0xffffffff),
      'over 4096': frameHeader(0, 4097),
      truncated: Buffer.concat([frameHeader(0, 2), Buffer.alloc(300)]),
      'a good frame, then garbage': Buffer.concat([frameHeader(0, 1), Buffer.alloc(256), frameHeader(0, 0)]),
    };
    let current: Buffer = Buffer.alloc(0);
    const fake: Server = createServer((_r, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(current);
    });
    await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
    try {
      const c = new MlNodeClient(`http://127.0.0.1:${(fake.address() as AddressInfo).port}`);
      for (const [name, body] of Object.entries(bodies)) {
        current = body;
        // A range wide enough that only the frame cap (4096 nonces) refuses the 4097-nonce frame.
        await assert.rejects(
          c.mine(req(0, 10_000), (_first, outputs) => {
            delivered += outputs.length;
          }),
          (err: unknown) => err instanceof MlNodeError && err.kind === 'protocol',
          name,
        );
      }
      // Valid frames before a breach still reach the caller (twice's first, the good frame).
      assert.equal(delivered, 2);
    } finally {
      await new Promise((r) => fake.close(r));
    }
    const gone = new MlNodeClient('http://127.0.0.1:9');
    await assert.rejects(
      gone.status(),
      (err: unknown) => err instanceof MlNodeError && err.kind === 'network',
    );
  });

  it('`gonkad ml start` as a real process: prints its address, mines the same bytes, exits on SIGTERM', async () => {
    const child: ChildProcess = spawn(
      process.execPath,
      [main, 'ml', 'start', '--listen', '127.0.0.1:0', '--workers', '1', '--batch', '32'],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GONKA_LOG_LEVEL: 'warn' } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => {
      stdout += d;
    });
    child.stderr!.on('data', (d) => {
      stderr += d;
    });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      await until('the listen line', () => stdout.includes('\n') || child.exitCode !== null, 30_000);
      const line = JSON.parse(stdout.split('\n')[0]!) as { listen: string; url: string };
      assert.match(line.listen, /^127\.0\.0\.1:\d+$/);
      const c = new MlNodeClient(line.url);
      const { delivered, outputs } = await mineAll(c, req(1000, 1200));
      assert.equal(delivered, 200);
      for (let n = 1000; n < 1200; n++)
        assert.equal(toHex(outputs.get(n)!), toHex(store.output(n)), `nonce ${n}`);
      const epoch = createEpoch(POC_CLASSES.tiny, BLOCK_HASH);
      for (const n of [1000, 1117, 1199])
        assert.equal(toHex(outputs.get(n)!), toHex(computeOutput(epoch, PUBKEY, BigInt(n))));
      const bad = await post(`${line.url}/v1/poc/mine`, mineBody({ class: 'nope' }));
      assert.equal(bad.status, 400);
      assert.equal((await c.status()).mined, '200');
      child.kill('SIGTERM');
      assert.equal(await exited, 0, stderr);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('`gonkad ml start` exits non-zero with one clear line when it cannot listen', async () => {
    const r = await promisify(execFile)(
      process.execPath,
      [main, 'ml', 'start', '--listen', `${node.url.slice(7)}`],
      {
        env: { ...process.env, GONKA_LOG_LEVEL: 'warn' },
        timeout: 30_000,
      },
    ).catch((err: { code: number; stderr: string }) => err);
    assert.equal((r as { code: number }).code, 1);
    assert.match((r as { stderr: string }).stderr, /^error: ML node cannot listen on .*EADDRINUSE/m);
  });
});
