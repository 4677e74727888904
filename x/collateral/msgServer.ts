import { assertAuthority } from '../../app/runtime/errors.js';
import type { MsgRouter } from '../../app/runtime/router.js';
import type { StoreKey } from '../../app/runtime/storeKey.js';
import {
  MsgDepositCollateral,
  MsgDepositCollateralResponse,
  MsgUnjail,
  MsgUnjailResponse,
  MsgUpdateParams,
  MsgUpdateParamsResponse,
  MsgWithdrawCollateral,
  MsgWithdrawCollateralResponse,
} from '../../proto/gen/gonka/collateral/v1/tx.js';
import { typeUrl } from '../../proto/gonka/registry.js';
import { collateralErrors } from './errors.js';
import * as ev from './events.js';
import type { CollateralKeeper } from './keeper.js';
import {
  collateralAmount,
  validateMsgDepositCollateral,
  validateMsgUnjail,
  validateMsgUpdateParams,
  validateMsgWithdrawCollateral,
} from './msgs.js';
import { parseCollateralParams } from './params.js';
import { restartAllWindows, unjailValidator } from './slashing.js';

export { collateralAmount } from './msgs.js';

/** `authority`: the governance module account's address, the only signer MsgUpdateParams accepts. */
export function registerCollateralMsgs(
  msgs: MsgRouter,
  keeper: CollateralKeeper,
  store: StoreKey,
  authority: string,
): void {
  registerParticipantMsgs(msgs, keeper, store);
  registerParamsMsg(msgs, keeper, store, authority);
}

/** A participant's own messages: deposit, withdraw, unjail. */
function registerParticipantMsgs(msgs: MsgRouter, keeper: CollateralKeeper, store: StoreKey): void {
  msgs.register({
    typeUrl: typeUrl(MsgDepositCollateral),
    request: MsgDepositCollateral,
    responseTypeUrl: typeUrl(MsgDepositCollateralResponse),
    response: MsgDepositCollateralResponse,
    signers: (m) => [m.participant],
    validate: validateMsgDepositCollateral,
    handle(ctx, m) {
      keeper.deposit(ctx, m.participant, collateralAmount(m.amount));
      return {};
    },
  });

  msgs.register({
    typeUrl: typeUrl(MsgWithdrawCollateral),
    request: MsgWithdrawCollateral,
    responseTypeUrl: typeUrl(MsgWithdrawCollateralResponse),
    response: MsgWithdrawCollateralResponse,
    signers: (m) => [m.participant],
    validate: validateMsgWithdrawCollateral,
    handle: (ctx, m) => ({
      completionEpoch: keeper.withdraw(ctx, m.participant, collateralAmount(m.amount)),
    }),
  });

  msgs.register({
    typeUrl: typeUrl(MsgUnjail),
    request: MsgUnjail,
    responseTypeUrl: typeUrl(MsgUnjailResponse),
    response: MsgUnjailResponse,
    signers: (m) => [m.participant],
    validate: validateMsgUnjail,
    handle(ctx, m) {
      if (!keeper.validators) throw collateralErrors.notParticipant('no validator set is wired');
      unjailValidator(ctx, store, keeper, keeper.validators, m.participant);
      return {};
    },
  });
}

/** MsgUpdateParams, from the gov authority. */
function registerParamsMsg(
  msgs: MsgRouter,
  keeper: CollateralKeeper,
  store: StoreKey,
  authority: string,
): void {
  msgs.register({
    typeUrl: typeUrl(MsgUpdateParams),
    request: MsgUpdateParams,
    responseTypeUrl: typeUrl(MsgUpdateParamsResponse),
    response: MsgUpdateParamsResponse,
    signers: (m) => [m.authority],
    validate: validateMsgUpdateParams,
    handle(ctx, m) {
      assertAuthority(authority, m.authority);
      const before = keeper.parsedParams(ctx).signedBlocksWindow;
      const next = parseCollateralParams(m.params);
      keeper.setParams(ctx, m.params!);
      // Bitmap indexes are offset mod window: a new window starts every validator's count afresh.
      if (next.signedBlocksWindow !== before) restartAllWindows(ctx, store);
      ctx.events.emit(ev.updateParams());
      return {};
    },
  });
}
