// The recorder's chain driver: a fresh production app (GoldenApp) from a fixed genesis, blocks at
// fixed times with realistic CometBFT inputs (decided_last_commit votes of the set CometBFT would
// have, proposer, block hash, misbehavior on request), and helpers that read committed state so
// txs are signed with the sequence and account number the chain has *now*: when a tx's outcome
// changes after a product change, the recorder keeps going and records what happens.
import { createHash } from 'node:crypto';
import { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { QueryAccountRequest, QueryAccountResponse } from 'cosmjs-types/cosmos/auth/v1beta1/query';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import {
  type ExecTxResult,
  type Misbehavior,
  type MisbehaviorType,
  RequestFinalizeBlock,
  RequestInitChain,
  RequestQuery,
} from 'cosmjs-types/tendermint/abci/types';
import { BlockIDFlag } from 'cosmjs-types/tendermint/types/validator';
import type { ProtoCodec } from '../../app/runtime/router.js';
import type { TestKey } from '../integration/tx-harness.js';
import { type BlockRecord, blockRecord, GoldenApp, type InitRecord, initRecord } from './golden-chain.js';
import { type BuildOptions, buildTx, type SignerSpec } from './tx-builder.js';

export const GENESIS_SECONDS = 1_700_000_000n;

interface Validator {
  pubKey: Uint8Array;
  address: Uint8Array;
  power: bigint;
}

const validatorAddress = (pubKey: Uint8Array) => createHash('sha256').update(pubKey).digest().subarray(0, 20);

export class Driver {
  height = 0n;
  readonly blocks: BlockRecord[] = [];
  init!: InitRecord;
  /** Validator set by height (CometBFT applies FinalizeBlock(H)'s updates at H+2). */
  private readonly sets = new Map<bigint, Validator[]>();
  /** Txs from each signer already placed in the block being built (sequence offset). */
  private readonly inBlock = new Map<string, bigint>();
  /** Validators (by index in the genesis set) whose votes are absent, by height. */
  absent: (height: bigint) => number[] = () => [];
  /** Misbehavior to report in a block, by height. */
  misbehavior: (height: bigint) => { validator: number; type: MisbehaviorType }[] = () => [];

  private constructor(
    readonly golden: GoldenApp,
    readonly chainId: string,
  ) {}

  static async start(
    chainId: string,
    appState: Record<string, unknown>,
    consensusParams: RequestInitChain['consensusParams'],
  ) {
    const d = new Driver(await GoldenApp.open(), chainId);
    const req = RequestInitChain.fromPartial({
      time: { seconds: GENESIS_SECONDS, nanos: 0 },
      chainId,
      consensusParams,
      validators: [],
      appStateBytes: new TextEncoder().encode(JSON.stringify(appState)),
      initialHeight: 1n,
    });
    const res = d.golden.initChain(req);
    d.init = initRecord(req, res);
    const set = res.validators.map((v) => ({
      pubKey: v.pubKey!.ed25519!,
      address: validatorAddress(v.pubKey!.ed25519!),
      power: v.power,
    }));
    d.sets.set(1n, set);
    d.sets.set(2n, set);
    return d;
  }

  get app() {
    return this.golden.app;
  }

  /** Block time: one second per block, with a varying sub-second part (queues key on nanos too). */
  timeOf(height: bigint) {
    return { seconds: GENESIS_SECONDS + height, nanos: Number((height * 7_919n) % 1_000n) * 1_000_000 };
  }

  private setAt(height: bigint): Validator[] {
    for (let h = height; h >= 1n; h--) {
      const s = this.sets.get(h);
      if (s) return s;
    }
    return [];
  }

  async block(txs: Uint8Array[] = []): Promise<ExecTxResult[]> {
    const h = this.height + 1n;
    const genesisOrder = this.setAt(1n);
    const lastSet = h > 1n ? this.setAt(h - 1n) : [];
    const absent = new Set(
      this.absent(h).map((i) => Buffer.from(genesisOrder[i]?.address ?? []).toString('hex')),
    );
    const current = this.setAt(h);
    const proposer =
      current.length > 0 ? current[Number(h % BigInt(current.length))]!.address : new Uint8Array(20);
    const total = current.reduce((s, v) => s + v.power, 0n);
    const misbehavior: Misbehavior[] = this.misbehavior(h).flatMap(({ validator, type }) => {
      const v = genesisOrder[validator];
      if (!v || h < 3n) return [];
      return [
        {
          type,
          validator: { address: v.address, power: v.power },
          height: h - 2n,
          time: this.timeOf(h - 2n),
          totalVotingPower: total,
        },
      ];
    });
    const req = RequestFinalizeBlock.fromPartial({
      txs,
      decidedLastCommit: {
        round: 0,
        votes: lastSet.map((v) => ({
          validator: { address: v.address, power: v.power },
          blockIdFlag: absent.has(Buffer.from(v.address).toString('hex'))
            ? BlockIDFlag.BLOCK_ID_FLAG_ABSENT
            : BlockIDFlag.BLOCK_ID_FLAG_COMMIT,
        })),
      },
      misbehavior,
      hash: createHash('sha256').update(`golden-block-${h}`).digest(),
      height: h,
      time: this.timeOf(h),
      nextValidatorsHash: new Uint8Array(32),
      proposerAddress: proposer,
    });
    // A proposal ProcessProposal rejects is never committed: CometBFT moves to another round,
    // here an empty proposal. Recorded so the replay checks the rejection too.
    const rejected: Uint8Array[][] = [];
    let status = this.golden.processProposal(req, req.txs);
    if (status !== 'ACCEPT' && req.txs.length > 0) {
      rejected.push(req.txs);
      req.txs = [];
      status = this.golden.processProposal(req, req.txs);
    }
    let res: Awaited<ReturnType<GoldenApp['finalizeAndCommit']>>;
    try {
      res = await this.golden.finalizeAndCommit(req);
    } catch (e) {
      // Not a tx outcome but a chain halt: no recording can be made past it.
      throw new Error(`FinalizeBlock at height ${h} threw (a real chain would halt here): ${String(e)}`, {
        cause: e,
      });
    }
    this.height = h;
    this.inBlock.clear();
    this.blocks.push(blockRecord(req, res, true, status, rejected));
    if (res.validatorUpdates.length > 0) {
      const next = new Map(this.setAt(h + 1n).map((v) => [Buffer.from(v.pubKey).toString('hex'), v]));
      for (const u of res.validatorUpdates) {
        const pk = u.pubKey!.ed25519!;
        const k = Buffer.from(pk).toString('hex');
        if (u.power === 0n) next.delete(k);
        else next.set(k, { pubKey: pk, address: validatorAddress(pk), power: u.power });
      }
      this.sets.set(
        h + 2n,
        [...next.values()].sort((a, b) => Number(b.power - a.power)),
      );
    }
    return res.txResults;
  }

  async blocks_(n: number): Promise<void> {
    for (let i = 0; i < n; i++) await this.block();
  }

  /** Empty blocks until the chain's height is `height`. */
  async until(height: bigint | number): Promise<void> {
    while (this.height < BigInt(height)) await this.block();
  }

  query<Req, Res>(path: string, req: ProtoCodec<Req>, res: ProtoCodec<Res>, value: Req): Res | undefined {
    const r = this.app.query(RequestQuery.fromPartial({ path, data: req.encode(value).finish() }));
    return r.code === 0 ? res.decode(r.value) : undefined;
  }

  account(address: string): { accountNumber: bigint; sequence: bigint } {
    const r = this.query('/cosmos.auth.v1beta1.Query/Account', QueryAccountRequest, QueryAccountResponse, {
      address,
    });
    if (!r?.account) return { accountNumber: 0n, sequence: 0n };
    const a = BaseAccount.decode(r.account.value);
    return { accountNumber: a.accountNumber, sequence: a.sequence };
  }

  /** Signer spec at the committed sequence plus this block's earlier txs from the same key. */
  signer(key: TestKey, over: Partial<SignerSpec> = {}): SignerSpec {
    const a = this.account(key.address);
    const offset = this.inBlock.get(key.address) ?? 0n;
    return { key, sequence: a.sequence + offset, accountNumber: a.accountNumber, ...over };
  }

  /**
   * A tx signed by `key` (one signer), counted as passing ante for later txs of the same block;
   * `expectAnte: false` for txs meant to fail ante (they do not consume a sequence).
   */
  tx(
    key: TestKey,
    msgs: Any[],
    o: Partial<BuildOptions> & { expectAnte?: boolean; signerOver?: Partial<SignerSpec> } = {},
  ) {
    const spec = this.signer(key, o.signerOver);
    const bytes = buildTx({ chainId: this.chainId, gas: 400_000n, msgs, signers: [spec], ...o });
    if (o.expectAnte !== false) this.inBlock.set(key.address, (this.inBlock.get(key.address) ?? 0n) + 1n);
    return bytes;
  }

  /** A tx with several signers (each at its current sequence). */
  multiTx(keys: TestKey[], msgs: Any[], o: Partial<BuildOptions> = {}) {
    const signers = keys.map((k) => this.signer(k));
    return buildTx({ chainId: this.chainId, gas: 800_000n, msgs, signers, ...o });
  }

  async close(): Promise<void> {
    await this.golden.close();
  }
}
