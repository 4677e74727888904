// Issue 13 acceptance 3: epochs of the PoC Sprint and its confirmation rounds in process — the
// production app, signed txs through FinalizeBlock — with honest participants at random rates,
// one adversary per Sprint (its kind cycles, its host is drawn), and perturbations drawn by the
// testnet's planner (testnet/perturb.ts) mapped onto the model: `pause` → a node slower in the
// epoch's rounds (within the chain's rate tolerance), `kill-app`/`kill-comet`/`restart` → a node
// offline for 1–2 blocks of a validation stage (its votes land late), `partition` → one
// validator's link to one participant cut for a validation stage (only where > 2/3 of the power
// can still vote VALID). Participants mine real leaves (poc-attack-world.ts); every validator runs
// the API node's validator (sampling from its sample signature, proofs over HTTP, Merkle check,
// reference recomputation) and its fraud-proof builder, and sends what they decide as signed txs.
// The result counts every adversary armed and caught, and every honest weight lost.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import type { ResponseFinalizeBlock } from 'cosmjs-types/tendermint/abci/types';
import { pino } from 'pino';
import { fraudSettings } from '../../app/api/validator/fraud-proofs.js';
import {
  computeTargetVotes,
  type PocValidatorDeps,
  Recomputer,
  type ValidationTarget,
} from '../../app/api/validator/index.js';
import { fetchProofsHttp } from '../../app/api/validator/proofs-http.js';
import { EpochCache } from '../../kernels/poc/epoch.js';
import { MsgDepositCollateral } from '../../proto/gen/gonka/collateral/v1/tx.js';
import {
  ConfirmationParams,
  type ConfirmationRound,
  Params,
  type SprintState,
} from '../../proto/gen/gonka/poc/v1/poc.js';
import {
  QueryCommitsRequest,
  QueryCommitsResponse,
  QueryConfirmationsRequest,
  QueryConfirmationsResponse,
  QueryFraudRecordsRequest,
  QueryFraudRecordsResponse,
  QueryWeightsRequest,
  QueryWeightsResponse,
} from '../../proto/gen/gonka/poc/v1/query.js';
import { MsgPocCommit, MsgPocFraudProof, MsgPocValidation } from '../../proto/gen/gonka/poc/v1/tx.js';
import { typeUrl } from '../../proto/gonka/registry.js';
import { planPerturbations, seededRandom } from '../../testnet/perturb.js';
import { fraudProvableClasses } from '../../x/poc/params.js';
import { PocChain } from '../integration/poc-chain.js';
import { msgAny, ok, update, withSprint } from '../integration/poc-sprint-helpers.js';
import { CHAIN_ID, DENOM } from '../integration/tx-harness.js';
import { ADVERSARY_KINDS, type AdversaryKind, SimParticipant, TINY } from './poc-attack-world.js';

export const EPOCH_LENGTH = 40;
const SPRINT_GEN = 4;
const ROUND_GEN = 3;
const SAMPLE = 8;
const ROUND_SAMPLE = 8;
const DEPOSIT = 1_000_000n;
const Q = (m: string) => `/gonka.poc.v1.Query/${m}`;

/** Sprint 4/2/4/0 (P = B − 12), rounds 3/2/3 with margin 2, about 4 expected per epoch. */
export function attackParams(): Params {
  return Params.fromPartial({
    epochLength: BigInt(EPOCH_LENGTH),
    generationBlocks: BigInt(SPRINT_GEN),
    commitBlocks: 2n,
    validationBlocks: 4n,
    dkgBlocks: 0n,
    sampleSize: SAMPLE,
    maxPowerFraction: '0.4',
    classes: fraudProvableClasses(),
    maxParticipants: 64,
    fraudProofsPerBlock: 3,
    fraudRewardFraction: '0.1',
    confirmation: ConfirmationParams.fromPartial({
      expectedPerEpoch: 4,
      generationBlocks: BigInt(ROUND_GEN),
      commitBlocks: 2n,
      validationBlocks: 3n,
      boundaryMargin: 2n,
      sampleSize: ROUND_SAMPLE,
      alpha: '0.5',
      rateTolerance: '0.7',
    }),
  });
}

export interface AttackSimResult {
  epochs: number;
  armed: Record<AdversaryKind, number>;
  caught: Record<AdversaryKind, number>;
  /** Why an adversary escaped, or an honest participant lost weight, collateral or its jail freedom. */
  violations: string[];
  honestChecks: number;
  perturbations: Record<string, number>;
  fraudProofsLanded: number;
  rounds: number;
  invariants: string[];
}

