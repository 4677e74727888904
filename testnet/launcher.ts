// The testnet launcher: the link relays plus every validator's processes (chain node, and in a PoC
// testnet its ML node and API node), and the fault injections the e2e tests use (kill -9,
// pause/resume, partition/heal, restart). Used as a library by the tests and by `gonkad testnet start`.

import { readManifest, type TestAdversary, type TestnetManifest } from './manifest.js';
import { gonkadEntry, TestnetNode } from './node.js';
import { LinkRelay } from './relay.js';
import { waitFor } from './rpc.js';
import { TestnetServices } from './services.js';

export interface LauncherOptions {
  /** Extra environment for every node (e.g. GONKA_FAILPOINT). */
  env?: Record<string, string>;
  /**
   * The gonkad entry script each node runs (default dist/app/cli/main.js, the product). A path
   * taken as data: tests pass the test entry (dist/test/fixtures/testNode.js) to get testkv.
   */
  nodeEntry?: string;
  /**
   * Run the validators' ML and API nodes where the manifest has them (default true). false runs
   * the chain nodes alone (the Sprint then finds no commits and genesis weights stay).
   */
  services?: boolean;
  /** Extra environment for every ML and API node (`env` is the chain nodes'). */
  serviceEnv?: Record<string, string>;
}

export class Testnet {
  readonly nodes: TestnetNode[];
  /** The ML and API nodes (none when the manifest has none or services are off). */
  readonly services: TestnetServices;
  private readonly relays: { from: number; to: number; relay: LinkRelay }[];

  constructor(
    readonly dir: string,
    readonly manifest: TestnetManifest,
    opts: LauncherOptions = {},
  ) {
    this.nodes = manifest.validators.map(
      (v, i) => new TestnetNode(i, v, opts.env ?? {}, opts.nodeEntry ?? gonkadEntry),
    );
    const withServices = opts.services === false ? [] : manifest.validators;
    this.services = new TestnetServices(withServices, opts.nodeEntry ?? gonkadEntry, opts.serviceEnv);
    this.relays = manifest.links.map((l) => {
      const to = manifest.validators[l.to];
      if (!to) throw new Error(`link to unknown validator ${l.to}`);
      return { from: l.from, to: l.to, relay: new LinkRelay(l.port, to.ports.p2p) };
    });
  }

  static open(dir: string, opts: LauncherOptions = {}): Testnet {
    return new Testnet(dir, readManifest(dir), opts);
  }

  private node(i: number): TestnetNode {
    const n = this.nodes[i];
    if (!n) throw new Error(`no validator ${i}`);
    return n;
  }

  /**
   * Chain nodes, then ML nodes, then API nodes (each API node follows its chain node and drives
   * its ML node, so both must answer first). Returns when every process is up.
   */
  async start(): Promise<void> {
    for (const r of this.relays) await r.relay.open();
    for (const n of this.nodes) n.start();
    for (const n of this.nodes) await n.waitStarted();
    if (!this.services.any) return;
    // One kind at a time: spawning all twelve processes at once on 2 shared cores starved the
    // chain nodes' own start. An API node waits for its chain node's RPC by itself.
    await this.describing(() => this.services.startAll('ml'));
    await this.describing(() => this.services.startAll('api', 120_000));
  }

  /** Runs f; a failure's message gets describe() appended. */
  private async describing<T>(f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (e) {
      throw new Error(`${e instanceof Error ? e.message : String(e)}\n${await this.describe()}`);
    }
  }

  /** API nodes first (so none reacts to its ML node or chain going away), then ML nodes, then chain nodes. */
  async stop(): Promise<void> {
    await this.services.stopAll();
    await Promise.all(this.nodes.map((n) => n.stop()));
    for (const r of this.relays) await r.relay.cut();
  }

  /** Every node's latest height, undefined for one that does not answer. */
  async heights(): Promise<(number | undefined)[]> {
    return Promise.all(this.nodes.map((n) => n.rpc.height().catch(() => undefined)));
  }

  /** Waits until every listed node (default all) has reached height h. */
  async waitForHeight(
    h: number,
    timeoutMs = 60_000,
    which: number[] = this.nodes.map((n) => n.index),
  ): Promise<void> {
    try {
      await waitFor(
        `nodes ${which.join(',')} at height ${h}`,
        async () => {
          const hs = await Promise.all(which.map((i) => this.node(i).rpc.height()));
          return hs.every((x) => x >= h);
        },
        timeoutMs,
      );
    } catch (e) {
      throw new Error(`${e instanceof Error ? e.message : String(e)}\n${await this.describe()}`);
    }
  }

  // --- fault injection; each call returns when the fault is in place ---

  kill9App(i: number): Promise<void> {
    return this.node(i).kill9('app');
  }

  kill9Comet(i: number): Promise<void> {
    return this.node(i).kill9('comet');
  }

  /** Starts a node that was killed or stopped. */
  async startNode(i: number): Promise<void> {
    const n = this.node(i);
    n.start();
    await n.waitStarted();
  }

  // --- a validator's ML node and API node (PoC testnets) ---

  kill9Api(i: number): Promise<void> {
    return this.services.service('api', i).kill9();
  }

  /** Starts validator i's API node (after a kill or stop) and waits until it answers. */
  startApi(i: number): Promise<void> {
    return this.describing(() => this.services.start('api', i));
  }

  stopApi(i: number): Promise<void> {
    return this.services.service('api', i).stop();
  }

  /**
   * TEST ONLY: restarts validator i's ML and API nodes with `adversary`'s extra argv (undefined:
   * honest again), waiting until both answer.
   */
  async rearm(i: number, adversary: TestAdversary | undefined): Promise<void> {
    await this.services.service('api', i).stop();
    await this.services.service('ml', i).stop();
    this.services.rearm(i, adversary);
    await this.describing(() => this.services.start('ml', i));
    await this.describing(() => this.services.start('api', i, 120_000));
  }

  kill9Ml(i: number): Promise<void> {
    return this.services.service('ml', i).kill9();
  }

  startMl(i: number): Promise<void> {
    return this.describing(() => this.services.start('ml', i));
  }

  stopMl(i: number): Promise<void> {
    return this.services.service('ml', i).stop();
  }

  restart(i: number): Promise<void> {
    return this.node(i).restart();
  }

  async restartAll(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.stop()));
    for (const n of this.nodes) n.start();
    for (const n of this.nodes) await n.waitStarted();
  }

  pause(i: number): void {
    this.node(i).pause();
  }

  resume(i: number): void {
    this.node(i).resume();
  }

  /** Cuts every link to and from node i. */
  async partition(i: number): Promise<void> {
    for (const r of this.relays) if (r.from === i || r.to === i) await r.relay.cut();
  }

  async heal(i: number): Promise<void> {
    for (const r of this.relays) if (r.from === i || r.to === i) await r.relay.open();
  }

  /**
   * One line per node (running, height) plus the log tail of any node that is down, then each ML
   * and API node's state and log tail: for failure messages.
   */
  async describe(): Promise<string> {
    const hs = await this.heights();
    return this.nodes
      .map(
        (n, i) =>
          `${n.entry.name}: ${n.running ? 'running' : 'down'}, height ${hs[i] ?? '?'}${n.running ? '' : `\n${n.logTail()}`}`,
      )
      .concat(this.services.describe())
      .join('\n');
  }
}
