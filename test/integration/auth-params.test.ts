// x/auth MsgUpdateParams in process: a governance proposal raises min_gas_price; once it passes a
// tx paying the old price fails CheckTx and FinalizeBlock with sdk 13 and one paying the new price
// commits. Anyone but the governance account gets sdk 4; invalid params are refused statelessly
// (auth 2), also inside a proposal (gov 12). Params (auth's and governance's) are stored as protobuf.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Params as SdkAuthParams } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { ProposalStatus, Params as SdkGovParams } from 'cosmjs-types/cosmos/gov/v1/gov';
import {
  QueryParamsRequest as GovParamsRequest,
  QueryParamsResponse as GovParamsResponse,
  QueryProposalRequest,
  QueryProposalResponse,
} from 'cosmjs-types/cosmos/gov/v1/query';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import type { ExecTxResult } from 'cosmjs-types/tendermint/abci/types';
import { type Params as AuthParamsProto, Params } from '../../proto/gen/gonka/auth/v1/params.js';
import { QueryParamsRequest, QueryParamsResponse } from '../../proto/gen/gonka/auth/v1/query.js';
import { MsgUpdateParams } from '../../proto/gen/gonka/auth/v1/tx.js';
import { Params as GovParams } from '../../proto/gen/gonka/governance/v1/params.js';
import { typeUrl } from '../../proto/gonka/registry.js';
import { PARAMS_KEY, STORE } from '../../x/auth/keys.js';
import { PARAMS_KEY as GOV_PARAMS_KEY, STORE as GOV_STORE } from '../../x/governance/keys.js';
import {
  advance,
  any,
  deliver,
  GOV_ADDRESS,
  govAppState,
  MIN_DEPOSIT,
  proposalIdOf,
  submitMsg,
  voteMsg,
  YES,
} from './gov-helpers.js';
import { accountOf, sendMsg, signTx, TestChain, TestKey } from './tx-harness.js';

const keys = [0, 1, 2, 3, 4].map((i) => TestKey.fromSeed(`authparams-${i}`));
const GAS = 200_000n;

const params = (c: TestChain): AuthParamsProto =>
  c.query('/gonka.auth.v1.Query/Params', QueryParamsRequest, QueryParamsResponse, {}).params!;
const updateParams = (authority: string, p: AuthParamsProto) =>
  any(typeUrl(MsgUpdateParams), MsgUpdateParams, { authority, params: p });

function expectCode(r: { code: number; codespace: string; log: string }, codespace: string, code: number) {
  assert.equal(`${r.codespace}:${r.code}`, `${codespace}:${code}`, r.log);
}

/** `msgs` signed by key 4 at its current sequence, paying `fee` for GAS. */
function tx4(c: TestChain, msgs: Any[], fee: bigint, gas = GAS): Uint8Array {
  const a = accountOf(c, keys[4]!.address);
  return signTx(keys[4]!, { msgs, sequence: a.sequence, accountNumber: a.accountNumber, gas, fee });
}
const sendTx = (c: TestChain, fee: bigint) => tx4(c, [sendMsg(keys[4]!.address, keys[0]!.address, 1n)], fee);
/** Key 4's msgs in one block, paying 1 ngonka/gas (above any price these tests set). */
const deliver4 = async (c: TestChain, msgs: Any[]): Promise<ExecTxResult> =>
  (await c.block([tx4(c, msgs, 2_000_000n, 2_000_000n)])).txResults[0]!;

