// Issue 11 acceptance 4: on a 3-validator testnet (PoC weights 50/30/20) a governance proposal,
// voted by the validators' operator keys through CosmJS, raises x/auth's min_gas_price from 0.1 to
// 0.5 ngonka/gas. Afterwards a tx paying the old price is refused with sdk code 13 and one paying
// the new price commits.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { QueryClient, type SigningStargateClient } from '@cosmjs/stargate';
import { connectComet } from '@cosmjs/tendermint-rpc';
import { ProposalStatus, VoteOption } from 'cosmjs-types/cosmos/gov/v1/gov';
import { QueryProposalRequest, QueryProposalResponse } from 'cosmjs-types/cosmos/gov/v1/query';
import { MsgSubmitProposal } from 'cosmjs-types/cosmos/gov/v1/tx';
import { defaultAppState } from '../../app/app.js';
import { moduleAddress } from '../../app/runtime/address.js';
import type { Params as AuthParamsProto } from '../../proto/gen/gonka/auth/v1/params.js';
import { QueryParamsRequest, QueryParamsResponse } from '../../proto/gen/gonka/auth/v1/query.js';
import { MsgUpdateParams } from '../../proto/gen/gonka/auth/v1/tx.js';
import { typeUrl } from '../../proto/gonka/registry.js';
import { initTestnet, Testnet } from '../../testnet/index.js';
import { waitFor } from '../../testnet/rpc.js';
import { GOV_MODULE } from '../../x/governance/keys.js';
import { castVote, proposalIdOf, testGovParams } from './helpers/gov.js';
import { connectOperators } from './helpers/operators.js';

const DENOM = 'ngonka';
const DEPOSIT = 1_000_000n;
const GOV = moduleAddress(GOV_MODULE);
const GAS = 200_000n;

describe('x/auth min_gas_price changed by governance on a 3-validator testnet (CosmJS)', () => {
  let dir: string;
  let net: Testnet;
  const clients: SigningStargateClient[] = [];
  const operators: string[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gonka-authparams-'));
    const appState = defaultAppState() as Record<string, any>;
    appState.governance.params = testGovParams(appState.governance.params, DENOM, DEPOSIT, {
      maxDeposit: '20s',
      voting: '8s',
      expedited: '4s',
    });
    const manifest = await initTestnet({
      dir,
      validators: 3,
      weights: [50, 30, 20],
      chainId: 'gonka-authparams-e2e',
      appState,
    });
    net = Testnet.open(dir);
    await net.start();
    await net.waitForHeight(2, 90_000);
    const ops = await connectOperators(manifest.validators, net.nodes[0]!.rpc.url, DENOM);
    operators.push(...ops.addresses);
    clients.push(...ops.clients);
  });
  after(async () => {
    for (const c of clients) c.disconnect();
    await net?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a passed proposal raises min_gas_price; the old price then fails with sdk 13, the new one commits', async () => {
    const comet = await connectComet(net.nodes[0]!.rpc.url);
    const q = QueryClient.withExtensions(comet);
    const authParams = async (): Promise<AuthParamsProto> =>
      QueryParamsResponse.decode(
        (await q.queryAbci('/gonka.auth.v1.Query/Params', QueryParamsRequest.encode({}).finish())).value,
      ).params!;
    try {
      const old = await authParams();
      assert.equal(old.minGasPrice, '0.1');
      const proposer = operators[2]!;
      const submit = await clients[2]!.signAndBroadcast(
        proposer,
        [
          {
            typeUrl: '/cosmos.gov.v1.MsgSubmitProposal',
            value: MsgSubmitProposal.fromPartial({
              messages: [
                {
                  typeUrl: typeUrl(MsgUpdateParams),
                  value: MsgUpdateParams.encode({
                    authority: GOV,
                    params: { ...old, minGasPrice: '0.5' },
                  }).finish(),
                },
              ],
              initialDeposit: [{ denom: DENOM, amount: DEPOSIT.toString() }],
              proposer,
              title: 'raise min_gas_price',
              summary: 'e2e',
            }),
          },
        ],
        'auto',
      );
      assert.equal(submit.code, 0, submit.rawLog);
      const id = proposalIdOf(submit);
      // 50 + 30 of 100 vote yes.
      await Promise.all(
        [0, 1].map(async (v) => {
          const r = await castVote(clients[v]!, operators[v]!, id, VoteOption.VOTE_OPTION_YES);
          assert.equal(r.code, 0, r.rawLog);
        }),
      );
      const status = await waitFor(
        'the proposal to finish',
        async () => {
          const p = QueryProposalResponse.decode(
            (
              await q.queryAbci(
                '/cosmos.gov.v1.Query/Proposal',
                QueryProposalRequest.encode({ proposalId: id }).finish(),
              )
            ).value,
          ).proposal!;
          return p.status !== ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD && p;
        },
        40_000,
        500,
      );
      assert.equal(status.status, ProposalStatus.PROPOSAL_STATUS_PASSED, status.failedReason);
      assert.equal((await authParams()).minGasPrice, '0.5');

      // The old price (0.1 × gas) is refused with sdk 13; CosmJS reports CheckTx's code.
      const to = operators[0]!;
      const oldFee = { amount: [{ denom: DENOM, amount: (GAS / 10n).toString() }], gas: GAS.toString() };
      await assert.rejects(
        clients[2]!.sendTokens(proposer, to, [{ denom: DENOM, amount: '1' }], oldFee),
        (e: Error) => /code 13 \(codespace: sdk\)/.test(e.message) && /insufficient fee/.test(e.message),
      );
      // The new price (0.5 × gas) commits.
      const newFee = { amount: [{ denom: DENOM, amount: (GAS / 2n).toString() }], gas: GAS.toString() };
      const ok = await clients[2]!.sendTokens(proposer, to, [{ denom: DENOM, amount: '1' }], newFee);
      assert.equal(ok.code, 0, ok.rawLog);
      assert.ok(ok.height > 0);
    } finally {
      comet.disconnect();
    }
  });
});
