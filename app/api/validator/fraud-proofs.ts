// Fraud proofs from the API node's validator (issue 13): a sampled leaf of a fraud-provable class
// whose inclusion proof reaches the committed root but whose output does not recompute (or whose
// nonce ≠ index) is sent to the chain as MsgPocFraudProof, besides the INVALID vote. The chain
// recomputes it in FinalizeBlock and slashes the participant. One proof per (epoch, round,
// participant, class) is enough, so:
//   - poc 22 (already proven, by us or anyone) counts as success;
//   - poc 23 (this block's k fraud proofs are taken) is retried in a later block;
//   - at most k (params.fraud_proofs_per_block) are sent per block, each alone in its tx (a tx is
//     atomic: a proof refused in the block must not take a vote or another proof down with it);
//   - a sent proof is checked against Query/FraudRecords a couple of blocks later and resent
//     (bounded) if no record appeared (the tx can fail in the block after CheckTx took it);
//   - any other refusal (19-21, 24, 25, 13) is final: logged, dropped.
// Nothing here is consensus code; wall-clock time only paces the polling.
import type { Logger } from 'pino';
import type { FraudRecord, Params } from '../../../proto/gen/gonka/poc/v1/poc.js';
import { Verdict } from '../../../proto/gen/gonka/poc/v1/poc.js';
import { MsgPocFraudProof } from '../../../proto/gen/gonka/poc/v1/tx.js';
import type { CommitOutcome, ValidationTarget } from './types.js';

export const MSG_POC_FRAUD_PROOF_TYPE_URL = `/${MsgPocFraudProof.$type}`;

/** x/poc codes the prover reacts to (poc-attack-contract.md). */
export const POC_ALREADY_PROVEN = 22;
export const POC_FRAUD_LIMIT = 23;

/** A target's fraud settings from the chain's params (the Sprint's snapshot, or the live ones). */
export function fraudSettings(params: Params): NonNullable<ValidationTarget['fraud']> {
  return {
    provable: params.classes.filter((c) => c.fraudProvable).map((c) => c.classId),
    perBlock: params.fraudProofsPerBlock,
  };
}

/**
 * The fraud proof for an outcome, when there is one to send: INVALID with a committed forged leaf,
 * a class the target's params mark fraud-provable, and not the prover's own commit (an honest node
 * whose own leaf fails has a bug to fix, not a collateral to burn).
 */
export function fraudProofMsg(
  prover: string,
  target: Pick<ValidationTarget, 'epoch' | 'round' | 'fraud'>,
  outcome: CommitOutcome,
): MsgPocFraudProof | undefined {
  const leaf = outcome.forged;
  if (!leaf || outcome.verdict !== Verdict.VERDICT_INVALID || outcome.participant === prover)
    return undefined;
  if (!target.fraud?.provable.includes(outcome.classId)) return undefined;
  return MsgPocFraudProof.fromPartial({
    prover,
    epoch: target.epoch,
    participant: outcome.participant,
    classId: outcome.classId,
    index: BigInt(leaf.index),
    nonce: leaf.nonce,
    output: leaf.output,
    path: [...leaf.path],
    round: target.round,
  });
}

/** A refusal as the chain reports it (app/api/chain.ts ChainError has this shape). */
interface Refusal {
  readonly codespace: string;
  readonly code: number;
  readonly log?: string;
}

const isRefusal = (e: unknown): e is Refusal =>
  typeof e === 'object' &&
  e !== null &&
  typeof (e as Refusal).codespace === 'string' &&
  typeof (e as Refusal).code === 'number';

export interface FraudProverDeps {
  /** Sends one msg alone in a tx; resolves once CheckTx took it, throws the chain's refusal. */
  submit(msg: MsgPocFraudProof): Promise<void>;
  /** The chain's latest height. */
  height(): Promise<bigint>;
  /** The FraudRecords of an epoch (Query/FraudRecords). */
  proven(epoch: bigint): Promise<FraudRecord[]>;
  readonly log: Logger;
  /** Poll interval (default 500 ms). */
  readonly pollMs?: number;
  /** Sends of one proof before giving up (default 5). */
  readonly maxSends?: number;
  /** Blocks to wait after a send before looking for its record (default 2). */
  readonly settleBlocks?: bigint;
}

interface Pending {
  readonly key: string;
  readonly msg: MsgPocFraudProof;
  sends: number;
  /** Not sent (again) before this height. */
  notBefore: bigint;
}

const keyOf = (m: MsgPocFraudProof) => `${m.epoch}/${m.round}/${m.participant}/${m.classId}`;

export interface ProverStats {
  sent: number;
  proven: number;
  refused: number;
  gaveUp: number;
}

