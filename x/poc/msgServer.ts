// x/poc messages: MsgUpdateParams (authority = the governance module account).

import { assertAuthority } from '../../app/runtime/errors.js';
import type { MsgRouter } from '../../app/runtime/router.js';
import { MsgUpdateParams, MsgUpdateParamsResponse } from '../../proto/gen/gonka/poc/v1/tx.js';
import { typeUrl } from '../../proto/gonka/registry.js';
import * as ev from './events.js';
import type { PocKeeper } from './keeper.js';
import { validateMsgUpdateParams } from './msgs.js';
import { validatePocParams } from './params.js';

export const MSG_POC_UPDATE_PARAMS = typeUrl(MsgUpdateParams);

/** `authority`: the governance module account's address, the only signer MsgUpdateParams accepts. */
export function registerPocMsgs(msgs: MsgRouter, keeper: PocKeeper, authority: string): void {
  msgs.register({
    typeUrl: MSG_POC_UPDATE_PARAMS,
    request: MsgUpdateParams,
    responseTypeUrl: typeUrl(MsgUpdateParamsResponse),
    response: MsgUpdateParamsResponse,
    signers: (m) => [m.authority],
    validate: validateMsgUpdateParams,
    handle(ctx, m) {
      assertAuthority(authority, m.authority);
      keeper.setParams(ctx, validatePocParams(m.params));
      ctx.events.emit(ev.updateParams('poc'));
      return {};
    },
  });
}
