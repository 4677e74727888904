// In-process chain for the x/poc, x/collateral and consensus-param tests: the production app on a
// real persistent store, genesis participants with chosen weights (operators = funded test keys,
// consensus keys = deterministic 32-byte ed25519 stand-ins), and blocks driven through FinalizeBlock
// + Commit. A fixture module runs per-height actions inside a block (after x/poc's BeginBlock), so
// tests can call keepers (slash, jail, next weights) or run messages as the governance authority.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import {
  RequestFinalizeBlock,
  RequestQuery,
  type ResponseFinalizeBlock,
  type ResponseInitChain,
} from 'cosmjs-types/tendermint/abci/types';
import { pino } from 'pino';
import { type AppExtensions, appStoreNames, createApp, defaultAppState } from '../../app/app.js';
import { moduleAddress } from '../../app/runtime/address.js';
import type { BaseApp } from '../../app/runtime/baseApp.js';
import { Context } from '../../app/runtime/context.js';
import type { ProtoCodec } from '../../app/runtime/router.js';
import { PersistentMultiStore } from '../../app/runtime/store/index.js';
import type { BankKeeper } from '../../x/bank/keeper.js';
import type { CollateralKeeper } from '../../x/collateral/keeper.js';
import { GOV_MODULE } from '../../x/governance/keys.js';
import type { PocKeeper } from '../../x/poc/keeper.js';
import { CHAIN_ID, DENOM, signTx, TestKey } from './tx-harness.js';

export const GOV_ADDRESS = moduleAddress(GOV_MODULE);
export type BlockAction = (ctx: Context, chain: PocChain) => void;

/** The block hash the in-process chain gives block `h` (SHA-256 of its height). */
export const blockHash = (h: bigint) => createHash('sha256').update(`block-${h}`).digest();

export const consensusKey = (i: number) => createHash('sha256').update(`consensus-${i}`).digest();

export interface PocChainOptions {
  weights: number[];
  /** Extra funded accounts that are not participants. */
  extraAccounts?: number;
  balance?: bigint;
  epochLength?: number;
  appState?: (s: Record<string, any>) => void;
}

export class PocChain {
  height = 0n;
  readonly actions = new Map<bigint, BlockAction[]>();
  readonly sequences = new Map<string, bigint>();
  initChain!: ResponseInitChain;

  private constructor(
    readonly app: BaseApp,
    readonly store: PersistentMultiStore,
    readonly dir: string,
    readonly keys: TestKey[],
  ) {}

  /** A fresh chain initialized from a full app_state (a genesis export, for round trips). */
  static async fromAppState(state: Record<string, unknown>): Promise<PocChain> {
    return PocChain.create({ weights: [], rawAppState: state });
  }

  static async create(o: PocChainOptions & { rawAppState?: Record<string, unknown> }): Promise<PocChain> {
    let chain: PocChain | undefined;
    const ext: AppExtensions = {
      modules: [
        () => ({
          name: 'testactions',
          beginBlock: (ctx) => {
            for (const a of chain!.actions.get(ctx.header.height) ?? []) a(ctx, chain!);
          },
        }),
      ],
    };
    const dir = mkdtempSync(join(tmpdir(), 'gonka-poctest-'));
    const store = await PersistentMultiStore.open(dir, appStoreNames(ext), { keepRecent: 5 });
    const app = createApp(store, pino({ level: 'silent' }), 'test', ext);
    const n = o.weights.length + (o.extraAccounts ?? 0);
    const keys = Array.from({ length: n }, (_, i) => TestKey.fromSeed(`poc-acct-${i}`));
    const state = (o.rawAppState ?? defaultAppState()) as Record<string, any>;
    if (!o.rawAppState)
      state.bank.balances = keys.map((k) => ({
        address: k.address,
        coins: [{ denom: DENOM, amount: String(o.balance ?? 1_000_000_000n) }],
      }));
    if (!o.rawAppState) {
      state.poc.params.epoch_length = String(o.epochLength ?? 8);
      state.poc.participants = o.weights.map((w, i) => ({
        address: keys[i]!.address,
        consensus_pubkey: consensusKey(i).toString('base64'),
        weight: String(w),
      }));
    }
    o.appState?.(state);
    chain = new PocChain(app, store, dir, keys);
    try {
      chain.initChain = app.initChain({
        time: { seconds: 1_700_000_000n, nanos: 0 },
        chainId: CHAIN_ID,
        validators: [],
        appStateBytes: new TextEncoder().encode(JSON.stringify(state)),
        initialHeight: 1n,
      });
    } catch (e) {
      await chain.close(); // a refused genesis (tests of import checks) leaves no store behind
      throw e;
    }
    app.setChainId(CHAIN_ID);
    return chain;
  }

