// Stateless validation of x/bank's messages (the SDK's ValidateBasic): addresses, coins, denoms
// and bounds, checked before any store access. msgServer.ts registers these as each message's
// `validate`; the authority and send-enabled checks need state and stay in its handlers.
import type {
  MsgMultiSend,
  MsgSend,
  MsgSetSendEnabled,
  MsgUpdateParams,
} from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { addressBytes } from '../../app/runtime/address.js';
import { addCoins, coinsEqual, parseCoins, validateDenom } from '../../app/runtime/coins.js';
import { sdkErrors } from '../../app/runtime/errors.js';
import { bankErrors } from './errors.js';

/** Outputs of one MultiSend; bounded so a tx cannot make a block do unbounded work. */
export const MAX_MULTISEND_OUTPUTS = 1000;

export function validateMsgSend(m: MsgSend): void {
  addressBytes(m.fromAddress);
  addressBytes(m.toAddress);
  parseCoins(m.amount);
}

export function validateMsgMultiSend(m: MsgMultiSend): void {
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
}

export function validateMsgUpdateParams(m: MsgUpdateParams): void {
  addressBytes(m.authority);
  const seen = new Set<string>();
  for (const s of m.params.sendEnabled) {
    validateDenom(s.denom);
    if (seen.has(s.denom)) throw bankErrors.duplicateEntry(`send_enabled for ${s.denom}`);
    seen.add(s.denom);
  }
}

export function validateMsgSetSendEnabled(m: MsgSetSendEnabled): void {
  addressBytes(m.authority);
  for (const s of m.sendEnabled) validateDenom(s.denom);
  for (const d of m.useDefaultFor) validateDenom(d);
}