interface Queued {
  from: number;
  msgs: Any[];
  /** Not before this height (offline nodes), and dropped after `until`. */
  notBefore: bigint;
  until: bigint;
  what: string;
}

const zero = (): Record<AdversaryKind, number> =>
  Object.fromEntries(ADVERSARY_KINDS.map((k) => [k, 0])) as Record<AdversaryKind, number>;

const any = (codec: { encode(m: any): { finish(): Uint8Array }; fromPartial(m: any): any }, v: unknown) =>
  msgAny(codec, typeUrl(codec as never), v);

export class AttackSim {
  readonly result: AttackSimResult;
  private readonly rand: () => number;
  private readonly queue: Queued[] = [];
  private readonly fraudQueue: MsgPocFraudProof[] = [];
  /** Node → the blocks [from, until) it is down for (a restart during a validation stage). */
  private readonly offline = new Map<number, { from: bigint; until: bigint }>();
  private readonly cut = new Set<string>();
  private readonly roundThrottle = new Map<number, number>();
  private readonly rates = new Map<string, number>();
  private readonly rounds = new Map<string, ConfirmationRound>();
  private readonly recomputer = new Recomputer({ engine: 'reference' });
  private readonly log = pino({ level: 'silent' });

  private constructor(
    readonly chain: PocChain,
    readonly nodes: SimParticipant[],
    private readonly dir: string,
    private readonly seed: number,
  ) {
    this.rand = seededRandom(seed);
    this.result = {
      epochs: 0,
      armed: zero(),
      caught: zero(),
      violations: [],
      honestChecks: 0,
      perturbations: {},
      fraudProofsLanded: 0,
      rounds: 0,
      invariants: [],
    };
  }

  static async create(seed: number, participants = 6): Promise<AttackSim> {
    const chain = await PocChain.create({
      weights: Array.from({ length: participants }, () => 100),
      epochLength: EPOCH_LENGTH,
      balance: 10_000_000_000n,
      appState: withSprint(attackParams()),
    });
    const dir = mkdtempSync(join(tmpdir(), 'gonka-poc-attack-'));
    const epochs = new EpochCache(4);
    const nodes = chain.keys.map((k, i) => new SimParticipant(i, k, dir, epochs));
    const sim = new AttackSim(chain, nodes, dir, seed);
    for (const n of nodes) await n.listen((round) => (round === 0 ? SAMPLE : ROUND_SAMPLE));
    await chain.block();
    // Every node announces its API URL and class, and deposits collateral (so slashes cut something).
    await ok(
      chain,
      nodes.map((n) =>
        chain.tx(n.index, [
          update(n.address, [TINY.id], n.url),
          any(MsgDepositCollateral, {
            participant: n.address,
            amount: { denom: DENOM, amount: DEPOSIT.toString() },
          }),
        ]),
      ),
    );
    return sim;
  }

  /** Runs until `epochs` Sprints have reached their weights and their epochs ended. */
  async run(epochs: number): Promise<AttackSimResult> {
    const last = BigInt(epochs) * BigInt(EPOCH_LENGTH) + BigInt(EPOCH_LENGTH);
    while (this.chain.height < last) await this.step();
    this.result.epochs = epochs;
    this.result.invariants = this.chain.invariants();
    return this.result;
  }

  async close(): Promise<void> {
    for (const n of this.nodes) await n.close();
    await this.recomputer.release();
    await this.chain.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  // ---- one block ---------------------------------------------------------------------------------

  private async step(): Promise<void> {
    const h = this.chain.height + 1n;
    const txs: Uint8Array[] = [];
    const what: string[] = [];
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const q = this.queue[i]!;
      if (h > q.until) {
        this.result.violations.push(`h${h}: ${q.what} of node ${q.from} never landed`);
        this.queue.splice(i, 1);
      }
    }
    const down = (i: number) => {
      const o = this.offline.get(i);
      return o !== undefined && o.from <= h && h < o.until;
    };
    const ready = this.queue.filter((q) => q.notBefore <= h && !down(q.from));
    for (const q of ready) {
      this.queue.splice(this.queue.indexOf(q), 1);
      txs.push(this.chain.tx(q.from, q.msgs, 2_000_000n));
      what.push(q.what);
    }
    const k = 3;
    for (const m of this.fraudQueue.splice(0, k)) {
      const prover = this.nodes.findIndex((n) => n.address === m.prover);
      txs.push(this.chain.tx(prover, [any(MsgPocFraudProof, m)], 2_000_000n));
      what.push(`fraud proof on ${m.participant}`);
    }
    const r = await this.chain.block(txs);
    this.checkTxResults(r, what);
    this.checkSlashes(r);
    await this.observe();
  }

