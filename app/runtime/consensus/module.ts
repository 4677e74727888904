// `/cosmos.consensus.v1.MsgUpdateParams` (authority = the governance module account): CometBFT
// consensus params change only through governance, and the runtime alone returns
// consensus_param_updates (DESIGN.md §2). The handler stages the update in this module's store —
// so a failing tx or proposal discards it with its branch — and EndBlock moves it to
// ctx.effects and into the params in force (params.ts), which the runtime enforces from the next
// block on — when CometBFT applies them. This module must come after every module that can execute
// messages in EndBlock (governance), so a proposal's update leaves in the same block.
import { MsgUpdateParams, MsgUpdateParamsResponse } from 'cosmjs-types/cosmos/consensus/v1/tx';
import { ConsensusParams } from 'cosmjs-types/tendermint/types/params';
import { addressBytes } from '../address.js';
import type { Context } from '../context.js';
import { assertAuthority } from '../errors.js';
import { event } from '../events.js';
import type { AppModule } from '../module.js';
import type { StoreKey } from '../storeKey.js';
import {
  CONSENSUS_STORE,
  mergeConsensusParams,
  readConsensusParamsIn,
  writeConsensusParams,
} from './params.js';
import { consensusParamsFromMsg } from './validate.js';

export const CONSENSUS_MODULE = CONSENSUS_STORE;
export const MSG_CONSENSUS_UPDATE_PARAMS = '/cosmos.consensus.v1.MsgUpdateParams';
/** 0x01 → the ConsensusParams update staged in this block (protobuf); empty between blocks. */
const PENDING_KEY = Uint8Array.of(0x01);

function stage(ctx: Context, key: StoreKey, update: ConsensusParams): void {
  const kv = ctx.kv(key);
  const raw = kv.get(PENDING_KEY);
  // Two updates in one block: later sections replace earlier ones, as CometBFT applies them.
  const merged = raw ? mergeConsensusParams(ConsensusParams.decode(raw), update)! : update;
  kv.set(PENDING_KEY, ConsensusParams.encode(ConsensusParams.fromPartial(merged)).finish());
}

/**
 * `key`: the consensus store's handle (named CONSENSUS_STORE); `authority`: the one address whose
 * MsgUpdateParams is accepted (the governance module account), given at wiring so the runtime
 * names no module.
 */
export function consensusModule(key: StoreKey, authority: string): AppModule {
  if (key.name !== CONSENSUS_STORE) throw new Error(`the consensus module's store is '${CONSENSUS_STORE}'`);
  return {
    name: CONSENSUS_MODULE,
    storeKey: key,
    registerServices({ msgs }) {
      msgs.register({
        typeUrl: MSG_CONSENSUS_UPDATE_PARAMS,
        request: MsgUpdateParams,
        responseTypeUrl: '/cosmos.consensus.v1.MsgUpdateParamsResponse',
        response: MsgUpdateParamsResponse,
        signers: (m) => [m.authority],
        validate(m) {
          addressBytes(m.authority);
          consensusParamsFromMsg(m);
        },
        handle(ctx, m) {
          assertAuthority(authority, m.authority);
          stage(ctx, key, consensusParamsFromMsg(m));
          ctx.events.emit(event('update_consensus_params', [['authority', m.authority]]));
          return {};
        },
      });
    },
    endBlock(ctx) {
      const kv = ctx.kv(key);
      const raw = kv.get(PENDING_KEY);
      if (!raw) return;
      kv.delete(PENDING_KEY);
      const update = ConsensusParams.decode(raw);
      ctx.effects.consensusParamUpdates = update;
      const current = mergeConsensusParams(readConsensusParamsIn(ctx.kvUnmetered(key)), update);
      if (current) writeConsensusParams(kv, current);
    },
  };
}
