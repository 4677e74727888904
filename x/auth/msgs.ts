// Stateless validation of x/auth's messages (the SDK's ValidateBasic), checked before any store
// access; msgServer.ts registers it as the message's `validate` and checks the authority itself.
import { addressBytes } from '../../app/runtime/address.js';
import type { MsgUpdateParams } from '../../proto/gen/gonka/auth/v1/tx.js';
import { authParamsFromProto } from './params.js';

export function validateMsgUpdateParams(m: MsgUpdateParams): void {
  addressBytes(m.authority);
  authParamsFromProto(m.params);
}
