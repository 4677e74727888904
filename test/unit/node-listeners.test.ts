// Listener addresses (app/node/listeners.ts) and the ABCI frame cap (app/node/abciLimits.ts):
// loopback and the private socket by default, legacy homes mapped, bad addresses refused with a
// message, the unix path limit enforced; the cap follows block.max_bytes, genesis, and updates.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { abciFrameLimit, FRAME_HEADROOM_BYTES } from '../../app/node/abciLimits.js';
import { configuredListeners } from '../../app/node/home.js';
import {
  abciAddress,
  defaultListeners,
  ListenerConfigError,
  normalizeListener,
  resolveListeners,
} from '../../app/node/listeners.js';

describe('node listeners', () => {
  it('defaults every TCP listener to loopback and ABCI to the socket in the home', () => {
    const l = resolveListeners();
    assert.deepEqual(l, defaultListeners);
    for (const s of ['p2p', 'rpc', 'grpc', 'metrics', 'cometMetrics'] as const)
      assert.match(l[s], /127\.0\.0\.1:/);
    assert.equal(abciAddress('/h', l.abci).address, 'unix:///h/abci.sock');
  });

  it('maps a home from before per-service listeners, moving ABCI to the private socket', () => {
    const l = configuredListeners({
      chainId: 'c',
      moniker: 'm',
      profile: 'devnet',
      host: '0.0.0.0',
      ports: { rpc: 1, p2p: 2, abci: 3, grpc: 0, cometMetrics: 0, appMetrics: 5 },
    });
    assert.equal(l.rpc, 'tcp://0.0.0.0:1');
    assert.equal(l.p2p, 'tcp://0.0.0.0:2');
    assert.equal(l.grpc, 'off');
    assert.equal(l.cometMetrics, 'off');
    assert.equal(l.metrics, '0.0.0.0:5');
    assert.equal(l.abci, 'unix://abci.sock');
    // New keys win over legacy ones; start flags win over both.
    const k = configuredListeners(
      {
        chainId: 'c',
        moniker: 'm',
        profile: 'devnet',
        host: '0.0.0.0',
        ports: { rpc: 1 },
        listen: { rpc: '127.0.0.1:7' },
      },
      { grpc: '[::1]:9' },
    );
    assert.equal(k.rpc, 'tcp://127.0.0.1:7');
    assert.equal(k.grpc, '[::1]:9');
  });

  it('checks addresses', () => {
    assert.equal(normalizeListener('rpc', '127.0.0.1:26657'), 'tcp://127.0.0.1:26657');
    assert.equal(normalizeListener('abci', 'tcp://127.0.0.1:26658'), 'tcp://127.0.0.1:26658');
    assert.equal(normalizeListener('metrics', 'off'), 'off');
    for (const [s, v] of [
      ['rpc', 'off'],
      ['grpc', 'localhost'],
      ['p2p', '1.2.3.4:99999'],
      ['abci', 'unix://'],
      ['metrics', 'http://x:1'],
    ] as const)
      assert.throws(() => normalizeListener(s, v), ListenerConfigError, `${s} ${v}`);
  });

  it('refuses an ABCI socket path over the unix limit, saying what to do', () => {
    const home = `/${'h'.repeat(100)}`;
    assert.throws(
      () => abciAddress(home, 'unix://abci.sock'),
      (e: Error) =>
        e instanceof ListenerConfigError && /at most 107.*shorter --home.*--abci-address/s.test(e.message),
    );
    assert.equal(abciAddress(home, 'unix:///s.sock').address, 'unix:///s.sock');
    assert.equal(abciAddress(home, 'tcp://127.0.0.1:1').socketPath, undefined);
  });
});

describe('ABCI frame cap', () => {
  const res = (maxBytes: bigint) =>
    ({ finalizeBlock: { consensusParamUpdates: { block: { maxBytes } } } }) as never;

  it('is 2 × block.max_bytes + headroom, the genesis size before the first block, and follows raises across restarts', () => {
    const home = mkdtempSync(join(tmpdir(), 'gonka-cap-'));
    mkdirSync(join(home, 'data'));
    try {
      let height = 0;
      const opts = {
        home,
        genesisBytes: 50_000_000,
        genesisMaxBlockBytes: '1000000',
        lastHeight: () => height,
      };
      const limit = abciFrameLimit(opts);
      assert.equal(limit.cap(), 50_000_000 + FRAME_HEADROOM_BYTES, 'InitChain carries the genesis');
      height = 1;
      assert.equal(limit.cap(), 2_000_000 + FRAME_HEADROOM_BYTES);
      limit.observe('finalizeBlock', res(3_000_000n));
      assert.equal(limit.cap(), 6_000_000 + FRAME_HEADROOM_BYTES);
      limit.observe('finalizeBlock', res(500n)); // a lowering never shrinks the cap
      assert.equal(limit.cap(), 6_000_000 + FRAME_HEADROOM_BYTES);
      // A restart reads genesis (1 MB) again but keeps the raise it saw.
      assert.equal(abciFrameLimit(opts).cap(), 6_000_000 + FRAME_HEADROOM_BYTES);
      limit.observe('finalizeBlock', res(-1n));
      assert.equal(limit.cap(), 2 * 104_857_600 + FRAME_HEADROOM_BYTES);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
