// x/collateral messages: deposit, withdraw (into the unbonding queue), unjail, MsgUpdateParams
// (authority = the governance module account).
import type { Coin } from 'cosmjs-types/cosmos/base/v1beta1/coin';
import { addressBytes, moduleAddress } from '../../app/runtime/address.js';
import { sdkErrors } from '../../app/runtime/errors.js';
import type { MsgRouter } from '../../app/runtime/router.js';
import {
  MsgDepositCollateral,
  MsgDepositCollateralResponse,
  MsgUnjail,
  MsgUnjailResponse,
  MsgUpdateParams,
  MsgUpdateParamsResponse,
  MsgWithdrawCollateral,
  MsgWithdrawCollateralResponse,
} from '../../proto/gonka/collateral/v1/codecs.js';
import { GOV_MODULE } from '../auth/keeper.js';
import { collateralErrors } from './errors.js';
import * as ev from './events.js';
import { COLLATERAL_DENOM, type CollateralKeeper } from './keeper.js';
import { parseCollateralParams } from './params.js';
import { restartAllWindows, unjailValidator } from './slashing.js';

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

  msgs.register({
    typeUrl: MsgUnjail.typeUrl,
    request: MsgUnjail,
    responseTypeUrl: MsgUnjailResponse.typeUrl,
    response: MsgUnjailResponse,
    signers: (m) => [m.participant],
    validate(m) {
      addressBytes(m.participant);
    },
    handle(ctx, m) {
      if (!keeper.validators) throw collateralErrors.notParticipant('no validator set is wired');
      unjailValidator(ctx, keeper, keeper.validators, m.participant);
      return {};
    },
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
      const before = keeper.parsedParams(ctx).signedBlocksWindow;
      const next = parseCollateralParams(m.params);
      keeper.setParams(ctx, m.params!);
      // Bitmap indexes are offset mod window: a new window starts every validator's count afresh.
      if (next.signedBlocksWindow !== before) restartAllWindows(ctx);
      ctx.events.emit(ev.updateParams());
      return {};
    },
  });
}
