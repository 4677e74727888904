// x/collateral messages: deposit, withdraw (into the unbonding queue), MsgUpdateParams
// (authority = the governance module account).
import type { Coin } from 'cosmjs-types/cosmos/base/v1beta1/coin';
import { sdkErrors } from '../../app/runtime/errors.js';
import type { MsgRouter } from '../../app/runtime/router.js';
import {
  MsgDepositCollateral,
  MsgDepositCollateralResponse,
  MsgUpdateParams,
  MsgUpdateParamsResponse,
  MsgWithdrawCollateral,
  MsgWithdrawCollateralResponse,
} from '../../proto/gonka/collateral/v1/codecs.js';
import { addressBytes, moduleAddress } from '../auth/address.js';
import { GOV_MODULE } from '../auth/keeper.js';
import { collateralErrors } from './errors.js';
import * as ev from './events.js';
import { COLLATERAL_DENOM, type CollateralKeeper } from './keeper.js';
import { parseCollateralParams } from './params.js';

/** The amount of a collateral coin: ngonka, a positive integer. */
export function collateralAmount(coin: Coin | undefined): bigint {
  if (!coin) throw collateralErrors.invalidAmount('amount must be set');
  if (coin.denom !== COLLATERAL_DENOM)
    throw collateralErrors.invalidDenom(`collateral is ${COLLATERAL_DENOM}, got '${coin.denom}'`);
  if (!/^\d{1,30}$/.test(coin.amount))
    throw collateralErrors.invalidAmount(`'${coin.amount}' is not a non-negative integer`);
  const amount = BigInt(coin.amount);
  if (amount === 0n) throw collateralErrors.invalidAmount('amount must be positive');
  return amount;
}

export function registerCollateralMsgs(msgs: MsgRouter, keeper: CollateralKeeper): void {
  msgs.register({
    typeUrl: MsgDepositCollateral.typeUrl,
    request: MsgDepositCollateral,
    responseTypeUrl: MsgDepositCollateralResponse.typeUrl,
    response: MsgDepositCollateralResponse,
    signers: (m) => [m.participant],
    validate(m) {
      addressBytes(m.participant);
      collateralAmount(m.amount);
    },
    handle(ctx, m) {
      keeper.deposit(ctx, m.participant, collateralAmount(m.amount));
      return {};
    },
  });

  msgs.register({
    typeUrl: MsgWithdrawCollateral.typeUrl,
    request: MsgWithdrawCollateral,
    responseTypeUrl: MsgWithdrawCollateralResponse.typeUrl,
    response: MsgWithdrawCollateralResponse,
    signers: (m) => [m.participant],
    validate(m) {
      addressBytes(m.participant);
      collateralAmount(m.amount);
    },
    handle: (ctx, m) => ({
      completionEpoch: keeper.withdraw(ctx, m.participant, collateralAmount(m.amount)),
    }),
  });

  const authority = moduleAddress(GOV_MODULE);
  msgs.register({
    typeUrl: MsgUpdateParams.typeUrl,
    request: MsgUpdateParams,
    responseTypeUrl: MsgUpdateParamsResponse.typeUrl,
    response: MsgUpdateParamsResponse,
    signers: (m) => [m.authority],
    validate(m) {
      addressBytes(m.authority);
      parseCollateralParams(m.params);
    },
    handle(ctx, m) {
      if (m.authority !== authority)
        throw sdkErrors.unauthorized(`invalid authority; expected ${authority}, got ${m.authority}`);
      parseCollateralParams(m.params);
      keeper.setParams(ctx, m.params!);
      ctx.events.emit(ev.updateParams());
      return {};
    },
  });
}
