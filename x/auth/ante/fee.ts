// The fee step: the fee meets the minimum gas price (sdk 13), its payer is a signer and an
// existing account, and it moves to the fee collector (sdk 5 when short).
import { coinsString, parseCoins } from '../../../app/runtime/coins.js';
import { mulCeil } from '../../../app/runtime/decimal.js';
import { AppError, sdkErrors } from '../../../app/runtime/errors.js';
import { event } from '../../../app/runtime/events.js';
import type { AnteDecorator } from '../../../app/runtime/tx.js';
import { FEE_COLLECTOR } from '../keeper.js';
import { FEE_DENOM } from '../params.js';
import type { AnteAccountKeeper, AnteBankKeeper } from './expectedKeepers.js';
import type { AnteRun } from './types.js';

export function deductFee(
  auth: Pick<AnteAccountKeeper, 'hasAccount'>,
  bank: AnteBankKeeper,
): AnteDecorator<AnteRun> {
  return (ctx, { tx, params }) => {
    const simulate = ctx.mode === 'simulate';
    const fee = tx.authInfo.fee!;
    const feeCoins = parseCoins(fee.amount, true);
    if (fee.granter) throw sdkErrors.notSupported('fee grants are not supported');
    const payer = fee.payer || tx.signers[0]!;
    if (!tx.signers.includes(payer)) throw sdkErrors.unauthorized(`fee payer ${payer} is not a signer`);
    if (!simulate) {
      const required = mulCeil(tx.gasLimit, params.minGasPrice);
      const paid = feeCoins.find((c) => c.denom === FEE_DENOM)?.amount ?? 0n;
      if (paid < required)
        throw sdkErrors.insufficientFee(
          `insufficient fees; got: ${coinsString(feeCoins) || `0${FEE_DENOM}`} required: ${required}${FEE_DENOM}`,
        );
    }
    if (!auth.hasAccount(ctx, payer))
      throw sdkErrors.unknownAddress(`fee payer address: ${payer} does not exist`);
    // Wallets simulate with an empty fee (CosmJS "auto"), then pay one: a simulation charges a
    // nominal 1 ngonka so the fee transfer's store gas is in the estimate, as it is in delivery.
    // Simulations never persist, so the nominal transfer moves nothing.
    const nominal = simulate && feeCoins.length === 0;
    const charged = nominal ? [{ denom: FEE_DENOM, amount: 1n }] : feeCoins;
    if (charged.length > 0) {
      try {
        bank.sendCoinsToModule(ctx, payer, FEE_COLLECTOR, charged);
      } catch (e) {
        const short = e instanceof AppError && sdkErrors.insufficientFunds.is(e);
        if (short && !nominal)
          throw sdkErrors.insufficientFunds(`${e.message}: insufficient funds to pay for fees`);
        if (!short) throw e;
      }
    }
    ctx.events.emit(
      event('tx', [
        ['fee', coinsString(feeCoins)],
        ['fee_payer', payer],
      ]),
    );
  };
}
