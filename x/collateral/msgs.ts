// Stateless validation of x/collateral's messages (the SDK's ValidateBasic): addresses, the
// collateral coin and params, checked before any store access. msgServer.ts registers these as
// each message's `validate`; the authority check and everything that reads state stay there.
import type { Coin } from 'cosmjs-types/cosmos/base/v1beta1/coin';
import { addressBytes } from '../../app/runtime/address.js';
import type {
  MsgDepositCollateral,
  MsgUpdateParams,
  MsgWithdrawCollateral,
} from '../../proto/gen/gonka/collateral/v1/tx.js';
import { collateralErrors } from './errors.js';
import { COLLATERAL_DENOM } from './keeper.js';
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

export function validateMsgDepositCollateral(m: MsgDepositCollateral): void {
  addressBytes(m.participant);
  collateralAmount(m.amount);
}

export function validateMsgWithdrawCollateral(m: MsgWithdrawCollateral): void {
  addressBytes(m.participant);
  collateralAmount(m.amount);
}

export function validateMsgUnjail(m: { participant: string }): void {
  addressBytes(m.participant);
}

export function validateMsgUpdateParams(m: MsgUpdateParams): void {
  addressBytes(m.authority);
  parseCollateralParams(m.params);
}