  private checkTxResults(r: ResponseFinalizeBlock, what: string[]): void {
    r.txResults.forEach((t, i) => {
      if (t.code === 0) {
        if (what[i]!.startsWith('fraud proof')) this.result.fraudProofsLanded++;
        return;
      }
      // Another prover was first: the forgery is already on record.
      if (t.codespace === 'poc' && t.code === 22) return;
      // The target lost its weight or its round ended while the tx was queued.
      this.result.violations.push(
        `h${this.chain.height}: ${what[i]} failed: ${t.codespace} ${t.code} ${t.log.slice(0, 200)}`,
      );
    });
  }

  /** Every slash must hit a caught adversary with the reason its kind earns. */
  private checkSlashes(r: ResponseFinalizeBlock): void {
    for (const e of r.events.filter((x) => x.type === 'slash')) {
      const a = Object.fromEntries(e.attributes.map((x) => [x.key, x.value]));
      const node = this.nodes.find((n) => n.address === a.participant);
      const epoch = this.currentEpoch();
      const kinds = [epoch, epoch + 1n].map((x) => node?.role(x)?.kind);
      const earned =
        a.reason === 'poc_fraud'
          ? kinds.some((k) => k === 'fabricate' || k === 'copy')
          : a.reason === 'downtime' && kinds.includes('sprint-only');
      if (!earned)
        this.result.violations.push(`h${this.chain.height}: ${a.participant} slashed for ${a.reason}`);
    }
  }

  // ---- reacting to the chain -------------------------------------------------------------------

  private async observe(): Promise<void> {
    const h = this.chain.height;
    const sprint = this.chain.read((ctx) => this.chain.poc.sprints.latestSprint(ctx));
    if (sprint) {
      if (h === sprint.pocStart) this.startSprint(sprint);
      if (h === sprint.validationStart) await this.validate(sprintTargetOf(this, sprint), sprint);
      if (h === sprint.weightsFinal) this.checkSprint(sprint);
    }
    const running = this.chain.read((ctx) => this.chain.poc.confirmations.running(ctx));
    if (running && running.seed.length > 0) {
      const key = `${running.epoch}/${running.round}`;
      if (!this.rounds.has(key)) {
        this.rounds.set(key, running);
        this.startRound(running);
      }
      if (h === running.validationStart) {
        const r = this.chain.read((ctx) =>
          this.chain.poc.confirmations.getRound(ctx, running.epoch, running.round),
        )!;
        await this.validate(roundTargetOf(this, r), this.sprintOf(r.epoch)!, r.round);
      }
    }
    for (const r of this.rounds.values()) if (h === r.resultHeight) this.checkRound(r);
    for (const n of this.nodes) n.prune(this.currentEpoch() - 2n);
  }

  currentEpoch(): bigint {
    return this.chain.read((ctx) => this.chain.poc.currentEpoch(ctx));
  }

  sprintOf(epoch: bigint): SprintState | undefined {
    return this.chain.read((ctx) => this.chain.poc.sprints.getSprint(ctx, epoch));
  }

  private weight(address: string): bigint {
    return this.chain.read((ctx) => this.chain.poc.weightOf(ctx, address));
  }

  /** Rates, the adversary and the perturbations of this Sprint; every node mines and commits. */
  private startSprint(s: SprintState): void {
    const e = s.epoch;
    const kind = ADVERSARY_KINDS[Number(e - 1n) % ADVERSARY_KINDS.length]!;
    const host = Math.floor(this.rand() * this.nodes.length);
    const victim = (host + 1 + Math.floor(this.rand() * (this.nodes.length - 1))) % this.nodes.length;
    this.nodes[host]!.roles.set(e, {
      kind,
      ...(kind === 'copy' ? { victimPubkey: this.nodes[victim]!.key.pubKey } : {}),
    });
    this.planPerturbations(s);
    for (const n of this.nodes) {
      const rate = 4 + Math.floor(this.rand() * 5);
      this.rates.set(`${e}/${n.index}`, rate);
      const count = n.mine(e, 0, s.seed, rate * SPRINT_GEN, n.role(e));
      this.enqueue(n.index, [commitMsg(n, e, 0, count)], s.pocStart + 1n, s.validationStart - 1n, 'commit');
    }
  }

