// A bounded tx load: sends at most `maxTxs` txs, one every `intervalMs`, each to the next node in
// turn, until stopped. Txs a down node refuses are skipped; accepted ones are recorded so the
// invariant checks can look for them. The tx bytes come from the caller (e.g. the testkv fixture).
import type { SubmittedTx } from './invariants.js';
import type { Testnet } from './launcher.js';

export interface LoadOptions {
  maxTxs: number;
  intervalMs: number;
  makeTx(seq: number): { bytes: Uint8Array; effect?: SubmittedTx['effect'] };
}

export class TxLoad {
  readonly accepted: SubmittedTx[] = [];
  sent = 0;
  private stopped = false;
  private done: Promise<void> | undefined;

  constructor(
    private readonly net: Testnet,
    private readonly opts: LoadOptions,
  ) {}

  start(): void {
    this.done = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
  }

  private async run(): Promise<void> {
    for (let seq = 0; seq < this.opts.maxTxs && !this.stopped; seq++) {
      const node = this.net.nodes[seq % this.net.nodes.length];
      const tx = this.opts.makeTx(seq);
      this.sent++;
      if (node?.running && !node.paused) {
        try {
          const r = await node.rpc.broadcastSync(tx.bytes);
          if (r.code === 0) this.accepted.push({ hash: r.hash, ...(tx.effect ? { effect: tx.effect } : {}) });
        } catch {
          // The node is down, restarting or cut off: this tx is simply not sent.
        }
      }
      await new Promise((r) => setTimeout(r, this.opts.intervalMs));
    }
  }
}
