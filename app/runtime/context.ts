// The execution context handed to module code: the block header, the (branched) state, a gas
// meter that every store access is charged to, and the events emitted so far. Keepers take a
// Context and never await.
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import type { Misbehavior, VoteInfo } from 'cosmjs-types/tendermint/abci/types';
import { EventManager } from './events.js';
import { GasKVStore, GasMeter } from './gas.js';
import type { KVStore, MultiStore } from './store/types.js';
import type { MountedStores, StoreKey } from './storeKey.js';

/** Why code is running: CheckTx (new or recheck), Simulate, block execution, genesis, or a query. */
export type ExecMode =
  | 'check'
  | 'recheck'
  | 'simulate'
  | 'finalize'
  | 'genesis'
  | 'prepare'
  | 'process'
  | 'vote'
  | 'query';

export interface BlockHeader {
  chainId: string;
  height: bigint;
  time: Timestamp;
  /** Hash of the block being executed (RequestFinalizeBlock.hash); empty outside FinalizeBlock. */
  hash: Uint8Array;
  proposerAddress: Uint8Array;
  /** FinalizeBlock only: what CometBFT decided about the validators (x/collateral's evidence and liveness). */
  consensusInfo?: BlockConsensusInfo;
}

/**
 * RequestFinalizeBlock's `misbehavior` and `decided_last_commit.votes`, as CometBFT sent them. They
 * come from our own CometBFT but are unbounded lists: their consumer bounds them by the validator
 * count before working on them.
 */
export interface BlockConsensusInfo {
  misbehavior: readonly Misbehavior[];
  lastCommitVotes: readonly VoteInfo[];
}

/** Effects of a block that only the runtime turns into ABCI response fields. */
export interface BlockEffects {
  validatorUpdates?: { pubKeyEd25519: Uint8Array; power: bigint }[];
  consensusParamUpdates?: import('cosmjs-types/tendermint/types/params').ConsensusParams;
  /** Set when a participant was jailed or unjailed in this block: x/poc sends the changed powers at EndBlock. */
  jailChanged?: boolean;
  /**
   * x/poc fraud proofs recomputed in this block (param fraud_proofs_per_block bounds it). Kept here,
   * not in the store, because the count must survive a tx that fails after recomputing (an honest
   * leaf, poc 25): a store write would be reverted with the tx.
   */
  fraudProofs?: number;
}

export class Context {
  private readonly views = new Map<StoreKey, KVStore>();

  constructor(
    readonly mode: ExecMode,
    readonly header: BlockHeader,
    /** The state; never handed out: module code reaches it only through its own store handle. */
    private readonly ms: MultiStore,
    /** The handles the app mounted: kv() accepts these and no others. */
    private readonly stores: MountedStores,
    readonly gasMeter: GasMeter = new GasMeter(),
    readonly events: EventManager = new EventManager(),
    readonly effects: BlockEffects = {},
    /**
     * CometBFT's block.max_gas in force for this block (the last committed consensus params);
     * ≤ 0 means no limit, as in the SDK. Ante refuses a tx asking for more (sdk 41).
     */
    readonly blockMaxGas: bigint = -1n,
  ) {}

  /** The store of `key`'s owner, metered by this context's gas meter. */
  kv(key: StoreKey): KVStore {
    let view = this.views.get(key);
    if (!view) {
      this.stores.check(key);
      view = new GasKVStore(this.ms.getStore(key.name), this.gasMeter);
      this.views.set(key, view);
    }
    return view;
  }

  /** The same store without gas: for reads that are not tx work (assertions, configuration). */
  kvUnmetered(key: StoreKey): KVStore {
    this.stores.check(key);
    return this.ms.getStore(key.name);
  }

  /** The same block and state with another gas meter and its own events. */
  withGasMeter(gasMeter: GasMeter, events = new EventManager()): Context {
    return this.on(this.ms, gasMeter, events);
  }

  /**
   * A cache branch of this context's state, with its own events (and `gasMeter`, this one's by
   * default): its writes reach this state only when `write()` is called.
   */
  branch(gasMeter: GasMeter = this.gasMeter): { ctx: Context; write(): void } {
    const branch = this.ms.branch();
    return { ctx: this.on(branch, gasMeter, new EventManager()), write: () => branch.write() };
  }

  /** Block time in whole seconds (the only clock consensus code may read). */
  blockTimeSeconds(): bigint {
    return this.header.time.seconds;
  }

  private on(ms: MultiStore, gasMeter: GasMeter, events: EventManager): Context {
    return new Context(
      this.mode,
      this.header,
      ms,
      this.stores,
      gasMeter,
      events,
      this.effects,
      this.blockMaxGas,
    );
  }
}
