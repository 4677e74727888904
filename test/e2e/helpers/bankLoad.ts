// A bounded load of SIGNED Cosmos bank sends for the fault e2e tests (crash recovery, testnet
// perturbation): several funded genesis accounts (keys derived at test time from fixed seeds) sign
// MsgSend txs with real fees and track their account sequences as a wallet does, each tx going
// through CometBFT's broadcast_tx_sync to a random live node. What CheckTx accepted is recorded
// with its hash, the node it went to and that node's run at the time, so the audit
// (bankAudit.ts) can tell a tx lost with a killed node's mempool from a tx that was truly lost.
import { createHash } from 'node:crypto';
import { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { QueryAccountRequest, QueryAccountResponse } from 'cosmjs-types/cosmos/auth/v1beta1/query';
import { addGenesisAccount } from '../../../app/genesisAccounts.js';
import { seededRandom } from '../../../testnet/perturb.js';
import { DENOM, sendMsg, signTx, TestKey } from '../../integration/tx-harness.js';
import type { CometRpc } from './rpc.js';

/** A node the load can send to; `runId` changes whenever the node's processes are replaced. */
export interface LoadTarget {
  name: string;
  rpc: CometRpc;
  /** Running and answering (not killed, not SIGSTOPped). */
  live(): boolean;
  /** Identity of the current run (app process); a new value means the old mempool is gone. */
  runId(): unknown;
}

export const LOAD_GAS = 100_000n;
/** gas × the default min gas price 0.1 ngonka. */
export const LOAD_FEE = 10_000n;
export const LOAD_FUNDS = 1_000_000_000_000n;
/** Every OVERSPEND_EVERY-th tx sends more than any balance: it passes ante (fee and sequence
 * taken) and fails in the message, so results with a failure code are part of every run. */
const OVERSPEND_EVERY = 9;

export interface BankLoadOptions {
  /** Number of sending accounts. */
  accounts: number;
  /** Seed for the account keys and the random choices. */
  seed: number;
  /** At most this many broadcasts in total (the load is bounded). */
  maxTxs: number;
  /** Pause between broadcasts. */
  intervalMs: number;
  /** Most accepted-but-uncommitted txs one account keeps in flight. */
  depth?: number;
  /** An account whose committed sequence has not moved for this long while it has txs in flight
   * treats them as lost and re-signs from the chain's sequence. */
  stallMs?: number;
  chainId: string;
}

export interface SendRecord {
  hash: string;
  sender: string;
  sequence: bigint;
  /** Target index and that target's run epoch when the request was sent. */
  target: number;
  epoch: number;
  outcome: 'accepted' | 'rejected' | 'refused' | 'unknown';
  code?: number;
}

/** The load's accounts: keys are derived at test time from the seed, never stored. */
export function loadKeys(seed: number, accounts: number): TestKey[] {
  return Array.from({ length: accounts }, (_, i) => TestKey.fromSeed(`bank-load-${seed}-${i}`));
}

/** Addresses that only receive (they start at 0 and exist only through the load's sends). */
export function loadSinks(seed: number): string[] {
  return [0, 1].map((i) => TestKey.fromSeed(`bank-load-sink-${seed}-${i}`).address);
}

/** Funds the load's accounts in a genesis app_state (before the chain starts). */
export function fundLoadAccounts(appState: Record<string, unknown>, keys: TestKey[]): void {
  for (const k of keys) addGenesisAccount(appState, k.address, [{ denom: DENOM, amount: LOAD_FUNDS }]);
}

interface AccountState {
  key: TestKey;
  accountNumber: bigint;
  /** Sequence the next signed tx uses. */
  next: bigint;
  /** Last committed sequence read from the chain, and when it last moved (or was reset). */
  chainSeq: bigint;
  progressAt: number;
  resync: boolean;
}

/** Reads an account's committed number and sequence through a node's ABCI query. */
export async function readAccount(rpc: CometRpc, address: string, height = 0): Promise<BaseAccount> {
  const r = await rpc.abciQuery(
    '/cosmos.auth.v1beta1.Query/Account',
    QueryAccountRequest.encode({ address }).finish(),
    { height },
  );
  if (r.code) throw new Error(`account ${address}: query code ${r.code} ${r.log ?? ''}`);
  const any = QueryAccountResponse.decode(Buffer.from(r.value, 'base64')).account;
  if (!any) throw new Error(`account ${address} not found`);
  return BaseAccount.decode(any.value);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class BankLoad {
  readonly keys: TestKey[];
  readonly sinks: string[];
  readonly sends: SendRecord[] = [];
  /** Per target, how many times its run changed (kill, crash, restart) while observed. */
  readonly epochs: number[];
  /** Times an account gave up on its in-flight txs and re-signed from the chain's sequence. */
  resets = 0;
  /** Runs (of any target) seen to end: each kill, crash or restart ends one. */
  endedRuns = 0;
  private readonly lastRun: unknown[];
  private readonly random: () => number;
  private accounts: AccountState[] = [];
  private counter = 0;
  private stopped = false;
  private done: Promise<void> | undefined;
  private watcher: NodeJS.Timeout | undefined;

  constructor(
    readonly targets: LoadTarget[],
    private readonly opts: BankLoadOptions,
  ) {
    this.keys = loadKeys(opts.seed, opts.accounts);
    this.sinks = loadSinks(opts.seed);
    this.random = seededRandom(opts.seed);
    this.epochs = targets.map(() => 0);
    this.lastRun = targets.map((t) => t.runId());
  }

  get sent(): number {
    return this.sends.length;
  }

  get accepted(): SendRecord[] {
    return this.sends.filter((s) => s.outcome === 'accepted');
  }

  /** Notes run changes; called before each send and every 20 ms, so no kill-and-restart is missed. */
  observe(): void {
    for (const [i, t] of this.targets.entries()) {
      const run = t.runId();
      if (run !== this.lastRun[i]) {
        if (this.lastRun[i] !== undefined) this.endedRuns++;
        this.lastRun[i] = run;
        this.epochs[i] = (this.epochs[i] ?? 0) + 1;
      }
    }
  }

  /** Reads the accounts' numbers and sequences, then starts the load in the background. */
  async start(): Promise<void> {
    const rpc = this.liveTarget()?.rpc;
    if (!rpc) throw new Error('no live node to start the load on');
    for (const key of this.keys) {
      const a = await readAccount(rpc, key.address);
      this.accounts.push({
        key,
        accountNumber: a.accountNumber,
        next: a.sequence,
        chainSeq: a.sequence,
        progressAt: Date.now(),
        resync: false,
      });
    }
    // Unref'd: a test that fails before finish() must not be kept alive by the watcher.
    this.watcher = setInterval(() => this.observe(), 20).unref();
    this.done = this.run();
  }

  /** Stops sending (the run-change watcher keeps going until finish()). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
  }

  /** Stops the watcher after a last look; call once the faults are over and before the audit. */
  finish(): void {
    this.observe();
    if (this.watcher) clearInterval(this.watcher);
    this.watcher = undefined;
  }

  private liveTarget(): { index: number; rpc: CometRpc } | undefined {
    const live = this.targets.map((t, index) => ({ t, index })).filter(({ t }) => t.live());
    if (live.length === 0) return undefined;
    const pick = live[Math.floor(this.random() * live.length)]!;
    return { index: pick.index, rpc: pick.t.rpc };
  }

  private async run(): Promise<void> {
    let turn = 0;
    while (!this.stopped && this.sends.length < this.opts.maxTxs) {
      const acct = this.accounts[turn++ % this.accounts.length]!;
      try {
        await this.step(acct);
      } catch {
        // A node went away under a query: the account tries again on its next turn.
      }
      await sleep(this.opts.intervalMs);
    }
  }

  /**
   * Re-reads the committed sequence. In-flight txs resolve by committing (the sequence moves on)
   * or, after stallMs without progress, are taken as lost: the account re-signs from the chain.
   * Returns whether the account may send now.
   */
  private async refresh(acct: AccountState): Promise<boolean> {
    const depth = BigInt(this.opts.depth ?? 3);
    if (!acct.resync && acct.next - acct.chainSeq < depth) return true;
    const target = this.liveTarget();
    if (!target) return false;
    const seq = (await readAccount(target.rpc, acct.key.address)).sequence;
    if (seq > acct.chainSeq) {
      acct.chainSeq = seq;
      acct.progressAt = Date.now();
    }
    if (acct.chainSeq >= acct.next) {
      acct.next = acct.chainSeq;
      acct.resync = false;
      return true;
    }
    if (Date.now() - acct.progressAt > (this.opts.stallMs ?? 4000)) {
      acct.next = acct.chainSeq;
      acct.progressAt = Date.now();
      acct.resync = false;
      this.resets++;
      return true;
    }
    return !acct.resync && acct.next - acct.chainSeq < depth;
  }

  private async step(acct: AccountState): Promise<void> {
    if (!(await this.refresh(acct))) return;
    const target = this.liveTarget();
    if (!target) return;
    const n = this.counter++;
    const others = [...this.keys.map((k) => k.address), ...this.sinks].filter((a) => a !== acct.key.address);
    const to = others[Math.floor(this.random() * others.length)]!;
    const amount = n % OVERSPEND_EVERY === OVERSPEND_EVERY - 1 ? LOAD_FUNDS * 10n : BigInt(1 + (n % 997));
    const tx = signTx(acct.key, {
      msgs: [sendMsg(acct.key.address, to, amount)],
      sequence: acct.next,
      accountNumber: acct.accountNumber,
      gas: LOAD_GAS,
      fee: LOAD_FEE,
      memo: `bank-load ${n}`,
      chainId: this.opts.chainId,
    });
    this.observe();
    const rec: SendRecord = {
      hash: createHash('sha256').update(tx).digest('hex').toUpperCase(),
      sender: acct.key.address,
      sequence: acct.next,
      target: target.index,
      epoch: this.epochs[target.index]!,
      outcome: 'unknown',
    };
    this.sends.push(rec);
    try {
      const r = await target.rpc.broadcastSync(tx);
      rec.code = r.code;
      rec.outcome = r.code === 0 ? 'accepted' : 'rejected';
    } catch (e) {
      // Refused: never reached the node. Anything else (a timeout on a paused node, a reset) may
      // have reached its mempool: the outcome is unknown.
      const cause = (e as { cause?: { code?: string } }).cause?.code;
      rec.outcome = cause === 'ECONNREFUSED' ? 'refused' : 'unknown';
    }
    if (rec.outcome === 'accepted') acct.next++;
    else acct.resync = true;
  }
}
