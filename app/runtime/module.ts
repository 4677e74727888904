// Modules and the manager that runs their lifecycle in a fixed order. A module owns at most one
// store, through the handle the app gave it at wiring; it registers its messages and queries, and may take part in genesis, block
// begin/end, and the proposal and vote-extension phases of ABCI 2.0.
import type {
  RequestExtendVote,
  RequestPrepareProposal,
  RequestProcessProposal,
  RequestVerifyVoteExtension,
} from 'cosmjs-types/tendermint/abci/types';
import type { Context } from './context.js';
import { runBlockHook } from './invariants.js';
import type { MsgRouter, QueryRouter } from './router.js';
import { MountedStores, type StoreKey } from './storeKey.js';

export interface ModuleServices {
  msgs: MsgRouter;
  queries: QueryRouter;
}

export interface AppModule {
  readonly name: string;
  /** The handle of the module's own store (named after the module); none for a storeless module. */
  readonly storeKey?: StoreKey;
  registerServices?(services: ModuleServices): void;
  /** The module's genesis JSON when none is given (what `gonkad init` writes). */
  defaultGenesis?(): unknown;
  /** Validates and writes the module's genesis (JSON value under app_state[name]; undefined = defaults). */
  initGenesis?(ctx: Context, genesis: unknown): void;
  /** Exports state as the same JSON shape initGenesis accepts, deterministic and canonical. */
  exportGenesis?(ctx: Context): unknown;
  beginBlock?(ctx: Context): void;
  /** Runs after all txs; validator and consensus-param updates go to ctx.effects. */
  endBlock?(ctx: Context): void;
  /** Invariants checked by tests and the simulation; return a message per broken invariant. */
  invariants?(ctx: Context): string[];
  /** Proposal hooks run on a read-only branch of the last committed state. */
  prepareProposal?(ctx: Context, req: RequestPrepareProposal, txs: Uint8Array[]): Uint8Array[];
  processProposal?(ctx: Context, req: RequestProcessProposal): boolean;
  /** At most one module may own vote extensions. ExtendVote must never block. */
  extendVote?(ctx: Context, req: RequestExtendVote): Uint8Array;
  verifyVoteExtension?(ctx: Context, req: RequestVerifyVoteExtension): boolean;
}

export interface ModuleOrder {
  initGenesis: string[];
  beginBlock: string[];
  endBlock: string[];
  exportGenesis: string[];
}

export class ModuleManager {
  readonly modules = new Map<string, AppModule>();
  readonly order: ModuleOrder;
  /** The modules' store handles: the only ones a Context built for this app accepts. */
  readonly stores: MountedStores;

  constructor(modules: AppModule[], order?: Partial<ModuleOrder>) {
    for (const m of modules) {
      if (this.modules.has(m.name)) throw new Error(`module ${m.name} registered twice`);
      this.modules.set(m.name, m);
    }
    const names = modules.map((m) => m.name);
    this.stores = new MountedStores(modules.flatMap((m) => (m.storeKey ? [m.storeKey] : [])));
    this.order = {
      initGenesis: order?.initGenesis ?? names,
      beginBlock: order?.beginBlock ?? names,
      endBlock: order?.endBlock ?? names,
      exportGenesis: order?.exportGenesis ?? order?.initGenesis ?? names,
    };
    for (const [phase, list] of Object.entries(this.order) as [string, string[]][]) {
      for (const n of list)
        if (!this.modules.has(n)) throw new Error(`${phase} order names unknown module ${n}`);
      if (new Set(list).size !== names.length)
        throw new Error(`${phase} order must list every module exactly once`);
    }
    const voteOwners = modules.filter((m) => m.extendVote || m.verifyVoteExtension);
    if (voteOwners.length > 1) throw new Error('at most one module may own vote extensions');
  }

  storeNames(): string[] {
    return this.stores.names();
  }

  registerServices(services: ModuleServices): void {
    for (const m of this.modules.values()) m.registerServices?.(services);
  }

  initGenesis(ctx: Context, appState: Record<string, unknown>): void {
    for (const key of Object.keys(appState)) {
      if (!this.modules.has(key)) throw new Error(`genesis app_state has unknown module '${key}'`);
    }
    for (const n of this.order.initGenesis) this.get(n).initGenesis?.(ctx, appState[n]);
  }

  exportGenesis(ctx: Context): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const n of this.order.exportGenesis) {
      const m = this.get(n);
      if (m.exportGenesis) out[n] = m.exportGenesis(ctx);
    }
    return out;
  }

  /** An exception from a module's hook is an InvariantBreach naming that module. */
  beginBlock(ctx: Context): void {
    for (const n of this.order.beginBlock) {
      const m = this.get(n);
      if (m.beginBlock) runBlockHook(n, 'begin_block', () => m.beginBlock!(ctx));
    }
  }

  endBlock(ctx: Context): void {
    for (const n of this.order.endBlock) {
      const m = this.get(n);
      if (m.endBlock) runBlockHook(n, 'end_block', () => m.endBlock!(ctx));
    }
  }

  invariants(ctx: Context): string[] {
    return [...this.modules.values()].flatMap((m) =>
      m.invariants ? m.invariants(ctx).map((s) => `${m.name}: ${s}`) : [],
    );
  }

  prepareProposal(ctx: Context, req: RequestPrepareProposal): Uint8Array[] {
    let txs = req.txs;
    for (const m of this.modules.values()) if (m.prepareProposal) txs = m.prepareProposal(ctx, req, txs);
    return txs;
  }

  processProposal(ctx: Context, req: RequestProcessProposal): boolean {
    for (const m of this.modules.values())
      if (m.processProposal && !m.processProposal(ctx, req)) return false;
    return true;
  }

  extendVote(ctx: Context, req: RequestExtendVote): Uint8Array {
    for (const m of this.modules.values()) if (m.extendVote) return m.extendVote(ctx, req);
    return new Uint8Array(0);
  }

  verifyVoteExtension(ctx: Context, req: RequestVerifyVoteExtension): boolean {
    for (const m of this.modules.values()) if (m.verifyVoteExtension) return m.verifyVoteExtension(ctx, req);
    // Without an owner, only the empty extension is well-formed.
    return req.voteExtension.length === 0;
  }

  private get(name: string): AppModule {
    return this.modules.get(name)!;
  }
}
