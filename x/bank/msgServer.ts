// x/bank messages: MsgSend, MsgMultiSend (one input, as SDK v0.47+), MsgUpdateParams and
// MsgSetSendEnabled (authority = the governance module account).
import {
  MsgMultiSend,
  MsgMultiSendResponse,
  MsgSend,
  MsgSendResponse,
  MsgSetSendEnabled,
  MsgSetSendEnabledResponse,
  MsgUpdateParams,
  MsgUpdateParamsResponse,
} from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { parseCoins } from '../../app/runtime/coins.js';
import { assertAuthority, sdkErrors } from '../../app/runtime/errors.js';
import type { MsgRouter } from '../../app/runtime/router.js';
import * as ev from './events.js';
import type { BankAccountKeeper } from './expectedKeepers.js';
import type { BankKeeper } from './keeper.js';
import {
  validateMsgMultiSend,
  validateMsgSend,
  validateMsgSetSendEnabled,
  validateMsgUpdateParams,
} from './msgs.js';

export const MSG_SEND = '/cosmos.bank.v1beta1.MsgSend';
export const MSG_MULTI_SEND = '/cosmos.bank.v1beta1.MsgMultiSend';
export const MSG_UPDATE_PARAMS = '/cosmos.bank.v1beta1.MsgUpdateParams';
export const MSG_SET_SEND_ENABLED = '/cosmos.bank.v1beta1.MsgSetSendEnabled';

export { MAX_MULTISEND_OUTPUTS } from './msgs.js';

/** `authority`: the governance module account's address, the only signer MsgUpdateParams and MsgSetSendEnabled accept. */
export function registerBankMsgs(
  msgs: MsgRouter,
  keeper: BankKeeper,
  auth: BankAccountKeeper,
  authority: string,
): void {
  registerSends(msgs, keeper, auth);
  registerAuthorityMsgs(msgs, keeper, authority);
}

/** MsgSend and MsgMultiSend: module accounts never receive. */
function registerSends(msgs: MsgRouter, keeper: BankKeeper, auth: BankAccountKeeper): void {
  const blocked = (to: string) => {
    if (auth.isModuleAddress(to)) throw sdkErrors.unauthorized(`${to} is not allowed to receive funds`);
  };

  msgs.register({
    typeUrl: MSG_SEND,
    request: MsgSend,
    responseTypeUrl: '/cosmos.bank.v1beta1.MsgSendResponse',
    response: MsgSendResponse,
    signers: (m) => [m.fromAddress],
    validate: validateMsgSend,
    handle(ctx, m) {
      const coins = parseCoins(m.amount);
      keeper.assertSendEnabled(ctx, coins);
      blocked(m.toAddress);
      keeper.sendCoins(ctx, m.fromAddress, m.toAddress, coins);
      ctx.events.emit(ev.messageSender(m.fromAddress));
      return {};
    },
  });

  msgs.register({
    typeUrl: MSG_MULTI_SEND,
    request: MsgMultiSend,
    responseTypeUrl: '/cosmos.bank.v1beta1.MsgMultiSendResponse',
    response: MsgMultiSendResponse,
    signers: (m) => (m.inputs[0] ? [m.inputs[0].address] : []),
    validate: validateMsgMultiSend,
    handle(ctx, m) {
      const input = m.inputs[0]!;
      const inCoins = parseCoins(input.coins);
      keeper.assertSendEnabled(ctx, inCoins);
      const outputs = m.outputs.map((o) => {
        blocked(o.address);
        const coins = parseCoins(o.coins);
        keeper.assertSendEnabled(ctx, coins);
        return { address: o.address, coins };
      });
      keeper.inputOutputCoins(ctx, { address: input.address, coins: inCoins }, outputs);
      ctx.events.emit(ev.messageSender(input.address));
      return {};
    },
  });
}

/** The gov authority's messages: params and send-enabled flags. */
function registerAuthorityMsgs(msgs: MsgRouter, keeper: BankKeeper, authority: string): void {
  const checkAuthority = (a: string) => assertAuthority(authority, a);

  msgs.register({
    typeUrl: MSG_UPDATE_PARAMS,
    request: MsgUpdateParams,
    responseTypeUrl: '/cosmos.bank.v1beta1.MsgUpdateParamsResponse',
    response: MsgUpdateParamsResponse,
    signers: (m) => [m.authority],
    validate: validateMsgUpdateParams,
    handle(ctx, m) {
      checkAuthority(m.authority);
      keeper.setParams(ctx, m.params);
      return {};
    },
  });

  msgs.register({
    typeUrl: MSG_SET_SEND_ENABLED,
    request: MsgSetSendEnabled,
    responseTypeUrl: '/cosmos.bank.v1beta1.MsgSetSendEnabledResponse',
    response: MsgSetSendEnabledResponse,
    signers: (m) => [m.authority],
    validate: validateMsgSetSendEnabled,
    handle(ctx, m) {
      checkAuthority(m.authority);
      for (const s of m.sendEnabled) keeper.setSendEnabled(ctx, s.denom, s.enabled);
      for (const d of m.useDefaultFor) keeper.deleteSendEnabled(ctx, d);
      return {};
    },
  });
}