  private planPerturbations(s: SprintState): void {
    this.cut.clear();
    this.roundThrottle.clear();
    this.offline.clear();
    for (const p of planPerturbations(this.seed * 7919 + Number(s.epoch), 2, this.nodes.length)) {
      this.result.perturbations[p.kind] = (this.result.perturbations[p.kind] ?? 0) + 1;
      if (p.kind === 'pause') this.roundThrottle.set(p.node, 0.8 + this.rand() * 0.2);
      else if (p.kind === 'partition') {
        const other = (p.node + 1 + Math.floor(this.rand() * (this.nodes.length - 1))) % this.nodes.length;
        this.cut.add(`${p.node}->${other}`);
      } else {
        const from = s.validationStart + 1n;
        this.offline.set(p.node, { from, until: from + BigInt(1 + Math.floor(this.rand() * 2)) });
      }
    }
  }

  private startRound(r: ConfirmationRound): void {
    this.result.rounds++;
    const weights = this.weightResults(r.epoch);
    for (const n of this.nodes) {
      const accepted = weights.find((w) => w.participant === n.address)?.accepted ?? false;
      if (this.weight(n.address) === 0n || !accepted) continue;
      const role = n.role(r.epoch);
      if (role?.kind === 'sprint-only') continue; // mines only in the Sprint
      const rate = this.rates.get(`${r.epoch}/${n.index}`) ?? 4;
      const count = Math.floor(rate * ROUND_GEN * (this.roundThrottle.get(n.index) ?? 1));
      // A cheater's round leaves are what it mines in a round: honest, or its own mode again.
      const claimed = n.mine(r.epoch, r.round, r.seed, count, role?.kind === 'overcount' ? undefined : role);
      this.enqueue(
        n.index,
        [commitMsg(n, r.epoch, r.round, claimed)],
        r.start + 1n,
        r.validationStart - 1n,
        `round ${r.round} commit`,
      );
    }
  }

  private enqueue(from: number, msgs: Any[], notBefore: bigint, until: bigint, what: string): void {
    this.queue.push({ from, msgs, notBefore, until, what });
  }

  /** Every validator with power checks the target and queues its votes and fraud proofs. */
  private async validate(target: ValidationTarget, sprint: SprintState, round = 0): Promise<void> {
    const end = round === 0 ? sprint.weightsFinal - 1n : this.roundEnd(sprint.epoch, round);
    for (const v of this.nodes) {
      if (this.weight(v.address) === 0n) continue;
      const { msgs } = await computeTargetVotes(this.deps(v, round), target);
      if (msgs.length > 0)
        this.enqueue(
          v.index,
          msgs.map((m) => any(MsgPocValidation, m)),
          this.chain.height + 1n,
          end,
          round === 0 ? 'votes' : `round ${round} votes`,
        );
    }
  }

  private roundEnd(epoch: bigint, round: number): bigint {
    return (
      this.chain.read((ctx) => this.chain.poc.confirmations.getRound(ctx, epoch, round))!.resultHeight - 1n
    );
  }

  /** The validator's fraud-proof callback: one queued proof per forged (epoch, round, participant). */
  private queueFraudProof(m: MsgPocFraudProof): void {
    const dup = this.fraudQueue.some(
      (q) => q.participant === m.participant && q.epoch === m.epoch && q.round === m.round,
    );
    if (!dup) this.fraudQueue.push(m);
  }

  private deps(v: SimParticipant, round: number): PocValidatorDeps {
    return {
      chainId: CHAIN_ID,
      sprintCommits: async (epoch) => this.commits(epoch, 0),
      participant: async (address) => {
        const p = this.nodes.find((n) => n.address === address);
        return p ? { apiUrl: p.url, kernelPubkey: p.key.pubKey } : undefined;
      },
      signer: { address: v.address, signSample: async (b) => v.key.sign(b) },
      fetchProofs: async (url, body, signal, max) => {
        const target = this.nodes.find((n) => n.url === url)!;
        if (round === 0 && this.cut.has(`${v.index}->${target.index}`))
          throw new Error('partitioned: link cut by the perturbation plan');
        return fetchProofsHttp(url, body, signal, max);
      },
      broadcast: async () => {},
      onFraudProof: (m) => this.queueFraudProof(m),
      log: this.log,
      retries: 0,
      backoffMs: 1,
      timeoutMs: 10_000,
      recomputer: this.recomputer,
    };
  }

  commits(epoch: bigint, round: number) {
    return this.chain.query(Q('Commits'), QueryCommitsRequest, QueryCommitsResponse, {
      epoch,
      round,
      pagination: undefined,
    }).commits;
  }

