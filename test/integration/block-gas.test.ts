// Issue 10, acceptance 2: block.max_gas enforced as the SDK does, and proposals that CometBFT's
// size rule accepts. With max_gas = 1,000,000 (sent in InitChain, as CometBFT sends it):
// - ante refuses gas_limit > max_gas with sdk 41 in CheckTx and in FinalizeBlock (nothing charged);
// - ProcessProposal rejects Σ gas_wanted > max_gas, counting undecodable txs as 0 (a user tx that
//   would fail never makes a block invalid);
// - FinalizeBlock's block gas meter fails the tx that would cross max_gas (sdk 11, not executed);
// - PrepareProposal leaves out txs over max_gas, and cuts module-injected and user txs to
//   Σ (1 + uvarint(len) + len) ≤ max_tx_bytes — protobuf Data{txs}, what CometBFT's Txs.Validate
//   measures — exactly at the limit (one byte less drops a tx);
// - a governance MsgUpdateParams changes the enforced max_gas from the next block, and a restarted
//   app keeps enforcing it (the params live in the consensus store).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MsgUpdateParams } from 'cosmjs-types/cosmos/consensus/v1/tx';
import { CheckTxType } from 'cosmjs-types/tendermint/abci/types';
import { Data } from 'cosmjs-types/tendermint/types/types';
import { pino } from 'pino';
import { createApp } from '../../app/app.js';
import { moduleAddress } from '../../app/runtime/address.js';
import type { AppModule } from '../../app/runtime/module.js';
import { GOV_MODULE } from '../../x/governance/keys.js';
import { accountOf, balanceOf, cometParams, sendMsg, signTx, TestChain, type TestKey } from './tx-harness.js';

const MAX_GAS = 1_000_000n;
const junk = (length: number, fill = 0xff) => new Uint8Array(length).fill(fill);

