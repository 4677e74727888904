// The CometBFT consensus params in force, kept in the consensus module's store so the app enforces
// what CometBFT enforces (block.max_gas) — also after a restart, since CometBFT hands the params
// to the app only in InitChain. Written at InitChain (the request's params, with any genesis
// update applied) and at the EndBlock that returns an update, so the value read at height H is
// the one CometBFT uses for block H. Read without gas: it is configuration, not tx work.
import { ConsensusParams } from 'cosmjs-types/tendermint/types/params';
import type { KVStore, MultiStore } from '../store/types.js';

/** The consensus module's store (and module) name. */
export const CONSENSUS_STORE = 'consensus';
/** 0x02 → the ConsensusParams in force (protobuf); absent = none known (no limits enforced). */
const CURRENT_KEY = Uint8Array.of(0x02);

/** `update` applied to `base` as CometBFT applies it: each section given replaces that section. */
export function mergeConsensusParams(
  base: ConsensusParams | undefined,
  update: ConsensusParams | undefined,
): ConsensusParams | undefined {
  if (!update) return base;
  const set = Object.fromEntries(Object.entries(update).filter(([, v]) => v !== undefined));
  return ConsensusParams.fromPartial({ ...(base ?? {}), ...set });
}

export function readConsensusParams(ms: MultiStore): ConsensusParams | undefined {
  if (!ms.storeNames().includes(CONSENSUS_STORE)) return undefined;
  return readConsensusParamsIn(ms.getStore(CONSENSUS_STORE));
}

/** The params in force, read from the consensus store itself. */
export function readConsensusParamsIn(kv: KVStore): ConsensusParams | undefined {
  const raw = kv.get(CURRENT_KEY);
  return raw ? ConsensusParams.decode(raw) : undefined;
}

export function writeConsensusParams(kv: KVStore, params: ConsensusParams): void {
  kv.set(CURRENT_KEY, ConsensusParams.encode(ConsensusParams.fromPartial(params)).finish());
}

/** Records the params at InitChain (no-op in an app without the consensus module). */
export function recordInitialConsensusParams(ms: MultiStore, params: ConsensusParams | undefined): void {
  if (!params || !ms.storeNames().includes(CONSENSUS_STORE)) return;
  writeConsensusParams(ms.getStore(CONSENSUS_STORE), params);
}

/** block.max_gas in force; ≤ 0 (or unknown) means no limit, as in CometBFT and the SDK. */
export function blockMaxGas(ms: MultiStore): bigint {
  return readConsensusParams(ms)?.block?.maxGas ?? -1n;
}
