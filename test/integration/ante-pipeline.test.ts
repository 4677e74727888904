// The Cosmos tx pipeline end to end in process: ante checks in DESIGN.md §3.5 order with the SDK
// codes wallets know, fee and sequence kept when messages fail, check state across txs, simulate.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TxMsgData } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import { SimulateRequest, SimulateResponse } from 'cosmjs-types/cosmos/tx/v1beta1/service';
import { TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { accountOf, balanceOf, sendMsg, signTx, TestChain, TestKey } from './tx-harness.js';

describe('cosmos tx ante handler', () => {
  let chain: TestChain;
  const stranger = TestKey.fromSeed('stranger');
  before(async () => {
    chain = await TestChain.create({ accounts: 4, balance: 1_000_000_000n });
  });
  after(async () => chain.close());

  const acc = (i: number) => accountOf(chain, chain.keys[i]!.address);
  const tx = (i: number, over: Partial<Parameters<typeof signTx>[1]> = {}) => {
    const a = acc(i);
    const k = chain.keys[i]!;
    return signTx(k, {
      msgs: [sendMsg(k.address, stranger.address, 1000n)],
      sequence: a.sequence,
      accountNumber: a.accountNumber,
      ...over,
    });
  };

  it('delivers a MsgSend: balances, fee, sequence, SDK events and TxMsgData', async () => {
    const k = chain.keys[0]!;
    const before0 = balanceOf(chain, k.address);
    const res = await chain.block([tx(0, { gas: 200_000n, fee: 20_000n })]);
    const r = res.txResults[0]!;
    assert.equal(r.code, 0, r.log);
    assert.equal(balanceOf(chain, stranger.address), 1000n);
    assert.equal(balanceOf(chain, k.address), before0 - 1000n - 20_000n);
    assert.equal(acc(0).sequence, 1n);
    const types = r.events.map((e) => e.type);
    for (const t of ['tx', 'coin_spent', 'coin_received', 'transfer', 'message'])
      assert.ok(types.includes(t), `event ${t} in ${types}`);
    const transfer = r.events.filter((e) => e.type === 'transfer').at(-1)!;
    const attr = Object.fromEntries(transfer.attributes.map((a) => [a.key, a.value]));
    assert.deepEqual(
      [attr.recipient, attr.sender, attr.amount, attr.msg_index],
      [stranger.address, k.address, '1000ngonka', '0'],
    );
    const data = TxMsgData.decode(r.data);
    assert.deepEqual(
      data.msgResponses.map((m) => m.typeUrl),
      ['/cosmos.bank.v1beta1.MsgSendResponse'],
    );
    assert.ok(r.gasUsed > 0n && r.gasUsed <= r.gasWanted);
  });

  it('CheckTx keeps a check state: sequences n and n+1 from one account both pass', () => {
    const a = acc(1);
    const k = chain.keys[1]!;
    const t0 = signTx(k, {
      msgs: [sendMsg(k.address, stranger.address, 1n)],
      sequence: a.sequence,
      accountNumber: a.accountNumber,
    });
    const t1 = signTx(k, {
      msgs: [sendMsg(k.address, stranger.address, 2n)],
      sequence: a.sequence + 1n,
      accountNumber: a.accountNumber,
    });
    assert.equal(chain.checkTx(t0).code, 0);
    assert.equal(chain.checkTx(t1).code, 0);
    assert.equal(chain.checkTx(t1).code, 32, 'replaying n+1 is a sequence error in the check state');
  });

  it('rejects with the SDK codes: sequence 32, signature and chain id 4, fee 13, funds 5, gas 11, memo 12, timeout 30, decode 2', async () => {
    await chain.block([]); // resets the check state
    const a = acc(2);
    const k = chain.keys[2]!;
    const cases: [string, Uint8Array, number][] = [
      ['wrong sequence', tx(2, { sequence: a.sequence + 3n }), 32],
      ['wrong chain id', tx(2, { chainId: 'other-chain' }), 4],
      ['wrong account number', tx(2, { accountNumber: a.accountNumber + 1n }), 4],
      ['fee below min gas price', tx(2, { gas: 200_000n, fee: 19_999n }), 13],
      ['fee above balance', tx(2, { gas: 200_000n, fee: 5_000_000_000n }), 5],
      ['out of gas in the ante handler', tx(2, { gas: 1_000n, fee: 100n }), 11],
      ['memo too long', tx(2, { memo: 'x'.repeat(257) }), 12],
      ['timeout height passed', tx(2, { timeoutHeight: 1n }), 30],
      ['garbage', Uint8Array.of(1, 2, 3, 4), 2],
    ];
    // A flipped signature byte.
    const good = TxRaw.decode(tx(2));
    good.signatures[0]![5]! ^= 1;
    cases.push(['bad signature', TxRaw.encode(good).finish(), 4]);
    // An unknown field appended to the body.
    const raw = TxRaw.decode(tx(2));
    const body = Uint8Array.from([...raw.bodyBytes, 0xf8, 0x07, 0x01]);
    cases.push(['unknown body field', TxRaw.encode({ ...raw, bodyBytes: body }).finish(), 2]);
    // Someone else's key claiming to be the signer.
    const forged = signTx(stranger, {
      msgs: [sendMsg(k.address, stranger.address, 1n)],
      sequence: a.sequence,
      accountNumber: a.accountNumber,
    });
    cases.push(['pubkey of another address', forged, 8]);
    const before2 = balanceOf(chain, k.address);
    for (const [name, bytes, code] of cases)
      assert.equal(chain.checkTx(bytes).code, code, `CheckTx: ${name}`);
    const res = await chain.block(cases.map(([, b]) => b));
    for (const [i, r] of res.txResults.entries()) {
      assert.equal(r.code, cases[i]![2], `FinalizeBlock: ${cases[i]![0]}: ${r.log}`);
    }
    assert.equal(balanceOf(chain, k.address), before2, 'rejected txs move nothing');
    assert.equal(acc(2).sequence, a.sequence);
  });

  it('a failing message keeps the fee and the sequence increment, and moves nothing else', async () => {
    const k = chain.keys[3]!;
    const a = acc(3);
    const bal = balanceOf(chain, k.address);
    const t = signTx(k, {
      msgs: [sendMsg(k.address, stranger.address, bal * 2n)],
      sequence: a.sequence,
      accountNumber: a.accountNumber,
      gas: 100_000n,
      fee: 10_000n,
    });
    const r = (await chain.block([t])).txResults[0]!;
    assert.equal(r.code, 5, r.log);
    assert.equal(balanceOf(chain, k.address), bal - 10_000n);
    assert.equal(acc(3).sequence, a.sequence + 1n);
    assert.ok(
      r.events.some((e) => e.type === 'tx'),
      'ante events stand',
    );
  });

  it('out of gas in the messages answers 11 and keeps the fee', async () => {
    const k = chain.keys[3]!;
    const a = acc(3);
    const bal = balanceOf(chain, k.address);
    const t = signTx(k, {
      msgs: [sendMsg(k.address, stranger.address, 5n)],
      sequence: a.sequence,
      accountNumber: a.accountNumber,
      gas: 32_000n,
      fee: 3_200n,
    });
    const r = (await chain.block([t])).txResults[0]!;
    assert.equal(r.code, 11, r.log);
    assert.equal(balanceOf(chain, k.address), bal - 3_200n);
  });

  it('Simulate via ABCI query: no signature needed, same gas as delivery', async () => {
    const k = chain.keys[0]!;
    const a = acc(0);
    const opts = {
      msgs: [sendMsg(k.address, stranger.address, 7n)],
      sequence: a.sequence,
      accountNumber: a.accountNumber,
      gas: 200_000n,
      fee: 20_000n,
    };
    const sim = chain.query('/cosmos.tx.v1beta1.Service/Simulate', SimulateRequest, SimulateResponse, {
      txBytes: signTx(k, { ...opts, unsigned: true }),
    });
    const r = (await chain.block([signTx(k, opts)])).txResults[0]!;
    assert.equal(r.code, 0, r.log);
    assert.equal(sim.gasInfo!.gasUsed, r.gasUsed);
    assert.ok(sim.result!.events.some((e) => e.type === 'transfer'));
    // A failing simulation answers the tx's code.
    const bad = chain.rawQuery(
      '/cosmos.tx.v1beta1.Service/Simulate',
      SimulateRequest.encode({ txBytes: signTx(k, { ...opts, unsigned: true }) }).finish(),
    );
    assert.equal(bad.code, 32, 'the sequence was used by the delivered tx');
  });

  it('unknown account: Account query answers the NotFound convention', () => {
    const r = chain.rawQuery(
      '/cosmos.auth.v1beta1.Query/Account',
      Uint8Array.from(
        Buffer.concat([
          Buffer.from([0x0a, TestKey.fromSeed('nobody').address.length]),
          Buffer.from(TestKey.fromSeed('nobody').address),
        ]),
      ),
    );
    assert.equal(r.code, 22);
    assert.match(r.log, /rpc error: code = NotFound/);
    assert.ok(r.height > 0n);
  });

  it('a body with extension options is rejected', () => {
    const raw = TxRaw.decode(tx(0));
    const body = TxBody.decode(raw.bodyBytes);
    body.extensionOptions = [{ typeUrl: '/x.y', value: new Uint8Array(0) }];
    const r = chain.checkTx(TxRaw.encode({ ...raw, bodyBytes: TxBody.encode(body).finish() }).finish());
    assert.equal(r.code, 31);
  });
});
