// The ML node's TEST ONLY adversary modes (issue 13, poc-attack-contract.md): `fabricate=<f>`
// replaces exactly the nonces the contract's hash picks with same-length garbage (the others equal
// the reference), and `--test-controls` serves POST /v1/test/throttle (404 without the flag), which
// throttles and un-throttles a running node.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { pino } from 'pino';
import { fabricatedOutput, isFabricated, parseMlAdversary } from '../../app/ml/adversary.js';
import { type MineRequest, MlNodeClient } from '../../app/ml/client.js';
import { buildMlServer, type MlServer, type MlServerOptions } from '../../app/ml/server.js';
import { sha256, toHex } from '../../kernels/poc/bytes.js';
import { outputBytes, POC_CLASSES } from '../../kernels/poc/classes.js';
import { createEpoch } from '../../kernels/poc/epoch.js';
import { computeOutput } from '../../kernels/poc/reference.js';

const BLOCK_HASH = sha256(Uint8Array.of(0x61, 0x64, 0x76));
const PUBKEY = Uint8Array.from(
  Buffer.from('0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798', 'hex'),
);
const quiet = pino({ level: 'silent' });
const servers: MlServer[] = [];
after(async () => {
  for (const s of servers) await s.close();
});

async function startServer(extra: Partial<MlServerOptions>): Promise<string> {
  const server = await buildMlServer({ log: quiet, workers: 1, batch: 16, workersHint: 1, ...extra });
  servers.push(server);
  return server.app.listen({ host: '127.0.0.1', port: 0 });
}

const req = (start: number, end: number): MineRequest => ({
  blockHash: BLOCK_HASH,
  cls: 'tiny',
  pubkey: PUBKEY,
  start,
  end,
});

async function mine(url: string, r: MineRequest, signal?: AbortSignal, onCount?: (n: number) => void) {
  const outputs = new Map<number, Uint8Array>();
  await new MlNodeClient(url).mine(
    r,
    (first, batch) => {
      for (const [i, o] of batch.entries()) outputs.set(first + i, Uint8Array.from(o));
      onCount?.(outputs.size);
    },
    signal,
  );
  return outputs;
}

describe('ML node test adversary', () => {
  it('parses fabricate=<fraction> and refuses anything else', () => {
    assert.deepEqual(parseMlAdversary([]), {});
    assert.deepEqual(parseMlAdversary(['fabricate=0.05']), { fabricate: 0.05 });
    for (const bad of ['fabricate=2', 'fabricate=', 'fabricate=-1', 'refuse-proofs', 'fabricate=0.1x'])
      assert.throws(() => parseMlAdversary([bad]), /test adversary/, bad);
  });

  it('picks nonces by the contract hash: u32 BE of SHA-256("fab" ‖ u64 BE n) ÷ 2^32 < f', () => {
    const manual = (n: number) => {
      const msg = new Uint8Array(11);
      msg.set([0x66, 0x61, 0x62]);
      new DataView(msg.buffer).setBigUint64(3, BigInt(n));
      return new DataView(sha256(msg).buffer).getUint32(0) / 2 ** 32;
    };
    let picked = 0;
    for (let n = 0; n < 4000; n++) {
      assert.equal(isFabricated(n, 0.05), manual(n) < 0.05, `nonce ${n}`);
      if (isFabricated(n, 0.05)) picked++;
      assert.equal(isFabricated(n, 0), false);
      assert.equal(isFabricated(n, 1), true);
    }
    // 5% of 4000 = 200; a binomial's 4σ is ±55.
    assert.ok(picked > 145 && picked < 255, `${picked} of 4000 picked`);
    assert.equal(fabricatedOutput(7, 100).length, 100);
    assert.notDeepEqual(fabricatedOutput(7, 64), fabricatedOutput(8, 64));
  });

  it('fabricate=0.05: exactly the picked nonces carry garbage of the same length, the rest the reference', async () => {
    const url = await startServer({ adversary: { fabricate: 0.05 } });
    const outputs = await mine(url, req(0, 300));
    assert.equal(outputs.size, 300);
    const epoch = createEpoch(POC_CLASSES.tiny, BLOCK_HASH);
    let fabricated = 0;
    for (let n = 0; n < 300; n++) {
      const out = outputs.get(n)!;
      assert.equal(out.length, outputBytes(POC_CLASSES.tiny));
      const honest = toHex(computeOutput(epoch, PUBKEY, BigInt(n)));
      if (isFabricated(n, 0.05)) {
        fabricated++;
        assert.notEqual(toHex(out), honest, `nonce ${n} should be fabricated`);
        assert.equal(toHex(out), toHex(fabricatedOutput(n, out.length)));
      } else assert.equal(toHex(out), honest, `nonce ${n} should be honest`);
    }
    assert.ok(fabricated > 0, 'some nonce in 0…299 is fabricated at 5%');
  });

  it('POST /v1/test/throttle exists only with --test-controls, and throttles a running node', async () => {
    const plain = await startServer({});
    const off = await fetch(`${plain}/v1/test/throttle`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ nonces_per_s: 10 }),
    });
    assert.equal(off.status, 404);

    const url = await startServer({ testControls: true });
    const set = (body: unknown) =>
      fetch(`${url}/v1/test/throttle`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    for (const bad of [{ nonces_per_s: 0 }, { nonces_per_s: 'x' }, {}, { nonces_per_s: 5, extra: 1 }])
      assert.equal((await set(bad)).status, 400, JSON.stringify(bad));
    const RATE = 40;
    const ok = await set({ nonces_per_s: RATE });
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { nonces_per_s: RATE });
    // Throttled: over a window the node sends at most the bucket + RATE per second (+ ranges in flight).
    const abort = new AbortController();
    let count = 0;
    const t0 = performance.now();
    const mining = mine(url, req(0, 1_000_000), abort.signal, (n) => {
      count = n;
    }).catch((e: unknown) => e);
    const deadline = t0 + 20_000;
    while (performance.now() - t0 < 1500 && performance.now() < deadline)
      await new Promise((r) => setTimeout(r, 25));
    const windowS = (performance.now() - t0) / 1000;
    const throttled = count;
    assert.ok(
      throttled <= RATE / 4 + RATE * windowS + 3 * 16,
      `${throttled} nonces in ${windowS.toFixed(2)} s`,
    );
    // Lifted while the same request runs: it goes past what the throttle could ever have let out.
    assert.equal((await set({ nonces_per_s: null })).status, 200);
    const lifted = RATE / 4 + RATE * 30 + 3 * 16;
    const until = performance.now() + 30_000;
    while (count <= lifted && performance.now() < until) await new Promise((r) => setTimeout(r, 25));
    abort.abort();
    await mining;
    assert.ok(count > lifted, `${count} nonces after the throttle was lifted`);
  });
});
