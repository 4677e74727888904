// The simulation's operations for the production modules: bank sends and multisends, collateral
// deposits and withdrawals, governance proposals, deposits and votes — each a real signed Cosmos
// tx, some of them meant to fail (over-spending, over-withdrawing, votes on closed proposals), so
// failure paths are exercised too. Operations are drawn from the seeded PRNG only.
import { createHash } from 'node:crypto';
import { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { QueryAccountRequest, QueryAccountResponse } from 'cosmjs-types/cosmos/auth/v1beta1/query';
import { MsgUpdateParams as BankMsgUpdateParams } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { VoteOption } from 'cosmjs-types/cosmos/gov/v1/gov';
import { MsgDeposit } from 'cosmjs-types/cosmos/gov/v1/tx';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { RequestQuery } from 'cosmjs-types/tendermint/abci/types';
import type { BaseApp } from '../../app/runtime/baseApp.js';
import { MsgDepositCollateral, MsgWithdrawCollateral } from '../../proto/gen/gonka/collateral/v1/tx.js';
import { any, GOV_ADDRESS, submitMsg, voteMsg } from '../integration/gov-helpers.js';
import { DENOM, multiSendMsg, sendMsg, signTx, TestKey } from '../integration/tx-harness.js';
import { inferenceSimOp, type SimInference, simInferenceGenesis } from './sim-inference-ops.js';
import { pocSimOp, simSprintParamsJson } from './sim-poc-ops.js';

export const SIM_ACCOUNTS = 8;
/** The first three accounts are PoC participants (voting power) of unequal weight. */
export const SIM_WEIGHTS = [50n, 30n, 20n];
const START_BALANCE = 1_000_000_000n;
const MIN_DEPOSIT = 1_000n;
const GAS = 400_000n;

export const simKeys = (): TestKey[] =>
  Array.from({ length: SIM_ACCOUNTS }, (_, i) => TestKey.fromSeed(`sim-account-${i}`));

/** Adds funded accounts, participants, short governance periods and short epochs to a genesis. */
export function withSimAccounts(state: Record<string, any>, keys: TestKey[]): Record<string, any> {
  state.bank = {
    ...state.bank,
    balances: keys.map((k) => ({
      address: k.address,
      coins: [{ denom: DENOM, amount: START_BALANCE.toString() }],
    })),
  };
  state.poc = {
    ...(state.poc ?? {}),
    // 20-block epochs with a Sprint (stages 1/2/2/0) so the Sprint ops find their stages
    params: { ...(state.poc?.params ?? {}), ...simSprintParamsJson() },
    participants: SIM_WEIGHTS.map((w, i) => ({
      address: keys[i]!.address,
      consensus_pubkey: createHash('sha256').update(`sim-validator-${i}`).digest().toString('base64'),
      weight: w.toString(),
    })),
  };
  state.inference = simInferenceGenesis(keys);
  state.governance = {
    ...(state.governance ?? {}),
    params: {
      ...(state.governance?.params ?? {}),
      min_deposit: [{ denom: DENOM, amount: MIN_DEPOSIT.toString() }],
      expedited_min_deposit: [{ denom: DENOM, amount: (2n * MIN_DEPOSIT).toString() }],
      max_deposit_period: '8s',
      voting_period: '8s',
      expedited_voting_period: '4s',
    },
  };
  return state;
}

/** Sequence and account number of an address at the last commit (undefined before it exists). */
function account(app: BaseApp, address: string): { seq: bigint; num: bigint } | undefined {
  const r = app.query(
    RequestQuery.fromPartial({
      path: '/cosmos.auth.v1beta1.Query/Account',
      data: QueryAccountRequest.encode({ address }).finish(),
    }),
  );
  if (r.code !== 0) return undefined;
  const acc = BaseAccount.decode(QueryAccountResponse.decode(r.value).account!.value);
  return { seq: acc.sequence, num: acc.accountNumber };
}

export interface SimOpsState {
  /** Proposal ids seen in submit_proposal events, newest last. */
  proposals: bigint[];
  /** Counts of each operation kind attempted. */
  kinds: Record<string, number>;
  /** x/inference: inferences planned but not yet finished (or started), for the matching half. */
  inferences?: SimInference[];
  /** Blocks planned so far (x/inference ids are unique per block). */
  planned?: bigint;
}

/**
 * Plans this block's signed txs: at most one per account (so sequences read from the last commit
 * are right), from a seeded draw of operation kinds.
 */
export function planModuleTxs(
  app: BaseApp,
  keys: TestKey[],
  rand: () => number,
  ops: SimOpsState,
): Uint8Array[] {
  const pick = (n: number) => Math.floor(rand() * n);
  const coin = (amount: bigint) => ({ denom: DENOM, amount: amount.toString() });
  const txs: Uint8Array[] = [];
  ops.planned = (ops.planned ?? 0n) + 1n;
  for (const [i, key] of keys.entries()) {
    // In the Sprint's commit and validation stages half the accounts commit or vote; otherwise
    // about a third of the accounts act each block.
    const staged = pick(2) === 0 ? pocSimOp(app, SIM_CHAIN_ID_FOR_OPS, keys, i, pick, true) : undefined;
    if (!staged && pick(3) !== 0) continue;
    const acc = account(app, key.address);
    if (!acc) continue;
    const other = keys[pick(keys.length)]!.address;
    let msg: Any;
    let kind: string;
    const roll = pick(100);
    const poc = staged ?? (roll >= 88 ? pocSimOp(app, SIM_CHAIN_ID_FOR_OPS, keys, i, pick) : undefined);
    if (poc) {
      kind = poc.kind;
      msg = poc.msg;
    } else if (roll < 10) {
      ops.inferences ??= [];
      const op = inferenceSimOp(keys, i, pick, ops.planned ?? 0n, ops.inferences);
      if (!op) continue;
      kind = op.kind;
      msg = op.msg;
    } else if (roll < 35) {
      kind = 'send';
      // One in eight overspends (bank code 5): only the fee is charged.
      msg = sendMsg(key.address, other, pick(8) === 0 ? START_BALANCE * 10n : BigInt(1 + pick(5_000_000)));
    } else if (roll < 45) {
      kind = 'multisend';
      msg = multiSendMsg(key.address, [
        [other, BigInt(1 + pick(100_000))],
        [keys[pick(keys.length)]!.address, BigInt(1 + pick(100_000))],
      ]);
    } else if (roll < 60) {
      kind = 'collateral-deposit';
      msg = any('/gonka.collateral.v1.MsgDepositCollateral', MsgDepositCollateral, {
        participant: key.address,
        amount: coin(BigInt(1 + pick(2_000_000))),
      });
    } else if (roll < 70) {
      kind = 'collateral-withdraw';
      // Often more than deposited: fails with a collateral error, state untouched.
      msg = any('/gonka.collateral.v1.MsgWithdrawCollateral', MsgWithdrawCollateral, {
        participant: key.address,
        amount: coin(BigInt(1 + pick(3_000_000))),
      });
    } else if (roll < 78) {
      kind = 'gov-submit';
      // Either a text proposal or a bank params change (the defaults again: valid, executable).
      const messages =
        pick(2) === 0
          ? []
          : [
              any('/cosmos.bank.v1beta1.MsgUpdateParams', BankMsgUpdateParams, {
                authority: GOV_ADDRESS,
                params: { sendEnabled: [], defaultSendEnabled: true },
              }),
            ];
      msg = submitMsg(key.address, messages, BigInt(pick(3)) * MIN_DEPOSIT, { expedited: pick(5) === 0 });
    } else if (roll < 88 && ops.proposals.length > 0) {
      kind = 'gov-vote';
      const id = ops.proposals[ops.proposals.length - 1 - pick(Math.min(3, ops.proposals.length))]!;
      const options = [
        VoteOption.VOTE_OPTION_YES,
        VoteOption.VOTE_OPTION_NO,
        VoteOption.VOTE_OPTION_ABSTAIN,
        VoteOption.VOTE_OPTION_NO_WITH_VETO,
      ];
      // Non-participants have no voting power: their votes fail (gov 100), as do late ones.
      msg = voteMsg(id, key.address, options[pick(options.length)]!);
    } else if (ops.proposals.length > 0) {
      kind = 'gov-deposit';
      const id = ops.proposals[ops.proposals.length - 1 - pick(Math.min(3, ops.proposals.length))]!;
      msg = any('/cosmos.gov.v1.MsgDeposit', MsgDeposit, {
        proposalId: id,
        depositor: key.address,
        amount: [coin(BigInt(1 + pick(1500)))],
      });
    } else {
      continue;
    }
    ops.kinds[kind] = (ops.kinds[kind] ?? 0) + 1;
    txs.push(
      signTx(key, {
        msgs: [msg],
        sequence: acc.seq,
        accountNumber: acc.num,
        gas: GAS,
        chainId: SIM_CHAIN_ID_FOR_OPS,
      }),
    );
  }
  return txs;
}

/** The simulation's chain id (kept here so planning and the app agree). */
export const SIM_CHAIN_ID_FOR_OPS = 'gonka-sim';

/** Records proposal ids from a block's tx events. */
export function collectProposals(
  events: { type: string; attributes: { key: string; value: string }[] }[],
  ops: SimOpsState,
): void {
  for (const e of events) {
    if (e.type !== 'submit_proposal') continue;
    const id = e.attributes.find((a) => a.key === 'proposal_id');
    if (id) ops.proposals.push(BigInt(id.value));
  }
}
