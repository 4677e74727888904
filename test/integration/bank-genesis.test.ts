// Genesis export/import for x/auth and x/bank: after some sends, the exported accounts (numbers,
// sequences, pubkeys), balances, supply and metadata initialise a fresh chain that exports the same.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { accountOf, multiSendMsg, sendMsg, signTx, TestChain, TestKey } from './tx-harness.js';

describe('auth and bank genesis round trip', () => {
  const chains: TestChain[] = [];
  after(async () => {
    for (const c of chains) await c.close();
  });

  it('exports what it imports', async () => {
    const a = await TestChain.create({ accounts: 3 });
    chains.push(a);
    const [k0, k1] = a.keys as [TestKey, TestKey];
    const n0 = accountOf(a, k0.address);
    const n1 = accountOf(a, k1.address);
    const res = await a.block([
      signTx(k0, {
        msgs: [sendMsg(k0.address, TestKey.fromSeed('new').address, 5n)],
        sequence: n0.sequence,
        accountNumber: n0.accountNumber,
      }),
      signTx(k1, {
        msgs: [
          multiSendMsg(k1.address, [
            [k0.address, 7n],
            [TestKey.fromSeed('new2').address, 9n],
          ]),
        ],
        sequence: n1.sequence,
        accountNumber: n1.accountNumber,
      }),
    ]);
    assert.deepEqual(
      res.txResults.map((r) => r.code),
      [0, 0],
    );
    const exported = a.app.exportGenesis() as Record<string, any>;
    assert.ok(
      exported.auth.accounts.some((x: any) => x.pub_key && x.address === k0.address),
      'learned pubkeys are exported',
    );
    const b = await TestChain.create({
      accounts: 0,
      appState: (s) => {
        s.auth = exported.auth;
        s.bank = exported.bank;
      },
    });
    chains.push(b);
    const again = b.app.exportGenesis() as Record<string, any>;
    assert.deepEqual(again.auth, exported.auth);
    assert.deepEqual(again.bank, exported.bank);
    assert.deepEqual(
      b.app.checkInvariants().filter((s) => s.startsWith('bank')),
      [],
    );
  });
});
