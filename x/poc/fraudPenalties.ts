// FraudPenalties (expectedKeepers.ts) over x/collateral and x/bank, built at wiring (app.ts): the
// 'poc_fraud' slash at slash_fraction_invalid, the jail, and the prover's reward paid from the
// governance account, which every slash credits.
import type { Context } from '../../app/runtime/context.js';
import type { FraudPenalties } from './expectedKeepers.js';

export const FRAUD_SLASH_REASON = 'poc_fraud';

interface Collateral {
  slashFraction(ctx: Context, reason: string): bigint;
  slash(
    ctx: Context,
    participant: string,
    fraction: bigint,
    reason: string,
  ): { fromActive: bigint; fromUnbonding: bigint };
  jailUntil(ctx: Context, participant: string, height: bigint): void;
}

interface Bank {
  sendCoins(
    ctx: Context,
    from: string,
    to: string,
    coins: readonly { denom: string; amount: bigint }[],
  ): void;
}

/** `governance`: the governance module account's address; `denom`: the collateral denom. */
export function fraudPenaltiesFrom(
  collateral: Collateral,
  bank: Bank,
  governance: string,
  denom: string,
  invalidReason: string,
): FraudPenalties {
  return {
    slashForFraud(ctx, participant) {
      const fraction = collateral.slashFraction(ctx, invalidReason);
      const r = collateral.slash(ctx, participant, fraction, FRAUD_SLASH_REASON);
      return r.fromActive + r.fromUnbonding;
    },
    jail: (ctx, participant, until) => collateral.jailUntil(ctx, participant, until),
    payFromGovernance: (ctx, to, amount) => bank.sendCoins(ctx, governance, to, [{ denom, amount }]),
  };
}
