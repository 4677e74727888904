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
import { addressBytes } from '../../app/runtime/address.js';
import { sdkErrors } from '../../app/runtime/errors.js';
import type { MsgRouter } from '../../app/runtime/router.js';
import { GOV_MODULE } from '../auth/keeper.js';
import { addCoins, coinsEqual, parseCoins, validateDenom } from './coins.js';
import { bankErrors } from './errors.js';
import * as ev from './events.js';
import type { BankAccountKeeper } from './expectedKeepers.js';
import type { BankKeeper } from './keeper.js';

export const MSG_SEND = '/cosmos.bank.v1beta1.MsgSend';
export const MSG_MULTI_SEND = '/cosmos.bank.v1beta1.MsgMultiSend';
export const MSG_UPDATE_PARAMS = '/cosmos.bank.v1beta1.MsgUpdateParams';
export const MSG_SET_SEND_ENABLED = '/cosmos.bank.v1beta1.MsgSetSendEnabled';

/** Outputs of one MultiSend; bounded so a tx cannot make a block do unbounded work. */
export const MAX_MULTISEND_OUTPUTS = 1000;

export function registerBankMsgs(msgs: MsgRouter, keeper: BankKeeper, auth: BankAccountKeeper): void {
  const blocked = (to: string) => {
    if (auth.isModuleAddress(to)) throw sdkErrors.unauthorized(`${to} is not allowed to receive funds`);
  };

  msgs.register({
    typeUrl: MSG_SEND,
    request: MsgSend,
    responseTypeUrl: '/cosmos.bank.v1beta1.MsgSendResponse',
    response: MsgSendResponse,
    signers: (m) => [m.fromAddress],
    validate(m) {
      addressBytes(m.fromAddress);
      addressBytes(m.toAddress);
      parseCoins(m.amount);
    },
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
    validate(m) {
      if (m.inputs.length === 0) throw bankErrors.noInputs();
      if (m.inputs.length !== 1) throw bankErrors.multipleSenders();
      if (m.outputs.length === 0) throw bankErrors.noOutputs();
      if (m.outputs.length > MAX_MULTISEND_OUTPUTS)
        throw sdkErrors.invalidRequest(`more than ${MAX_MULTISEND_OUTPUTS} outputs`);
      for (const io of [...m.inputs, ...m.outputs]) {
        addressBytes(io.address);
        parseCoins(io.coins);
      }
      const ins = addCoins(m.inputs.map((i) => parseCoins(i.coins)));
      const outs = addCoins(m.outputs.map((o) => parseCoins(o.coins)));
      if (!coinsEqual(ins, outs)) throw bankErrors.inputOutputMismatch();
    },
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

  const authority = () => auth.moduleAddress(GOV_MODULE);
  const checkAuthority = (a: string) => {
    if (a !== authority())
      throw sdkErrors.unauthorized(`invalid authority; expected ${authority()}, got ${a}`);
  };

  msgs.register({
    typeUrl: MSG_UPDATE_PARAMS,
    request: MsgUpdateParams,
    responseTypeUrl: '/cosmos.bank.v1beta1.MsgUpdateParamsResponse',
    response: MsgUpdateParamsResponse,
    signers: (m) => [m.authority],
    validate(m) {
      addressBytes(m.authority);
      const seen = new Set<string>();
      for (const s of m.params.sendEnabled) {
        validateDenom(s.denom);
        if (seen.has(s.denom)) throw bankErrors.duplicateEntry(`send_enabled for ${s.denom}`);
        seen.add(s.denom);
      }
    },
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
    validate(m) {
      addressBytes(m.authority);
      for (const s of m.sendEnabled) validateDenom(s.denom);
      for (const d of m.useDefaultFor) validateDenom(d);
    },
    handle(ctx, m) {
      checkAuthority(m.authority);
      for (const s of m.sendEnabled) keeper.setSendEnabled(ctx, s.denom, s.enabled);
      for (const d of m.useDefaultFor) keeper.deleteSendEnabled(ctx, d);
      return {};
    },
  });
}