  get poc(): PocKeeper {
    return (this.app.modules.modules.get('poc') as unknown as { keeper: PocKeeper }).keeper;
  }
  get collateral(): CollateralKeeper {
    return (this.app.modules.modules.get('collateral') as unknown as { keeper: CollateralKeeper }).keeper;
  }
  get bank(): BankKeeper {
    return (this.app.modules.modules.get('bank') as unknown as { keeper: BankKeeper }).keeper;
  }

  /** Runs `action` inside block `height` (after x/poc's BeginBlock). */
  at(height: bigint | number, action: BlockAction): void {
    const h = BigInt(height);
    this.actions.set(h, [...(this.actions.get(h) ?? []), action]);
  }

  /** `consensus`: what CometBFT reports about validators (misbehavior, decided_last_commit). */
  async block(
    txs: Uint8Array[] = [],
    consensus: Pick<Partial<RequestFinalizeBlock>, 'misbehavior' | 'decidedLastCommit'> = {},
  ): Promise<ResponseFinalizeBlock> {
    this.height += 1n;
    const res = this.app.finalizeBlock(
      RequestFinalizeBlock.fromPartial({
        height: this.height,
        time: { seconds: 1_700_000_000n + this.height, nanos: 0 },
        txs,
        // A distinct hash per height, as CometBFT's: the Sprint's seed and validation hash.
        hash: blockHash(this.height),
        ...consensus,
      }),
    );
    await this.app.commit();
    return res;
  }

  /** Blocks up to and including `height`; returns each block's response by height. */
  async runTo(height: bigint | number): Promise<Map<bigint, ResponseFinalizeBlock>> {
    const out = new Map<bigint, ResponseFinalizeBlock>();
    while (this.height < BigInt(height)) {
      const r = await this.block();
      out.set(this.height, r);
    }
    return out;
  }

  /** A signed tx from key `i` (account numbers follow genesis order; sequences tracked here). */
  tx(i: number, msgs: Any[], gas = 300_000n): Uint8Array {
    const key = this.keys[i]!;
    const seq = this.sequences.get(key.address) ?? 0n;
    this.sequences.set(key.address, seq + 1n);
    const accountNumber = this.accountNumber(key.address);
    return signTx(key, { msgs, sequence: seq, accountNumber, gas });
  }

  accountNumber(address: string): bigint {
    const view = this.app.modules.modules.get('auth') as unknown as {
      keeper: { getAccount(ctx: Context, a: string): { base: { accountNumber: bigint } } | undefined };
    };
    let n = 0n;
    this.read((ctx) => {
      n = view.keeper.getAccount(ctx, address)!.base.accountNumber;
    });
    return n;
  }

  /** Reads the committed state through a query-mode context. */
  read<T>(f: (ctx: Context) => T): T {
    const header = {
      chainId: CHAIN_ID,
      height: this.height,
      time: { seconds: 0n, nanos: 0 },
      hash: new Uint8Array(0),
      proposerAddress: new Uint8Array(0),
    };
    return f(new Context('query', header, this.store.branchAt(), this.app.modules.stores));
  }

  query<Req, Res>(path: string, reqCodec: ProtoCodec<Req>, resCodec: ProtoCodec<Res>, req: Req): Res {
    const r = this.app.query(RequestQuery.fromPartial({ path, data: reqCodec.encode(req).finish() }));
    if (r.code !== 0) throw new Error(`query ${path} failed with code ${r.code}: ${r.log}`);
    return resCodec.decode(r.value);
  }

  balance(address: string): bigint {
    return this.read((ctx) => this.bank.balance(ctx, address, DENOM));
  }

  supply(): bigint {
    return this.read((ctx) => this.bank.supplyOf(ctx, DENOM));
  }

  invariants(): string[] {
    return this.app.checkInvariants();
  }

  async close(): Promise<void> {
    await this.store.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Runs a message's handler as the governance authority inside a block (what a passed proposal does). */
export function runAsAuthority(chain: PocChain, ctx: Context, typeUrl: string, value: Uint8Array): void {
  const { route, msg } = chain.app.msgs.decodeAny({ typeUrl, value });
  route.validate?.(msg);
  route.handle(ctx, msg);
}
