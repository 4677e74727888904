// x/auth messages: MsgUpdateParams (authority = the governance module account), so min_gas_price,
// max_tx_bytes and the signature and gas limits change by proposal rather than only at genesis.
import { assertAuthority } from '../../app/runtime/errors.js';
import type { MsgRouter } from '../../app/runtime/router.js';
import { MsgUpdateParams, MsgUpdateParamsResponse } from '../../proto/gen/gonka/auth/v1/tx.js';
import { typeUrl } from '../../proto/gonka/registry.js';
import * as ev from './events.js';
import type { AuthKeeper } from './keeper.js';
import { validateMsgUpdateParams } from './msgs.js';
import { authParamsFromProto } from './params.js';

export const MSG_AUTH_UPDATE_PARAMS = typeUrl(MsgUpdateParams);

/** `authority`: the governance module account's address, the only signer MsgUpdateParams accepts. */
export function registerAuthMsgs(msgs: MsgRouter, keeper: AuthKeeper, authority: string): void {
  msgs.register({
    typeUrl: MSG_AUTH_UPDATE_PARAMS,
    request: MsgUpdateParams,
    responseTypeUrl: typeUrl(MsgUpdateParamsResponse),
    response: MsgUpdateParamsResponse,
    signers: (m) => [m.authority],
    validate: validateMsgUpdateParams,
    handle(ctx, m) {
      assertAuthority(authority, m.authority);
      keeper.setParams(ctx, authParamsFromProto(m.params));
      ctx.events.emit(ev.updateParams());
      return {};
    },
  });
}