describe('block.max_gas and proposal sizes', () => {
  let chain: TestChain;
  /** What the test proposal module injects at the front of every PrepareProposal (none if empty). */
  let injected: Uint8Array[] = [];
  /** Actions run in the next block's BeginBlock (messages as the governance authority). */
  let atNextBlock: ((ctx: Parameters<NonNullable<AppModule['beginBlock']>>[0]) => void) | undefined;
  const testModule: AppModule = {
    name: 'proposalinjector',
    prepareProposal: (_ctx, _req, txs) => [...injected, ...txs],
    beginBlock: (ctx) => {
      atNextBlock?.(ctx);
      atNextBlock = undefined;
    },
  };
  const tx = (key: TestKey, gas: bigint, sequence = 0n) =>
    signTx(key, {
      msgs: [sendMsg(key.address, chain.keys[0]!.address, 1n)],
      sequence,
      accountNumber: accountOf(chain, key.address).accountNumber,
      gas,
    });

  before(async () => {
    chain = await TestChain.create({ accounts: 12, maxGas: MAX_GAS, ext: { modules: [() => testModule] } });
  });
  after(async () => chain?.close());

  it('CheckTx refuses gas_limit > max_gas with sdk 41; max_gas itself is accepted', () => {
    const k = chain.keys[1]!;
    const over = chain.checkTx(tx(k, MAX_GAS + 1n));
    assert.equal(over.code, 41);
    assert.equal(over.codespace, 'sdk');
    assert.match(over.log, /tx gas limit 1000001 exceeds block max gas 1000000: invalid gas limit/);
    assert.equal(over.gasUsed, 0n);
    const at = chain.checkTx(tx(k, MAX_GAS));
    assert.equal(at.code, 0, at.log);
  });

  it('FinalizeBlock refuses it with sdk 41 too, charging nothing', async () => {
    const k = chain.keys[2]!;
    const before = balanceOf(chain, k.address);
    const res = await chain.block([tx(k, MAX_GAS + 1n)]);
    assert.equal(res.txResults[0]!.code, 41, res.txResults[0]!.log);
    assert.equal(balanceOf(chain, k.address), before, 'no fee taken');
    assert.equal(accountOf(chain, k.address).sequence, 0n, 'sequence unchanged');
  });

  it('ProcessProposal rejects Σ gas_wanted > max_gas; undecodable txs count 0', () => {
    const five = [3, 4, 5, 6, 7].map((i) => tx(chain.keys[i]!, 200_000n));
    assert.equal(chain.process(five), true, 'exactly max_gas');
    assert.equal(chain.process([...five, junk(100), junk(5000, 0x0a)]), true, 'junk adds no gas');
    assert.equal(chain.process([...five, tx(chain.keys[8]!, 1n)]), false, 'one gas over');
    assert.equal(chain.process([tx(chain.keys[8]!, MAX_GAS + 1n)]), false, 'one tx over');
    assert.equal(chain.process([]), true);
  });

  it("FinalizeBlock's block gas meter fails the tx that would cross max_gas (sdk 11, not run)", async () => {
    const keys = [3, 4, 5, 6, 7, 8].map((i) => chain.keys[i]!);
    const txs = keys.map((k) => tx(k, 200_000n));
    const last = keys[5]!;
    const before = balanceOf(chain, last.address);
    // A byzantine proposer's block (ProcessProposal would reject it) must still not run > max_gas.
    assert.equal(chain.process(txs), false);
    const res = await chain.block([...txs.slice(0, 3), junk(64), ...txs.slice(3)]);
    const codes = res.txResults.map((r) => r.code);
    assert.deepEqual(codes, [0, 0, 0, 2, 0, 0, 11], res.txResults.map((r) => r.log).join('\n'));
    const crossing = res.txResults[6]!;
    assert.match(crossing.log, /no block gas left to run tx/);
    assert.equal(crossing.gasWanted, 200_000n);
    assert.equal(crossing.gasUsed, 0n);
    assert.equal(balanceOf(chain, last.address), before, 'not executed: no fee, no transfer');
    assert.equal(accountOf(chain, last.address).sequence, 0n);
  });

  it('PrepareProposal leaves out txs that would exceed max_gas and keeps later ones that fit', () => {
    const k = chain.keys[9]!;
    const gases = [300_000n, 300_000n, 300_000n, 200_000n, 100_000n];
    const txs = gases.map((g, i) => tx(k, g, BigInt(i)));
    const kept = chain.prepare(txs);
    assert.deepEqual(kept, [txs[0], txs[1], txs[2], txs[4]]);
    assert.equal(chain.process(kept), true);
  });

  it("a module-injected tx never pushes a proposal over max_tx_bytes (CometBFT's framed size)", () => {
    // lengths whose uvarint prefixes take 1, 2 and 3 bytes
    const user = [1, 127, 128, 300, 16_383, 16_384, 70_000].map((n, i) => junk(n, i + 1));
    injected = [junk(200, 0xee)];
    try {
      const all = [...injected, ...user];
      const exact = BigInt(Data.encode({ txs: all }).finish().length);
      const framed = all.reduce(
        (s, t) => s + 1 + (t.length < 128 ? 1 : t.length < 16_384 ? 2 : 3) + t.length,
        0,
      );
      assert.equal(exact, BigInt(framed), 'the rule: Σ (1 + uvarint(len) + len)');
      assert.deepEqual(chain.prepare(user, exact), all, 'exactly at the limit: everything fits');
      const less = chain.prepare(user, exact - 1n);
      assert.deepEqual(less, all.slice(0, -1), 'one byte less: the last tx is left out');
      // Whatever the limit, the proposal's Data{txs} fits it (a plain Σ len would not).
      for (let limit = exact - 400n; limit <= exact; limit += 7n) {
        const kept = chain.prepare(user, limit);
        assert.ok(BigInt(Data.encode({ txs: kept }).finish().length) <= limit, `limit ${limit}`);
        assert.deepEqual(kept[0], injected[0], 'the injected tx is first and kept');
      }
    } finally {
      injected = [];
    }
  });

  it('a governance MsgUpdateParams changes the enforced max_gas from the next block', async () => {
    const k = chain.keys[10]!;
    assert.equal(chain.checkTx(tx(k, 1_500_000n)).code, 41);
    const { block, evidence, validator, abci } = cometParams(2_000_000n);
    atNextBlock = (ctx) => {
      const { route, msg } = chain.app.msgs.decodeAny({
        typeUrl: '/cosmos.consensus.v1.MsgUpdateParams',
        value: MsgUpdateParams.encode(
          MsgUpdateParams.fromPartial({
            authority: moduleAddress(GOV_MODULE),
            block,
            evidence,
            validator,
            abci,
          }),
        ).finish(),
      });
      route.handle(ctx, msg);
    };
    const res = await chain.block([]);
    assert.equal(res.consensusParamUpdates?.block?.maxGas, 2_000_000n);
    const now = chain.checkTx(tx(k, 1_500_000n));
    assert.equal(now.code, 0, now.log);
    assert.equal(chain.checkTx(tx(k, 2_000_001n, 1n)).code, 41);
    // A restarted node (a new app over the same store) enforces the same: CometBFT never resends
    // the params after InitChain, so they live in state.
    const restarted = createApp(chain.store, pino({ level: 'silent' }), 'test', {
      modules: [() => testModule],
    });
    const again = restarted.checkTx({ tx: tx(k, 2_000_001n, 1n), type: CheckTxType.NEW });
    assert.equal(again.code, 41, again.log);
  });
});
