// Every validator's off-chain processes in a PoC testnet: its ML node (`gonkad ml start`) and its
// API node (`gonkad api start`, driving that ML node and following its own chain node), each a
// TestnetService the harness starts, kills and restarts by pid. Validators whose manifest entry
// has no services (a testnet without PoC) have none.
import { join } from 'node:path';
import type { TestAdversary, ValidatorEntry } from './manifest.js';
import { type ServiceSpec, TestnetService } from './service.js';

export type ServiceKind = 'ml' | 'api';

const loopback = (port: number) => `127.0.0.1:${port}`;

/**
 * The ML node and API node command lines of one validator (undefined without services);
 * `adversary` (default the manifest's; `{}` for none) appends TEST ONLY argv.
 */
export function serviceSpecs(
  v: ValidatorEntry,
  adversary: TestAdversary | undefined = v.services?.adversary,
): { ml: ServiceSpec; api: ServiceSpec } | undefined {
  const s = v.services;
  const { ml, api } = v.ports;
  if (!s || ml === undefined || api === undefined) return undefined;
  const mlArgs = ['ml', 'start', '--listen', loopback(ml), '--workers', String(s.mlWorkers)];
  if (s.mlThrottle !== undefined) mlArgs.push('--test-throttle', String(s.mlThrottle));
  for (const m of s.models ?? []) mlArgs.push('--model', m.arg, '--model-id', m.id);
  const apiArgs = [
    'api',
    'start',
    '--home',
    s.apiHome,
    '--node-rpc',
    `http://${loopback(v.ports.rpc)}`,
    '--ml-node',
    `http://${loopback(ml)}`,
    '--listen',
    loopback(api),
    '--classes',
    s.classes.join(','),
  ];
  if (s.apiCommitEvery !== undefined) apiArgs.push('--commit-every', String(s.apiCommitEvery));
  mlArgs.push(...(adversary?.ml ?? []));
  apiArgs.push(...(adversary?.api ?? []));
  return {
    ml: { name: `${v.name} ml`, args: mlArgs, url: `http://${loopback(ml)}`, log: join(v.home, 'ml.log') },
    api: {
      name: `${v.name} api`,
      args: apiArgs,
      url: `http://${loopback(api)}`,
      log: join(v.home, 'api.log'),
    },
  };
}

export class TestnetServices {
  private readonly ml: (TestnetService | undefined)[];
  private readonly api: (TestnetService | undefined)[];

  constructor(
    private readonly validators: readonly ValidatorEntry[],
    private readonly script: string,
    private readonly env: Record<string, string> = {},
  ) {
    const specs = validators.map((v) => serviceSpecs(v));
    this.ml = specs.map((s) => this.make(s?.ml));
    this.api = specs.map((s) => this.make(s?.api));
  }

  private make(spec: ServiceSpec | undefined): TestnetService | undefined {
    return spec ? new TestnetService({ ...spec, env: { ...this.env, ...spec.env } }, this.script) : undefined;
  }

  /**
   * TEST ONLY: validator i's ML and API nodes get `adversary`'s argv (undefined: none) from their
   * next start. Both must be stopped; one shared testnet can so arm a different adversary per run.
   */
  rearm(i: number, adversary: TestAdversary | undefined): void {
    const v = this.validators[i];
    const specs = v && serviceSpecs(v, adversary ?? {}); // {}: none, whatever the manifest says
    if (!specs) throw new Error(`validator ${i} has no services`);
    if (this.ml[i]?.running || this.api[i]?.running)
      throw new Error(`stop validator ${i}'s ML and API nodes before re-arming them`);
    this.ml[i] = this.make(specs.ml);
    this.api[i] = this.make(specs.api);
  }

  /** Every service, ML nodes first. */
  all(): TestnetService[] {
    return [...this.ml, ...this.api].filter((s): s is TestnetService => s !== undefined);
  }

  /** Whether any validator has services. */
  get any(): boolean {
    return this.ml.some((s) => s !== undefined);
  }

  service(kind: ServiceKind, i: number): TestnetService {
    const s = (kind === 'ml' ? this.ml : this.api)[i];
    if (!s) throw new Error(`validator ${i} has no ${kind} node (a testnet initialized without PoC?)`);
    return s;
  }

  /** Starts one service and waits until it answers /v1/status. */
  async start(kind: ServiceKind, i: number, timeoutMs?: number): Promise<void> {
    const s = this.service(kind, i);
    s.start();
    await s.waitReady(timeoutMs);
  }

  private list(kind: ServiceKind): TestnetService[] {
    return (kind === 'ml' ? this.ml : this.api).filter((s): s is TestnetService => s !== undefined);
  }

  /** Spawns every service of one kind that is not running; returns at once. */
  spawnAll(kind: ServiceKind): void {
    for (const s of this.list(kind)) if (!s.running) s.start();
  }

  /** Starts every service of one kind that is not running, then waits until each answers. */
  async startAll(kind: ServiceKind, timeoutMs?: number): Promise<void> {
    this.spawnAll(kind);
    await Promise.all(this.list(kind).map((s) => s.waitReady(timeoutMs)));
  }

  /** Stops every service: API nodes first (they drive the ML nodes), then ML nodes. */
  async stopAll(): Promise<void> {
    await Promise.all(this.api.map((s) => s?.stop()));
    await Promise.all(this.ml.map((s) => s?.stop()));
  }

  /** One line per service (state, pid, url), with its log tail: the last lines, more when it is down. */
  describe(): string[] {
    const out: string[] = [];
    for (const s of this.all()) {
      const state = s.running ? `running (pid ${s.pid})` : 'down';
      // JSON log lines can be long; the start of each says what happened.
      const tail = s
        .logTail(s.running ? 4 : 15)
        .split('\n')
        .map((l) => `    ${l.slice(0, 300)}`)
        .join('\n');
      out.push(`${s.spec.name}: ${state} ${s.spec.url}\n${tail}`);
    }
    return out;
  }
}
