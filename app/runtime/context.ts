// The execution context handed to module code: the block header, the (branched) state, a gas
// meter that every store access is charged to, and the events emitted so far. Keepers take a
// Context and never await.
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import type { Misbehavior, VoteInfo } from 'cosmjs-types/tendermint/abci/types';
import { EventManager } from './events.js';
import { GasKVStore, GasMeter } from './gas.js';
import type { KVStore, MultiStore } from './store/types.js';

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
}

export class Context {
  private readonly views = new Map<string, KVStore>();

  constructor(
    readonly mode: ExecMode,
    readonly header: BlockHeader,
    readonly ms: MultiStore,
    readonly gasMeter: GasMeter = new GasMeter(),
    readonly events: EventManager = new EventManager(),
    readonly effects: BlockEffects = {},
    /**
     * CometBFT's block.max_gas in force for this block (the last committed consensus params);
     * ≤ 0 means no limit, as in the SDK. Ante refuses a tx asking for more (sdk 41).
     */
    readonly blockMaxGas: bigint = -1n,
  ) {}

  /** A module's store, metered by this context's gas meter. */
  kv(storeName: string): KVStore {
    let view = this.views.get(storeName);
    if (!view) {
      view = new GasKVStore(this.ms.getStore(storeName), this.gasMeter);
      this.views.set(storeName, view);
    }
    return view;
  }

  /** The same block, on another store branch, with its own gas meter and events. */
  with(ms: MultiStore, gasMeter: GasMeter = this.gasMeter, events = new EventManager()): Context {
    return new Context(this.mode, this.header, ms, gasMeter, events, this.effects, this.blockMaxGas);
  }

  /** Block time in whole seconds (the only clock consensus code may read). */
  blockTimeSeconds(): bigint {
    return this.header.time.seconds;
  }
}
