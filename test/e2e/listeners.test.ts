// Every listener of a running node, as the OS reports it (issue 10, acceptance 3): `ss` lists the
// sockets of the node's and its CometBFT's pids. By default every TCP listener is on loopback and
// ABCI is a unix socket in the home with mode 0600; each service's bind is settable (init flags
// write config keys, start flags override them); a home from before per-service listeners (one
// `host`, an ABCI TCP port) still starts, with ABCI moved to the private socket.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { TestNode } from './helpers/node.js';
import { freePorts } from './helpers/ports.js';
import { waitFor } from './helpers/rpc.js';

interface Listener {
  local: string;
  pid: number;
}

/** Listening sockets (`ss -ltnpH` or `ss -lxpH`) owned by the given pids. */
function listeners(kind: 'tcp' | 'unix', pids: number[]): Listener[] {
  const out = execFileSync('ss', [kind === 'tcp' ? '-ltnpH' : '-lxpH'], { encoding: 'utf8' });
  const rows: Listener[] = [];
  for (const line of out.split('\n')) {
    const pid = Number(/pid=(\d+),/.exec(line)?.[1]);
    if (!pids.includes(pid)) continue;
    const cols = line.trim().split(/\s+/);
    // tcp: State Recv-Q Send-Q Local Peer …; unix: Netid State Recv-Q Send-Q Local Port Peer …
    rows.push({ local: (kind === 'tcp' ? cols[3] : cols[4])!, pid });
  }
  return rows;
}

const loopback = (addr: string) => /^(127\.\d+\.\d+\.\d+|\[::1\]):\d+$/.test(addr);

async function running(node: TestNode): Promise<number[]> {
  return waitFor('both pids', async () => {
    const app = node.appPid();
    const comet = node.cometPid();
    return app && comet ? [app, comet] : undefined;
  });
}

describe('node listeners', () => {
  const nodes: TestNode[] = [];
  after(async () => {
    for (const n of nodes) await n.destroy();
  });

  it('listens on loopback only, with ABCI on a 0600 unix socket in the home; an old-format home still starts', async () => {
    const node = await TestNode.create();
    nodes.push(node);
    node.start();
    await node.waitForHeight(2, 60_000);
    const pids = await running(node);
    const tcp = listeners('tcp', pids);
    const ports = tcp.map((l) => Number(l.local.split(':').at(-1)));
    for (const p of [node.ports.rpc, node.ports.p2p, node.ports.grpc, node.ports.rest, node.ports.metrics])
      assert.ok(ports.includes(p), `port ${p} is listening (${JSON.stringify(tcp)})`);
    for (const l of tcp) assert.ok(loopback(l.local), `${l.local} (pid ${l.pid}) is a loopback listener`);
    const sock = join(node.home, 'abci.sock');
    const unix = listeners('unix', pids);
    assert.deepEqual(
      unix.map((l) => l.local),
      [sock],
      'the one unix listener is the ABCI socket in the home',
    );
    assert.equal(unix[0]!.pid, node.appPid(), 'served by gonkad');
    const st = statSync(sock);
    assert.ok(st.isSocket());
    assert.equal(st.mode & 0o777, 0o600);
    assert.match(
      readFileSync(join(node.home, 'config', 'config.toml'), 'utf8'),
      /proxy_app = "unix:\/\/.*abci\.sock"/,
    );

    // The same home in the format written before per-service listeners: one host, ports, and an
    // ABCI TCP port in both our config and CometBFT's.
    const height = await node.rpc.height();
    await node.stop();
    const [oldAbci] = await freePorts(1);
    const cfgPath = join(node.home, 'config', 'gonka.json');
    const cfg = JSON.parse(readFileSync(cfgPath, 'utf8'));
    const { rpc, p2p, grpc, rest, metrics } = node.ports;
    writeFileSync(
      cfgPath,
      JSON.stringify({
        chainId: cfg.chainId,
        moniker: cfg.moniker,
        profile: cfg.profile,
        host: '127.0.0.1',
        ports: { rpc, p2p, abci: oldAbci, grpc, rest, cometMetrics: 0, appMetrics: metrics },
      }),
    );
    const tomlPath = join(node.home, 'config', 'config.toml');
    writeFileSync(
      tomlPath,
      readFileSync(tomlPath, 'utf8').replace(/proxy_app = ".*"/, `proxy_app = "tcp://127.0.0.1:${oldAbci}"`),
    );
    node.start();
    await node.waitForHeight(height + 2, 60_000);
    const again = await running(node);
    assert.ok(!listeners('tcp', again).some((l) => l.local.endsWith(`:${oldAbci}`)), 'no ABCI TCP port');
    assert.deepEqual(
      listeners('unix', again).map((l) => l.local),
      [sock],
    );
    assert.equal(statSync(sock).mode & 0o777, 0o600);
    await node.stop();
  });

  it('binds each service where its flag says: init flags (config keys) and start flags', async () => {
    const [p2p, rpc, grpc, metrics, comet, abci, rest] = await freePorts(7);
    // Other loopback addresses (127.0.0.0/8): distinct binds, and no traffic leaves the machine.
    const node = await TestNode.create({
      initArgs: [
        '--p2p-laddr',
        `127.0.0.2:${p2p}`,
        '--rpc-laddr',
        `127.0.0.3:${rpc}`,
        '--grpc-address',
        `127.0.0.4:${grpc}`,
        '--rest-address',
        `127.0.0.8:${rest}`,
      ],
    });
    nodes.push(node);
    const cfg = JSON.parse(readFileSync(join(node.home, 'config', 'gonka.json'), 'utf8'));
    assert.equal(cfg.listen.rpc, `tcp://127.0.0.3:${rpc}`, 'the init flag is written as the config key');
    node.start({}, [
      '--metrics-address',
      `127.0.0.5:${metrics}`,
      '--comet-metrics-address',
      `127.0.0.6:${comet}`,
      '--abci-address',
      `tcp://127.0.0.7:${abci}`,
    ]);
    const pids = await running(node);
    const want = [
      `127.0.0.2:${p2p}`,
      `127.0.0.3:${rpc}`,
      `127.0.0.4:${grpc}`,
      `127.0.0.5:${metrics}`,
      `127.0.0.6:${comet}`,
      `127.0.0.7:${abci}`,
      `127.0.0.8:${rest}`,
    ];
    const tcp = await waitFor(
      'every listener',
      async () => {
        const got = listeners('tcp', pids).map((l) => l.local);
        return want.every((w) => got.includes(w)) ? got : undefined;
      },
      60_000,
    ).catch((e) => {
      throw new Error(`${e.message}; ss shows ${JSON.stringify(listeners('tcp', pids))}\n${node.output}`);
    });
    for (const l of tcp) assert.ok(loopback(l), `${l} is a loopback listener`);
    assert.deepEqual(listeners('unix', pids), [], 'ABCI on TCP as asked: no unix socket');
    await node.stop();
  });

  it('refuses to start when the ABCI socket path is too long for a unix socket', async () => {
    const base = mkdtempSync(join(tmpdir(), 'gonka-e2e-long-'));
    try {
      const node = await TestNode.create();
      nodes.push(node);
      const long = `unix://${join(base, 'x'.repeat(120), 'abci.sock')}`;
      node.start({}, ['--abci-address', long]);
      assert.equal(await node.exited(), 1);
      assert.match(node.output, /unix sockets allow at most 107.*shorter --home.*--abci-address/s);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
