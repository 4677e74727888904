// x/auth messages: MsgUpdateParams (authority = the governance module account), so min_gas_price,
// max_tx_bytes and the signature and gas limits change by proposal rather than only at genesis.
import { sdkErrors } from '../../app/runtime/errors.js';
import type { MsgRouter } from '../../app/runtime/router.js';
import { MsgUpdateParams, MsgUpdateParamsResponse } from '../../proto/gonka/auth/v1/codecs.js';
import { addressBytes, moduleAddress } from './address.js';
import * as ev from './events.js';
import { type AuthKeeper, GOV_MODULE } from './keeper.js';
import { authParamsFromProto } from './params.js';

export const MSG_AUTH_UPDATE_PARAMS = MsgUpdateParams.typeUrl;

export function registerAuthMsgs(msgs: MsgRouter, keeper: AuthKeeper): void {
  const authority = moduleAddress(GOV_MODULE);
  msgs.register({
    typeUrl: MSG_AUTH_UPDATE_PARAMS,
    request: MsgUpdateParams,
    responseTypeUrl: MsgUpdateParamsResponse.typeUrl,
    response: MsgUpdateParamsResponse,
    signers: (m) => [m.authority],
    validate(m) {
      addressBytes(m.authority);
      authParamsFromProto(m.params);
    },
    handle(ctx, m) {
      if (m.authority !== authority)
        throw sdkErrors.unauthorized(`invalid authority; expected ${authority}, got ${m.authority}`);
      keeper.setParams(ctx, authParamsFromProto(m.params));
      ctx.events.emit(ev.updateParams());
      return {};
    },
  });
}