  private weightResults(epoch: bigint) {
    return this.chain.query(Q('Weights'), QueryWeightsRequest, QueryWeightsResponse, {
      epoch,
      pagination: undefined,
    }).weights;
  }

  // ---- what must have happened -------------------------------------------------------------------

  /** At weights_final: honest nodes accepted with weight; each Sprint adversary caught its way. */
  private checkSprint(s: SprintState): void {
    const e = s.epoch;
    const fraud = this.chain.query(Q('FraudRecords'), QueryFraudRecordsRequest, QueryFraudRecordsResponse, {
      epoch: e,
      pagination: undefined,
    }).records;
    const weights = this.weightResults(e);
    for (const n of this.nodes) {
      const wr = weights.find((w) => w.participant === n.address);
      const proven = fraud.some((f) => f.participant === n.address && f.round === 0);
      const kind = n.role(e)?.kind;
      if (kind === undefined || kind === 'sprint-only') {
        this.result.honestChecks++;
        if (!wr?.accepted || wr.weight === 0n || proven)
          this.result.violations.push(
            `sprint ${e}: honest node ${n.index} got ${JSON.stringify({ accepted: wr?.accepted, weight: String(wr?.weight), proven })}`,
          );
        continue; // a Sprint-only miner is honest here; it is armed and counted at a round
      }
      this.result.armed[kind]++;
      const zeroed = !wr || wr.weight === 0n;
      const ok = kind === 'fabricate' || kind === 'copy' ? zeroed && proven : zeroed && !proven;
      if (ok) this.result.caught[kind]++;
      else this.result.violations.push(`sprint ${e}: ${kind} adversary node ${n.index} escaped`);
    }
  }

  /** At a round's results: honest nodes keep their weight; the Sprint-only miner is INACTIVE. */
  private checkRound(r: ConfirmationRound): void {
    const results = this.chain
      .query(Q('Confirmations'), QueryConfirmationsRequest, QueryConfirmationsResponse, { epoch: r.epoch })
      .results.filter((x) => x.round === r.round);
    for (const res of results) {
      const n = this.nodes.find((x) => x.address === res.participant)!;
      const kind = n.role(r.epoch)?.kind;
      if (kind === 'sprint-only') {
        this.result.armed['sprint-only']++;
        if (res.inactive && res.weightAfter === 0n) this.result.caught['sprint-only']++;
        else this.result.violations.push(`round ${r.epoch}/${r.round}: Sprint-only node ${n.index} escaped`);
        continue;
      }
      if (kind !== undefined) continue; // caught at the Sprint already (weight 0: not in the round)
      this.result.honestChecks++;
      if (res.inactive || res.weightAfter !== res.weightBefore)
        this.result.violations.push(
          `round ${r.epoch}/${r.round}: honest node ${n.index} ${res.weightBefore} → ${res.weightAfter} (measured ${res.measuredRate} of ${res.claimedRate})`,
        );
    }
  }
}

function commitMsg(n: SimParticipant, epoch: bigint, round: number, count: number): Any {
  return any(MsgPocCommit, {
    participant: n.address,
    epoch,
    classId: TINY.id,
    count: BigInt(count),
    root: n.root(epoch, round),
    round,
  });
}

function sprintTargetOf(sim: AttackSim, s: SprintState): ValidationTarget {
  return {
    epoch: s.epoch,
    round: 0,
    seed: s.seed,
    validationHash: s.validationHash,
    sampleSize: s.params!.sampleSize,
    classIds: s.params!.classes.map((c) => c.classId),
    fraud: fraudSettings(s.params!),
    commits: async () => sim.commits(s.epoch, 0),
  };
}

function roundTargetOf(sim: AttackSim, r: ConfirmationRound): ValidationTarget {
  return {
    epoch: r.epoch,
    round: r.round,
    seed: r.seed,
    validationHash: r.validationHash,
    sampleSize: r.params!.sampleSize,
    classIds: [TINY.id],
    fraud: fraudSettings(sim.sprintOf(r.epoch)!.params!),
    commits: async () => sim.commits(r.epoch, r.round),
  };
}

/** Runs `epochs` Sprints with a fresh chain and world. */
export async function simulateAttacks(
  seed: number,
  epochs: number,
  participants = 6,
): Promise<AttackSimResult> {
  const sim = await AttackSim.create(seed, participants);
  try {
    return await sim.run(epochs);
  } finally {
    await sim.close();
  }
}