/** Queues fraud proofs and gets each onto the chain, at most `perBlock` per block. */
export class FraudProver {
  private readonly pending = new Map<string, Pending>();
  /** Keys handled once (proven, refused or given up): never queued again. */
  private readonly done = new Set<string>();
  private perBlock = 0;
  private loop: Promise<void> | undefined;
  private closed = false;
  private lastRoundHeight = -1n;
  readonly stats: ProverStats = { sent: 0, proven: 0, refused: 0, gaveUp: 0 };

  constructor(private readonly d: FraudProverDeps) {}

  /** Queues a proof (once per (epoch, round, participant, class)); k = params.fraud_proofs_per_block. */
  add(msg: MsgPocFraudProof, perBlock: number): void {
    if (this.closed) return;
    this.perBlock = perBlock;
    const key = keyOf(msg);
    if (this.done.has(key) || this.pending.has(key)) return;
    this.pending.set(key, { key, msg, sends: 0, notBefore: 0n });
    this.d.log.warn(
      {
        epoch: msg.epoch.toString(),
        participant: msg.participant,
        class: msg.classId,
        index: msg.index.toString(),
      },
      'PoC forgery found: fraud proof queued',
    );
    this.loop ??= this.run().finally(() => {
      this.loop = undefined;
      if (this.pending.size > 0 && !this.closed) this.loop = this.run();
    });
  }

  /** Resolves once nothing is pending (every proof proven, refused or given up) or close(). */
  async idle(): Promise<void> {
    while (this.loop) await this.loop;
  }

  close(): void {
    this.closed = true;
  }

  private finish(p: Pending, how: keyof ProverStats, detail?: string): void {
    this.pending.delete(p.key);
    this.done.add(p.key);
    this.stats[how]++;
    const log = how === 'proven' ? this.d.log.info.bind(this.d.log) : this.d.log.warn.bind(this.d.log);
    log(
      { epoch: p.msg.epoch.toString(), participant: p.msg.participant, class: p.msg.classId, detail },
      `fraud proof ${how}`,
    );
  }

  private async run(): Promise<void> {
    const pollMs = this.d.pollMs ?? 500;
    while (!this.closed && this.pending.size > 0) {
      try {
        const h = await this.d.height();
        if (h > this.lastRoundHeight) await this.round(h);
      } catch (e) {
        this.d.log.warn(
          { err: e instanceof Error ? e.message : String(e) },
          'fraud prover: chain unreachable',
        );
      }
      if (this.closed || this.pending.size === 0) break;
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }

  /** One block's worth: forget what is proven, send up to k of the rest. */
  private async round(h: bigint): Promise<void> {
    const settle = this.d.settleBlocks ?? 2n;
    const maxSends = this.d.maxSends ?? 5;
    const due = [...this.pending.values()].filter((p) => p.sends > 0 && h >= p.notBefore);
    for (const epoch of new Set(due.map((p) => p.msg.epoch))) {
      const records = await this.d.proven(epoch);
      const provenKeys = new Set(records.map((r) => `${r.epoch}/${r.round}/${r.participant}/${r.classId}`));
      for (const p of due) if (provenKeys.has(p.key)) this.finish(p, 'proven', 'record on chain');
    }
    this.lastRoundHeight = h;
    if (this.perBlock <= 0) {
      for (const p of [...this.pending.values()]) this.finish(p, 'refused', 'fraud_proofs_per_block is 0');
      return;
    }
    let sent = 0;
    const ready = [...this.pending.values()]
      .filter((p) => h >= p.notBefore)
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (const p of ready) {
      if (sent >= this.perBlock) break;
      if (p.sends >= maxSends) {
        this.finish(p, 'gaveUp', `${p.sends} sends and no record`);
        continue;
      }
      try {
        p.sends++;
        await this.d.submit(p.msg);
        sent++;
        this.stats.sent++;
        p.notBefore = h + settle;
      } catch (e) {
        if (isRefusal(e) && e.codespace === 'poc' && e.code === POC_ALREADY_PROVEN) {
          this.finish(p, 'proven', 'already proven');
        } else if (isRefusal(e) && e.codespace === 'poc' && e.code === POC_FRAUD_LIMIT) {
          p.sends--; // the block was full, not the proof wrong: next block
          p.notBefore = h + 1n;
          break;
        } else if (isRefusal(e) && e.codespace !== '') {
          this.finish(p, 'refused', `${e.codespace} ${e.code}: ${e.log ?? ''}`);
        } else {
          p.notBefore = h + 1n; // transport: try again next block (bounded by maxSends)
          this.d.log.warn({ err: e instanceof Error ? e.message : String(e) }, 'fraud proof not sent');
        }
      }
    }
  }
}