describe('x/auth MsgUpdateParams', () => {
  let chain: TestChain;
  before(async () => {
    chain = await TestChain.create({ accounts: 5, seed: 'authparams', appState: govAppState(keys) });
  });
  after(async () => chain?.close());

  it('stores params as gonka.auth.v1.Params protobuf and answers them from gonka.auth.v1.Query/Params', () => {
    const p = params(chain);
    assert.equal(p.minGasPrice, '0.1');
    assert.equal(p.maxTxBytes, 1_048_576n);
    const raw = chain.store.getStore(STORE).get(PARAMS_KEY)!;
    assert.deepEqual(Params.decode(raw), p);
    assert.deepEqual(Buffer.from(Params.encode(p).finish()), Buffer.from(raw), 'canonical encoding');
    // Fields 1-5 are the SDK's: its decoder reads them.
    const sdk = SdkAuthParams.decode(raw);
    assert.equal(sdk.txSigLimit, p.txSigLimit);
    assert.equal(sdk.sigVerifyCostSecp256k1, p.sigVerifyCostSecp256k1);
  });

  it('stores governance params as gonka.governance.v1.Params, which an SDK decoder reads as cosmos.gov.v1.Params', () => {
    const raw = chain.store.getStore(GOV_STORE).get(GOV_PARAMS_KEY)!;
    const served = chain.query('/cosmos.gov.v1.Query/Params', GovParamsRequest, GovParamsResponse, {
      paramsType: '',
    }).params!;
    assert.deepEqual(SdkGovParams.decode(raw), served);
    assert.equal(GovParams.decode(raw).maxOpenProposals, 100n);
  });

  it('a passed proposal raises min_gas_price: the old price then fails CheckTx and FinalizeBlock with sdk 13, the new one commits', async () => {
    const old = params(chain);
    const oldFee = GAS / 10n; // 0.1 ngonka/gas
    // Before: the old price is enough (checked only, not delivered: the sequence stays).
    expectCode(chain.checkTx(sendTx(chain, oldFee)), '', 0);

    const raised = { ...old, minGasPrice: '0.5' };
    const sub = await deliver(chain, 3, [
      submitMsg(keys[3]!.address, [updateParams(GOV_ADDRESS, raised)], MIN_DEPOSIT),
    ]);
    assert.equal(sub.code, 0, sub.log);
    const id = proposalIdOf(sub);
    assert.equal((await deliver(chain, 0, [voteMsg(id, keys[0]!.address, YES)])).code, 0);
    assert.equal((await deliver(chain, 1, [voteMsg(id, keys[1]!.address, YES)])).code, 0);
    const { events } = await advance(chain, 10);
    const p = chain.query('/cosmos.gov.v1.Query/Proposal', QueryProposalRequest, QueryProposalResponse, {
      proposalId: id,
    }).proposal!;
    assert.equal(p.status, ProposalStatus.PROPOSAL_STATUS_PASSED, p.failedReason);
    assert.ok(
      events.some(
        (e) =>
          e.type === 'update_params' && e.attributes.some((a) => a.key === 'module' && a.value === 'auth'),
      ),
      'update_params {module=auth} emitted',
    );
    assert.deepEqual(params(chain), raised);

    const newFee = GAS / 2n; // 0.5 ngonka/gas
    for (const fee of [oldFee, newFee - 1n]) {
      const tx = sendTx(chain, fee);
      const check = chain.checkTx(tx);
      expectCode(check, 'sdk', 13);
      assert.match(check.log, new RegExp(`required: ${newFee}ngonka`));
      expectCode((await chain.block([tx])).txResults[0]!, 'sdk', 13);
    }
    const tx = sendTx(chain, newFee);
    expectCode(chain.checkTx(tx), '', 0);
    expectCode((await chain.block([tx])).txResults[0]!, '', 0);
  });

  it('refuses anyone but the governance account (sdk 4)', async () => {
    const me = keys[4]!.address;
    const r = await deliver4(chain, [updateParams(me, { ...params(chain), minGasPrice: '0' })]);
    expectCode(r, 'sdk', 4);
    assert.match(r.log, /invalid authority/);
    assert.equal(params(chain).minGasPrice, '0.5');
  });

  it('refuses invalid params statelessly (auth 2), also as a proposal message (gov 12)', async () => {
    const me = keys[4]!.address;
    const p = params(chain);
    const bad: [Partial<AuthParamsProto>, RegExp][] = [
      [{ txSigLimit: 0n }, /tx_sig_limit must be positive/],
      [{ maxTxBytes: 0n }, /max_tx_bytes must be positive/],
      [{ minGasPrice: '-1' }, /invalid decimal/],
      [{ minGasPrice: '0.1234567890123456789' }, /invalid decimal/],
      [{ minGasPrice: '' }, /invalid decimal/],
      [{ minGasPrice: '1'.repeat(40) }, /longer than 39/],
    ];
    for (const [change, log] of bad) {
      const check = chain.checkTx(tx4(chain, [updateParams(me, { ...p, ...change })], GAS));
      expectCode(check, 'auth', 2);
      assert.match(check.log, log);
      const sub = await deliver4(chain, [
        submitMsg(me, [updateParams(GOV_ADDRESS, { ...p, ...change })], MIN_DEPOSIT),
      ]);
      expectCode(sub, 'gov', 12);
      assert.match(sub.log, log);
    }
    const missing = any(typeUrl(MsgUpdateParams), MsgUpdateParams, { authority: me });
    expectCode(chain.checkTx(tx4(chain, [missing], GAS)), 'auth', 2);
    assert.deepEqual(params(chain), p, 'nothing changed');
  });
});
